//! `msr-expose apply` and `up` against the SIMULATED Kubernetes API server
//! (tests/sim_kube.rs; no real one can run here), and `up` end to end with
//! verify hitting the real Docker Distribution registry.

use crate::certs::fixtures;
use msr_expose_core::codes::CODES;
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

/// Every refusal is a finding with a code listed in `msr-expose codes`.
fn coded(o: &Output, code: &str) {
    assert!(
        CODES.iter().any(|c| c.0 == code),
        "{code} is not in the table"
    );
    assert!(
        stderr(o).contains(&format!("error[{code}] ")),
        "expected {code}: {}",
        stderr(o)
    );
}

/// Switches the simulated server's behaviour.
fn faults(sim: &SimKube, set: impl FnOnce(&mut msr_expose_tests::sim_kube::Faults)) {
    set(&mut sim.state.lock().unwrap_or_else(|e| e.into_inner()).faults);
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
    coded(&refused, "apply.other_exposure");
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
    coded(&still, "apply.replace_foreign");
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
    coded(&o, "cluster.namespace_missing");

    // RBAC.
    sim.state
        .lock()
        .map(|mut s| s.faults.forbid_method = Some("PATCH".into()))
        .ok();
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("forbidden by RBAC"), "{}", stderr(&o));
    coded(&o, "cluster.forbidden");

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
    coded(&o, "cluster.conflict");

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
    coded(&o, "cluster.rejected");

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
    coded(&o, "apply.timeout");

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
    let said = stderr(&gone);
    assert!(said.contains("/nonexistent/kubeconfig"), "{said}");
    assert_eq!(
        said.matches("No such file or directory").count(),
        1,
        "each cause is said once: {said}"
    );
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

// --- LoadBalancer, Gateway API and Traefik -------------------------------

#[test]
fn loadbalancer_waits_for_the_address_and_explains_pending() {
    let sim = SimKube::start();
    let args = [
        "apply",
        "--method",
        "loadbalancer",
        "--external-fqdn",
        "cache.example.com",
        "-o",
        "json",
        "--timeout",
        "10s",
    ];
    let o = run(&sim, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(r["result"], "created");
    assert_eq!(
        r["address"], "127.0.0.1",
        "published by the simulated provider"
    );
    assert_eq!(r["endpoint"], "https://cache.example.com");
    assert!(
        r["next"]
            .as_str()
            .unwrap_or_default()
            .contains("--resolve cache.example.com:443:127.0.0.1")
    );
    assert_eq!(
        sim.get("services", "msr", "msr-cache").expect("stored")["spec"]["type"],
        "LoadBalancer"
    );

    // No provider: EXTERNAL-IP stays <pending>, and the refusal says why.
    let sim = SimKube::start();
    sim.state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .faults
        .lb_address_after = None;
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "loadbalancer",
            "--external-fqdn",
            "cache.example.com",
            "--timeout",
            "2s",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("<pending>") && stderr(&o).contains("load-balancer provider"),
        "{}",
        stderr(&o)
    );
    coded(&o, "apply.timeout");
}

const GATEWAY: &[&str] = &[
    "apply",
    "--method",
    "gateway",
    "--external-fqdn",
    "cache.example.com",
    "--gateway-class",
    "cilium",
    "-o",
    "json",
    "--timeout",
    "10s",
];

#[test]
fn gateway_created_programmed_and_route_accepted() {
    let sim = SimKube::start();
    sim.install_gateway_api(&["v1"], "cilium");
    let o = run(&sim, GATEWAY);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(r["result"], "created");
    assert_eq!(r["object"], "TLSRoute/msr/msr-cache");
    assert_eq!(r["address"], "127.0.0.1");
    assert_eq!(r["endpoint"], "https://cache.example.com");
    let patches: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|q| q.method == "PATCH")
        .map(|q| q.path)
        .collect();
    assert_eq!(
        patches,
        [
            "/apis/gateway.networking.k8s.io/v1/namespaces/msr/gateways/msr-cache",
            "/apis/gateway.networking.k8s.io/v1/namespaces/msr/tlsroutes/msr-cache"
        ]
    );
    let gw = sim
        .get("gateways", "msr", "msr-cache")
        .expect("gateway stored");
    assert_eq!(gw["spec"]["listeners"][0]["tls"]["mode"], "Passthrough");
    assert_eq!(gw["metadata"]["managedFields"][0]["manager"], "msr-expose");
    // Re-applied: unchanged.
    assert_eq!(json_of(&run(&sim, GATEWAY))["result"], "unchanged");
}

