//! Every custom resource msr-expose writes, judged against the official CRD
//! of the version it targets (`../shared/crds/`, read-only test data; its
//! PROVENANCE.txt says where each file comes from) by `crd.rs`: served
//! version, structural schema with unknown fields refused, defaults, and
//! every `x-kubernetes-validations` rule evaluated by a CEL interpreter.
//! The Gateway API's own valid examples must pass and its invalid ones be
//! refused first, so the judge is shown to judge as the project's own CRD
//! tests expect. Objects of built-in groups are kubernetes-validate's
//! (kubernetes_schema.rs).

use crate::profiles::{crds, files_for};
use crate::specs::{SPECS, spec};
use msr_expose_core::Spec;
use msr_expose_core::platform::PROFILES;
use msr_expose_tests::crd::Cluster;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The clusters the objects are judged on: each a release's CRDs.
const CLUSTERS: &[(&str, &[&str])] = &[
    (
        "Gateway API 1.4.1 experimental",
        &[
            "gateway-api-v1.4.1-experimental-gateways.yaml",
            "gateway-api-v1.4.1-experimental-tlsroutes.yaml",
            "gateway-api-v1.4.1-experimental-xlistenersets.yaml",
        ],
    ),
    (
        "Gateway API 1.6.1 standard",
        &[
            "gateway-api-v1.6.1-standard-gateways.yaml",
            "gateway-api-v1.6.1-standard-tlsroutes.yaml",
            "gateway-api-v1.6.1-standard-listenersets.yaml",
        ],
    ),
    (
        "Gateway API 1.6.1 experimental",
        &[
            "gateway-api-v1.6.1-experimental-gateways.yaml",
            "gateway-api-v1.6.1-experimental-tlsroutes.yaml",
            "gateway-api-v1.6.1-experimental-listenersets.yaml",
        ],
    ),
    (
        "OpenShift release-4.22",
        &["openshift-route-v1-routes.crd.yaml"],
    ),
    ("Istio 1.30.3", &["istio-1.30.3-crd-all.gen.yaml"]),
    ("Traefik v3.7.9", &["traefik-v3.7.9-ingressroutetcps.yaml"]),
    (
        "cert-manager v1.21.1",
        &["cert-manager-v1.21.1-certificates.yaml"],
    ),
    ("Argo CD v3.5.1", &["argocd-v3.5.1-applicationset-crd.yaml"]),
    (
        "Flux kustomize-controller v1.9.4",
        &["flux-kustomize-controller-v1.9.4-kustomizations.yaml"],
    ),
];

/// Every rule of every CRD in shared/ compiles, and every function it calls
/// is declared: no rule can pass because its branch was not reached.
#[test]
fn every_rule_of_every_crd_compiles_with_every_function_it_calls() {
    let Some(dir) = crds() else { return };
    let files: Vec<&str> = CLUSTERS
        .iter()
        .flat_map(|(_, f)| f.iter().copied())
        .collect();
    let all = Cluster::load(&dir, &files);
    let n = all.compile_all();
    println!(
        "{n} distinct x-kubernetes-validations rules of {} CRDs compiled",
        all.crds().len()
    );
    assert!(n >= 70, "{n}");
}

/// Groups Kubernetes itself serves: kubernetes-validate judges those.
const BUILT_IN: &[&str] = &["", "apps", "networking.k8s.io", "policy"];

fn load(dir: &Path) -> Vec<(&'static str, Cluster)> {
    CLUSTERS
        .iter()
        .map(|(name, files)| (*name, Cluster::load(dir, files)))
        .collect()
}

/// The YAML documents of a stream, as JSON values.
fn docs(yaml: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(yaml)
        .map(|d| serde::Deserialize::deserialize(d).expect("YAML"))
        .filter(|v: &Value| !v.is_null())
        .collect()
}

/// What was judged, for the summary the test prints.
#[derive(Default)]
struct Tally {
    objects: usize,
    by_cluster: BTreeMap<&'static str, usize>,
    rules: usize,
    texts: BTreeSet<String>,
    failures: Vec<String>,
}

