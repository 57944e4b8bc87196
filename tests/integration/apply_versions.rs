//! `apply` learns the truth from the cluster before writing a TLSRoute —
//! the versions served, the GatewayClass's controller and, for Envoy
//! Gateway, its version and so the versions it watches — against the
//! SIMULATED Kubernetes API server (tests/sim_kube.rs; no real one runs
//! here) set up as each platform profile's cluster: its CRDs, its Envoy
//! Gateway Deployment and configuration, and a simulated controller that
//! writes route status only for the version the real release watches.

use msr_expose_tests::msr_expose_bin;
use msr_expose_tests::sim_kube::SimKube;
use serde_json::Value;
use std::process::{Command, Output};

fn run(sim: &SimKube, args: &[&str]) -> Output {
    Command::new(msr_expose_bin())
        .args(args)
        .args(["-o", "json", "--timeout", "5s", "--kubeconfig"])
        .arg(sim.kubeconfig())
        .env_remove("KUBECONFIG")
        .output()
        .unwrap_or_else(|e| panic!("cannot run msr-expose: {e}"))
}

/// A cluster like a platform's: (Envoy Gateway image tag, TLSRoute
/// versions its CRDs serve, GatewayClass, controller name, namespace).
struct Cluster {
    tag: &'static str,
    served: &'static [&'static str],
    class: &'static str,
    controller: &'static str,
    namespace: &'static str,
}

/// MKE 3.9.0: Envoy Gateway 1.7 on Gateway API 1.4.1's experimental CRDs,
/// its own class and controller name.
const MKE_3_9: Cluster = Cluster {
    tag: "v1.7.0",
    served: &["v1alpha2", "v1alpha3"],
    class: "envoy-gatewayingress",
    controller: "gateway.envoyproxy.io/mke-gatewayclass-controller",
    namespace: "mke",
};
/// MKE 4k 4.1.5: Envoy Gateway 1.6.1 on Gateway API 1.4.1.
const MKE4K_4_1: Cluster = Cluster {
    tag: "v1.6.1",
    served: &["v1alpha2", "v1alpha3"],
    class: "eg",
    controller: "gateway.envoyproxy.io/gatewayclass-controller",
    namespace: "envoy-gateway-system",
};
/// Gateway API 1.6 standard CRDs and Envoy Gateway 1.9.
const EG_1_9: Cluster = Cluster {
    tag: "v1.9.0",
    served: &["v1"],
    class: "eg",
    controller: "gateway.envoyproxy.io/gatewayclass-controller",
    namespace: "envoy-gateway-system",
};
/// New CRDs (1.6's experimental channel, every version) beside an old
/// controller (Envoy Gateway 1.7).
const NEW_CRDS_OLD_CONTROLLER: Cluster = Cluster {
    tag: "v1.7.0",
    served: &["v1", "v1alpha2", "v1alpha3"],
    class: "eg",
    controller: "gateway.envoyproxy.io/gatewayclass-controller",
    namespace: "envoy-gateway-system",
};

fn start(c: &Cluster) -> SimKube {
    let sim = SimKube::start();
    sim.install_envoy_gateway(c.tag, c.served, c.class, c.controller, c.namespace);
    sim
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The TLSRoute versions msr-expose sent (the paths of its applies).
fn route_versions_sent(sim: &SimKube) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|q| q.method == "PATCH" && q.path.contains("/tlsroutes/"))
        .filter_map(|q| q.path.split('/').nth(3).map(str::to_string))
        .collect()
}

/// No version named and no profile: apply writes the version the cluster
/// serves and its controller watches, and says so in a note.
type Row = (
    &'static Cluster,
    &'static [&'static str],
    &'static str,
    &'static str,
);
const PICKED: &[Row] = &[
    (
        &NEW_CRDS_OLD_CONTROLLER,
        &[
            "--external-fqdn",
            "cache.example.com",
            "--gateway-class",
            "eg",
        ],
        "v1alpha3",
        "new CRDs, old controller, no version named: v1alpha3 chosen, not the v1 nobody reads",
    ),
    (
        &MKE_3_9,
        &[
            "--external-fqdn",
            "cache.example.com",
            "--gateway-class",
            "envoy-gatewayingress",
        ],
        "v1alpha3",
        "MKE 3.9 without its profile: v1alpha3 chosen from what is served and watched",
    ),
];

#[test]
fn each_profile_on_its_cluster_ends_accepted() {
    // (cluster, flags, TLSRoute version sent, reason)
    let cases: &[(&Cluster, &[&str], &str, &str)] = &[
        (
            &MKE_3_9,
            &["--platform", "mke3", "--external-fqdn", "cache.example.com"],
            "v1alpha3",
            "MKE 3.9.0: the profile's class and v1alpha3",
        ),
        (
            &MKE4K_4_1,
            &[
                "--platform",
                "mke4k",
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "eg",
            ],
            "v1alpha3",
            "MKE 4k 4.1.5: Envoy Gateway 1.6.1 watches v1alpha3",
        ),
        (
            &EG_1_9,
            &[
                "--platform",
                "envoy-gateway-1.9",
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "eg",
            ],
            "v1",
            "Gateway API 1.6 and Envoy Gateway 1.9: v1",
        ),
        (
            &NEW_CRDS_OLD_CONTROLLER,
            &[
                "--platform",
                "envoy-gateway-1.7",
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "eg",
            ],
            "v1alpha3",
            "new CRDs, old controller: the version it reads",
        ),
    ];
    for (cluster, flags, version, why) in cases.iter().chain(PICKED) {
        let sim = start(cluster);
        let mut args = vec!["apply", "--method", "gateway"];
        args.extend_from_slice(flags);
        let o = run(&sim, &args);
        assert_eq!(o.status.code(), Some(0), "{why}: {}", stderr(&o));
        let r: Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(r["result"], "created", "{why}");
        let picked = PICKED.iter().any(|p| p.3 == *why);
        assert_eq!(
            r["notes"][0]
                .as_str()
                .is_some_and(|n| n.contains(&format!("TLSRoute {version} written instead of v1"))),
            picked,
            "{why}: {}",
            r["notes"]
        );
        assert_eq!(route_versions_sent(&sim), [*version], "{why}");
        let route = sim.get("tlsroutes", "msr", "msr-cache").expect("stored");
        assert_eq!(
            route["status"]["parents"][0]["conditions"][0]["status"], "True",
            "{why}: Accepted by the simulated controller"
        );
    }
}

