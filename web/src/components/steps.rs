//! The numbered steps, each with its command, a copy button and the output
//! to expect; then the MSR registration request.

use super::copy_button::CopyButton;
use super::findings::plan_link;
use super::manifest::withheld;
use crate::dom;
use msr_expose_core::{Output, Spec};
use yew::prelude::*;

/// Props of [`StepsView`].
#[derive(Properties, PartialEq)]
pub struct StepsViewProps {
    /// The outputs, when there is no error.
    pub output: Option<Output>,
    /// Number of errors withholding them.
    pub errors: usize,
    /// Required fields still empty.
    pub missing: usize,
    /// The spec they were made for (for the bundle).
    pub spec: Spec,
    /// The CA text pasted, if any (public: the clients' trust files).
    pub ca: String,
}

/// The view.
#[function_component]
pub fn StepsView(p: &StepsViewProps) -> Html {
    let ids = crate::embed::use_ids();
    let Some(out) = &p.output else {
        return html! {
            <section class="output" aria-labelledby={ids.id("steps-h")}>
                <h2 id={ids.id("steps-h")}>{ "Steps" }</h2>
                <ol id={ids.id("steps")} class="withheld"><li>{ withheld(p.errors, p.missing) }</li></ol>
                <div id={ids.id("registration")} class="withheld"></div>
            </section>
        };
    };
    html! {
        <section class="output" aria-labelledby={ids.id("steps-h")}>
            <h2 id={ids.id("steps-h")}>{ "Steps" }</h2>
            <div class="actions">
                <CopyButton id={ids.id("copy-script")} text={out.script.clone()} label="Copy all steps as a shell script" />
                <button type="button" id={ids.id("download-steps")} onclick={{
                    let script = out.script.clone();
                    Callback::from(move |_: MouseEvent| dom::download("steps.sh", &script))
                }}>{ "Download steps.sh" }</button>
                <button type="button" id={ids.id("download-all")} onclick={download_all(p)}>{ "Download all (.tar)" }</button>
            </div>
            <ol id={ids.id("steps")}>
                { for out.steps.iter().enumerate().map(|(i, s)| html! {
                    <li class="step" data-step={(i + 1).to_string()}>
                        <h3>{ &s.title }</h3>
                        <p>{ inline_code(&s.description) }</p>
                        if !s.requires.is_empty() {
                            <p class="requires">{ "Set first: " }
                                { for s.requires.iter().enumerate().map(|(j, r)| html! { <>
                                    if j > 0 { { "; " } }
                                    <code>{ r.var }</code>{ format!(" ({})", r.meaning) }
                                </> }) }
                                { "." }
                            </p>
                        }
                        if let Some(why) = &s.withheld {
                            <p class="withheld">{ format!("Withheld: {why}. ") }{ plan_link(&ids) }</p>
                        } else if let Some(shell) = &s.shell {
                            <div class="cmd">
                                <pre class="shell" tabindex="0" aria-label={format!("Command of step {}", i + 1)}>{ shell }</pre>
                                <CopyButton text={shell.clone()} label={format!("Copy step {}", i + 1)} />
                            </div>
                        }
                        if let Some(e) = &s.expected {
                            <p class="expected">{ "Expected: " }<code>{ e }</code></p>
                        }
                    </li>
                }) }
            </ol>
            <div id={ids.id("registration")} class="registration">
                <h3>{ "MSR registration request" }</h3>
                <p>{ "Endpoint: " }<code id={ids.id("endpoint-url")}>{ &out.endpoint.url }</code></p>
                <p>{ "POST /api/v0/content_caches with:" }</p>
                <pre id={ids.id("registration-body")} tabindex="0">{ &out.endpoint.registration_body }</pre>
            </div>
        </section>
    }
}

/// The manifest, steps.sh, the certificate plans, the clients' trust files
/// (when a CA is pasted and the endpoint's port is known) and a README, as
/// one tar archive. No key material: the key field is never read here.
fn download_all(p: &StepsViewProps) -> Callback<MouseEvent> {
    let (spec, ca, out) = (p.spec.clone(), p.ca.clone(), p.output.clone());
    Callback::from(move |_: MouseEvent| {
        let (Some(out), (Some(valid), _)) = (&out, msr_expose_core::validate(&spec)) else {
            return;
        };
        let ca = (!ca.trim().is_empty()).then_some(ca.as_str());
        let files = msr_expose_core::bundle::files(&valid, out, ca)
            .or_else(|_| msr_expose_core::bundle::files(&valid, out, None));
        let dir = format!("{}-exposure", valid.name);
        if let Ok(archive) = files.and_then(|files| msr_expose_core::bundle::tar(&dir, &files)) {
            dom::download_bytes(&format!("{dir}.tar"), &archive, "application/x-tar");
        }
    })
}

/// Text whose `backticked` parts are code (the steps' descriptions are
/// written for the terminal too, where the backticks stay).
fn inline_code(text: &str) -> Html {
    html! {
        { for text.split('`').enumerate().map(|(i, part)| {
            if i % 2 == 1 {
                html! { <code>{ part }</code> }
            } else {
                html! { { part } }
            }
        }) }
    }
}
