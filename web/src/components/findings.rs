//! All findings, grouped by severity, each with its fix.

use msr_expose_core::step::TLS_INPUTS;
use msr_expose_core::{Finding, Severity};
use yew::prelude::*;

/// Props of [`FindingsList`].
#[derive(Properties, PartialEq)]
pub struct FindingsListProps {
    /// Every finding.
    pub findings: Vec<Finding>,
    /// The section's id (unique per configurator: the fleet mode has its own list).
    #[prop_or("findings")]
    pub id: &'static str,
    /// Its heading.
    #[prop_or("Findings")]
    pub title: &'static str,
    /// Errors on required fields not typed yet: listed apart, as what to
    /// fill in first (the CLI's findings for the form, every one shown).
    #[prop_or_default]
    pub waiting: Vec<Finding>,
    /// What an empty list says: [`OK`], unless there is nothing to check
    /// yet (an empty fleet).
    #[prop_or(OK)]
    pub ok: &'static str,
}

/// An empty list, with something checked.
pub const OK: &str = "No findings: everything checks out.";

/// The grouped list.
#[function_component]
pub fn FindingsList(p: &FindingsListProps) -> Html {
    let ids = crate::embed::use_ids();
    // Waiting findings are things to fill in, not errors stated yet.
    let list = |items: &[&Finding], todo: bool| {
        html! {
            <ul>
                { for items.iter().map(|f| html! {
                    <li class={classes!("finding", if todo { "todo".to_string() } else { f.severity.to_string() })} data-code={f.code.as_str()}>
                        <code class="code">{ f.code.as_str() }</code>
                        { field_link(&ids, &f.field) }
                        { message_and_fix(f) }
                        if f.is_error() && TLS_INPUTS.contains(&f.field.as_str()) {
                            { plan_link(&ids) }
                        }
                    </li>
                }) }
            </ul>
        }
    };
    let group = |sev: Severity, title: &str| {
        let items: Vec<&Finding> = p.findings.iter().filter(|f| f.severity == sev).collect();
        if items.is_empty() {
            return html! {};
        }
        let heading = format!("{title} ({})", items.len());
        if sev == Severity::Info {
            // Notes explain; they need no action, so they start folded.
            return html! {
                <details class={classes!("group", sev.to_string())}>
                    <summary><h3>{ heading }</h3></summary>
                    { list(&items, false) }
                </details>
            };
        }
        html! {
            <div class={classes!("group", sev.to_string())}>
                <h3>{ heading }</h3>
                { list(&items, false) }
            </div>
        }
    };
    html! {
        <section id={ids.id(p.id)} class="findings" tabindex="-1" aria-labelledby={ids.id_of(&format!("{}-h", p.id))} aria-live="polite">
            <h2 id={ids.id_of(&format!("{}-h", p.id))}>{ p.title }</h2>
            if p.findings.is_empty() && p.waiting.is_empty() {
                <p class="ok">{ p.ok }</p>
            }
            if !p.waiting.is_empty() {
                <div class="group todo">
                    <h3>{ format!("To fill in ({})", p.waiting.len()) }</h3>
                    { list(&p.waiting.iter().collect::<Vec<_>>(), true) }
                </div>
            }
            { group(Severity::Error, "Errors") }
            { group(Severity::Warning, "Warnings") }
            { group(Severity::Info, "Notes") }
        </section>
    }
}

/// The field a finding is about, by the label the page shows, as a button
/// that moves the focus to that input (no link: the address is left alone).
fn field_link(ids: &crate::embed::Ids, field: &str) -> Html {
    let Some((id, label)) = crate::state::input_of(field) else {
        return html! { <span class="field-name">{ field }</span> };
    };
    let id = ids.id(id);
    let onclick = {
        let id = id.clone();
        Callback::from(move |_: MouseEvent| crate::dom::focus(&id))
    };
    html! {
        <button type="button" class="field-name field-link" data-field={id} {onclick}
            aria-label={format!("Go to the field {label}")}>{ label }</button>
    }
}

/// For an error on the TLS material (and a step it withholds): a button
/// that opens the certificate plan (folded below the outputs) and moves
/// there.
pub fn plan_link(ids: &crate::embed::Ids) -> Html {
    let plan = ids.id("cert-plan-script");
    html! {
        <button type="button" class="link plan-link" onclick={Callback::from(move |_: MouseEvent| crate::dom::focus(&plan))}>
            { "Open the certificate plan" }
        </button>
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
