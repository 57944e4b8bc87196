//! `msr-expose verify` against real peers: the Docker Distribution registry
//! serving TLS on 127.0.0.1 with certificates made by openssl, nginx routing
//! by SNI (`ssl_preread`) in front of it as an ingress controller passes TLS
//! through, and nginx TLS servers for the HTTP failure stages. Each failure
//! stage asserts its code and the exit status.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose;
use msr_expose_tests::peers::{Peer, free_port, nginx, registry, silent};
use serde_json::Value;

fn p(f: &str) -> String {
    fixtures().join(f).display().to_string()
}

/// Runs verify with -o json; returns (exit code, report).
fn verify(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["verify", "-o", "json"];
    all.extend_from_slice(args);
    let o = msr_expose(&all);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "verify printed no JSON (exit {:?}): {}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (o.status.code().unwrap_or(-1), v)
}

fn codes(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|f| f["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn failed_stage(v: &Value) -> String {
    v["stages"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["ok"] == false))
        .and_then(|s| s["name"].as_str())
        .unwrap_or("none")
        .to_string()
}

/// A registry of its own for a test (stopped when dropped): leaf for
/// worker1/cache.example.com with its intermediate.
fn good_registry() -> Peer {
    registry(
        fixtures().join("chain.pem").as_path(),
        fixtures().join("leaf.key").as_path(),
        false,
        None,
    )
}

#[test]
fn nodeport_endpoint_passes_every_stage() {
    let reg = good_registry();
    let port = reg.port;
    let url = format!("https://worker1.example.com:{port}");
    let resolve = format!("worker1.example.com:{port}:127.0.0.1");
    let (code, v) = verify(&["--url", &url, "--ca", &p("root.pem"), "--resolve", &resolve]);
    assert_eq!(code, 0, "{v:#}");
    let names: Vec<&str> = v["stages"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "resolve",
            "connect",
            "tls",
            "certificate",
            "http",
            "catalog"
        ]
    );
    assert_eq!(v["repositories"], serde_json::json!([]));
    assert!(v["stages"][0]["ms"].is_number(), "each stage is timed");
}

#[test]
fn spec_flags_give_the_endpoint() {
    let reg = good_registry();
    let port = reg.port;
    let resolve = format!("worker1.example.com:{port}:127.0.0.1");
    let (code, v) = verify(&[
        "--node-fqdn",
        "worker1.example.com",
        "--node-port",
        &port.to_string(),
        "--node-port-range",
        "1024-65535",
        "--ca",
        &p("root.pem"),
        "--resolve",
        &resolve,
    ]);
    assert_eq!(code, 0, "{v:#}");
    let o = msr_expose(&[
        "verify",
        "--node-fqdn",
        "worker1.example.com",
        "--ca",
        &p("root.pem"),
    ]);
    // An allocated node port is not in the spec: a finding (exit 1, as
    // every input problem), naming the flag that gives it.
    assert_eq!(
        o.status.code(),
        Some(1),
        "an allocated node port must be given"
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("verify.node_port_unknown") && stderr.contains("--node-port"),
        "{stderr}"
    );
}

#[test]
fn unknown_ca() {
    let reg = good_registry();
    let port = reg.port;
    let (code, v) = verify(&[
        "--url",
        &format!("https://worker1.example.com:{port}"),
        "--ca",
        &p("other-root.pem"),
        "--resolve",
        &format!("worker1.example.com:{port}:127.0.0.1"),
    ]);
    assert_eq!(
        (code, failed_stage(&v).as_str()),
        (1, "certificate"),
        "{v:#}"
    );
    assert!(codes(&v).contains(&"verify.certificate".to_string()));
    assert!(
        codes(&v).contains(&"chain.issuer_missing".to_string()),
        "the chain leads to a root the given CA is not: {:?}",
        codes(&v)
    );
}

