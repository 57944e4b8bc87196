//! The certificate the chosen interface needs, and the openssl plan that
//! makes its key and request (the same script as `msr-expose generate -o
//! cert-plan`), folded away until wanted.

use super::copy_button::CopyButton;
use msr_expose_core::Spec;
use msr_expose_core::certplan::{KeyType, cert_host, openssl_plan, san};
use yew::prelude::*;

/// Props of [`CertPlanView`].
#[derive(Properties, PartialEq)]
pub struct CertPlanViewProps {
    /// The spec (the plan appears only when it is valid).
    pub spec: Spec,
}

/// The view.
#[function_component]
pub fn CertPlanView(p: &CertPlanViewProps) -> Html {
    let ids = crate::embed::use_ids();
    let Some(valid) = msr_expose_core::validate(&p.spec).0 else {
        return html! {};
    };
    let Ok(plan) = openssl_plan(&valid, KeyType::P256, false) else {
        return html! {};
    };
    let name = san(&cert_host(&valid));
    html! {
        <section class="output" aria-labelledby={ids.id("cert-plan-h")}>
            <details id={ids.id("cert-plan")}>
                <summary><h2 id={ids.id("cert-plan-h")}>{ "The certificate this interface needs" }</h2></summary>
                <p>{ "The cache's certificate must name " }<code>{ name }</code>{ " as a subjectAltName (Go clients ignore the CN). Not ssh-keygen: that makes an SSH key. This plan makes the key and the request to send to your CA; the command line's " }<code>{ "-o cert-plan --lab-ca" }</code>{ " also makes a lab CA that signs it, and " }<code>{ "-o cert-manager" }</code>{ " writes a cert-manager Certificate." }</p>
                <div class="actions"><CopyButton id={ids.id("copy-cert-plan")} text={plan.clone()} label="Copy the certificate plan" /></div>
                <pre id={ids.id("cert-plan-script")} tabindex="0">{ plan }</pre>
            </details>
        </section>
    }
}