#[test]
fn a_version_the_controller_never_reads_is_refused_before_anything_is_applied() {
    // (cluster, flags, texts the refusal must contain, reason)
    let cases: &[(&Cluster, &[&str], &[&str], &str)] = &[
        (
            &NEW_CRDS_OLD_CONTROLLER,
            &[
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "eg",
                "--gateway-api-version",
                "v1",
            ],
            &[
                "gateway.api_version_unwatched",
                "served: v1, v1alpha2, v1alpha3",
                "Envoy Gateway v1.7.0 (envoy-gateway-system/envoy-gateway): v1alpha3",
                "--gateway-api-version v1alpha3",
            ],
            "v1 named, served by new CRDs, but Envoy Gateway 1.7 watches v1alpha3 only: kept as named, so refused",
        ),
        (
            &MKE_3_9,
            &[
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "envoy-gatewayingress",
                "--gateway-api-version",
                "v1alpha2",
            ],
            &[
                "gateway.api_version_unwatched",
                "mke/envoy-gateway",
                "--gateway-api-version v1alpha3",
            ],
            "v1alpha2 served by 1.4.1, not watched by 1.7: MKE's own controller name found through its configuration",
        ),
        (
            &MKE_3_9,
            &[
                "--external-fqdn",
                "cache.example.com",
                "--gateway-class",
                "envoy-gatewayingress",
                "--gateway-api-version",
                "v1",
            ],
            &[
                "cluster.version_not_served",
                "v1alpha2, v1alpha3",
                "--gateway-api-version v1alpha3",
            ],
            "v1 named on MKE 3.9's CRDs: no matches for kind TLSRoute in version v1",
        ),
    ];
    for (cluster, flags, texts, why) in cases {
        let sim = start(cluster);
        let mut args = vec!["apply", "--method", "gateway"];
        args.extend_from_slice(flags);
        let o = run(&sim, &args);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{why}: {}{}",
            stderr(&o),
            String::from_utf8_lossy(&o.stdout)
        );
        let err = stderr(&o);
        for t in *texts {
            assert!(err.contains(t), "{why}: `{t}` missing from:\n{err}");
        }
        assert!(
            sim.requests().iter().all(|q| q.method != "PATCH"),
            "{why}: nothing applied"
        );
    }
}

/// A controller msr-expose cannot read the version of (not Envoy
/// Gateway) that never writes status: the wait says no controller picked
/// the route up, and what the cluster serves — not a bare timeout.
#[test]
fn a_route_nobody_reads_is_said_as_such() {
    let sim = SimKube::start();
    sim.install_gateway_api(&["v1"], "other");
    sim.state
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .faults
        .route_reason = None;
    let o = run(
        &sim,
        &[
            "apply",
            "--method",
            "gateway",
            "--external-fqdn",
            "cache.example.com",
            "--gateway-class",
            "other",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for t in [
        "no controller has picked up this TLSRoute v1",
        "served: v1",
        "example.com/simulated-gateway-controller",
    ] {
        assert!(err.contains(t), "`{t}` missing from:\n{err}");
    }
}

/// The other methods' old API groups and versions, said with what to
/// upgrade: Traefik before 2.10 (`traefik.containo.us` only) and Istio
/// before 1.22 (`networking.istio.io` v1beta1 only).
#[test]
fn old_traefik_and_istio_apis_are_said_with_what_to_upgrade() {
    type Setup = fn(&SimKube);
    // (setup, method, texts, reason)
    let cases: &[(Setup, &str, &[&str], &str)] = &[
        (
            |s| {
                s.install_crd(
                    "ingressroutetcps",
                    "traefik.containo.us",
                    "IngressRouteTCP",
                    &["v1alpha1"],
                )
            },
            "traefik",
            &["traefik.containo.us", "upgrade Traefik to 2.10 or later"],
            "Traefik 2.9: the old group only",
        ),
        (
            |s| {
                s.install_crd("gateways", "networking.istio.io", "Gateway", &["v1beta1"]);
                s.install_crd(
                    "virtualservices",
                    "networking.istio.io",
                    "VirtualService",
                    &["v1beta1"],
                );
            },
            "istio",
            &[
                "cluster.version_not_served",
                "upgrade Istio to 1.22 or later",
            ],
            "Istio 1.21: v1beta1 only",
        ),
    ];
    for (setup, method, texts, why) in cases {
        let sim = SimKube::start();
        setup(&sim);
        let o = run(
            &sim,
            &[
                "apply",
                "--method",
                method,
                "--external-fqdn",
                "cache.example.com",
            ],
        );
        assert_eq!(o.status.code(), Some(1), "{why}: {}", stderr(&o));
        let err = stderr(&o);
        for t in *texts {
            assert!(err.contains(t), "{why}: `{t}` missing from:\n{err}");
        }
        assert!(
            sim.requests().iter().all(|q| q.method != "PATCH"),
            "{why}: nothing applied"
        );
    }
}
