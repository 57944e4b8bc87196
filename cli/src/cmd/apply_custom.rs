//! `apply` for the methods whose objects are custom resources (Gateway API,
//! Traefik, OpenShift, Istio): preflight checks that the cluster serves the
//! kinds and versions (read from the CRDs, or API discovery for OpenShift's
//! aggregated Route), server-side apply through kube's dynamic API, and the
//! objects of the kinds the registry lists that may already route to the
//! cache. What to wait for is each method's (`wait`).

use super::cluster::{Refusal, explain, resource, served_versions};
use kube::api::{ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use kube::{Api, Client};
use msr_expose_core::Code;
use msr_expose_core::ValidSpec;
use msr_expose_core::manifest::Object;
use msr_expose_core::method::listed_kinds;
use serde_json::Value;

/// The versions the cluster serves of `plural.group`, or `None` when it
/// serves none: read from the CRD, or — for OpenShift's Route, which an
/// aggregated API server serves and no CRD declares — from API discovery.
async fn served(
    client: &Client,
    plural: &str,
    group: &str,
) -> Result<Option<Vec<String>>, Refusal> {
    if group != "route.openshift.io" {
        return served_versions(client, plural, group).await;
    }
    match client
        .list_api_group_resources(&format!("{group}/v1"))
        .await
    {
        Ok(list) => Ok(list
            .resources
            .iter()
            .any(|r| r.name == plural)
            .then(|| vec!["v1".to_string()])),
        Err(kube::Error::Api(e)) if e.code == 404 => Ok(None),
        Err(e) => Err(explain(e, &format!("discovering {group}/v1"), "")),
    }
}

/// Checks, before anything is applied, that the cluster serves every
/// custom kind and version of the manifest.
pub async fn preflight(client: &Client, objects: &[Object]) -> Result<(), Refusal> {
    for o in objects {
        let r = resource(&o.api_version, o.kind, o.plural);
        if matches!(r.group.as_str(), "" | "networking.k8s.io") {
            continue; // core kinds: every cluster serves them
        }
        let served = served(client, o.plural, &r.group).await?;
        let install = match r.group.as_str() {
            "gateway.networking.k8s.io" => {
                "install the Gateway API CRDs, standard channel 1.5 or later (TLSRoute v1 is in it), or the ones your Gateway controller documents (MKE 4k and MKE 3.9 install them with Envoy Gateway)"
            }
            "traefik.io" => {
                "install Traefik's CRDs (k3s ships them with Traefik; with Helm they come with the chart)"
            }
            "route.openshift.io" => {
                "Routes are served by OpenShift (and MicroShift); on another distribution use its own method, such as --method gateway"
            }
            "networking.istio.io" => {
                "install Istio (its base chart or istioctl install brings the networking.istio.io CRDs)"
            }
            _ => "install the CRDs of that group",
        };
        // Traefik before 2.10 serves its kinds only in the old group.
        if served.is_none()
            && r.group == "traefik.io"
            && served_versions(client, o.plural, "traefik.containo.us")
                .await?
                .is_some()
        {
            return Err(Refusal::new(
                Code::ClusterVersionNotServed,
                format!(
                    "the cluster serves {} only in Traefik's old group traefik.containo.us (Traefik before 2.10), not traefik.io",
                    o.kind
                ),
                "upgrade Traefik to 2.10 or later (3.x serves traefik.io only) with its CRDs; msr-expose writes traefik.io/v1alpha1",
            ));
        }
        let Some(served) = served else {
            return Err(Refusal::new(
                Code::ClusterCrdMissing,
                format!(
                    "the cluster has no {} kind ({}.{} is not installed)",
                    o.kind, o.plural, r.group
                ),
                install,
            ));
        };
        if !served.contains(&r.version) {
            let serves = |v: &str| served.iter().any(|x| x == v);
            let fix = match (o.kind, serves("v1alpha3"), serves("v1alpha2"), serves("v1")) {
                ("TLSRoute", _, _, true) => "re-run with --gateway-api-version v1 (or the platform profile of the controller that runs there)".to_string(),
                ("TLSRoute", true, _, false) => "re-run with --gateway-api-version v1alpha3 (what Envoy Gateway 1.6 and 1.7 watch; --platform envoy-gateway-1.7 or the MKE profile sets it), or upgrade to the standard channel of Gateway API 1.5 or later with a controller that watches v1".to_string(),
                ("TLSRoute", false, true, false) => "re-run with --gateway-api-version v1alpha2, or upgrade to the standard channel of Gateway API 1.5 or later; do not install experimental CRDs over standard ones".to_string(),
                ("Gateway" | "VirtualService", _, _, _) if r.group == "networking.istio.io" && serves("v1beta1") => "Istio before 1.22 serves networking.istio.io v1beta1 only: upgrade Istio to 1.22 or later (v1), which msr-expose writes".to_string(),
                _ => format!("upgrade the CRDs of {} to a release that serves {}", r.group, r.version),
            };
            return Err(Refusal::new(
                Code::ClusterVersionNotServed,
                format!(
                    "the cluster serves {} only as {}, not {}",
                    o.kind,
                    served.join(", "),
                    r.version
                ),
                fix,
            ));
        }
    }
    Ok(())
}

/// Server-side apply of the objects in order; the route's resourceVersion
/// before and after (the last object's).
pub async fn apply(
    client: &Client,
    params: &PatchParams,
    objects: &[Object],
) -> Result<(Option<String>, Option<String>), Refusal> {
    let mut last = (None, None);
    for o in objects {
        let r = resource(&o.api_version, o.kind, o.plural);
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), &o.namespace, &r);
        let before = api
            .get_opt(&o.name)
            .await
            .map_err(|e| explain(e, &format!("reading the {}", o.kind), &o.namespace))?;
        let obj: DynamicObject = serde_json::from_value(o.body.clone()).map_err(|e| {
            Refusal::new(
                Code::OutputInternal,
                format!("the {} msr-expose built is not an object: {e}", o.kind),
                "this is a bug: please report it with the spec",
            )
        })?;
        let after = api
            .patch(&o.name, params, &Patch::Apply(&obj))
            .await
            .map_err(|e| explain(e, &format!("applying the {}", o.kind), &o.namespace))?;
        last = (
            before.and_then(|b| b.metadata.resource_version),
            after.metadata.resource_version,
        );
    }
    Ok(last)
}