#[test]
fn name_not_in_the_certificate() {
    let reg = good_registry();
    let port = reg.port;
    let (code, v) = verify(&[
        "--url",
        &format!("https://worker2.example.com:{port}"),
        "--ca",
        &p("root.pem"),
        "--resolve",
        &format!("worker2.example.com:{port}:127.0.0.1"),
    ]);
    assert_eq!(
        (code, failed_stage(&v).as_str()),
        (1, "certificate"),
        "{v:#}"
    );
    assert!(
        codes(&v).contains(&"cert.name_mismatch".to_string()),
        "{:?}",
        codes(&v)
    );
}

#[test]
fn expired_certificate() {
    let peer = registry(
        fixtures().join("expired-chain.pem").as_path(),
        fixtures().join("leaf2.key").as_path(),
        false,
        None,
    );
    let (code, v) = verify(&[
        "--url",
        &format!("https://cache.example.com:{}", peer.port),
        "--ca",
        &p("root.pem"),
        "--resolve",
        &format!("cache.example.com:{}:127.0.0.1", peer.port),
    ]);
    assert_eq!(
        (code, failed_stage(&v).as_str()),
        (1, "certificate"),
        "{v:#}"
    );
    assert!(
        codes(&v).contains(&"cert.expired".to_string()),
        "{:?}",
        codes(&v)
    );
}

#[test]
fn closed_port() {
    let port = free_port();
    let (code, v) = verify(&[
        "--url",
        &format!("https://127.0.0.1:{port}"),
        "--ca",
        &p("root.pem"),
    ]);
    assert_eq!((code, failed_stage(&v).as_str()), (1, "connect"), "{v:#}");
    assert_eq!(codes(&v), ["verify.connect"]);
}

#[test]
fn unresolvable_name() {
    let (code, v) = verify(&[
        "--url",
        "https://no-such-host.invalid:443",
        "--ca",
        &p("root.pem"),
        "--timeout",
        "5s",
    ]);
    assert_eq!((code, failed_stage(&v).as_str()), (1, "resolve"), "{v:#}");
    assert_eq!(codes(&v), ["verify.resolve"]);
}

#[test]
fn silent_listener_is_bounded_by_the_timeout() {
    let s = silent();
    let started = std::time::Instant::now();
    let (code, v) = verify(&[
        "--url",
        &format!("https://127.0.0.1:{}", s.port),
        "--ca",
        &p("root.pem"),
        "--timeout",
        "1s",
    ]);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "bounded"
    );
    assert_eq!((code, failed_stage(&v).as_str()), (1, "tls"), "{v:#}");
    assert_eq!(codes(&v), ["verify.timeout"]);
}

#[test]
fn http_failures_404_not_catalog_401() {
    let (p404, phtml) = (free_port(), free_port());
    let (cert, key) = (p("chain.pem"), p("leaf.key"));
    let http = format!(
        "server {{ listen 127.0.0.1:{p404} ssl; ssl_certificate {cert}; ssl_certificate_key {key}; location / {{ return 404; }} }}\n\
         server {{ listen 127.0.0.1:{phtml} ssl; ssl_certificate {cert}; ssl_certificate_key {key}; location / {{ default_type text/html; return 200 '<html>welcome to nginx</html>'; }} }}"
    );
    let _nginx = nginx(&http, "", p404);
    msr_expose_tests::peers::wait_port(phtml, "nginx");
    let args = |port: u16| {
        (
            format!("https://worker1.example.com:{port}"),
            format!("worker1.example.com:{port}:127.0.0.1"),
        )
    };
    let (u, r) = args(p404);
    let (code, v) = verify(&["--url", &u, "--ca", &p("root.pem"), "--resolve", &r]);
    assert_eq!((code, failed_stage(&v).as_str()), (1, "http"), "{v:#}");
    assert_eq!(codes(&v), ["verify.status"]);
    let (u, r) = args(phtml);
    let (code, v) = verify(&["--url", &u, "--ca", &p("root.pem"), "--resolve", &r]);
    assert_eq!((code, failed_stage(&v).as_str()), (1, "catalog"), "{v:#}");
    assert_eq!(codes(&v), ["verify.not_catalog"]);

    let auth = registry(
        fixtures().join("chain.pem").as_path(),
        fixtures().join("leaf.key").as_path(),
        true,
        None,
    );
    let (u, r) = args(auth.port);
    let (code, v) = verify(&["--url", &u, "--ca", &p("root.pem"), "--resolve", &r]);
    assert_eq!((code, failed_stage(&v).as_str()), (1, "http"), "{v:#}");
    assert_eq!(codes(&v), ["verify.unauthorized"]);
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("realm")
    );
}

