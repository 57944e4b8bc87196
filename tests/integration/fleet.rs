//! `msr-expose fleet check` against the real binary: every cache of a fleet
//! file judged against its own interface with the test fixtures' chains
//! (tests/fixtures/make-certs.sh), one row each, the findings naming the
//! cache and the field.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose;
use serde_json::Value;

fn fleet_file(dir: &std::path::Path) -> std::path::PathBuf {
    let fx = fixtures().display().to_string();
    let text = format!(
        "defaults:\n  ca: {fx}/root.pem\n  context: admin\ncaches:\n\
         \x20 - name: eu1\n    method: ingress\n    externalFqdn: cache.example.com\n    cert: {fx}/ingress-chain.pem\n\
         \x20 - name: us1\n    method: nodeport\n    nodeFqdn: worker1.example.com\n    nodePort: 30443\n    cert: {fx}/chain.pem\n    key: {fx}/leaf.key\n\
         \x20 - name: ap1\n    method: gateway\n    gatewayClassName: eg\n    externalFqdn: cache-ap1.example.com\n    cert: {fx}/ingress-chain.pem\n\
         \x20 - name: sa1\n    method: traefik\n    externalFqdn: cache-sa1.example.com\n"
    );
    let path = dir.join("fleet.yaml");
    std::fs::write(&path, text).expect("fleet file");
    path
}

#[test]
fn fleet_check_judges_every_cache_against_its_own_interface() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fleet_file(dir.path());
    let config = path.display().to_string();
    let o = msr_expose(&["fleet", "check", "--config", &config, "-o", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "ap1's certificate is not its name's"
    );
    let r: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(r["ok"], false);
    let rows = r["caches"].as_array().expect("rows");
    let verdict = |name: &str| {
        rows.iter()
            .find(|x| x["name"] == name)
            .map(|x| x["verdict"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    // (cache, verdict, reason)
    for (name, want, why) in [
        ("eu1", "ok", "the ingress chain names cache.example.com"),
        ("us1", "ok", "the node chain, its key and the fleet's CA"),
        (
            "ap1",
            "errors",
            "the ingress chain does not name cache-ap1.example.com",
        ),
        ("sa1", "not checked", "no certificate given"),
    ] {
        assert_eq!(verdict(name), want, "{name}: {why}");
    }
    let ap1 = rows.iter().find(|x| x["name"] == "ap1").expect("ap1");
    assert_eq!(ap1["endpoint"], "https://cache-ap1.example.com");
    assert!(ap1["daysLeft"].as_i64().is_some_and(|d| d > 0));
    assert!(
        ap1["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["code"] == "cert.name_mismatch"
                && f["field"]
                    .as_str()
                    .is_some_and(|x| x.starts_with("caches[ap1]"))),
        "the finding names the cache: {ap1}"
    );
    let us1 = rows.iter().find(|x| x["name"] == "us1").expect("us1");
    assert_eq!(us1["endpoint"], "https://worker1.example.com:30443");

    // The table: a row per cache, then the errors and warnings under each name.
    let t = msr_expose(&["fleet", "check", "--config", &config]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.starts_with("cache  endpoint"), "{text}");
    for name in ["eu1", "us1", "ap1", "sa1"] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} row: {text}"
        );
    }
    assert!(
        text.contains("error[cert.name_mismatch] caches[ap1]"),
        "{text}"
    );
    assert!(
        text.contains("warning[fleet.cert_missing] caches[sa1].cert"),
        "{text}"
    );

    // Judged at another instant: every certificate expired.
    let later = msr_expose(&[
        "fleet",
        "check",
        "--config",
        &config,
        "--at",
        "2999-01-01T00:00:00Z",
        "-o",
        "json",
    ]);
    let r: Value = serde_json::from_slice(&later.stdout).expect("JSON");
    assert_eq!(r["caches"][0]["verdict"], "errors");
}

