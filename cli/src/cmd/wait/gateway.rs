//! Gateway API: the parent (Gateway or ListenerSet) Programmed by its
//! controller with an address, and the TLSRoute Accepted by it — each
//! failure reason explained. The verdict is taken again whenever the route
//! or its parent changes (kube's `watch_object` on each).

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, explain, resource, served_versions, watch_failed};
use kube::api::DynamicObject;
use kube::{Api, Client};
use msr_expose_core::method::gateway::{GROUP, GatewayRoute, Parent};
use msr_expose_core::{Code, ValidSpec};
use serde_json::Value;

/// Checks, before anything is applied, what the Gateway API path needs
/// beyond its kinds: ListenerSet served when the route attaches to one, the
/// GatewayClass when msr-expose creates the Gateway, and a route version
/// its controller watches (`truth`).
pub async fn preflight(client: &Client, spec: &ValidSpec, g: &GatewayRoute) -> Result<(), Refusal> {
    let ls = msr_expose_core::method::gateway::listener_set(g.route_version);
    if let Parent::Existing {
        kind: "ListenerSet",
        ..
    } = &g.parent
        && !served_versions(client, ls.plural, ls.group)
            .await?
            .is_some_and(|v| v.iter().any(|x| x == ls.version))
    {
        return Err(Refusal::new(
            Code::ClusterVersionNotServed,
            format!(
                "the cluster serves no {} {} ({}.{}), the ListenerSet of TLSRoute {}",
                ls.kind, ls.version, ls.plural, ls.group, g.route_version
            ),
            "attach to the Gateway with --gateway-name, or install the Gateway API CRDs whose channel has it (ListenerSet v1: standard channel from 1.5; XListenerSet: experimental channel before 1.5)",
        ));
    }
    if let Parent::Create { class } = &g.parent {
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
    super::truth::route_truth(client, spec, g)
        .await?
        .check(g.route_version)?;
    Ok(())
}

/// Waits until the route is accepted and the Gateway has an address.
pub async fn wait(
    client: &Client,
    spec: &ValidSpec,
    g: &GatewayRoute,
    pending: &mut String,
) -> Result<Reached, Refusal> {
    let mut changes = gateway_changes(client, spec, g);
    // What the cluster serves and the controller watches, for the message
    // of a route nobody picks up (best effort: unknown stays unsaid).
    let truth = super::truth::route_truth(client, spec, g).await.ok();
    loop {
        match gateway_state(client, spec, g, truth.as_ref()).await? {
            GatewayState::Ready(a) => {
                return Ok(super::reached::passthrough(&g.host, Some(a), &spec.ca_file));
            }
            GatewayState::Failed(why) => return Err(why),
            GatewayState::Waiting(why) => *pending = why,
        }
        if let Some(Err(e)) = futures::StreamExt::next(&mut changes).await {
            return Err(watch_failed(
                e,
                "the TLSRoute and its Gateway",
                &spec.namespace,
            ));
        }
    }
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
    let r = if kind == "ListenerSet" {
        let ls = msr_expose_core::method::gateway::listener_set(g.route_version);
        resource(&format!("{}/{}", ls.group, ls.version), ls.kind, ls.plural)
    } else {
        resource(&format!("{GROUP}/v1"), kind, "gateways")
    };
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
    truth: Option<&super::truth::RouteTruth>,
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
    let controller = super::truth::class_controller(client, &class).await;
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
            format!(
                "no controller has picked up this TLSRoute {} ({}): the Gateway's controller may not watch this version, or may not support TLSRoute",
                g.route_version,
                truth.map_or_else(
                    || "what the cluster serves is not known".to_string(),
                    |t| t.describe()
                )
            )
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
                "NoMatchingListenerHostname" => format!("no listener hostname of {gw} covers {}: set the listener's hostname to it, or leave it empty (a listener's `*.` covers any number of labels, a certificate's only one: the cache's certificate must still name {} itself or by a one-label wildcard)", g.host, g.host),
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
