//! Which objects already in the cluster expose the cache — the rule behind
//! "exactly one interface". `apply` lists the kinds the registry names
//! (`method::listed_kinds`: Services, Ingresses, TLSRoutes,
//! IngressRouteTCPs, Routes, VirtualServices) in the cache's namespace and
//! hands them here as JSON; each method says which objects expose the cache
//! through it, and this module which of them are another exposure than the
//! spec's, and whether msr-expose manages them (so `--replace` may remove
//! them).

use crate::method::{ClusterObject, Method};
use crate::steps::FIELD_MANAGER;
use crate::validate::ValidSpec;
use serde_json::Value;

/// An object of the cluster, as the API server returned it.
pub type Object<'a> = ClusterObject<'a>;

/// Another exposure of the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Other {
    /// The object's kind.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// `Service/msr/x (type NodePort)`, for messages.
    pub description: String,
    /// Whether msr-expose applied it (server-side apply by its field manager).
    pub managed: bool,
    /// Whether removing it means turning the cache's own Service back into
    /// a ClusterIP Service (a passthrough method routes to it) rather than
    /// deleting the object.
    pub demote_to_cluster_ip: bool,
}

/// The objects among `objects` (all in the spec's namespace) that expose
/// the cache through another interface than the one `spec` describes.
pub fn other_exposures(spec: &ValidSpec, objects: &[Object<'_>]) -> Vec<Other> {
    let ours = spec.manifest();
    let ns = &spec.namespace;
    objects
        .iter()
        .filter_map(|o| {
            let name = o.data["metadata"]["name"].as_str().unwrap_or_default();
            let applied_by_spec = ours
                .items()
                .iter()
                .any(|mine| mine.kind == o.kind && mine.name == name);
            if applied_by_spec {
                return None; // the object this spec applies
            }
            let exposes = Method::ALL.iter().any(|m| m.exposes(o, &spec.common));
            exposes.then(|| {
                let description = match o.kind {
                    "Service" => format!(
                        "Service/{ns}/{name} (type {})",
                        o.data["spec"]["type"].as_str().unwrap_or_default()
                    ),
                    kind => format!("{kind}/{ns}/{name}"),
                };
                Other {
                    kind: o.kind.to_string(),
                    name: name.to_string(),
                    description,
                    managed: managed_by_us(o.data),
                    demote_to_cluster_ip: o.kind == "Service" && name == spec.name,
                }
            })
        })
        .collect()
}

/// Applied by msr-expose: its field manager did a server-side apply.
fn managed_by_us(data: &Value) -> bool {
    data["metadata"]["managedFields"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|f| f["manager"] == FIELD_MANAGER && f["operation"] == "Apply")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Spec, validate};
    use serde_json::json;

    fn spec(yaml: &str) -> ValidSpec {
        validate(&Spec::from_text(yaml).expect("spec"))
            .0
            .expect("valid")
    }

    fn svc(name: &str, kind: &str, selector: Value, manager: &str) -> Value {
        json!({
            "metadata": { "name": name, "managedFields": [{ "manager": manager, "operation": "Apply" }] },
            "spec": { "type": kind, "selector": selector }
        })
    }

    fn ingress(name: &str, backend: &str) -> Value {
        json!({
            "metadata": { "name": name },
            "spec": { "rules": [{ "http": { "paths": [{ "path": "/", "backend": { "service": { "name": backend } } }] } }] }
        })
    }

    const NODEPORT: &str = "nodeFqdn: w1.example.com\n";
    const INGRESS: &str = "externalFqdn: cache.example.com\n";
    const GATEWAY: &str =
        "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: cilium\n";

    /// (spec, kind, object, expected description or None, reason)
    fn cases() -> Vec<(
        &'static str,
        &'static str,
        Value,
        Option<&'static str>,
        &'static str,
    )> {
        let cache = json!({ "app": "msr-cache" });
        vec![
            (
                NODEPORT,
                "Service",
                svc("msr-cache", "NodePort", cache.clone(), "msr-expose"),
                None,
                "the Service this spec applies",
            ),
            (
                NODEPORT,
                "Service",
                svc("other", "LoadBalancer", cache.clone(), "kubectl"),
                Some("Service/msr/other (type LoadBalancer)"),
                "a LoadBalancer selecting the cache",
            ),
            (
                NODEPORT,
                "Service",
                svc("other", "ClusterIP", cache.clone(), "kubectl"),
                None,
                "a ClusterIP Service is not external",
            ),
            (
                NODEPORT,
                "Service",
                svc("other", "NodePort", json!({ "app": "web" }), "kubectl"),
                None,
                "selects other pods",
            ),
            (
                NODEPORT,
                "Service",
                svc("other", "NodePort", json!({}), "kubectl"),
                None,
                "an empty selector selects nothing it manages",
            ),
            (
                NODEPORT,
                "Service",
                svc(
                    "other",
                    "NodePort",
                    json!({ "app": "msr-cache", "tier": "x" }),
                    "kubectl",
                ),
                None,
                "a selector naming a label the spec's does not: not known to pick the cache's pods",
            ),
            (
                NODEPORT,
                "Ingress",
                ingress("old", "msr-cache"),
                Some("Ingress/msr/old"),
                "an Ingress to the cache",
            ),
            (
                NODEPORT,
                "Ingress",
                ingress("web", "web"),
                None,
                "an Ingress to something else",
            ),
            (
                INGRESS,
                "Ingress",
                ingress("msr-cache", "msr-cache"),
                None,
                "the Ingress this spec applies",
            ),
            (
                INGRESS,
                "Service",
                svc("msr-cache", "NodePort", cache.clone(), "msr-expose"),
                Some("Service/msr/msr-cache (type NodePort)"),
                "the cache's own Service made external: passthrough needs it ClusterIP",
            ),
            (
                GATEWAY,
                "TLSRoute",
                json!({ "metadata": { "name": "msr-cache" }, "spec": { "rules": [{ "backendRefs": [{ "name": "msr-cache", "port": 443 }] }] } }),
                None,
                "the TLSRoute this spec applies",
            ),
            (
                NODEPORT,
                "TLSRoute",
                json!({ "metadata": { "name": "msr-cache" }, "spec": { "rules": [{ "backendRefs": [{ "name": "msr-cache", "port": 443 }] }] } }),
                Some("TLSRoute/msr/msr-cache"),
                "a TLSRoute when exposing through a NodePort",
            ),
            (
                GATEWAY,
                "TLSRoute",
                json!({ "metadata": { "name": "x" }, "spec": { "rules": [{ "backendRefs": [{ "name": "msr-cache", "kind": "ServiceImport" }] }] } }),
                None,
                "a backend of another kind",
            ),
            (
                GATEWAY,
                "IngressRouteTCP",
                json!({ "metadata": { "name": "t" }, "spec": { "routes": [{ "services": [{ "name": "msr-cache" }] }] } }),
                Some("IngressRouteTCP/msr/t"),
                "a Traefik route to the cache",
            ),
            (
                NODEPORT,
                "ConfigMap",
                json!({ "metadata": { "name": "msr-cache" } }),
                None,
                "other kinds are not looked at",
            ),
        ]
    }

    #[test]
    fn which_objects_expose_the_cache() {
        for (yaml, kind, data, want, why) in cases() {
            let got = other_exposures(&spec(yaml), &[Object { kind, data: &data }]);
            let got = got.first().map(|o| o.description.as_str());
            assert_eq!(got, want, "{why}");
        }
    }

    #[test]
    fn managed_and_demoted() {
        let s = spec(INGRESS);
        let ours = svc(
            "msr-cache",
            "NodePort",
            json!({ "app": "msr-cache" }),
            "msr-expose",
        );
        let theirs = svc("np", "NodePort", json!({ "app": "msr-cache" }), "kubectl");
        let found = other_exposures(
            &s,
            &[
                Object {
                    kind: "Service",
                    data: &ours,
                },
                Object {
                    kind: "Service",
                    data: &theirs,
                },
            ],
        );
        assert_eq!(
            found
                .iter()
                .map(|o| (o.managed, o.demote_to_cluster_ip))
                .collect::<Vec<_>>(),
            [(true, true), (false, false)]
        );
    }
}
