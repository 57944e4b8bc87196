//! `msr-expose fleet up` against several SIMULATED Kubernetes API servers
//! (tests/sim_kube.rs; no real one can run here), one per site, reached
//! through one kubeconfig with a context per site, the SIMULATED MSR API
//! server (tests/sim_msr.rs) behind nginx for TLS, and the real Docker
//! Distribution registry as every verified cache. One cache's failure must
//! not stop the others, and each row must say what was applied on its
//! cluster and where it stopped.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose_bin;
use msr_expose_tests::peers::{free_port, nginx, registry};
use msr_expose_tests::sim_kube::SimKube;
use msr_expose_tests::sim_msr::SimMsr;
use serde_json::Value;
use std::process::{Command, Output};

fn p(f: &str) -> String {
    fixtures().join(f).display().to_string()
}

/// One kubeconfig with a context per simulated site (`<name>-admin`).
fn kubeconfig(dir: &std::path::Path, sites: &[(&str, &SimKube)]) -> std::path::PathBuf {
    let mut clusters = String::new();
    let mut contexts = String::new();
    for (name, sim) in sites {
        clusters.push_str(&format!(
            "- name: {name}\n  cluster:\n    server: http://127.0.0.1:{}\n",
            sim.port
        ));
        contexts.push_str(&format!(
            "- name: {name}-admin\n  context:\n    cluster: {name}\n    user: sim\n"
        ));
    }
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n{clusters}users:\n- name: sim\n  user:\n    token: simulated\ncontexts:\n{contexts}current-context: {}-admin\n",
        sites[0].0
    );
    let path = dir.join("kubeconfig");
    std::fs::write(&path, text).expect("kubeconfig");
    path
}

fn run(args: &[&str], secret: &str) -> Output {
    Command::new(msr_expose_bin())
        .args(args)
        .env("MSR_PASSWORD", secret)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run msr-expose: {e}"))
}

fn row<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["caches"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["name"] == name))
        .unwrap_or_else(|| panic!("no row {name}: {v:#}"))
}

