//! `apply` for the methods whose objects are custom resources (Gateway API,
//! Traefik): preflight checks that the cluster serves the kinds and version
//! (read from the CRDs) and that the GatewayClass exists, server-side apply
//! through kube's dynamic API, the other TLSRoutes and IngressRouteTCPs that
//! already route to the cache, and what to wait for: the Gateway Programmed
//! with an address, the route Accepted by its parent — each failure reason
//! explained.

use super::apply::{Refusal, explain};
use kube::api::{ApiResource, DeleteParams, DynamicObject, ListParams, Patch, PatchParams};
use kube::{Api, Client};
use msr_expose_core::Code;
use msr_expose_core::manifest::Object;
use msr_expose_core::method::gateway::{GROUP, GatewayRoute, Parent};
use msr_expose_core::{Exposure, ValidSpec};
use serde_json::Value;

/// The API resource of a custom object.
pub fn resource(api_version: &str, kind: &str, plural: &str) -> ApiResource {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: api_version.into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The CRD of `plural.group`: its served versions, or `None` when it is not installed.
async fn served_versions(
    client: &Client,
    plural: &str,
    group: &str,
) -> Result<Option<Vec<String>>, Refusal> {
    let crds = resource(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    );
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &crds);
    let name = format!("{plural}.{group}");
    let crd = api
        .get_opt(&name)
        .await
        .map_err(|e| explain(e, &format!("reading the CRD {name}"), ""))?;
    Ok(crd.map(|c| {
        c.data["spec"]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["served"].as_bool().unwrap_or(false))
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect()
    }))
}

