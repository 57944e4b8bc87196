//! `msr-expose fleet verify` against real peers on 127.0.0.1: Docker
//! Distribution registries with different certificates and CAs (an RSA
//! chain, an ECDSA chain), and for each stage of the walk one cache broken
//! on purpose in that stage's way — a name that does not resolve, a closed
//! port, a listener that never speaks TLS, a certificate for another name,
//! nginx answering 404, nginx answering a page that is no catalog — and a
//! cache whose endpoint is not known. Each row must name its cache and the
//! stage it failed at.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose;
use msr_expose_tests::peers::{free_port, nginx, registry, silent, wait_port};
use serde_json::Value;
use std::time::{Duration, Instant};

fn p(f: &str) -> String {
    fixtures().join(f).display().to_string()
}

/// A NodePort cache at `host:port`, trusting `ca` (none: the system store).
fn cache(name: &str, host: &str, port: Option<u16>, ca: Option<&str>) -> String {
    let mut s = format!("  - name: {name}\n    nodeFqdn: {host}\n");
    if let Some(port) = port {
        s.push_str(&format!("    nodePort: {port}\n"));
    }
    if let Some(ca) = ca {
        s.push_str(&format!("    ca: {}\n", p(ca)));
    }
    s
}

/// Writes the fleet (NodePort caches; the test's ports are outside the
/// cluster's usual node port range, so the range is widened).
fn fleet(dir: &std::path::Path, caches: &[String]) -> String {
    let text = format!(
        "defaults:\n  method: nodeport\n  nodePortRange: 1024-65535\ncaches:\n{}",
        caches.concat()
    );
    let path = dir.join("fleet.yaml");
    std::fs::write(&path, text).expect("fleet file");
    path.display().to_string()
}

