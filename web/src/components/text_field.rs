//! A labelled text input that shows its findings underneath, validated as
//! the user types (`aria-invalid`, `aria-describedby`).

use msr_expose_core::{Finding, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`TextField`].
#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    /// Element id (stable, for automation).
    pub id: AttrValue,
    /// Label text.
    pub label: AttrValue,
    /// Current value.
    pub value: AttrValue,
    /// One line of help.
    #[prop_or_default]
    pub help: AttrValue,
    /// Placeholder.
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// `inputmode` (such as `numeric`).
    #[prop_or_default]
    pub inputmode: Option<AttrValue>,
    /// Findings to show under the field.
    pub findings: Vec<Finding>,
    /// Empty, and the outputs need a value here: marked before it is typed.
    #[prop_or_default]
    pub required: bool,
    /// Called with the new text on every keystroke.
    pub oninput: Callback<String>,
    /// Called when the field loses focus.
    pub onblur: Callback<()>,
}

/// The field.
#[function_component]
pub fn TextField(p: &TextFieldProps) -> Html {
    let oninput = p.oninput.reform(|e: InputEvent| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default()
    });
    let onblur = p.onblur.reform(|_: FocusEvent| ());
    let invalid = p.findings.iter().any(|f| f.severity == Severity::Error);
    let msg_id = format!("{}-findings", p.id);
    let help_id = format!("{}-help", p.id);
    let described = format!("{help_id} {msg_id}");
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            <label for={p.id.clone()}>{ p.label.clone() }
                if p.required { <span class="required">{ " (required)" }</span> }
            </label>
            <input id={p.id.clone()} type="text" value={p.value.clone()} {oninput} {onblur}
                aria-required={p.required.then_some("true")}
                placeholder={p.placeholder.clone()} inputmode={p.inputmode.clone()}
                spellcheck="false" autocomplete="off" autocapitalize="off"
                aria-invalid={if invalid { "true" } else { "false" }}
                aria-describedby={described} />
            if !p.help.is_empty() {
                <p class="help" id={help_id}>{ p.help.clone() }</p>
            }
            <ul class="field-findings" id={msg_id} aria-live="polite">
                { for p.findings.iter().map(finding_line) }
            </ul>
        </div>
    }
}

/// One finding as a list item: message, then the fix.
pub fn finding_line(f: &Finding) -> Html {
    html! {
        <li class={classes!("finding", f.severity.to_string())} data-code={f.code.as_str()}>
            <span class="msg">{ &f.message }</span>
            if !f.hint.is_empty() { <span class="hint">{ &f.hint }</span> }
        </li>
    }
}