impl Tally {
    /// Judges `object` (from `source`) on every cluster that serves its
    /// group, kind and version; at least one must, and all must accept it.
    fn judge(&mut self, clusters: &[(&'static str, Cluster)], object: &Value, source: &str) {
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let kind = object["kind"].as_str().unwrap_or_default();
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if BUILT_IN.contains(&group) {
            return;
        }
        self.objects += 1;
        let mut judged = 0;
        for (name, cluster) in clusters {
            let serves = cluster.crds().iter().any(|c| {
                c.group == group
                    && c.kind == kind
                    && c.versions
                        .iter()
                        .any(|v| v.served && api_version.ends_with(&format!("/{}", v.name)))
            });
            if !serves {
                continue;
            }
            judged += 1;
            self.record(name, cluster, object, source);
        }
        if judged == 0 {
            self.failures.push(format!(
                "{source}: {api_version} {kind}: no CRD here serves it"
            ));
        }
    }

    fn record(&mut self, name: &'static str, cluster: &Cluster, object: &Value, source: &str) {
        let verdict = cluster.check(object);
        *self.by_cluster.entry(name).or_default() += 1;
        self.rules += verdict.rules;
        self.texts.extend(verdict.rule_texts.iter().cloned());
        if !verdict.accepted() {
            let lines: Vec<String> = verdict.violations.iter().map(ToString::to_string).collect();
            self.failures.push(format!(
                "{source}: {} {} refused by {name} ({}):\n  {}",
                object["apiVersion"].as_str().unwrap_or_default(),
                object["kind"].as_str().unwrap_or_default(),
                verdict.crd.unwrap_or_default(),
                lines.join("\n  ")
            ));
        }
    }
}

#[test]
fn gateway_api_s_own_examples_are_judged_as_its_crd_tests_expect() {
    let Some(dir) = crds() else { return };
    let clusters = load(&dir);
    let cluster = |name: &str| {
        &clusters
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a cluster")
            .1
    };
    let root = dir.join("gateway-api-v1.6.1-examples");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let (mut accepted, mut refused, mut other_kinds) = (0, 0, 0);
    let mut failures = Vec::new();
    for file in files {
        let rel = file
            .strip_prefix(&root)
            .expect("under root")
            .display()
            .to_string();
        let text = std::fs::read_to_string(&file).expect("example");
        for object in docs(&text) {
            let kind = object["kind"].as_str().unwrap_or_default();
            if !matches!(kind, "Gateway" | "TLSRoute" | "ListenerSet") {
                // HTTPRoute, Service and the like, beside the kinds shared/ has CRDs for.
                other_kinds += 1;
                continue;
            }
            let invalid = rel.starts_with("hack/invalid-examples");
            // The project's CRD test: standard examples on the standard
            // channel's CRDs, experimental ones on the experimental channel's.
            let channels: &[&str] = if rel.starts_with("examples/experimental") {
                &["Gateway API 1.6.1 experimental"]
            } else {
                &[
                    "Gateway API 1.6.1 standard",
                    "Gateway API 1.6.1 experimental",
                ]
            };
            for channel in channels {
                let verdict = cluster(channel).check(&object);
                match (invalid, verdict.accepted()) {
                    (false, true) => accepted += 1,
                    (true, false) => {
                        refused += 1;
                        println!("{rel} refused by {channel}: {}", verdict.violations[0]);
                    }
                    (false, false) => failures.push(format!(
                        "{rel} ({kind}) must be accepted by {channel}: {:?}",
                        verdict.violations
                    )),
                    (true, true) => failures.push(format!(
                        "{rel} ({kind}) must be refused by {channel}, and was accepted"
                    )),
                }
            }
        }
    }
    println!(
        "Gateway API 1.6.1's examples: {accepted} accepted, {refused} invalid ones refused, \
         {other_kinds} objects of other kinds not judged"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(accepted >= 20 && refused >= 10, "{accepted} {refused}");
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|x| x == "yaml") {
            out.push(path);
        }
    }
}

/// Hosts that reach the references' limits: a 64-character one (the
/// longest commonName), a 65-character one, and one of 253.
fn long_host(len: usize) -> String {
    let mut host = String::new();
    while host.len() < len - ".example.com".len() {
        if !host.is_empty() && (host.len() + 1).is_multiple_of(60) {
            host.push('.');
        } else {
            host.push('a');
        }
    }
    format!("{host}.example.com")
}

#[test]
fn every_custom_resource_msr_expose_writes_meets_its_crd() {
    use msr_expose_core::certplan::{KeyType, cert_manager};
    let Some(dir) = crds() else { return };
    let clusters = load(&dir);
    let mut tally = Tally::default();
    let mut specs: Vec<(String, String)> = SPECS
        .iter()
        .map(|(n, y)| (n.to_string(), y.to_string()))
        .collect();
    // Every gateway spec at every TLSRoute version msr-expose writes.
    for (name, yaml) in SPECS {
        // Platforms fix the version their controller watches (profiles below).
        if !yaml.contains("gateway") || yaml.contains("istio") || yaml.contains("platform:") {
            continue;
        }
        for version in ["v1", "v1alpha3", "v1alpha2"] {
            let base: String = yaml
                .lines()
                .filter(|l| !l.starts_with("gatewayApiVersion:"))
                .map(|l| format!("{l}\n"))
                .collect();
            specs.push((
                format!("{name} at {version}"),
                format!("{base}gatewayApiVersion: {version}\n"),
            ));
        }
    }
    // Names at the references' limits, on every route kind.
    for method in ["gateway", "traefik", "openshift", "istio"] {
        for len in [64, 65, 253] {
            let host = long_host(len);
            let parent = if method == "gateway" {
                "gatewayClassName: cilium\n"
            } else {
                ""
            };
            specs.push((
                format!("{method} with a {len}-character host"),
                format!("method: {method}\nexternalFqdn: {host}\n{parent}"),
            ));
        }
    }
    for (name, yaml) in &specs {
        let spec = spec(yaml);
        let g = msr_expose_core::generate(&spec);
        let Some(out) = g.output else {
            panic!("{name}: {:?}", g.findings)
        };
        for object in docs(&out.yaml) {
            tally.judge(&clusters, &object, name);
        }
        let (valid, _) = msr_expose_core::validate(&spec);
        let valid = valid.expect("valid");
        for (issuer_kind, key) in [
            ("Issuer", KeyType::P256),
            ("ClusterIssuer", KeyType::Rsa3072),
        ] {
            let cert = cert_manager(&valid, "msr-ca", issuer_kind, key);
            let object = serde_json::to_value(&cert.body).expect("json");
            tally.judge(&clusters, &object, &format!("{name}: its Certificate"));
        }
    }
    // Every platform's objects, on its own release's CRDs.
    for p in PROFILES.iter().filter(|p| !p.tlsroute_watched.is_empty()) {
        let cluster = Cluster::load(&dir, &files_for(p));
        for parent in ["gatewayClassName: eg", "listenerSetName: shared"] {
            let yaml = format!(
                "platform: {}\nmethod: gateway\nexternalFqdn: cache.example.com\n{parent}\n",
                p.platform.name()
            );
            let out = msr_expose_core::generate(&Spec::from_text(&yaml).expect("spec"))
                .output
                .expect("output");
            for object in docs(&out.yaml) {
                if object["kind"] == "Service" {
                    continue;
                }
                tally.record("its platform's release", &cluster, &object, &yaml);
            }
        }
    }
    fleet_objects(&clusters, &mut tally);
    println!(
        "{} custom resources judged ({}), {} rule evaluations of {} distinct x-kubernetes-validations rules",
        tally.objects,
        tally
            .by_cluster
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        tally.rules,
        tally.texts.len()
    );
    assert!(
        tally.failures.is_empty(),
        "{} refused:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    for (name, _) in CLUSTERS {
        assert!(
            tally.by_cluster.contains_key(name),
            "nothing was judged on {name}"
        );
    }
    assert!(tally.rules > 500, "{}", tally.rules);
}

/// The GitOps objects of a fleet with every method, a repository, and a
/// cache name as long as a fleet file allows.
fn fleet_objects(clusters: &[(&'static str, Cluster)], tally: &mut Tally) {
    let long = "a".repeat(63);
    let text = format!(
        "gitops:\n  repoURL: https://git.example.com/ops/msr-caches.git\n  revision: main\n  path: sites/caches\n\
         defaults:\n  context: admin\ncaches:\n\
         \x20 - name: eu1\n    method: gateway\n    gatewayClassName: eg\n    externalFqdn: cache-eu1.example.com\n\
         \x20 - name: {long}\n    method: nodeport\n    nodeFqdn: worker1.example.com\n\
         \x20 - name: os1\n    method: openshift\n    externalFqdn: cache-os1.apps.example.com\n"
    );
    let fleet = msr_expose_core::fleet::from_text(&text).expect("fleet");
    let cas = vec![None; fleet.caches.len()];
    let tree = msr_expose_core::fleet_files::tree(&fleet, &cas).expect("tree");
    let mut seen = BTreeSet::new();
    for file in tree.files.iter().filter(|f| f.path.ends_with(".yaml")) {
        for object in docs(&file.content) {
            // kustomization.yaml is Kustomize's own file, never sent to a
            // cluster (fleet.rs builds every overlay with kubectl kustomize).
            if object["apiVersion"]
                .as_str()
                .is_none_or(|v| v.starts_with("kustomize.config.k8s.io/"))
            {
                continue;
            }
            seen.insert(object["kind"].as_str().unwrap_or_default().to_string());
            tally.judge(clusters, &object, &file.path);
        }
    }
    for kind in ["ApplicationSet", "Kustomization", "TLSRoute", "Route"] {
        assert!(seen.contains(kind), "the fleet wrote no {kind}: {seen:?}");
    }
}

/// The judge refuses what an API server refuses: each row mutates an
/// object msr-expose writes in one way the CRD forbids, with the reason.
#[test]
fn the_judge_refuses_what_the_api_server_refuses() {
    let Some(dir) = crds() else { return };
    let clusters = load(&dir);
    let object = |yaml: &str| -> Value {
        let out = msr_expose_core::generate(&spec(yaml))
            .output
            .expect("output");
        docs(&out.yaml)
            .into_iter()
            .find(|o| {
                !BUILT_IN.contains(
                    &o["apiVersion"]
                        .as_str()
                        .unwrap_or("v1")
                        .rsplit_once('/')
                        .map_or("", |(g, _)| g),
                )
            })
            .expect("a custom resource")
    };
    let route = object("method: gateway\nexternalFqdn: cache.example.com\ngatewayName: shared\n");
    let os = object("method: openshift\nexternalFqdn: cache.apps.example.com\n");
    type Mutation = fn(&mut Value);
    let rows: &[(&str, &Value, &str, Mutation, &str)] = &[
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.hostnames",
            |o| o["spec"]["hostnames"] = serde_json::json!(["192.0.2.1"]),
            "a TLSRoute hostname may not be an IP address (CEL: !isIP(h))",
        ),
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.hostnames",
            |o| o["spec"]["hostnames"] = serde_json::json!(["cache.*.example.com"]),
            "a wildcard only as the first label (CEL: startsWith('*.'))",
        ),
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.hostnames",
            |o| {
                o["spec"].as_object_mut().expect("spec").remove("hostnames");
            },
            "v1 requires hostnames",
        ),
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.parentRefs",
            |o| {
                let p = o["spec"]["parentRefs"][0].clone();
                o["spec"]["parentRefs"] = serde_json::json!([p, p]);
            },
            "the same parent twice (CEL: sectionName must be unique)",
        ),
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.rules[0].backendRefs[0]",
            |o| {
                o["spec"]["rules"][0]["backendRefs"][0]
                    .as_object_mut()
                    .expect("ref")
                    .remove("port");
            },
            "a Service backend needs a port (CEL on BackendRef)",
        ),
        (
            "Gateway API 1.6.1 standard",
            &route,
            "spec.colour",
            |o| o["spec"]["colour"] = "blue".into(),
            "an unknown field (strict field validation)",
        ),
        (
            "Gateway API 1.4.1 experimental",
            &route,
            "apiVersion",
            |_| {},
            "Gateway API 1.4.1 serves no TLSRoute v1",
        ),
        (
            "OpenShift release-4.22",
            &os,
            "spec",
            |o| o["spec"]["httpHeaders"] = serde_json::json!({"actions": {}}),
            "passthrough routes cannot set headers (CEL on spec)",
        ),
        (
            "OpenShift release-4.22",
            &os,
            "spec.tls",
            |o| o["spec"]["tls"]["insecureEdgeTerminationPolicy"] = "Allow".into(),
            "passthrough cannot allow plain HTTP (CEL on spec.tls)",
        ),
        (
            "OpenShift release-4.22",
            &os,
            "metadata.labels",
            |o| o["metadata"]["labels"] = serde_json::json!({"app": "x".repeat(64)}),
            "a label value over 63 characters (ObjectMeta)",
        ),
    ];
    for (cluster, base, path, mutate, why) in rows {
        let mut object = (*base).clone();
        mutate(&mut object);
        let judge = &clusters
            .iter()
            .find(|(n, _)| n == cluster)
            .expect("cluster")
            .1;
        let verdict = judge.check(&object);
        assert!(
            verdict.violations.iter().any(|v| v.path.starts_with(path)),
            "{why}: want a violation at {path}, got {:?}",
            verdict.violations
        );
        // The unmutated object is accepted, so the row tests its mutation.
        if *cluster != "Gateway API 1.4.1 experimental" {
            assert!(judge.check(base).accepted(), "{why}: the base is accepted");
        }
    }
}

