//! What applying creates, and what must already be in the cluster for it
//! to work: drawn from the spec and the manifest, so the operator sees the
//! prerequisites before the first step.

use msr_expose_core::{Output, Spec};
use yew::prelude::*;

/// Props of [`PlanView`].
#[derive(Properties, PartialEq)]
pub struct PlanViewProps {
    /// The outputs (only the heading is shown while they are withheld).
    pub output: Option<Output>,
    /// The spec they were made from.
    pub spec: Spec,
}

/// The summary.
#[function_component]
pub fn PlanView(p: &PlanViewProps) -> Html {
    let ids = crate::embed::use_ids();
    // Always there, so the sections keep their numbers as the form
    // becomes valid.
    let Some(out) = &p.output else {
        return html! {
            <section class="output plan" id={ids.id("plan")} aria-labelledby={ids.id("plan-h")}>
                <h2 id={ids.id("plan-h")}>{ "What this creates, and what must exist" }</h2>
                <p class="withheld">{ "Shown with the manifest." }</p>
            </section>
        };
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
    requires.extend(out.valid.exposure.requires(&out.valid.common));
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
