//! The numbered steps, each with its command, a copy button and the output
//! to expect; then the MSR registration request.

use super::copy_button::CopyButton;
use super::manifest::withheld;
use msr_expose_core::Output;
use yew::prelude::*;

/// Props of [`StepsView`].
#[derive(Properties, PartialEq)]
pub struct StepsViewProps {
    /// The outputs, when there is no error.
    pub output: Option<Output>,
    /// Number of errors withholding them.
    pub errors: usize,
}

/// The view.
#[function_component]
pub fn StepsView(p: &StepsViewProps) -> Html {
    let Some(out) = &p.output else {
        return html! {
            <section class="output" aria-labelledby="steps-h">
                <h2 id="steps-h">{ "Steps" }</h2>
                <ol id="steps" class="withheld"><li>{ withheld(p.errors) }</li></ol>
                <div id="registration" class="withheld"></div>
            </section>
        };
    };
    html! {
        <section class="output" aria-labelledby="steps-h">
            <h2 id="steps-h">{ "Steps" }</h2>
            <div class="actions">
                <CopyButton id="copy-script" text={out.script.clone()} label="Copy all steps as a shell script" />
            </div>
            <ol id="steps">
                { for out.steps.iter().enumerate().map(|(i, s)| html! {
                    <li class="step" data-step={(i + 1).to_string()}>
                        <h3>{ &s.title }</h3>
                        <p>{ &s.description }</p>
                        if !s.requires.is_empty() {
                            <p class="requires">{ "Set first: " }
                                { for s.requires.iter().map(|r| html! { <><code>{ r.var }</code>{ format!(" ({}) ", r.meaning) }</> }) }
                            </p>
                        }
                        if let Some(shell) = &s.shell {
                            <div class="cmd">
                                <pre class="shell">{ shell }</pre>
                                <CopyButton text={shell.clone()} label={format!("Copy step {}", i + 1)} />
                            </div>
                        }
                        if let Some(e) = &s.expected {
                            <p class="expected">{ "Expected: " }<code>{ e }</code></p>
                        }
                    </li>
                }) }
            </ol>
            <div id="registration" class="registration">
                <h3>{ "MSR registration request" }</h3>
                <p>{ "Endpoint: " }<code id="endpoint-url">{ &out.endpoint.url }</code></p>
                <p>{ "POST /api/v0/content_caches with:" }</p>
                <pre id="registration-body">{ &out.endpoint.registration_body }</pre>
            </div>
        </section>
    }
}