#[test]
fn gateway_refusals_say_what_the_cluster_lacks() {
    // (setup, extra flags, text the refusal must contain, reason)
    type Setup = fn(&SimKube);
    let cases: &[(Setup, &[&str], &str, &str)] = &[
        (
            |_| {},
            &[],
            "install the Gateway API CRDs",
            "no Gateway API at all",
        ),
        (
            |s| s.install_gateway_api(&["v1alpha2"], "cilium"),
            &[],
            "--gateway-api-version v1alpha2",
            "an older cluster serving TLSRoute v1alpha2 only",
        ),
        (
            |s| s.install_gateway_api(&["v1"], "istio"),
            &[],
            "GatewayClass cilium does not exist",
            "a class nobody provides",
        ),
        (
            |s| {
                s.install_gateway_api(&["v1"], "cilium");
                faults(s, |f| f.route_reason = Some("NotAllowedByListeners".into()));
            },
            &[],
            "no listener of msr-cache admits the route",
            "the listener refuses the route",
        ),
        (
            |s| {
                s.install_gateway_api(&["v1"], "cilium");
                faults(s, |f| {
                    f.route_reason = Some("NoMatchingListenerHostname".into())
                });
            },
            &[],
            "a certificate's only one: the cache's certificate must still name cache.example.com",
            "a listener hostname that does not cover the host: a wildcard is not offered as the fix the certificate cannot follow",
        ),
        (
            |s| {
                s.install_gateway_api(&["v1"], "cilium");
                faults(s, |f| f.route_reason = None);
            },
            &["--timeout", "2s"],
            "no controller has picked up this TLSRoute v1 (served: v1",
            "nobody writes the route's status: said with what is served",
        ),
        (
            |s| {
                s.install_gateway_api(&["v1"], "cilium");
                faults(s, |f| f.gateway_programmed_after = None);
            },
            &["--timeout", "2s"],
            "no controller handles its GatewayClass",
            "the Gateway is never programmed",
        ),
    ];
    for (setup, extra, want, why) in cases {
        let sim = SimKube::start();
        setup(&sim);
        let mut args: Vec<&str> = GATEWAY
            .iter()
            .copied()
            .filter(|a| *a != "10s" && *a != "--timeout")
            .collect();
        args.extend_from_slice(if extra.is_empty() {
            &["--timeout", "10s"]
        } else {
            extra
        });
        let o = run(&sim, &args);
        assert_eq!(o.status.code(), Some(1), "{why}: {}", stderr(&o));
        assert!(stderr(&o).contains(want), "{why}: {}", stderr(&o));
    }
}

#[test]
fn gateway_v1alpha2_route_attached_to_an_existing_gateway() {
    let sim = SimKube::start();
    sim.install_gateway_api(&["v1alpha2"], "cilium");
    sim.seed(
        "gateways",
        json!({ "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": { "name": "shared", "namespace": "msr" },
                "spec": { "gatewayClassName": "cilium", "listeners": [{ "name": "tls", "protocol": "TLS", "port": 443, "tls": { "mode": "Passthrough" } }] } }),
        "helm",
    );
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "gateway",
            "--external-fqdn",
            "cache.example.com",
            "--gateway-name",
            "shared",
            "--listener-name",
            "tls",
            "--gateway-api-version",
            "v1alpha2",
            "-o",
            "json",
            "--timeout",
            "10s",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let route = sim
        .get("tlsroutes", "msr", "msr-cache")
        .expect("route stored");
    assert_eq!(route["apiVersion"], "gateway.networking.k8s.io/v1alpha2");
    assert_eq!(route["spec"]["parentRefs"][0]["sectionName"], "tls");
    assert!(
        sim.get("gateways", "msr", "msr-cache").is_none(),
        "no Gateway created when attaching"
    );
}