#[test]
fn a_broken_fleet_file_names_the_cache_and_checks_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fleet.yaml");
    std::fs::write(
        &path,
        "caches:\n  - name: eu1\n    externalFQDN: cache.example.com\n  - name: eu1\n",
    )
    .expect("write");
    let o = msr_expose(&["fleet", "check", "--config", &path.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "no partial table");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[fleet.parse] caches[eu1]"), "{err}");
    assert!(
        err.contains("error[fleet.cache_name_duplicate] caches[eu1].name"),
        "{err}"
    );
    // A file a cache names that is not there: that cache's error, not the run's.
    std::fs::write(
        &path,
        "caches:\n  - name: eu1\n    externalFqdn: cache.example.com\n    cert: no/such.pem\n",
    )
    .expect("write");
    let o = msr_expose(&["fleet", "check", "--config", &path.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("error[fleet.file_unreadable] caches[eu1].cert")
    );
    let missing = msr_expose(&[
        "fleet",
        "check",
        "--config",
        &dir.path().join("none.yaml").display().to_string(),
    ]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "an unreadable file is a usage/I-O error"
    );
}

/// A fleet with every method and the shapes that make a method's objects
/// differ (a Gateway created or attached to; Istio's own Gateway or one
/// there), caches of one shape in other namespaces, names and ports, and a
/// fleet CA: the GitOps layout must build every one of them.
const EVERY_SHAPE: &str = "\
gitops:
  repoURL: https://git.example.com/ops/msr-caches.git
  revision: main
  path: sites/caches
defaults:
  context: admin
  ca: CA
caches:
  - name: eu1
    method: gateway
    gatewayClassName: envoy-gatewayingress
    externalFqdn: cache-eu1.example.com
  - name: eu2
    context: eu2-admin
    method: gateway
    gatewayClassName: cilium
    externalFqdn: cache-eu2.example.com
    namespace: registry-edge
    serviceName: cache-eu2
    port: 8443
  - name: eu3
    method: gateway
    gatewayName: shared
    gatewayNamespace: infra
    listenerName: tls
    externalFqdn: cache-eu3.example.com
  - name: us1
    method: nodeport
    nodeFqdn: worker1.us.example.com
    nodePort: 30043
  - name: us2
    method: nodeport
    nodeFqdn: worker7.us.example.com
    nodePort: 30044
    namespace: msr-us2
  - name: lb1
    method: loadbalancer
    externalFqdn: cache-lb1.example.com
  - name: tr1
    method: traefik
    externalFqdn: cache-tr1.example.com
  - name: tr2
    method: traefik
    externalFqdn: cache-tr2.example.com
    entryPoints: [tls, websecure]
  - name: os1
    method: openshift
    externalFqdn: cache-os1.apps.example.com
  - name: is1
    method: istio
    externalFqdn: cache-is1.example.com
  - name: is2
    method: istio
    externalFqdn: cache-is2.example.com
    istioGateway: istio-system/shared
  - name: ng1
    method: ingress
    externalFqdn: cache-ng1.example.com
";

fn every_shape(dir: &std::path::Path) -> std::path::PathBuf {
    let ca = fixtures().join("root.pem");
    let path = dir.join("fleet.yaml");
    std::fs::write(&path, EVERY_SHAPE.replace("CA", &ca.display().to_string())).expect("fleet");
    path
}

/// The manifest file of a cache's bundle (the one YAML file at its top).
fn manifest_of(cache: &std::path::Path) -> std::path::PathBuf {
    std::fs::read_dir(cache)
        .expect("cache dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "yaml"))
        .unwrap_or_else(|| panic!("no manifest in {}", cache.display()))
}

#[test]
fn kustomize_builds_every_overlay_to_exactly_the_cache_s_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = every_shape(dir.path()).display().to_string();
    let out = dir.path().join("out");
    let o = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &config,
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fleet = msr_expose_core::fleet::from_text(EVERY_SHAPE).expect("fleet");
    for cache in &fleet.caches {
        let overlay = out.join("gitops/overlays").join(&cache.name);
        let built = msr_expose_tests::tool(
            "kubectl",
            &["kustomize", &overlay.display().to_string()],
            "kubectl (with its built-in Kustomize) comes with this machine's image at /usr/bin/kubectl",
        );
        assert!(
            built.status.success(),
            "{}: {}",
            cache.name,
            String::from_utf8_lossy(&built.stderr)
        );
        let manifest = std::fs::read(manifest_of(&out.join(&cache.name))).expect("manifest");
        assert_eq!(
            String::from_utf8_lossy(&built.stdout),
            String::from_utf8_lossy(&manifest),
            "{}: kubectl kustomize of its overlay is its manifest, byte for byte",
            cache.name
        );
    }
    // Several bases where one method has several shapes, one where caches share it.
    let bases: Vec<String> = std::fs::read_dir(out.join("gitops/base"))
        .expect("bases")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for b in [
        "gateway",
        "gateway-2",
        "nodeport",
        "loadbalancer",
        "traefik",
        "openshift",
        "istio",
        "istio-2",
        "ingress",
    ] {
        assert!(bases.iter().any(|x| x == b), "base {b} in {bases:?}");
    }
    assert_eq!(bases.len(), 9, "{bases:?}");
}

#[test]
fn each_cache_s_directory_is_what_generate_out_dir_writes_for_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = every_shape(dir.path()).display().to_string();
    let out = dir.path().join("out");
    let o = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &config,
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ca = fixtures().join("root.pem").display().to_string();
    // (cache, its spec as generate's flags, reason)
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "eu2",
            &[
                "--method",
                "gateway",
                "--gateway-class",
                "cilium",
                "--external-fqdn",
                "cache-eu2.example.com",
                "-n",
                "registry-edge",
                "--name",
                "cache-eu2",
                "--port",
                "8443",
            ],
            "its own namespace, name and port",
        ),
        (
            "us1",
            &[
                "--method",
                "nodeport",
                "--node-fqdn",
                "worker1.us.example.com",
                "--node-port",
                "30043",
            ],
            "a node port, the clients' files name it",
        ),
        (
            "is2",
            &[
                "--method",
                "istio",
                "--external-fqdn",
                "cache-is2.example.com",
                "--istio-gateway",
                "istio-system/shared",
            ],
            "an existing Istio Gateway",
        ),
    ];
    for (name, flags, why) in cases {
        let alone = dir.path().join(format!("alone-{name}"));
        let mut args = vec!["generate", "-q", "--ca", &ca, "--out-dir"];
        let alone_s = alone.display().to_string();
        args.push(&alone_s);
        args.extend_from_slice(flags);
        let g = msr_expose(&args);
        assert_eq!(
            g.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&g.stderr)
        );
        let files = |root: &std::path::Path| -> Vec<(String, Vec<u8>)> {
            let mut v = Vec::new();
            let mut stack = vec![root.to_path_buf()];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(&d)
                    .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
                    .filter_map(Result::ok)
                {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if !p.ends_with(".msr-expose-written") {
                        let rel = p.strip_prefix(root).expect("under").display().to_string();
                        v.push((rel, std::fs::read(&p).expect("file")));
                    }
                }
            }
            v.sort();
            v
        };
        let fleet_files = files(&out.join(name));
        let alone_files = files(&alone);
        assert_eq!(
            fleet_files.iter().map(|f| &f.0).collect::<Vec<_>>(),
            alone_files.iter().map(|f| &f.0).collect::<Vec<_>>(),
            "{name} ({why}): the same files"
        );
        for ((path, a), (_, b)) in fleet_files.iter().zip(&alone_files) {
            assert_eq!(
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b),
                "{name}/{path} ({why})"
            );
        }
    }
}

