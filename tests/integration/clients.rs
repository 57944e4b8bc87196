//! The operator's path around the exposure, with real tools: the openssl
//! certificate plan msr-expose writes is run by `sh` and openssl and must
//! give material that `msr-expose check` passes for the same spec; and the
//! clients' trust files it writes let Debian's real `skopeo` (Go's
//! crypto/x509) reach the real Docker Distribution registry over verified
//! TLS — and without them skopeo refuses the unknown authority.

use super::go_reference::connect_proxy;
use msr_expose_tests::msr_expose;
use msr_expose_tests::peers::{free_port, registry};
use std::path::Path;
use std::process::Command;

/// Runs the plan for `flags` in a fresh directory; returns it.
fn run_plan(flags: &[&str], key_type: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut args = vec!["generate"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["-q", "-o", "cert-plan", "--lab-ca", "--key-type", key_type]);
    let plan = msr_expose(&args);
    assert_eq!(
        plan.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plan.stderr)
    );
    std::fs::write(dir.path().join("plan.sh"), &plan.stdout).expect("write plan");
    let sh = Command::new("sh")
        .arg("plan.sh")
        .current_dir(dir.path())
        .env("OPENSSL_CONF", "/dev/null")
        .output()
        .expect("sh runs");
    assert!(
        sh.status.success(),
        "the plan failed for {flags:?}:\n{}",
        String::from_utf8_lossy(&sh.stderr)
    );
    dir
}

fn in_dir(dir: &Path, f: &str) -> String {
    dir.join(f).display().to_string()
}

/// The longest legal host name: 253 characters.
const LONG_HOST: &str = concat!(
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.",
    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.",
    "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.",
    "ddddddddddddddddddddddddddddddddddddddddddddddddddddd.example"
);
/// A host name of exactly 64 characters: the longest CN.
const LONG_HOST_64: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com";

