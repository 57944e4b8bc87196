//! Choosing the one interface the cache is exposed through.

use msr_expose_core::Method;
use yew::prelude::*;

/// Props of [`MethodPicker`].
#[derive(Properties, PartialEq)]
pub struct MethodPickerProps {
    /// The chosen method.
    pub method: Method,
    /// Called with the new method.
    pub onchange: Callback<Method>,
}

/// One radio button per method, with a line each on when to pick it.
#[function_component]
pub fn MethodPicker(props: &MethodPickerProps) -> Html {
    let ids = crate::embed::use_ids();
    // The radio group's name is the instance's too: one name across two
    // configurators would make their radios one group.
    let name = ids.id("method");
    let option = |m: Method, id: &'static str, title: &'static str, when: &'static str| {
        let onchange = props.onchange.reform(move |_: Event| m);
        let id = ids.id(id);
        html! {
            <label class="method" for={id.clone()}>
                <input type="radio" name={name.clone()} {id} checked={props.method == m} {onchange} />
                <span class="method-title">{ title }</span>
                <span class="method-when">{ when }</span>
            </label>
        }
    };
    html! {
        <fieldset class="methods">
            <legend>{ "Interface" }</legend>
            <p class="note">{ "Expose the cache through exactly one interface: the one its TLS certificate was made for." }</p>
            { option(Method::Nodeport, "method-nodeport", "NodePort",
                "Clients reach a worker node at https://<node-fqdn>:<nodePort>. Pick it when the certificate names a worker node and no load balancer or controller is at hand.") }
            { option(Method::Loadbalancer, "method-loadbalancer", "LoadBalancer Service",
                "Clients reach https://<external-fqdn or address> on a load balancer's address (cloud, MetalLB). Pick it when the cluster has a load-balancer provider; TLS still ends at the cache.") }
            { option(Method::Gateway, "method-gateway", "Gateway API (TLS passthrough)",
                "Clients reach https://<external-fqdn> through a Gateway that routes by SNI and passes TLS through (TLSRoute, the successor of ingress-nginx's passthrough). Pick it when a Gateway controller runs.") }
            { option(Method::Traefik, "method-traefik", "Traefik (TLS passthrough)",
                "Clients reach https://<external-fqdn> through Traefik (k3s), which routes by SNI and passes TLS through (IngressRouteTCP).") }
            { option(Method::Ingress, "method-ingress", "Ingress (TLS passthrough)",
                "Clients reach https://<external-fqdn> through ingress-nginx, which passes TLS through. ingress-nginx was retired in March 2026: for clusters that still run it (MKE ships it).") }
        </fieldset>
    }
}
