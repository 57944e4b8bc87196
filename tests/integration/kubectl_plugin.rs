//! `kubectl msr-expose`: real kubectl (this machine kind's image carries it,
//! /usr/bin/kubectl) finds the plugin where `make install` and the release
//! archive put it — a link `kubectl-msr_expose` beside `msr-expose` — and
//! runs it; the plugin then reads the kubeconfig as kubectl does (several
//! files in KUBECONFIG merged, the first file's current context, --context),
//! against two SIMULATED Kubernetes API servers (tests/sim_kube.rs; no real
//! one can run here). kubectl itself is asked which server each choice
//! means, so the two are held to one answer.

use msr_expose_tests::msr_expose_bin;
use msr_expose_tests::sim_kube::SimKube;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory holding only the plugin link, as `make install` lays it out.
fn plugin_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(msr_expose_bin(), dir.path().join("kubectl-msr_expose"))
        .expect("link the plugin");
    dir
}

/// kubectl with the plugin's directory first on PATH and `kubeconfig` as KUBECONFIG.
fn kubectl(plugins: &Path, kubeconfig: Option<&str>, args: &[&str]) -> Output {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![plugins.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    let mut cmd = Command::new("kubectl");
    cmd.args(args)
        .env("PATH", std::env::join_paths(dirs).expect("PATH"));
    match kubeconfig {
        Some(k) => cmd.env("KUBECONFIG", k),
        None => cmd.env_remove("KUBECONFIG"),
    };
    cmd.output().unwrap_or_else(|e| {
        panic!("cannot run kubectl ({e}): this machine kind's image carries it at /usr/bin/kubectl")
    })
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn kubectl_lists_the_plugin_and_runs_it_under_its_kubectl_name() {
    let plugins = plugin_dir();
    let list = kubectl(plugins.path(), None, &["plugin", "list"]);
    let link = plugins.path().join("kubectl-msr_expose");
    assert!(
        String::from_utf8_lossy(&list.stdout).contains(&link.display().to_string()),
        "kubectl plugin list finds {}: {}",
        link.display(),
        text(&list)
    );
    assert!(
        !String::from_utf8_lossy(&list.stderr).contains("warning"),
        "no warning about the plugin: {}",
        text(&list)
    );
    let help = kubectl(plugins.path(), None, &["msr-expose", "--help"]);
    assert!(help.status.success(), "{}", text(&help));
    let out = String::from_utf8_lossy(&help.stdout);
    assert!(
        out.contains("Usage: kubectl msr-expose [OPTIONS] <COMMAND>"),
        "usage as the user types it: {out}"
    );
    // A usage error names the command as typed, too.
    let bad = kubectl(
        plugins.path(),
        None,
        &["msr-expose", "generate", "--no-such-flag"],
    );
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("Usage: kubectl msr-expose generate"),
        "{}",
        text(&bad)
    );
    // The plugin generates what the command does, byte for byte.
    let args = ["generate", "--node-fqdn", "worker1.example.com", "-q"];
    let direct = Command::new(msr_expose_bin())
        .args(args)
        .output()
        .expect("msr-expose");
    let mut plugin_args = vec!["msr-expose"];
    plugin_args.extend(args);
    let via = kubectl(plugins.path(), None, &plugin_args);
    assert!(via.status.success(), "{}", text(&via));
    assert_eq!(via.stdout, direct.stdout);
}

/// One kubeconfig file with one cluster and context, both named `name`.
fn kubeconfig_file(dir: &Path, name: &str, sim: &SimKube) -> PathBuf {
    let path = dir.join(format!("{name}.kubeconfig"));
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: {name}\n  cluster:\n    server: http://127.0.0.1:{port}\nusers:\n- name: {name}\n  user:\n    token: simulated\ncontexts:\n- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n    namespace: msr\ncurrent-context: {name}\n",
        port = sim.port
    );
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

/// Whether the simulated server holds the cache's NodePort Service.
fn has_service(sim: &SimKube) -> bool {
    let st = sim.state.lock().unwrap_or_else(|e| e.into_inner());
    st.objects
        .keys()
        .any(|(resource, ns, _)| resource == "services" && ns == "msr")
}

#[test]
fn the_plugin_reads_kubeconfig_and_context_as_kubectl_does() {
    let plugins = plugin_dir();
    let (a, b) = (SimKube::start(), SimKube::start());
    let dir = tempfile::tempdir().expect("tempdir");
    let merged = std::env::join_paths([
        kubeconfig_file(dir.path(), "site-a", &a),
        kubeconfig_file(dir.path(), "site-b", &b),
    ])
    .expect("KUBECONFIG");
    let merged = merged.to_str().expect("utf-8 paths");
    // Which server kubectl itself means by each choice.
    let server = |context: &[&str]| {
        let mut args = vec!["config", "view", "--minify", "-o"];
        args.push("jsonpath={.clusters[0].cluster.server}");
        args.extend(context);
        let o = kubectl(plugins.path(), Some(merged), &args);
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(
        server(&[]),
        format!("http://127.0.0.1:{}", a.port),
        "the first file's current context"
    );
    assert_eq!(
        server(&["--context", "site-b"]),
        format!("http://127.0.0.1:{}", b.port)
    );

    let apply = |extra: &[&str]| {
        let mut args = vec![
            "msr-expose",
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "-o",
            "json",
        ];
        args.extend(extra);
        let o = kubectl(plugins.path(), Some(merged), &args);
        assert!(o.status.success(), "{}", text(&o));
    };
    apply(&["--context", "site-b"]);
    assert!(
        has_service(&b),
        "--context site-b applies to site B, as kubectl would"
    );
    assert!(!has_service(&a), "and nothing to site A");
    apply(&[]);
    assert!(
        has_service(&a),
        "no --context: KUBECONFIG's current context, site A"
    );
}