/// A host of exactly `len` characters (4 to 253) made of labels of at most
/// `label` characters (1 to 63), ending in `.example`.
fn host_of(len: usize, label: usize) -> String {
    let mut host = String::new();
    let body = len - ".example".len();
    while host.len() < body {
        let room = body - host.len();
        let take = if host.is_empty() {
            room.min(label)
        } else {
            (room - 1).min(label)
        };
        if take == 0 {
            // One character left after a dot: lengthen the last label instead.
            host.push('b');
            continue;
        }
        if !host.is_empty() {
            host.push('.');
        }
        host.push_str(&"a".repeat(take));
    }
    format!("{host}.example")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 96, ..Default::default() })]

    /// At every legal host length and label length, on every route kind,
    /// and for every legal cache name length: the objects pass their CRDs'
    /// schemas and rules, the Certificate's commonName fits cert-manager's
    /// webhook (≤ 64 bytes, or none), and the Flux Kustomization's name fits
    /// the label kustomize-controller copies it into (≤ 63).
    #[test]
    fn every_legal_length_passes_the_references_admission(
        len in 12usize..=253,
        label in 1usize..=63,
        method in proptest::sample::select(vec!["gateway", "traefik", "openshift", "istio", "ingress"]),
        cache in 1usize..=63,
    ) {
        use msr_expose_core::certplan::{KeyType, cert_manager};
        let Some(dir) = crds() else { return Ok(()) };
        let host = host_of(len, label);
        proptest::prop_assert_eq!(host.len(), len);
        let parent = if method == "gateway" { "gatewayClassName: cilium\n" } else { "" };
        let yaml = format!("method: {method}\nexternalFqdn: {host}\n{parent}");
        let spec = spec(&yaml);
        let g = msr_expose_core::generate(&spec);
        let out = g.output.ok_or_else(|| proptest::test_runner::TestCaseError::fail(format!("{yaml}: {:?}", g.findings)))?;
        CLUSTERS_ONCE.with(|once| {
        let clusters = once.get_or_init(|| load(&dir));
        let mut tally = Tally::default();
        for object in docs(&out.yaml) {
            tally.judge(clusters, &object, &yaml);
        }
        let (valid, _) = msr_expose_core::validate(&spec);
        let cert = cert_manager(&valid.expect("valid"), "msr-ca", "ClusterIssuer", KeyType::P256);
        let cert = serde_json::to_value(&cert.body).expect("json");
        tally.judge(clusters, &cert, &format!("{yaml}: its Certificate"));
        if let Some(cn) = cert["spec"]["commonName"].as_str() {
            proptest::prop_assert!(cn.len() <= 64, "commonName of {} bytes", cn.len());
        }
        let name = "c".repeat(cache);
        let fleet = format!("caches:\n  - name: {name}\n    method: nodeport\n    nodeFqdn: worker1.example.com\n");
        let fleet = msr_expose_core::fleet::from_text(&fleet).expect("fleet");
        let tree = msr_expose_core::fleet_files::tree(&fleet, &[None]).expect("tree");
        for file in tree.files.iter().filter(|f| f.path.starts_with("gitops/flux/")) {
            for object in docs(&file.content) {
                let kustomization = object["metadata"]["name"].as_str().unwrap_or_default();
                proptest::prop_assert!(kustomization.len() <= 63, "{kustomization}");
                tally.judge(clusters, &object, &file.path);
            }
        }
        proptest::prop_assert!(tally.failures.is_empty(), "{}", tally.failures.join("\n"));
        Ok(())
        })?;
    }
}

thread_local! {
    /// The clusters, read once for the property test's cases.
    static CLUSTERS_ONCE: std::cell::OnceCell<Vec<(&'static str, Cluster)>> =
        const { std::cell::OnceCell::new() };
}