#[test]
fn traefik_route_applied_and_its_address_found() {
    let sim = SimKube::start();
    sim.install_crd(
        "ingressroutetcps",
        "traefik.io",
        "IngressRouteTCP",
        &["v1alpha1"],
    );
    sim.seed(
        "services",
        json!({ "apiVersion": "v1", "kind": "Service", "metadata": { "name": "traefik", "namespace": "kube-system", "labels": { "app.kubernetes.io/name": "traefik" } },
                "spec": { "type": "LoadBalancer", "selector": { "app.kubernetes.io/name": "traefik" } },
                "status": { "loadBalancer": { "ingress": [{ "ip": "192.0.2.70" }] } } }),
        "helm",
    );
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "traefik",
            "--external-fqdn",
            "cache.example.com",
            "-o",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(r["object"], "IngressRouteTCP/msr/msr-cache");
    assert_eq!(r["address"], "192.0.2.70");
    let route = sim
        .get("ingressroutetcps", "msr", "msr-cache")
        .expect("stored");
    assert_eq!(route["spec"]["tls"]["passthrough"], true);

    // Without Traefik's CRDs the refusal says so.
    let bare = SimKube::start();
    let o = run(
        &bare,
        &[
            "apply",
            "--method",
            "traefik",
            "--external-fqdn",
            "cache.example.com",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("install Traefik's CRDs"),
        "{}",
        stderr(&o)
    );
    coded(&o, "cluster.crd_missing");
}

#[test]
fn a_tlsroute_to_the_cache_is_another_interface() {
    let sim = SimKube::start();
    sim.install_gateway_api(&["v1"], "cilium");
    let route = json!({ "apiVersion": "gateway.networking.k8s.io/v1", "kind": "TLSRoute", "metadata": { "name": "old-route", "namespace": "msr" },
                        "spec": { "hostnames": ["cache.example.com"], "rules": [{ "backendRefs": [{ "name": "msr-cache", "port": 443 }] }] } });
    sim.seed("tlsroutes", route.clone(), "kubectl");
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("TLSRoute/msr/old-route"),
        "{}",
        stderr(&o)
    );
    let o = run(
        &sim,
        &["apply", "--node-fqdn", "worker1.example.com", "--replace"],
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "not managed by msr-expose: never removed"
    );
    assert!(sim.get("tlsroutes", "msr", "old-route").is_some());

    sim.seed("tlsroutes", route, "msr-expose");
    let o = run(
        &sim,
        &[
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--replace",
            "-o",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_of(&o)["replaced"][0], "TLSRoute/msr/old-route");
    assert!(
        sim.get("tlsroutes", "msr", "old-route").is_none(),
        "removed with --replace"
    );
}

#[test]
fn gateway_route_attached_to_a_listener_set() {
    let sim = SimKube::start();
    sim.install_gateway_api(&["v1"], "cilium");
    let args = [
        "apply",
        "--method",
        "gateway",
        "--external-fqdn",
        "cache.example.com",
        "--listener-set-name",
        "cache-listeners",
        "-o",
        "json",
        "--timeout",
        "10s",
    ];
    // Without the ListenerSet CRD the refusal says so.
    let o = run(&sim, &args);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("serves no ListenerSet v1"),
        "{}",
        stderr(&o)
    );
    coded(&o, "cluster.version_not_served");

    sim.install_crd(
        "listenersets",
        "gateway.networking.k8s.io",
        "ListenerSet",
        &["v1"],
    );
    sim.seed(
        "gateways",
        json!({ "apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway", "metadata": { "name": "shared", "namespace": "msr" },
                "spec": { "gatewayClassName": "cilium", "listeners": [] } }),
        "helm",
    );
    sim.seed(
        "listenersets",
        json!({ "apiVersion": "gateway.networking.k8s.io/v1", "kind": "ListenerSet", "metadata": { "name": "cache-listeners", "namespace": "msr" },
                "spec": { "parentRef": { "name": "shared" }, "listeners": [{ "name": "tls", "protocol": "TLS", "port": 443, "tls": { "mode": "Passthrough" } }] } }),
        "helm",
    );
    let o = run(&sim, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json_of(&o)["address"],
        "127.0.0.1",
        "the ListenerSet's Gateway's address"
    );
    let route = sim.get("tlsroutes", "msr", "msr-cache").expect("stored");
    assert_eq!(route["spec"]["parentRefs"][0]["kind"], "ListenerSet");
}