#[test]
fn the_certificate_plan_makes_material_check_passes() {
    assert_eq!(LONG_HOST.len(), 253);
    assert_eq!(LONG_HOST_64.len(), 64);
    // (spec flags, reason) × both key types
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--method",
                "gateway",
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "cilium",
            ],
            "a DNS name",
        ),
        (
            &[
                "--method",
                "nodeport",
                "--node-fqdn",
                "192.0.2.10",
                "--node-port",
                "30443",
            ],
            "a node address: an IP SAN",
        ),
        (
            &[
                "--method",
                "loadbalancer",
                "--external-fqdn",
                "2001:db8::50",
                "--port",
                "8443",
            ],
            "an IPv6 load balancer address",
        ),
        (
            &["--method", "traefik", "--external-fqdn", "bücher.example"],
            "an internationalised name (A-label SAN)",
        ),
        (
            &[
                "--method",
                "ingress",
                "--external-fqdn",
                "cache.example.com",
                "--ca-file",
                "certs/msr ca.pem",
            ],
            "a CA file name that needs quoting",
        ),
        (
            &["--method", "traefik", "--external-fqdn", LONG_HOST],
            "a 253-character name: longer than a CN may be, so the SAN alone (critical) and an empty subject",
        ),
        (
            &["--method", "traefik", "--external-fqdn", LONG_HOST_64],
            "a 64-character name: still a CN",
        ),
    ];
    for (flags, why) in cases {
        for key in ["p256", "rsa3072"] {
            let dir = run_plan(flags, key);
            let ca = flags
                .windows(2)
                .find(|w| w[0] == "--ca-file")
                .map_or("msr.cert.pem", |w| w[1]);
            let mut args = vec![
                "check".to_string(),
                "--cert".into(),
                in_dir(dir.path(), "cache.cert.pem"),
                "--key".into(),
                in_dir(dir.path(), "cache.key.pem"),
                "--ca".into(),
                in_dir(dir.path(), ca),
            ];
            args.extend(flags.iter().map(|s| s.to_string()));
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            let check = msr_expose(&refs);
            assert_eq!(
                check.status.code(),
                Some(0),
                "{why} ({key}): check refused the plan's material:\n{}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
}

/// A cache behind a LoadBalancer-style name on a free port: the real
/// registry serving material made by the generated plan, and the clients'
/// trust files `generate --out-dir --ca` wrote for it.
struct LabCache {
    /// `cache.example.com:<port>`, the clients' directory name.
    authority: String,
    /// The plan's material (key, certificate, lab CA); kept alive.
    _material: tempfile::TempDir,
    /// What `generate --out-dir` wrote.
    out: tempfile::TempDir,
    /// The registry; stopped when dropped.
    _cache: msr_expose_tests::peers::Peer,
}

fn lab_cache_with_client_files() -> LabCache {
    let port = free_port();
    let port_s = port.to_string();
    let spec: &[&str] = &[
        "--method",
        "loadbalancer",
        "--external-fqdn",
        "cache.example.com",
        "--port",
        &port_s,
    ];
    let material = run_plan(spec, "p256");
    let cache = registry(
        &material.path().join("cache.cert.pem"),
        &material.path().join("cache.key.pem"),
        false,
        Some(port),
    );
    let out = tempfile::tempdir().expect("tempdir");
    let ca = in_dir(material.path(), "msr.cert.pem");
    let mut args = vec![
        "generate",
        "-q",
        "--out-dir",
        out.path().to_str().expect("utf8"),
        "--ca",
        &ca,
    ];
    args.extend_from_slice(spec);
    let g = msr_expose(&args);
    assert_eq!(
        g.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&g.stderr)
    );
    LabCache {
        authority: format!("cache.example.com:{port}"),
        _material: material,
        out,
        _cache: cache,
    }
}

#[test]
fn skopeo_trusts_the_cache_through_the_generated_certs_d() {
    if Command::new("skopeo").arg("--version").output().is_err() {
        panic!("skopeo is missing: `make setup` installs it (Debian package skopeo)");
    }
    let LabCache {
        authority,
        out,
        _cache: cache,
        ..
    } = lab_cache_with_client_files();
    let certs_d = out.path().join("clients/containers/etc/containers/certs.d");
    assert!(
        certs_d.join(&authority).join("ca.crt").exists(),
        "laid out for {authority}"
    );
    assert!(
        out.path()
            .join("clients/docker/etc/docker/certs.d")
            .join(&authority)
            .join("ca.crt")
            .exists()
    );
    let hosts = std::fs::read_to_string(
        out.path()
            .join("clients/containerd/etc/containerd/certs.d")
            .join(&authority)
            .join("hosts.toml"),
    )
    .expect("hosts.toml");
    assert!(
        hosts.contains(&format!("server = \"https://{authority}\"")),
        "{hosts}"
    );

    let skopeo = |cert_dir: &Path| {
        let o = Command::new("skopeo")
            .args(["inspect", "--retry-times", "0", "--cert-dir"])
            .arg(cert_dir.join(&authority))
            .arg(format!("docker://{authority}/msr/probe:latest"))
            .env(
                "HTTPS_PROXY",
                format!("http://127.0.0.1:{}", connect_proxy()),
            )
            .env("NO_PROXY", "")
            .output()
            .expect("skopeo runs");
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    let with = skopeo(&certs_d);
    assert!(
        !with.contains("x509:") && !with.contains("tls:"),
        "verified TLS with the generated ca.crt: {with}"
    );
    assert!(
        with.contains("manifest unknown") || with.contains("not found"),
        "the registry answered: {with}"
    );
    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(empty.path().join(&authority)).expect("dir");
    let without = skopeo(empty.path());
    assert!(
        without.contains("x509: certificate signed by unknown authority"),
        "{without}"
    );
    drop(cache);
}

/// A one-layer OCI image layout (`oci-layout`, `index.json`, blobs), made
/// with tar, gzip and sha256sum; the tag is `v1`.
fn oci_layout(dir: &Path) {
    let script = r#"set -eu
mkdir -p content blobs/sha256
echo 'pulled through the MSR cache' > content/hello.txt
tar -C content -cf layer.tar hello.txt
gzip -n -9 -c layer.tar > layer.tar.gz
sha() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }
diff_id=$(sha layer.tar)
cp layer.tar.gz "blobs/sha256/$(sha layer.tar.gz)"
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"config":{}}' "$diff_id" > config.json
cp config.json "blobs/sha256/$(sha config.json)"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:%s","size":%s}]}' \
  "$(sha config.json)" "$(size config.json)" "$(sha layer.tar.gz)" "$(size layer.tar.gz)" > manifest.json
cp manifest.json "blobs/sha256/$(sha manifest.json)"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
  "$(sha manifest.json)" "$(size manifest.json)" > index.json
echo '{"imageLayoutVersion":"1.0.0"}' > oci-layout
"#;
    let o = Command::new("sh")
        .args(["-c", script])
        .current_dir(dir)
        .output()
        .expect("sh runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// containerd (Debian's), started by the test with its own root, state and
/// socket, pulls an image from the real registry through the generated
/// `hosts.toml` (`ctr images pull --hosts-dir`), and refuses without it.
#[test]
fn containerd_pulls_through_the_generated_hosts_toml() {
    let Ok(version) = Command::new("containerd").arg("--version").output() else {
        panic!("containerd is missing: `make setup` installs it (Debian package containerd)");
    };
    assert!(version.status.success());
    let LabCache {
        authority,
        out,
        _cache: cache,
        ..
    } = lab_cache_with_client_files();
    let proxy = format!("http://127.0.0.1:{}", connect_proxy());

    // An image in the registry, pushed by skopeo trusting the generated ca.crt.
    let image = tempfile::tempdir().expect("tempdir");
    oci_layout(image.path());
    let push = Command::new("skopeo")
        .args(["copy", "--retry-times", "0", "--dest-cert-dir"])
        .arg(
            out.path()
                .join("clients/containers/etc/containers/certs.d")
                .join(&authority),
        )
        .arg(format!("oci:{}:v1", image.path().display()))
        .arg(format!("docker://{authority}/msr/probe:v1"))
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "")
        .output()
        .expect("skopeo runs");
    assert!(
        push.status.success(),
        "push: {}",
        String::from_utf8_lossy(&push.stderr)
    );

    // containerd of its own.
    let ctd = tempfile::tempdir().expect("tempdir");
    let sock = ctd.path().join("containerd.sock");
    let config = ctd.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "version = 2\nroot = \"{0}/root\"\nstate = \"{0}/state\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \"{1}\"\n",
            ctd.path().display(),
            sock.display()
        ),
    )
    .expect("config");
    let mut daemon = Command::new("containerd")
        .arg("--config")
        .arg(&config)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("containerd starts");
    let start = std::time::Instant::now();
    while !sock.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let pull = |hosts_dir: &Path| {
        Command::new("ctr")
            .arg("--address")
            .arg(&sock)
            .args(["images", "pull", "--snapshotter", "native", "--hosts-dir"])
            .arg(hosts_dir)
            .arg(format!("{authority}/msr/probe:v1"))
            .env("HTTPS_PROXY", &proxy)
            .env("NO_PROXY", "")
            .output()
            .expect("ctr runs")
    };
    let empty = tempfile::tempdir().expect("tempdir");
    let refused = pull(empty.path());
    let with = pull(&out.path().join("clients/containerd/etc/containerd/certs.d"));
    let _ = daemon.kill();
    let _ = daemon.wait();
    drop(cache);
    let refused_err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && refused_err.contains("x509"),
        "without hosts.toml: {refused_err}"
    );
    assert!(
        with.status.success(),
        "ctr pull with the generated hosts.toml:\n{}{}",
        String::from_utf8_lossy(&with.stdout),
        String::from_utf8_lossy(&with.stderr)
    );
}

