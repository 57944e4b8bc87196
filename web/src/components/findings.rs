//! All findings, grouped by severity, each with its fix.

use msr_expose_core::{Finding, Severity};
use yew::prelude::*;

/// Props of [`FindingsList`].
#[derive(Properties, PartialEq)]
pub struct FindingsListProps {
    /// Every finding.
    pub findings: Vec<Finding>,
}

/// The grouped list.
#[function_component]
pub fn FindingsList(p: &FindingsListProps) -> Html {
    let group = |sev: Severity, title: &str| {
        let items: Vec<&Finding> = p.findings.iter().filter(|f| f.severity == sev).collect();
        if items.is_empty() {
            return html! {};
        }
        html! {
            <div class={classes!("group", sev.to_string())}>
                <h3>{ format!("{title} ({})", items.len()) }</h3>
                <ul>
                    { for items.iter().map(|f| html! {
                        <li class={classes!("finding", f.severity.to_string())} data-code={f.code.as_str()}>
                            <code class="code">{ f.code.as_str() }</code>
                            <span class="field-name">{ &f.field }</span>
                            { message_and_fix(f) }
                        </li>
                    }) }
                </ul>
            </div>
        }
    };
    html! {
        <section id="findings" class="findings" aria-labelledby="findings-h" aria-live="polite">
            <h2 id="findings-h">{ "Findings" }</h2>
            if p.findings.is_empty() {
                <p class="ok">{ "No findings: everything checks out." }</p>
            }
            { group(Severity::Error, "Errors") }
            { group(Severity::Warning, "Warnings") }
            { group(Severity::Info, "Notes") }
        </section>
    }
}

/// The message and, labelled, the fix (the list shows code and field too,
/// unlike the lines under each field).
fn message_and_fix(f: &Finding) -> Html {
    html! {
        <>
            <span class="msg">{ &f.message }</span>
            if !f.hint.is_empty() { <span class="hint">{ "Fix: " }{ &f.hint }</span> }
        </>
    }
}