/// `up --register` against the SIMULATED MSR API server (tests/sim_msr.rs)
/// behind nginx for TLS: registered once, then "exists" on the second run,
/// refused when the name is taken by another host; the secret only in the
/// Authorization header, read from a file or MSR_PASSWORD, never printed.
#[test]
fn up_registers_the_verified_endpoint_idempotently() {
    use msr_expose_tests::peers::{free_port, nginx};
    use msr_expose_tests::sim_msr::SimMsr;
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
    let secret = "s3cret-token-do-not-print";
    let msr = SimMsr::start("admin", secret);
    let tls_port = free_port();
    let _front = nginx(
        &format!(
            "server {{ listen 127.0.0.1:{tls_port} ssl; ssl_certificate {}; ssl_certificate_key {}; location / {{ proxy_pass http://127.0.0.1:{}; }} }}",
            fixtures().join("msr-chain.pem").display(),
            fixtures().join("leaf2.key").display(),
            msr.port
        ),
        "",
        tls_port,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let secret_file = dir.path().join("msr-password");
    std::fs::write(&secret_file, format!("{secret}\n")).expect("write");
    let resolve = format!("worker1.example.com:{}:127.0.0.1", reg.port);
    let ca = fixtures().join("root.pem").display().to_string();
    let msr_url = format!("https://localhost:{tls_port}");
    let secret_path = secret_file.display().to_string();
    let up = |extra: &[&str]| {
        let mut args = vec![
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
            "--register",
            "--msr-url",
            &msr_url,
            "--msr-ca",
            &ca,
            "--msr-user",
            "admin",
        ];
        args.extend_from_slice(extra);
        run(&sim, &args)
    };
    let first = up(&["--msr-password-file", &secret_path]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&first.stdout),
        stderr(&first)
    );
    let r = json_of(&first);
    assert_eq!(r["registered"]["result"], "created");
    let url = format!("https://worker1.example.com:{}", reg.port);
    assert_eq!(
        msr.caches.lock().map(|c| c.clone()).unwrap_or_default(),
        vec![json!({ "id": "cache-0", "name": "msr-cache", "host": url })]
    );

    // Again, with the secret from the environment: MSR already knows it.
    let kc = sim.kubeconfig();
    let again = Command::new(msr_expose_bin())
        .args([
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
            "--register",
            "--msr-url",
            &msr_url,
            "--msr-ca",
            &ca,
            "--msr-user",
            "admin",
            "--kubeconfig",
        ])
        .arg(&kc)
        .env("MSR_PASSWORD", secret)
        .env_remove("KUBECONFIG")
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(json_of(&again)["registered"]["result"], "exists");
    let posts = msr
        .requests
        .lock()
        .map(|r| r.iter().filter(|q| q.line.starts_with("POST")).count())
        .unwrap_or(0);
    assert_eq!(posts, 1, "no second POST");

    // The name taken by another host: refused, nothing posted.
    msr.caches
        .lock()
        .map(|mut c| c[0]["host"] = json!("https://elsewhere.example.com"))
        .ok();
    let taken = up(&["--msr-password-file", &secret_path]);
    assert_eq!(taken.status.code(), Some(1));
    let error = &json_of(&taken)["error"];
    assert_eq!(error["code"], "msr.name_taken", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("already has a content cache named msr-cache"),
        "{error}"
    );
    assert!(
        error["hint"]
            .as_str()
            .unwrap_or_default()
            .contains("--name")
    );

    // Wrong secret: MSR's 401 explained.
    std::fs::write(&secret_file, "wrong").expect("write");
    let refused = up(&["--msr-password-file", &secret_path]);
    assert_eq!(refused.status.code(), Some(1));
    let error = &json_of(&refused)["error"];
    assert_eq!(error["code"], "msr.unauthorized", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("401")
    );

    // No secret anywhere: a usage error before anything is applied or sent.
    let before = msr.requests.lock().map(|r| r.len()).unwrap_or(0);
    let none = up(&[]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert!(stderr(&none).contains("MSR_PASSWORD"));
    assert_eq!(msr.requests.lock().map(|r| r.len()).unwrap_or(0), before);

    // The secret never reached any output.
    for o in [&first, &again, &taken, &refused, &none] {
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains(secret) && !stderr(o).contains(secret)
        );
    }
}

