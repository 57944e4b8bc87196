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

/// Two radio buttons with a line each on when to pick them.
#[function_component]
pub fn MethodPicker(props: &MethodPickerProps) -> Html {
    let option = |m: Method, id: &'static str, title: &'static str, when: &'static str| {
        let onchange = props.onchange.reform(move |_: Event| m);
        html! {
            <label class="method" for={id}>
                <input type="radio" name="method" id={id} checked={props.method == m} {onchange} />
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
                "Clients reach a worker node at https://<node-fqdn>:<nodePort>. Pick it when the certificate names a worker node and no ingress controller is at hand.") }
            { option(Method::Ingress, "method-ingress", "Ingress (TLS passthrough)",
                "Clients reach https://<external-fqdn> through the ingress controller, which passes TLS through. Pick it when the certificate names an external cache FQDN with a DNS record for the controller.") }
        </fieldset>
    }
}