#[test]
fn fleet_generate_writes_all_or_nothing_and_keeps_edits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = every_shape(dir.path());
    let out = dir.path().join("out");
    let out_s = out.display().to_string();
    let config_s = config.display().to_string();

    // A fleet with one wrong cache writes nothing at all.
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        EVERY_SHAPE
            .replace("cache-tr1.example.com", "cache_tr1.example.com")
            .replace("CA", "/nonexistent/ca.pem"),
    )
    .expect("write");
    let b = msr_expose(&[
        "fleet",
        "generate",
        "--config",
        &broken.display().to_string(),
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(b.status.code(), Some(1));
    let err = String::from_utf8_lossy(&b.stderr);
    assert!(
        err.contains("caches[eu1].ca"),
        "the unreadable CA names the cache: {err}"
    );
    assert!(!out.exists(), "nothing written");
    std::fs::write(
        &broken,
        EVERY_SHAPE
            .replace("cache-tr1.example.com", "cache_tr1.example.com")
            .replace("  ca: CA\n", ""),
    )
    .expect("write");
    let b = msr_expose(&[
        "fleet",
        "generate",
        "--config",
        &broken.display().to_string(),
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(b.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&b.stderr).contains("caches[tr1].externalFqdn"),
        "{}",
        String::from_utf8_lossy(&b.stderr)
    );
    assert!(!out.exists(), "nothing written");

    let first = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &config_s,
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(first.status.code(), Some(0));
    let listed = String::from_utf8_lossy(&first.stdout).lines().count();
    let record = std::fs::read_to_string(out.join(".msr-expose-written")).expect("record");
    assert_eq!(
        record.lines().count(),
        listed,
        "every file printed is recorded"
    );

    let again = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &config_s,
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds this output"));

    // An edited overlay is not replaced, and nothing else is written either.
    let edited = out.join("gitops/overlays/eu1/kustomization.yaml");
    std::fs::write(&edited, "# mine\n").expect("edit");
    std::fs::write(
        &config,
        std::fs::read_to_string(&config)
            .expect("read")
            .replace("worker7", "worker8"),
    )
    .expect("change");
    let refused = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &config_s,
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("outdir.not_ours"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert_eq!(std::fs::read_to_string(&edited).expect("read"), "# mine\n");
    let us2 = std::fs::read_to_string(out.join("us2/README.md")).expect("read");
    assert!(us2.contains("worker7"), "nothing else was written");
    let forced = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--force",
        "--config",
        &config_s,
        "--out-dir",
        &out_s,
    ]);
    assert_eq!(forced.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(out.join("us2/README.md"))
            .expect("read")
            .contains("worker8")
    );
}

#[test]
fn without_a_repository_no_application_set_and_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fleet.yaml");
    std::fs::write(
        &path,
        "caches:\n  - name: eu1\n    method: traefik\n    externalFqdn: cache.example.com\n",
    )
    .expect("fleet");
    let out = dir.path().join("out");
    let o = msr_expose(&[
        "fleet",
        "generate",
        "-q",
        "--config",
        &path.display().to_string(),
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("fleet.gitops_repo_missing"));
    assert!(!out.join("gitops/argocd").exists());
    let flux = std::fs::read_to_string(out.join("gitops/flux/eu1.yaml")).expect("flux");
    assert!(flux.contains("path: ./gitops/overlays/eu1"), "{flux}");
}

#[test]
fn two_caches_behind_one_endpoint_are_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fleet.yaml");
    std::fs::write(
        &path,
        "defaults:\n  method: traefik\ncaches:\n  - name: eu1\n    externalFqdn: cache.example.com\n  - name: eu2\n    externalFqdn: cache.example.com\n    namespace: other\n",
    )
    .expect("fleet");
    let config = path.display().to_string();
    let o = msr_expose(&["fleet", "check", "--config", &config, "-o", "json"]);
    assert_eq!(o.status.code(), Some(0), "a warning, not an error");
    let r: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let eu2 = &r["caches"][1];
    assert_eq!(
        eu2["findings"]
            .as_array()
            .and_then(|a| a.last())
            .map(|f| f["code"].clone()),
        Some(Value::from("fleet.endpoint_shared"))
    );
    assert_eq!(
        r["caches"][0]["findings"]
            .as_array()
            .map(|a| a.iter().any(|f| f["code"] == "fleet.endpoint_shared")),
        Some(false),
        "said once, on the later cache"
    );
    let out = dir.path().join("out");
    let g = msr_expose(&[
        "fleet",
        "generate",
        "--config",
        &config,
        "--out-dir",
        &out.display().to_string(),
    ]);
    assert_eq!(g.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&g.stderr)
            .contains("warning[fleet.endpoint_shared] caches[eu2].externalFqdn"),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
}