/// A kubeconfig whose exec credential plugin fails, or is missing: said
/// plainly (with what the plugin printed), before anything is sent.
#[test]
fn a_failing_exec_plugin_is_explained_and_nothing_is_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plugin = dir.path().join("login-plugin");
    std::fs::write(
        &plugin,
        "#!/bin/sh\necho 'token expired: run corp-login' >&2\nexit 3\n",
    )
    .expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let cases = [
        (
            plugin.display().to_string(),
            "exec credential plugin failed (exit status: 3) and said: token expired: run corp-login",
            "the plugin's own words",
        ),
        (
            "/nonexistent/plugin".to_string(),
            "cannot run the kubeconfig's exec credential plugin",
            "a plugin that is not installed",
        ),
    ];
    for (command, said, reason) in cases {
        let kc = dir.path().join("kubeconfig");
        std::fs::write(
            &kc,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: 'https://127.0.0.1:9'}}\n\
                 contexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\nusers:\n- name: u\n  user:\n    exec:\n      \
                 apiVersion: client.authentication.k8s.io/v1\n      command: '{command}'\n      interactiveMode: Never\n"
            ),
        )
        .expect("write");
        let o = Command::new(msr_expose_bin())
            .args([
                "apply",
                "--node-fqdn",
                "worker1.example.com",
                "--kubeconfig",
            ])
            .arg(&kc)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{reason}");
        let err = stderr(&o);
        assert!(err.contains(said), "{reason}: {err}");
        assert!(err.contains("nothing was applied"), "{reason}: {err}");
        assert!(!err.contains("Output {"), "no debug dump: {err}");
    }
}

/// Faults of the cluster path, each said with what was and was not applied.
mod faults {
    use super::*;
    use std::time::{Duration, Instant};

    /// The apply request is carried out but its answer never comes: the
    /// refusal says the Service may or may not have been applied, and
    /// running apply again converges.
    #[test]
    fn connection_dropped_mid_apply() {
        let sim = SimKube::start();
        faults(&sim, |f| f.drop_method = Some("PATCH".into()));
        let o = run(
            &sim,
            &[
                "apply",
                "--node-fqdn",
                "worker1.example.com",
                "--timeout",
                "5s",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        coded(&o, "cluster.unreachable");
        let err = stderr(&o);
        eprintln!("{err}");
        assert!(
            err.contains("the connection to the API server closed before its answer came")
                && err.contains("Service/msr/msr-cache may or may not have been applied")
                && err.contains("running msr-expose apply again is safe"),
            "{err}"
        );
        assert!(
            sim.get("services", "msr", "msr-cache").is_some(),
            "it was in fact applied"
        );
        faults(&sim, |f| f.drop_method = None);
        let again = run(&sim, NODEPORT);
        assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
        assert_eq!(
            json_of(&again)["result"],
            "unchanged",
            "the second run converges"
        );
    }

    /// An API server that answers slower than --timeout: bounded, and said
    /// before anything was applied.
    #[test]
    fn slow_api_server_past_the_timeout() {
        let sim = SimKube::start();
        faults(&sim, |f| {
            f.slow = Some(("GET".into(), Duration::from_secs(20)))
        });
        let started = Instant::now();
        let o = run(
            &sim,
            &[
                "apply",
                "--node-fqdn",
                "worker1.example.com",
                "--timeout",
                "1s",
            ],
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "bounded by --timeout"
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        coded(&o, "cluster.unreachable");
        let err = stderr(&o);
        eprintln!("{err}");
        assert!(
            err.contains("did not answer within --timeout") && err.contains("nothing was applied"),
            "{err}"
        );
        assert!(
            !sim.requests().iter().any(|r| r.method == "PATCH"),
            "nothing was sent to apply"
        );
    }

    /// A kubeconfig whose client certificate expired: said with its date
    /// before anything is sent (the API server would answer a bare 401).
    #[test]
    fn expired_client_certificate() {
        use base64::Engine;
        let sim = SimKube::start();
        let b64 = |name: &str| {
            base64::engine::general_purpose::STANDARD
                .encode(std::fs::read(fixtures().join(name)).expect("fixture"))
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let kc = dir.path().join("kubeconfig");
        std::fs::write(
            &kc,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: 'http://127.0.0.1:{}'}}\n\
                 contexts:\n- name: c\n  context: {{cluster: c, user: u}}\ncurrent-context: c\nusers:\n- name: u\n  user:\n    \
                 client-certificate-data: {}\n    client-key-data: {}\n",
                sim.port,
                b64("expired.pem"),
                b64("leaf.key")
            ),
        )
        .expect("write");
        let o = Command::new(msr_expose_bin())
            .args([
                "apply",
                "--node-fqdn",
                "worker1.example.com",
                "--kubeconfig",
            ])
            .arg(&kc)
            .env_remove("KUBECONFIG")
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        let err = stderr(&o);
        eprintln!("{err}");
        assert!(
            err.contains("client certificate")
                && err.contains("expired on")
                && err.contains("nothing was applied"),
            "{err}"
        );
        assert!(sim.requests().is_empty(), "nothing was sent");
    }

    /// Ctrl-C while waiting for an address that never comes: the refusal
    /// says what stays applied, and the exit status is 130.
    #[test]
    fn ctrl_c_during_the_wait() {
        let sim = SimKube::start();
        faults(&sim, |f| f.lb_address_after = None);
        let child = Command::new(msr_expose_bin())
            .args([
                "apply",
                "--method",
                "loadbalancer",
                "--external-fqdn",
                "cache.example.com",
                "--timeout",
                "60s",
                "--kubeconfig",
            ])
            .arg(sim.kubeconfig())
            .env_remove("KUBECONFIG")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Waiting: the Service is applied and watched for its address.
        let started = Instant::now();
        while !sim
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/services") && r.query.contains("watch=true"))
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "apply never started waiting"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let pid = child.id().to_string();
        let killed = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(killed.success());
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
        coded(&o, "apply.interrupted");
        let err = stderr(&o);
        eprintln!("{err}");
        assert!(
            err.contains("waiting for the load balancer's address")
                && err.contains("Service/msr/msr-cache created, and stays"),
            "{err}"
        );
    }
}

/// The wait watches the object (kube's runtime helpers) rather than
/// reading it over and over.
#[test]
fn the_wait_watches_instead_of_polling() {
    let sim = SimKube::start();
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "loadbalancer",
            "--external-fqdn",
            "cache.example.com",
            "-o",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_of(&o)["address"], "127.0.0.1");
    let requests = sim.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == "/api/v1/namespaces/msr/services" && r.query.contains("watch=true")),
        "a watch of the Service"
    );
    let reads = requests
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v1/namespaces/msr/services/msr-cache")
        .count();
    assert!(
        reads <= 1,
        "{reads} reads of the Service: only the one before applying"
    );
}