/// The containerd snippets and k0s drop-ins, by the node's containerd.
/// Debian's containerd (1.6: the 1.x format) is the real reader here: given
/// a configuration that imports a generated file, as k0s' managed
/// configuration imports `/etc/k0s/containerd.d/*.toml` and a node's
/// config.toml may import `conf.d/*.toml`, `containerd config dump` shows
/// `config_path` set to the one directory of the generated hosts.toml and
/// ca.crt — and shows the 2.x-format file ignored, which is why a node takes
/// only its own line's file. The 2.x format cannot be read back here (no
/// containerd 2.x in Debian 12): it is checked as TOML by Python's tomllib
/// against containerd 2.x's configuration version 3 and CRI images plugin
/// (`io.containerd.cri.v1.images`), which is as far as this machine goes.
#[test]
fn containerd_reads_the_snippet_of_its_own_line() {
    let ca = std::fs::read_to_string(crate::certs::fixtures().join("root.pem")).expect("root.pem");
    // (spec lines, runtime dir, whether containerd 1.x applies it, reason)
    let cases: &[(&str, &str, bool, &str)] = &[
        (
            "containerdVersion: '1.7'\n",
            "containerd",
            true,
            "a containerd 1.7 node's snippet",
        ),
        (
            "platform: mke4k\n",
            "k0s",
            true,
            "MKE 4k 4.1's k0s drop-in (k0s before 1.36)",
        ),
        ("k0sVersion: '1.35'\n", "k0s", true, "k0s 1.35's drop-in"),
        (
            "",
            "containerd-1.x",
            true,
            "no version given: the 1.x file of the two",
        ),
        (
            "containerdVersion: '2.2'\n",
            "containerd",
            false,
            "a 2.x file: containerd 1.x ignores it",
        ),
        (
            "k0sVersion: '1.36'\n",
            "k0s",
            false,
            "k0s 1.36's drop-in: containerd 2.3's format",
        ),
        (
            "",
            "k0s-1.36-and-later",
            false,
            "no version given: the 2.x file of the two",
        ),
    ];
    for (extra, runtime, applied, why) in cases {
        let spec = msr_expose_core::Spec::from_text(&format!(
            "method: istio\nexternalFqdn: cache.example.com\n{extra}"
        ))
        .expect("spec");
        let valid = msr_expose_core::validate(&spec).0.expect("valid");
        let files = msr_expose_core::clients::files(&valid, &ca).expect("files");
        let file = files
            .iter()
            .find(|f| f.runtime == *runtime && f.node_path.ends_with("msr-expose-certs-d.toml"))
            .unwrap_or_else(|| panic!("{why}: no {runtime} file"));
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().join("conf.d");
        std::fs::create_dir(&d).expect("mkdir");
        std::fs::write(d.join("msr-expose-certs-d.toml"), &file.content).expect("file");
        let config = dir.path().join("config.toml");
        std::fs::write(
            &config,
            format!(
                "# k0s_managed=true\nversion = 2\nimports = [\"{}/*.toml\"]\nroot = \"{1}/root\"\nstate = \"{1}/state\"\n",
                d.display(),
                dir.path().display()
            ),
        )
        .expect("config");
        let dump = Command::new("containerd")
            .arg("--config")
            .arg(&config)
            .args(["config", "dump"])
            .output()
            .expect("containerd runs (make setup installs it)");
        let text = String::from_utf8_lossy(&dump.stdout);
        assert!(
            dump.status.success(),
            "{why}: {}",
            String::from_utf8_lossy(&dump.stderr)
        );
        assert_eq!(
            text.contains(r#"config_path = "/etc/containerd/certs.d""#),
            *applied,
            "{why}: the merged configuration:\n{text}"
        );
        if !applied {
            // containerd 2.x's format, read as TOML by another parser.
            let check = Command::new("python3")
                .arg("-c")
                .arg(
                    "import sys, tomllib\n\
                     c = tomllib.loads(sys.stdin.read())\n\
                     assert c['version'] == 3, c\n\
                     assert c['plugins']['io.containerd.cri.v1.images']['registry']['config_path'] == '/etc/containerd/certs.d', c\n\
                     assert set(c) == {'version', 'plugins'} and set(c['plugins']) == {'io.containerd.cri.v1.images'}, c\n",
                )
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    c.stdin.take().expect("stdin").write_all(file.content.as_bytes())?;
                    c.wait_with_output()
                })
                .expect("python3");
            assert!(
                check.status.success(),
                "{why}: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
}
