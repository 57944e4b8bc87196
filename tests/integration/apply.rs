//! `msr-expose apply` and `up` against the SIMULATED Kubernetes API server
//! (tests/sim_kube.rs; no real one can run here), and `up` end to end with
//! verify hitting the real Docker Distribution registry.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose_bin;
use msr_expose_tests::peers::registry;
use msr_expose_tests::sim_kube::SimKube;
use serde_json::{Value, json};
use std::process::{Command, Output};

fn run(sim: &SimKube, args: &[&str]) -> Output {
    let kc = sim.kubeconfig();
    Command::new(msr_expose_bin())
        .args(args)
        .arg("--kubeconfig")
        .arg(&kc)
        .env_remove("KUBECONFIG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run msr-expose: {e}"))
}

fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!(
            "no JSON (exit {:?}): {}{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const NODEPORT: &[&str] = &["apply", "--node-fqdn", "worker1.example.com", "-o", "json"];
const INGRESS: &[&str] = &[
    "apply",
    "--external-fqdn",
    "cache.example.com",
    "-o",
    "json",
    "--timeout",
    "10s",
];

#[test]
fn server_side_apply_then_idempotent_reapply() {
    let sim = SimKube::start();
    let first = run(&sim, NODEPORT);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let r = json_of(&first);
    assert_eq!(r["result"], "created");
    assert_eq!(
        r["nodePort"], 30500,
        "allocated by the (simulated) API server"
    );
    assert_eq!(r["endpoint"], "https://worker1.example.com:30500");

    let patch = sim
        .requests()
        .into_iter()
        .find(|q| q.method == "PATCH")
        .expect("an apply request");
    assert_eq!(patch.path, "/api/v1/namespaces/msr/services/msr-cache");
    assert_eq!(patch.content_type, "application/apply-patch+yaml");
    assert!(
        patch.query.contains("fieldManager=msr-expose"),
        "{}",
        patch.query
    );
    let stored = sim.get("services", "msr", "msr-cache").expect("stored");
    assert_eq!(stored["spec"]["type"], "NodePort");
    assert_eq!(stored["spec"]["selector"], json!({ "app": "msr-cache" }));

    let again = run(&sim, NODEPORT);
    assert_eq!(
        json_of(&again)["result"],
        "unchanged",
        "re-applying the same spec changes nothing"
    );
    assert_eq!(
        json_of(&again)["nodePort"],
        30500,
        "the allocated port is kept"
    );
}

#[test]
fn a_second_interface_is_refused_and_replace_only_removes_what_msr_expose_manages() {
    let sim = SimKube::start();
    sim.seed(
        "services",
        json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "hand-made", "namespace": "msr" },
                "spec": { "type": "NodePort", "selector": { "app": "msr-cache" }, "ports": [{ "port": 443, "nodePort": 31000 }] } }),
        "kubectl",
    );
    let refused = run(&sim, INGRESS);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("Service/msr/hand-made"),
        "{}",
        stderr(&refused)
    );
    let mut replace = INGRESS.to_vec();
    replace.push("--replace");
    let still = run(&sim, &replace);
    assert_eq!(
        still.status.code(),
        Some(1),
        "not managed by msr-expose: kept"
    );
    assert!(
        stderr(&still).contains("managed by someone else"),
        "{}",
        stderr(&still)
    );
    assert!(sim.get("services", "msr", "hand-made").is_some());
    assert!(
        sim.get("ingresses", "msr", "msr-cache").is_none(),
        "nothing applied"
    );
}

#[test]
fn replace_switches_interface_when_msr_expose_manages_the_old_one() {
    let sim = SimKube::start();
    // The cache Service itself was exposed as NodePort by msr-expose …
    assert_eq!(run(&sim, NODEPORT).status.code(), Some(0));
    // … and an older NodePort Service of another name, also msr-expose's.
    sim.seed(
        "services",
        json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "old-nodeport", "namespace": "msr" },
                "spec": { "type": "NodePort", "selector": { "app": "msr-cache" }, "ports": [{ "port": 443, "nodePort": 31001 }] } }),
        "msr-expose",
    );
    let mut args = INGRESS.to_vec();
    args.push("--replace");
    let o = run(&sim, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(
        r["replaced"],
        json!([
            "Service/msr/msr-cache (type NodePort) → ClusterIP",
            "Service/msr/old-nodeport (type NodePort)"
        ])
    );
    assert!(
        sim.get("services", "msr", "old-nodeport").is_none(),
        "the other NodePort exposure is gone"
    );
    let cache = sim
        .get("services", "msr", "msr-cache")
        .expect("the Service the Ingress routes to stays");
    assert_eq!(
        cache["spec"]["type"], "ClusterIP",
        "no longer exposed on the nodes"
    );
    assert_eq!(
        r["address"], "127.0.0.1",
        "waited for the controller's address"
    );
    assert_eq!(r["endpoint"], "https://cache.example.com");
    let ing = sim.get("ingresses", "msr", "msr-cache").expect("ingress");
    assert_eq!(
        ing["metadata"]["annotations"]["nginx.ingress.kubernetes.io/ssl-passthrough"],
        "true"
    );
    assert_eq!(
        ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"],
        "msr-cache"
    );
}