/// Checks, before anything is applied, that the cluster serves every kind
/// and version of the manifest, and that a GatewayClass to use exists.
pub async fn preflight(
    client: &Client,
    spec: &ValidSpec,
    objects: &[Object],
) -> Result<(), Refusal> {
    for o in objects {
        let r = resource(&o.api_version, o.kind, o.plural);
        let served = served_versions(client, o.plural, &r.group).await?;
        let install = match r.group.as_str() {
            GROUP => {
                "install the Gateway API CRDs, standard channel 1.5 or later (TLSRoute v1 is in it), or the ones your Gateway controller documents"
            }
            _ => {
                "install Traefik's CRDs (k3s ships them with Traefik; with Helm they come with the chart)"
            }
        };
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
            let fix = match (o.kind, served.iter().any(|v| v == "v1alpha2"), served.iter().any(|v| v == "v1")) {
                ("TLSRoute", true, false) => "re-run with --gateway-api-version v1alpha2 (gatewayApiVersion: v1alpha2), or upgrade to the standard channel of Gateway API 1.5 or later; do not install experimental CRDs over standard ones".to_string(),
                ("TLSRoute", _, true) => "re-run with --gateway-api-version v1".to_string(),
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
    if let Exposure::Gateway(GatewayRoute {
        parent: Parent::Existing {
            kind: "ListenerSet",
            ..
        },
        ..
    }) = &spec.exposure
        && !served_versions(client, "listenersets", GROUP)
            .await?
            .is_some_and(|v| v.iter().any(|x| x == "v1"))
    {
        return Err(Refusal::new(
            Code::ClusterVersionNotServed,
            "the cluster serves no ListenerSet v1 (listenersets.gateway.networking.k8s.io)",
            "attach to the Gateway with --gateway-name, or upgrade the Gateway API CRDs to a release whose standard channel has ListenerSet",
        ));
    }
    if let Exposure::Gateway(GatewayRoute {
        parent: Parent::Create { class },
        ..
    }) = &spec.exposure
    {
        let classes = resource(&format!("{GROUP}/v1"), "GatewayClass", "gatewayclasses");
        let api: Api<DynamicObject> = Api::all_with(client.clone(), &classes);
        if api
            .get_opt(class)
            .await
            .map_err(|e| explain(e, &format!("reading the GatewayClass {class}"), ""))?
            .is_none()
        {
            return Err(Refusal::new(
                Code::GatewayClassMissing,
                format!("the GatewayClass {class} does not exist"),
                "kubectl get gatewayclass lists the ones your Gateway controllers provide; name one with --gateway-class, or attach to an existing Gateway with --gateway-name",
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

/// The namespace's TLSRoutes and IngressRouteTCPs (where their kinds are
/// installed), as JSON with the resource to reach them through; the core
/// judges which of them route to the cache.
pub async fn route_objects(
    client: &Client,
    spec: &ValidSpec,
) -> Result<Vec<(&'static str, Value, ApiResource)>, Refusal> {
    let ns = spec.namespace.as_str();
    let mut out = Vec::new();
    let kinds = [
        ("TLSRoute", "tlsroutes", GROUP),
        ("IngressRouteTCP", "ingressroutetcps", "traefik.io"),
    ];
    for (kind, plural, group) in kinds {
        // Not installed: nothing of that kind can route to the cache.
        let Some(served) = served_versions(client, plural, group).await? else {
            continue;
        };
        let Some(version) = served.first() else {
            continue;
        };
        let r = resource(&format!("{group}/{version}"), kind, plural);
        let api: Api<DynamicObject> = Api::namespaced_with(client.clone(), ns, &r);
        let list = api
            .list(&ListParams::default())
            .await
            .map_err(|e| explain(e, &format!("listing {plural}"), ns))?;
        for item in list.items {
            let data = serde_json::to_value(&item).unwrap_or_default();
            out.push((kind, data, r.clone()));
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

/// What the Gateway API path has reached so far.
pub enum GatewayState {
    /// Programmed, route accepted: the address clients' DNS must point at.
    Ready(String),
    /// Not yet, with what is missing (shown if the wait times out).
    Waiting(String),
    /// A failure that waiting will not cure.
    Failed(Refusal),
}

/// The route's parent (Gateway or ListenerSet): its kind, namespace, name
/// and an API handle on it.
fn parent_api(
    client: &Client,
    spec: &ValidSpec,
    g: &GatewayRoute,
) -> (&'static str, String, String, Api<DynamicObject>) {
    let (kind, ns, name) = msr_expose_core::method::gateway::parent_of(spec, g);
    let plural = if kind == "ListenerSet" {
        "listenersets"
    } else {
        "gateways"
    };
    let r = resource(&format!("{GROUP}/v1"), kind, plural);
    let api = Api::<DynamicObject>::namespaced_with(client.clone(), &ns, &r);
    (kind, ns, name, api)
}

/// An API handle on the cache's TLSRoutes, at the spec's route version.
fn route_api(client: &Client, spec: &ValidSpec, g: &GatewayRoute) -> Api<DynamicObject> {
    let r = resource(
        &format!("{GROUP}/{}", g.route_version),
        "TLSRoute",
        "tlsroutes",
    );
    Api::<DynamicObject>::namespaced_with(client.clone(), &spec.namespace, &r)
}

/// A stream that yields whenever the TLSRoute or its parent (Gateway or
/// ListenerSet) changes: kube's `watch_object` on each, merged.
pub fn gateway_changes(
    client: &Client,
    spec: &ValidSpec,
    g: &GatewayRoute,
) -> impl futures::Stream<Item = Result<(), kube::runtime::watcher::Error>> + Unpin + use<> {
    use futures::StreamExt;
    use kube::runtime::watcher::watch_object;
    let (_, _, parent_name, parents) = parent_api(client, spec, g);
    let parent = watch_object(parents, &parent_name);
    let route = watch_object(route_api(client, spec, g), &spec.name);
    futures::stream::select(parent.map(|e| e.map(drop)), route.map(|e| e.map(drop))).boxed()
}

/// Reads the parent (Gateway or ListenerSet), its Gateway's class and the
/// route once, and says where they stand.
pub async fn gateway_state(
    client: &Client,
    spec: &ValidSpec,
    g: &GatewayRoute,
) -> Result<GatewayState, Refusal> {
    let (kind, parent_ns, parent_name, parents) = parent_api(client, spec, g);
    let parent = parents
        .get_opt(&parent_name)
        .await
        .map_err(|e| explain(e, &format!("reading the {kind}"), &parent_ns))?;
    let Some(parent) = parent else {
        return Ok(GatewayState::Failed(Refusal::new(
            Code::GatewayParentNotFound,
            format!("the {kind} {parent_ns}/{parent_name} does not exist"),
            format!(
                "name an existing one (kubectl get {} -A), or create a Gateway with --gateway-class",
                kind.to_ascii_lowercase()
            ),
        )));
    };
    // The Gateway holding the addresses: the parent itself, or the
    // ListenerSet's parent Gateway.
    let (gw_ns, gw_name) = if kind == "ListenerSet" {
        let r = &parent.data["spec"]["parentRef"];
        (
            r["namespace"].as_str().unwrap_or(&parent_ns).to_string(),
            r["name"].as_str().unwrap_or_default().to_string(),
        )
    } else {
        (parent_ns.clone(), parent_name.clone())
    };
    let gateways = resource(&format!("{GROUP}/v1"), "Gateway", "gateways");
    let gateway = Api::<DynamicObject>::namespaced_with(client.clone(), &gw_ns, &gateways)
        .get_opt(&gw_name)
        .await
        .map_err(|e| explain(e, "reading the Gateway", &gw_ns))?;
    let Some(gateway) = gateway else {
        return Ok(GatewayState::Failed(Refusal::new(
            Code::GatewayParentNotFound,
            format!("the Gateway {gw_ns}/{gw_name} does not exist"),
            "name an existing Gateway (kubectl get gateway -A), or create one with --gateway-class",
        )));
    };
    // The controller of the Gateway's class: only its status on the route counts.
    let class = gateway.data["spec"]["gatewayClassName"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let classes = resource(&format!("{GROUP}/v1"), "GatewayClass", "gatewayclasses");
    let controller = Api::<DynamicObject>::all_with(client.clone(), &classes)
        .get_opt(&class)
        .await
        .ok()
        .flatten()
        .and_then(|c| {
            c.data["spec"]["controllerName"]
                .as_str()
                .map(str::to_string)
        });
    let condition = |obj: &Value, t: &str| -> Option<(bool, String, String)> {
        obj["conditions"]
            .as_array()?
            .iter()
            .find(|c| c["type"] == t)
            .map(|c| {
                (
                    c["status"] == "True",
                    c["reason"].as_str().unwrap_or_default().to_string(),
                    c["message"].as_str().unwrap_or_default().to_string(),
                )
            })
    };
    for (what, obj) in [(kind, &parent), ("Gateway", &gateway)] {
        let name = obj.metadata.name.clone().unwrap_or_default();
        match condition(&obj.data["status"], "Programmed") {
            Some((true, _, _)) => {}
            Some((false, reason, message)) => {
                return Ok(GatewayState::Waiting(format!(
                    "the {what} {name} is not Programmed ({reason}: {message})"
                )));
            }
            None => {
                return Ok(GatewayState::Waiting(format!(
                    "the {what} {name} has no status: no controller handles its GatewayClass {class} (kubectl get gatewayclass shows whether the class is Accepted)"
                )));
            }
        }
    }
    let status = &gateway.data["status"];
    let gw = parent_name;
    let route = route_api(client, spec, g)
        .get(&spec.name)
        .await
        .map_err(|e| explain(e, "reading the TLSRoute", &spec.namespace))?;
    let statuses = route.data["status"]["parents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let ours = |p: &&Value| {
        p["parentRef"]["name"] == gw.as_str()
            && controller
                .as_deref()
                .is_none_or(|c| p["controllerName"] == c)
    };
    let Some(parent) = statuses.iter().find(ours) else {
        let others: Vec<&str> = statuses
            .iter()
            .filter_map(|p| p["controllerName"].as_str())
            .collect();
        return Ok(GatewayState::Waiting(if others.is_empty() {
            "the TLSRoute has no status from its parent: no controller handles the route (the Gateway's controller may not support TLSRoute)".into()
        } else {
            format!(
                "the TLSRoute has status only from {}, not from {}, the controller of the class {class}",
                others.join(", "),
                controller.as_deref().unwrap_or("the class's controller")
            )
        }));
    };
    for t in ["Accepted", "ResolvedRefs"] {
        if let Some((false, reason, message)) = condition(parent, t) {
            let why = match reason.as_str() {
                "NotAllowedByListeners" => format!("no listener of {gw} admits the route: it needs protocol TLS with tls.mode Passthrough, and allowedRoutes admitting namespace {} and the kind TLSRoute", spec.namespace),
                "NoMatchingListenerHostname" => format!("no listener hostname of {gw} covers {}: set the listener's hostname to it (or a wildcard over it), or leave it empty", g.host),
                "NoMatchingParent" => format!("{gw} has no listener named as the route's sectionName"),
                "BackendNotFound" => format!("the Service {}/{} the route points at does not exist: the cache's own Service must be there", spec.namespace, spec.name),
                "RefNotPermitted" => "a reference across namespaces is not permitted: a ReferenceGrant is needed in the target namespace".into(),
                "UnsupportedValue" => "the controller does not support something in the route".into(),
                _ => message.clone(),
            };
            return Ok(GatewayState::Failed(Refusal::new(
                Code::GatewayRouteNotAccepted,
                format!("the TLSRoute is not {t} ({reason}): {why}"),
                "fix what the controller names, then re-run; kubectl describe tlsroute shows its conditions",
            )));
        }
    }
    if condition(parent, "Accepted").is_none() {
        return Ok(GatewayState::Waiting(
            "the TLSRoute is not Accepted yet".into(),
        ));
    }
    // The listener the route attached to counts it (when the controller
    // reports listeners at all).
    let section = route.data["spec"]["parentRefs"][0]["sectionName"]
        .as_str()
        .map(str::to_string);
    if let (Some(section), Some(listeners)) = (section, status["listeners"].as_array())
        && let Some(l) = listeners.iter().find(|l| l["name"] == section.as_str())
        && l["attachedRoutes"].as_i64() == Some(0)
    {
        return Ok(GatewayState::Waiting(format!(
            "the listener {section} of {gw} counts no attached routes yet"
        )));
    }
    match status["addresses"][0]["value"].as_str() {
        Some(a) => Ok(GatewayState::Ready(a.to_string())),
        None => Ok(GatewayState::Waiting(format!(
            "the Gateway {gw_ns}/{gw_name} has no address yet"
        ))),
    }
}

/// Traefik's address, from its Service (best effort: `None` when not found).
pub async fn traefik_address(client: &Client) -> Option<String> {
    let services: Api<k8s_openapi::api::core::v1::Service> = Api::all(client.clone());
    let list = services
        .list(&ListParams::default().labels("app.kubernetes.io/name=traefik"))
        .await
        .ok()?;
    list.items.into_iter().find_map(|s| {
        let i = s.status?.load_balancer?.ingress?.into_iter().next()?;
        i.ip.or(i.hostname)
    })
}
