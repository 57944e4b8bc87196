//! What applying creates, and what must already be in the cluster for it
//! to work: drawn from the spec and the manifest, so the operator sees the
//! prerequisites before the first step.

use msr_expose_core::{Method, Output, Spec};
use yew::prelude::*;

/// Props of [`PlanView`].
#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    /// The outputs (nothing is shown while they are withheld).
    pub output: Option<Output>,
    /// The spec they were made from.
    pub spec: Spec,
}

/// The summary.
#[function_component]
pub fn PlanView(p: &PlanViewProps) -> Html {
    let ids = crate::embed::use_ids();
    let Some(out) = &p.output else {
        return html! {};
    };
    let ns = &p.spec.namespace;
    let creates = out.manifest.objects();
    let selector: Vec<String> = p
        .spec
        .selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut requires = vec![
        format!("the namespace {ns}"),
        format!(
            "the cache's pods, labelled {}, serving HTTPS on {}",
            selector.join(","),
            p.spec.target_port
        ),
    ];
    let name = &p.spec.name;
    match out.method {
        Method::Nodeport => requires.push(
            "a worker node clients reach at the node FQDN, with the node port open in the firewalls between".into(),
        ),
        Method::Loadbalancer => requires.push(
            "a load-balancer provider (a cloud controller, MetalLB with an address pool, kube-vip)".into(),
        ),
        Method::Ingress => {
            requires.push(format!("the cache's Service {name} (ClusterIP, port {})", p.spec.port));
            requires.push(format!(
                "the ingress controller of class {}, running with --enable-ssl-passthrough",
                p.spec.ingress_class_name.as_deref().unwrap_or("nginx")
            ));
        }
        Method::Gateway => {
            requires.push(format!("the cache's Service {name} (ClusterIP, port {})", p.spec.port));
            requires.push(match (&p.spec.gateway_class_name, &p.spec.gateway_name, &p.spec.listener_set_name) {
                (Some(class), _, _) => format!("the GatewayClass {class}, whose controller supports TLSRoute and TLS passthrough"),
                (None, Some(gw), _) => format!(
                    "the Gateway {}/{gw}, with a TLS listener in Passthrough mode that admits TLSRoutes from {ns}",
                    p.spec.gateway_namespace.as_deref().unwrap_or(ns)
                ),
                (None, None, Some(ls)) => format!("the ListenerSet {ls}, with a TLS Passthrough listener"),
                _ => "a GatewayClass or an existing Gateway".into(),
            });
        }
        Method::Openshift => {
            requires.push(format!("the cache's Service {name} (ClusterIP, port {})", p.spec.port));
            requires.push("OpenShift's router (route.openshift.io/v1 Routes), which passes TLS through by SNI".into());
        }
        Method::Istio => {
            requires.push(format!("the cache's Service {name} (ClusterIP, port {})", p.spec.port));
            requires.push(match &p.spec.istio_gateway {
                Some(gw) => format!("the Istio Gateway {gw}, with a TLS PASSTHROUGH server on 443 for this host"),
                None => "Istio's ingress gateway, its Service publishing 443 (networking.istio.io CRDs installed)".into(),
            });
        }
        Method::Traefik => {
            requires.push(format!("the cache's Service {name} (ClusterIP, port {})", p.spec.port));
            requires.push("Traefik, with its IngressRouteTCP kind (traefik.io) installed".into());
        }
    }
    html! {
        <section class="output plan" id={ids.id("plan")} aria-labelledby={ids.id("plan-h")}>
            <h2 id={ids.id("plan-h")}>{ "What this creates, and what must exist" }</h2>
            <h3>{ "Created or updated (server-side apply)" }</h3>
            <ul class="creates">{ for creates.iter().map(|o| html! { <li><code>{ o }</code></li> }) }</ul>
            <h3>{ "Must already be there" }</h3>
            <ul class="requires">{ for requires.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
        </section>
    }
}