fn rows(v: &Value) -> Vec<(String, bool, String)> {
    v["caches"]
        .as_array()
        .expect("caches")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap_or_default().to_string(),
                r["ok"].as_bool().unwrap_or_default(),
                r["failedStage"].as_str().unwrap_or("none").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_stage_s_failure_is_named_with_its_cache() {
    let rsa = registry(
        fixtures().join("chain.pem").as_path(),
        fixtures().join("leaf.key").as_path(),
        false,
        None,
    );
    let ec = registry(
        fixtures().join("ec-chain.pem").as_path(),
        fixtures().join("ec-leaf.key").as_path(),
        false,
        None,
    );
    // A registry with a certificate for cache.example.com only.
    let other = registry(
        fixtures().join("ingress-chain.pem").as_path(),
        fixtures().join("leaf2.key").as_path(),
        false,
        None,
    );
    let (p404, phtml) = (free_port(), free_port());
    let (cert, key) = (p("chain.pem"), p("leaf.key"));
    let http = format!(
        "server {{ listen 127.0.0.1:{p404} ssl; ssl_certificate {cert}; ssl_certificate_key {key}; location / {{ return 404; }} }}\n\
         server {{ listen 127.0.0.1:{phtml} ssl; ssl_certificate {cert}; ssl_certificate_key {key}; location / {{ default_type text/html; return 200 '<html>welcome to nginx</html>'; }} }}"
    );
    let _nginx = nginx(&http, "", p404);
    wait_port(phtml, "nginx");
    let quiet = silent();
    let closed = free_port();

    let dir = tempfile::tempdir().expect("tempdir");
    let w = "worker1.example.com";
    // (cache, ok, stage it fails at, reason)
    let table: [(&str, String, bool, &str, &str); 9] = [
        (
            "rsa",
            cache("rsa", w, Some(rsa.port), Some("root.pem")),
            true,
            "none",
            "an RSA chain, its root as the cache's CA",
        ),
        (
            "ec",
            cache(
                "ec",
                "cache.example.com",
                Some(ec.port),
                Some("ec-root.pem"),
            ),
            true,
            "none",
            "an ECDSA chain, another CA",
        ),
        (
            "nx",
            cache("nx", "no-such-host.invalid", Some(closed), Some("root.pem")),
            false,
            "resolve",
            "a name that does not resolve",
        ),
        (
            "closed",
            cache("closed", w, Some(closed), Some("root.pem")),
            false,
            "connect",
            "nothing listens",
        ),
        (
            "mute",
            cache("mute", w, Some(quiet.port), Some("root.pem")),
            false,
            "tls",
            "accepts, never answers the handshake",
        ),
        (
            "name",
            cache("name", w, Some(other.port), Some("root.pem")),
            false,
            "certificate",
            "the registry's certificate names cache.example.com only",
        ),
        (
            "e404",
            cache("e404", w, Some(p404), Some("root.pem")),
            false,
            "http",
            "a TLS server without the registry API",
        ),
        (
            "html",
            cache("html", w, Some(phtml), Some("root.pem")),
            false,
            "catalog",
            "200 with a page that is no catalog",
        ),
        (
            "nport",
            cache("nport", w, None, Some("root.pem")),
            false,
            "input",
            "the node port is the cluster's to pick: no endpoint",
        ),
    ];
    let caches: Vec<String> = table.iter().map(|t| t.1.clone()).collect();
    let config = fleet(dir.path(), &caches);
    let resolve: Vec<String> = [rsa.port, other.port, quiet.port, p404, phtml, closed]
        .iter()
        .map(|port| format!("--resolve={w}:{port}:127.0.0.1"))
        .chain([format!("--resolve=cache.example.com:{}:127.0.0.1", ec.port)])
        .collect();
    let mut args = vec![
        "fleet",
        "verify",
        "--config",
        &config,
        "--timeout",
        "3s",
        "-o",
        "json",
    ];
    args.extend(resolve.iter().map(String::as_str));
    let o = msr_expose(&args);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["ok"], false);
    let got = rows(&v);
    assert_eq!(
        got.len(),
        table.len(),
        "a row per cache, in the fleet's order"
    );
    for ((name, _, ok, stage, why), (g_name, g_ok, g_stage)) in table.iter().zip(&got) {
        assert_eq!(
            (g_name.as_str(), *g_ok, g_stage.as_str()),
            (*name, *ok, *stage),
            "{name}: {why}"
        );
    }
    // Every failing row's findings name their cache.
    for r in v["caches"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["ok"] == false)
    {
        let name = r["name"].as_str().unwrap_or_default();
        let first = &r["findings"][0];
        assert!(
            first["field"]
                .as_str()
                .is_some_and(|f| f.starts_with(&format!("caches[{name}]"))),
            "{name}: {first}"
        );
        assert_eq!(first["severity"], "error", "{name}: the error first");
    }

    // The table says the same in words and names the failed caches last.
    let mut args = vec!["fleet", "verify", "--config", &config, "--timeout", "3s"];
    args.extend(resolve.iter().map(String::as_str));
    let t = msr_expose(&args);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.starts_with("cache "), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("mute") && l.ends_with("FAILED at tls")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("rsa") && l.ends_with("ok")),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("7 of 9 caches failed: nx, closed, mute, name, e404, html, nport"),
        "{text}"
    );
    assert!(
        t.stderr.is_empty(),
        "no progress line when stderr is no terminal: {}",
        String::from_utf8_lossy(&t.stderr)
    );

    // A fleet of the good ones passes.
    let good = fleet(dir.path(), &caches[..2]);
    let mut args = vec!["fleet", "verify", "--config", &good, "-o", "json"];
    args.extend(resolve.iter().map(String::as_str));
    let o = msr_expose(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn walks_run_side_by_side_and_each_is_bounded_by_the_timeout() {
    let quiet = silent();
    let dir = tempfile::tempdir().expect("tempdir");
    let w = "worker1.example.com";
    let caches: Vec<String> = (0..4)
        .map(|i| cache(&format!("mute{i}"), w, Some(quiet.port), Some("root.pem")))
        .collect();
    let config = fleet(dir.path(), &caches);
    let resolve = format!("--resolve={w}:{}:127.0.0.1", quiet.port);
    let run = |concurrency: &str| {
        let started = Instant::now();
        let o = msr_expose(&[
            "fleet",
            "verify",
            "--config",
            &config,
            "--timeout",
            "1s",
            "--concurrency",
            concurrency,
            "-o",
            "json",
            &resolve,
        ]);
        let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert!(rows(&v).iter().all(|r| r.2 == "tls"), "{v:#}");
        started.elapsed()
    };
    // One at a time, the four timeouts follow each other; four at a time,
    // they overlap.
    let one = run("1");
    assert!(one >= Duration::from_secs(4), "sequential: {one:?}");
    let four = run("4");
    assert!(four < Duration::from_secs(3), "side by side: {four:?}");

    // On a terminal (util-linux's `script` gives it one) a progress line
    // counts the walks as they finish, and is cleared before the table.
    let bin = msr_expose_tests::msr_expose_bin().display().to_string();
    let command = format!(
        "{bin} fleet verify --config {config} --timeout 1s --concurrency 4 {resolve} > /dev/null"
    );
    let pty = msr_expose_tests::tool(
        "script",
        &["-qec", &command, "/dev/null"],
        "script comes with util-linux",
    );
    let seen = String::from_utf8_lossy(&pty.stdout);
    for n in 1..=4 {
        assert!(
            seen.contains(&format!("\r\x1b[2Kverified {n}/4: 0 ok, {n} failed")),
            "{seen:?}"
        );
    }
    assert!(seen.ends_with("\r\x1b[2K"), "cleared: {seen:?}");

    let refused = msr_expose(&["fleet", "verify", "--config", &config, "--concurrency", "0"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}