#[test]
fn every_cache_in_its_own_context_and_one_failure_stops_no_other() {
    let reg = registry(
        fixtures().join("chain.pem").as_path(),
        fixtures().join("leaf.key").as_path(),
        false,
        None,
    );
    // Four sites: eu1 and us1 reach the registry through their node port;
    // ap1's allocated port has nothing behind it; sa1 lacks the namespace.
    let (eu1, us1, ap1, sa1) = (
        SimKube::start(),
        SimKube::start(),
        SimKube::start(),
        SimKube::start(),
    );
    let closed = free_port();
    for (sim, port) in [(&eu1, reg.port), (&us1, reg.port), (&ap1, closed)] {
        sim.state
            .lock()
            .map(|mut s| s.faults.next_node_port = port)
            .ok();
    }
    let secret = "fleet-s3cret-do-not-print";
    let msr = SimMsr::start("admin", secret);
    let tls_port = free_port();
    let _front = nginx(
        &format!(
            "server {{ listen 127.0.0.1:{tls_port} ssl; ssl_certificate {}; ssl_certificate_key {}; location / {{ proxy_pass http://127.0.0.1:{}; }} }}",
            p("msr-chain.pem"),
            p("leaf2.key"),
            msr.port
        ),
        "",
        tls_port,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let kc = kubeconfig(
        dir.path(),
        &[("eu1", &eu1), ("us1", &us1), ("ap1", &ap1), ("sa1", &sa1)],
    );
    let fleet = format!(
        "defaults:\n  method: nodeport\n  nodeFqdn: worker1.example.com\n  ca: {ca}\ncaches:\n\
         \x20 - name: eu1\n    context: eu1-admin\n\
         \x20 - name: us1\n    context: us1-admin\n    msrName: cache-us-east\n    nodeFqdn: cache.example.com\n\
         \x20 - name: ap1\n    context: ap1-admin\n\
         \x20 - name: sa1\n    context: sa1-admin\n    namespace: registry\n\
         \x20 - name: xx1\n    context: nowhere-admin\n\
         \x20 - name: bad\n    context: eu1-admin\n    nodeFqdn: bad_name.example.com\n",
        ca = p("root.pem")
    );
    let config = dir.path().join("fleet.yaml");
    std::fs::write(&config, fleet).expect("fleet");
    let resolve = format!("--resolve=worker1.example.com:{}:127.0.0.1", reg.port);
    let resolve_closed = format!("--resolve=worker1.example.com:{closed}:127.0.0.1");
    // us1's own name for the same registry (the chain names both): MSR
    // knows a cache by its host, so two caches never share one.
    let resolve_us1 = format!("--resolve=cache.example.com:{}:127.0.0.1", reg.port);
    let msr_url = format!("https://localhost:{tls_port}");
    let (config_s, kc_s, ca) = (
        config.display().to_string(),
        kc.display().to_string(),
        p("root.pem"),
    );
    let args = [
        "fleet",
        "up",
        "--config",
        &config_s,
        "--kubeconfig",
        &kc_s,
        &resolve,
        &resolve_closed,
        &resolve_us1,
        "--timeout",
        "5s",
        "--register",
        "--msr-url",
        &msr_url,
        "--msr-ca",
        &ca,
        "--msr-user",
        "admin",
    ];
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let o = run(&json_args, secret);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");

    // (cache, ok, stopped at, applied, reason)
    let table = [
        (
            "eu1",
            true,
            None,
            "Service/msr/msr-cache created",
            "applied, verified, registered",
        ),
        (
            "us1",
            true,
            None,
            "Service/msr/msr-cache created",
            "its own cluster, its own MSR name",
        ),
        (
            "ap1",
            false,
            Some("verify"),
            "Service/msr/msr-cache created",
            "applied; nothing behind its port",
        ),
        (
            "sa1",
            false,
            Some("apply"),
            "nothing",
            "its namespace does not exist there",
        ),
        (
            "xx1",
            false,
            Some("apply"),
            "nothing",
            "its context is not in the kubeconfig",
        ),
        (
            "bad",
            false,
            Some("input"),
            "nothing",
            "its spec has an error",
        ),
    ];
    for (name, ok, stopped, applied, why) in table {
        let r = row(&v, name);
        assert_eq!(r["ok"], ok, "{name}: {why}: {r:#}");
        assert_eq!(r["stoppedAt"].as_str(), stopped, "{name}: {why}");
        assert_eq!(r["applied"], applied, "{name}: {why}");
        if !ok {
            assert!(
                r["findings"][0]["field"]
                    .as_str()
                    .is_some_and(|f| f.starts_with(&format!("caches[{name}]"))),
                "{name}: the finding names the cache: {r:#}"
            );
        }
    }
    assert_eq!(
        row(&v, "xx1")["findings"][0]["code"],
        "fleet.context_unusable"
    );
    assert_eq!(
        row(&v, "sa1")["findings"][0]["code"],
        "cluster.namespace_missing"
    );
    assert_eq!(
        row(&v, "bad")["findings"][0]["field"],
        "caches[bad].nodeFqdn"
    );

    // Each site's API server holds its own cache's Service; sa1's holds nothing.
    for (name, sim) in [("eu1", &eu1), ("us1", &us1), ("ap1", &ap1)] {
        assert!(
            sim.get("services", "msr", "msr-cache").is_some(),
            "{name} applied on its own cluster"
        );
    }
    assert!(
        sa1.requests().iter().all(|q| q.method == "GET"),
        "nothing was written to sa1"
    );
    // The input error applied nothing on eu1's cluster beyond eu1's own Service.
    assert_eq!(
        eu1.requests()
            .iter()
            .filter(|q| q.method == "PATCH")
            .count(),
        1
    );

    // MSR knows the two verified caches, each under its own name.
    let url = format!("https://worker1.example.com:{}", reg.port);
    let mut names: Vec<(String, String)> = msr
        .caches
        .lock()
        .map(|c| c.clone())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let text = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            (text("name"), text("host"))
        })
        .collect();
    // The caches come up side by side: MSR hears of them in any order.
    names.sort();
    assert_eq!(
        names,
        vec![
            (
                "cache-us-east".to_string(),
                format!("https://cache.example.com:{}", reg.port)
            ),
            ("eu1".to_string(), url.clone())
        ],
        "only the verified caches are registered, each under its own name (us1's msrName, eu1's fleet name)"
    );
    assert!(
        !String::from_utf8_lossy(&o.stdout).contains(secret),
        "the secret is never printed"
    );

    // Again, as text: unchanged on the clusters, already registered, the same stops.
    let t = run(&args, secret);
    assert_eq!(t.status.code(), Some(1));
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.starts_with("cache "), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with("eu1 ")
            && l.contains("unchanged")
            && l.ends_with("ok, already registered")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("sa1 ") && l.ends_with("STOPPED at apply")),
        "{text}"
    );
    assert!(
        text.trim_end().ends_with("applied on 3 of 6 caches; 4 stopped: ap1 (verify), sa1 (apply), xx1 (apply), bad (input)"),
        "{text}"
    );
    assert_eq!(
        msr.caches.lock().map(|c| c.len()).unwrap_or_default(),
        2,
        "registration is idempotent"
    );
}