#[test]
fn openshift_route_admitted_by_the_router() {
    let sim = SimKube::start();
    sim.install_openshift(2);
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "openshift",
            "--external-fqdn",
            "cache.apps.sim.example.com",
            "-o",
            "json",
            "--timeout",
            "10s",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(r["object"], "Route/msr/msr-cache");
    assert_eq!(r["endpoint"], "https://cache.apps.sim.example.com");
    assert_eq!(r["address"], "router-default.apps.sim.example.com");
    let route = sim.get("routes", "msr", "msr-cache").expect("stored");
    assert_eq!(route["spec"]["tls"]["termination"], "passthrough");
    assert_eq!(route["spec"]["to"]["name"], "msr-cache");
    // The kind was read from API discovery, as OpenShift serves it (no CRD).
    assert!(
        sim.requests()
            .iter()
            .any(|q| q.method == "GET" && q.path == "/apis/route.openshift.io/v1"),
        "discovery of route.openshift.io/v1"
    );
    // Re-applying converges; the Route is this spec's own, not another interface.
    let again = run(
        &sim,
        &[
            "apply",
            "--method",
            "openshift",
            "--external-fqdn",
            "cache.apps.sim.example.com",
            "-o",
            "json",
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(json_of(&again)["result"], "unchanged");
}

#[test]
fn openshift_refusals_say_what_is_wrong() {
    // Not an OpenShift cluster: no Route kind.
    let bare = SimKube::start();
    let o = run(
        &bare,
        &[
            "apply",
            "--method",
            "openshift",
            "--external-fqdn",
            "cache.apps.example.com",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    coded(&o, "cluster.crd_missing");
    assert!(stderr(&o).contains("served by OpenShift"), "{}", stderr(&o));
    assert!(bare.get("routes", "msr", "msr-cache").is_none());

    // The router rejects the Route: said at once, with its reason.
    let sim = SimKube::start();
    sim.install_openshift(1);
    faults(&sim, |f| {
        f.route_rejected = Some("HostAlreadyClaimed".into())
    });
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "openshift",
            "--external-fqdn",
            "cache.apps.example.com",
            "--timeout",
            "10s",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    coded(&o, "openshift.route_not_admitted");
    assert!(stderr(&o).contains("HostAlreadyClaimed"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("and stays"),
        "says what stays applied: {}",
        stderr(&o)
    );

    // No router at all: the wait times out saying what is missing.
    let sim = SimKube::start();
    sim.install_openshift(1);
    faults(&sim, |f| f.route_admitted_after = None);
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "openshift",
            "--external-fqdn",
            "cache.apps.example.com",
            "--timeout",
            "2s",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    coded(&o, "apply.timeout");
    assert!(
        stderr(&o).contains("no router has seen it"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_route_or_virtualservice_to_the_cache_is_another_interface() {
    let sim = SimKube::start();
    sim.install_openshift(1);
    sim.install_istio(Some("192.0.2.80"));
    sim.seed(
        "routes",
        json!({ "apiVersion": "route.openshift.io/v1", "kind": "Route", "metadata": { "name": "old-route", "namespace": "msr" },
                "spec": { "host": "cache.apps.example.com", "to": { "kind": "Service", "name": "msr-cache" }, "tls": { "termination": "passthrough" } } }),
        "oc",
    );
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Route/msr/old-route"), "{}", stderr(&o));

    let sim = SimKube::start();
    sim.install_istio(Some("192.0.2.80"));
    sim.seed(
        "virtualservices",
        json!({ "apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": { "name": "mesh-route", "namespace": "msr" },
                "spec": { "hosts": ["cache.example.com"], "tls": [{ "match": [{ "sniHosts": ["cache.example.com"] }], "route": [{ "destination": { "host": "msr-cache.msr.svc.cluster.local" } }] }] } }),
        "msr-expose",
    );
    let o = run(&sim, NODEPORT);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("VirtualService/msr/mesh-route"),
        "{}",
        stderr(&o)
    );
    // Managed by msr-expose: --replace removes it.
    let o = run(
        &sim,
        &[
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--replace",
            "-o",
            "json",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json_of(&o)["replaced"][0], "VirtualService/msr/mesh-route");
    assert!(sim.get("virtualservices", "msr", "mesh-route").is_none());
}

#[test]
fn istio_gateway_and_virtualservice_applied_and_the_gateway_address_found() {
    let sim = SimKube::start();
    sim.install_istio(Some("192.0.2.80"));
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "istio",
            "--external-fqdn",
            "cache.example.com",
            "-o",
            "json",
            "--timeout",
            "10s",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = json_of(&o);
    assert_eq!(r["object"], "VirtualService/msr/msr-cache");
    assert_eq!(r["address"], "192.0.2.80");
    assert!(
        r["next"]
            .as_str()
            .is_some_and(|n| n.contains("--resolve cache.example.com:443:192.0.2.80")),
        "{r}"
    );
    let gw = sim
        .get("gateways", "msr", "msr-cache")
        .expect("Gateway stored");
    assert_eq!(gw["apiVersion"], "networking.istio.io/v1");
    assert_eq!(gw["spec"]["servers"][0]["tls"]["mode"], "PASSTHROUGH");
    let vs = sim
        .get("virtualservices", "msr", "msr-cache")
        .expect("VirtualService stored");
    assert_eq!(
        vs["spec"]["tls"][0]["match"][0]["sniHosts"][0],
        "cache.example.com"
    );

    // Without Istio: the kinds are missing, nothing is applied.
    let bare = SimKube::start();
    let o = run(
        &bare,
        &[
            "apply",
            "--method",
            "istio",
            "--external-fqdn",
            "cache.example.com",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    coded(&o, "cluster.crd_missing");
    assert!(stderr(&o).contains("install Istio"), "{}", stderr(&o));

    // An ingress gateway without an address: the wait says so when it times out.
    let sim = SimKube::start();
    faults(&sim, |f| f.lb_address_after = None);
    sim.install_istio(None);
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "istio",
            "--external-fqdn",
            "cache.example.com",
            "--timeout",
            "2s",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    coded(&o, "apply.timeout");
    assert!(
        stderr(&o).contains("istio=ingressgateway"),
        "{}",
        stderr(&o)
    );
}