/// The namespace's objects of the custom kinds the registry lists (where
/// they are installed), as JSON with the resource to reach them through;
/// the core judges which of them route to the cache.
pub async fn route_objects(
    client: &Client,
    spec: &ValidSpec,
) -> Result<Vec<(&'static str, Value, ApiResource)>, Refusal> {
    let ns = spec.namespace.as_str();
    let mut out = Vec::new();
    for l in listed_kinds() {
        if matches!(l.group, "" | "networking.k8s.io") {
            continue; // core kinds: listed through their typed APIs
        }
        // Not installed: nothing of that kind can route to the cache.
        let Some(served) = served(client, l.plural, l.group).await? else {
            continue;
        };
        let Some(version) = served.first() else {
            continue;
        };
        let r = resource(&format!("{}/{version}", l.group), l.kind, l.plural);
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &r);
        let list = api
            .list(&ListParams::default())
            .await
            .map_err(|e| explain(e, &format!("listing {}", l.plural), ns))?;
        for item in list.items {
            let data = serde_json::to_value(&item).unwrap_or_default();
            out.push((l.kind, data, r.clone()));
        }
    }
    Ok(out)
}

/// Deletes one of them (with --replace).
pub async fn delete(client: &Client, ns: &str, name: &str, r: &ApiResource) -> Result<(), Refusal> {
    let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, r);
    api.delete(name, &DeleteParams::default())
        .await
        .map(|_| ())
        .map_err(|e| explain(e, &format!("removing {}/{ns}/{name}", r.kind), ns))
}