#[test]
fn cluster_errors_are_each_clear() {
    // Missing namespace.
    let sim = SimKube::start();
    let o = run(
        &sim,
        &[
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "-n",
            "nowhere",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("namespace nowhere does not exist"),
        "{}",
        stderr(&o)
    );

    // RBAC.
    sim.state
        .lock()
        .map(|mut s| s.faults.forbid_method = Some("PATCH".into()))
        .ok();
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("forbidden by RBAC"), "{}", stderr(&o));

    // Field-manager conflict.
    sim.state
        .lock()
        .map(|mut s| {
            s.faults.forbid_method = None;
            s.faults.conflict = true;
        })
        .ok();
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("conflict"), "{}", stderr(&o));

    // A taken node port (422).
    sim.state.lock().map(|mut s| s.faults.conflict = false).ok();
    sim.seed(
        "services",
        json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "other-app", "namespace": "msr" },
                "spec": { "type": "NodePort", "selector": { "app": "other" }, "ports": [{ "port": 80, "nodePort": 30080 }] } }),
        "kubectl",
    );
    let o = run(
        &sim,
        &[
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--node-port",
            "30080",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("node port is taken"), "{}", stderr(&o));

    // An Ingress no controller picks up: the wait is bounded.
    sim.state
        .lock()
        .map(|mut s| s.faults.ingress_address_after = None)
        .ok();
    let o = run(
        &sim,
        &[
            "apply",
            "--external-fqdn",
            "cache.example.com",
            "--timeout",
            "1s",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("has no address"), "{}", stderr(&o));

    // No cluster at all.
    let gone = Command::new(msr_expose_bin())
        .args([
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--kubeconfig",
            "/nonexistent/kubeconfig",
        ])
        .output()
        .expect("run");
    assert_eq!(gone.status.code(), Some(2));
}

#[test]
fn dry_run_persists_nothing_and_kubeconfig_env_is_honoured() {
    let sim = SimKube::start();
    let o = Command::new(msr_expose_bin())
        .args([
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--dry-run",
            "-o",
            "json",
        ])
        .env("KUBECONFIG", sim.kubeconfig())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        json_of(&o)["result"]
            .as_str()
            .unwrap_or_default()
            .starts_with("validated")
    );
    let patch = sim
        .requests()
        .into_iter()
        .find(|q| q.method == "PATCH")
        .expect("apply request");
    assert!(patch.query.contains("dryRun=All"), "{}", patch.query);
    assert!(
        sim.get("services", "msr", "msr-cache").is_none(),
        "nothing persisted"
    );
}

#[test]
fn invalid_spec_never_reaches_the_cluster() {
    let sim = SimKube::start();
    let o = run(&sim, &["apply", "--node-fqdn", "bad_name.example.com"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        sim.requests().is_empty(),
        "no request for a spec with errors"
    );
}

/// `up`: apply to the simulated API server, which allocates the node port
/// the real registry listens on; verify then walks to the real registry.
#[test]
fn up_end_to_end_with_the_real_registry() {
    let reg = registry(
        fixtures().join("chain.pem").as_path(),
        fixtures().join("leaf.key").as_path(),
        false,
        None,
    );
    let sim = SimKube::start();
    sim.state
        .lock()
        .map(|mut s| s.faults.next_node_port = reg.port)
        .ok();
    let resolve = format!("worker1.example.com:{}:127.0.0.1", reg.port);
    let ca = fixtures().join("root.pem").display().to_string();
    let o = run(
        &sim,
        &[
            "up",
            "--node-fqdn",
            "worker1.example.com",
            "--ca",
            &ca,
            "--resolve",
            &resolve,
            "-o",
            "json",
            "--timeout",
            "20s",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
    let r = json_of(&o);
    assert_eq!(r["ok"], true);
    assert_eq!(r["apply"]["result"], "created");
    assert_eq!(r["verify"]["ok"], true);
    let url = format!("https://worker1.example.com:{}", reg.port);
    assert_eq!(
        r["registration"]["body"],
        json!({ "name": "msr-cache", "host": url })
    );
    assert_eq!(r["registration"]["path"], "/api/v0/content_caches");

    // The same with the wrong CA: applied, but the endpoint fails: exit 1.
    let bad = run(
        &sim,
        &[
            "up",
            "--node-fqdn",
            "worker1.example.com",
            "--ca",
            &fixtures().join("other-root.pem").display().to_string(),
            "--resolve",
            &resolve,
            "-o",
            "json",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let r = json_of(&bad);
    assert_eq!(r["apply"]["result"], "unchanged");
    assert_eq!(r["verify"]["ok"], false);
    assert!(
        r["registration"].is_null(),
        "no registration for an endpoint that failed"
    );
}