/// The Ingress path: nginx's stream module routes by SNI (ssl_preread) to
/// the registry without terminating TLS, as ingress-nginx does with
/// ssl-passthrough; other names go to a default route with another certificate.
#[test]
fn ingress_passthrough_by_sni() {
    let registry_peer = good_registry();
    let reg = registry_peer.port;
    let (sni_port, default_port) = (free_port(), free_port());
    let http = format!(
        "server {{ listen 127.0.0.1:{default_port} ssl; ssl_certificate {}; ssl_certificate_key {}; location / {{ return 404; }} }}",
        p("selfsigned.pem"),
        p("leaf2.key")
    );
    let stream = format!(
        "map $ssl_preread_server_name $backend {{ cache.example.com 127.0.0.1:{reg}; default 127.0.0.1:{default_port}; }}\n\
         server {{ listen 127.0.0.1:{sni_port}; ssl_preread on; proxy_pass $backend; }}"
    );
    let _nginx = nginx(&http, &stream, sni_port);
    msr_expose_tests::peers::wait_port(default_port, "nginx");
    let (code, v) = verify(&[
        "--external-fqdn",
        "cache.example.com",
        "--ca",
        &p("root.pem"),
        "--url",
        &format!("https://cache.example.com:{sni_port}"),
        "--resolve",
        &format!("cache.example.com:{sni_port}:127.0.0.1"),
    ]);
    assert_eq!(code, 0, "passthrough by SNI reaches the cache: {v:#}");
    // Another name lands on the default route, whose certificate is not the cache's.
    let (code, v) = verify(&[
        "--url",
        &format!("https://other.example.com:{sni_port}"),
        "--ca",
        &p("root.pem"),
        "--resolve",
        &format!("other.example.com:{sni_port}:127.0.0.1"),
    ]);
    assert_eq!(
        (code, failed_stage(&v).as_str()),
        (1, "certificate"),
        "{v:#}"
    );
}

#[test]
fn text_output_and_usage_errors() {
    let reg = good_registry();
    let port = reg.port;
    let o = msr_expose(&[
        "verify",
        "--url",
        &format!("https://worker1.example.com:{port}"),
        "--ca",
        &p("root.pem"),
        "--resolve",
        &format!("worker1.example.com:{port}:127.0.0.1"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("catalog"), "{text}");
    assert_eq!(
        msr_expose(&["verify", "--url", "http://cache.example.com"])
            .status
            .code(),
        Some(2),
        "plain http"
    );
    assert_eq!(
        msr_expose(&[
            "verify",
            "--url",
            "https://x.example.com",
            "--timeout",
            "soon"
        ])
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        msr_expose(&["verify", "--url", "https://x.example.com", "--resolve", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        msr_expose(&["verify", "--url", "https://x.example.com", "--insecure"])
            .status
            .code(),
        Some(2),
        "no insecure mode exists"
    );
    // A spec with errors is input with errors, as in generate: exit 1, its
    // findings on stderr, nothing on stdout, no connection attempted.
    let bad = msr_expose(&[
        "verify",
        "--method",
        "ingress",
        "--external-fqdn",
        "cache..example.com",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&bad.stdout), "");
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("error[fqdn.") && said.contains("externalFqdn"),
        "{said}"
    );
}
