//! A text area for PEM material that also takes a chosen or dropped file.
//! The text stays in this tab: it is never stored, logged or put in the URL.

use super::text_field::finding_line;
use crate::dom;
use msr_expose_core::{Finding, Severity};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`TlsField`].
#[derive(Properties, PartialEq)]
pub struct TlsFieldProps {
    /// Element id of the text area (`cert-pem`, `key-pem`, `ca-pem`).
    pub id: AttrValue,
    /// Label.
    pub label: AttrValue,
    /// Help line.
    pub help: AttrValue,
    /// What the empty field shows: the kind of PEM block it expects.
    pub placeholder: AttrValue,
    /// Current text.
    pub value: AttrValue,
    /// Findings about this input.
    pub findings: Vec<Finding>,
    /// Called with new text (typed, pasted, chosen or dropped).
    pub onchange: Callback<String>,
    /// Blur the text once the field is left (the private key): it stays
    /// readable only while the field has the focus.
    #[prop_or_default]
    pub mask: bool,
}

/// The field.
#[function_component]
pub fn TlsField(p: &TlsFieldProps) -> Html {
    let oninput = p.onchange.reform(|e: InputEvent| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .map(|a| a.value())
            .unwrap_or_default()
    });
    let load = {
        let cb = p.onchange.clone();
        move |file: Option<web_sys::File>| {
            if let Some(file) = file {
                let cb = cb.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(text) = dom::read_file(file).await {
                        cb.emit(text);
                    }
                });
            }
        }
    };
    let onfile = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            load(input.and_then(|i| i.files()).and_then(|f| f.get(0)));
        })
    };
    let ondrop = Callback::from(move |e: DragEvent| {
        e.prevent_default();
        load(
            e.data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0)),
        );
    });
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let focused = use_state(|| false);
    let masked = p.mask && !*focused && !p.value.is_empty();
    let onfocus = {
        let focused = focused.clone();
        Callback::from(move |_: FocusEvent| focused.set(true))
    };
    let onblur = {
        let focused = focused.clone();
        Callback::from(move |_: FocusEvent| focused.set(false))
    };
    let onclear = p.onchange.reform(|_: MouseEvent| String::new());
    let invalid = p.findings.iter().any(|f| f.severity == Severity::Error);
    let msg_id = format!("{}-findings", p.id);
    let file_id = format!("{}-file", p.id);
    html! {
        <div class={classes!("field", "tls", invalid.then_some("invalid"))} {ondrop} {ondragover}>
            <label for={p.id.clone()}>{ p.label.clone() }</label>
            <textarea id={p.id.clone()} rows="5" value={p.value.clone()} {oninput} {onfocus} {onblur}
                class={classes!(masked.then_some("masked"))}
                spellcheck="false" autocomplete="off"
                placeholder={p.placeholder.clone()}
                aria-invalid={if invalid { "true" } else { "false" }}
                aria-describedby={format!("{}-help {msg_id}", p.id)} />
            <div class="file-row">
                <input type="file" id={file_id} class="file-input" onchange={onfile}
                    aria-label={format!("Choose a file for: {}", p.label)}
                    accept=".pem,.crt,.cer,.key,.der,.p12,.pfx,.p7b,.txt" />
                if !p.value.is_empty() {
                    <button type="button" id={format!("{}-clear", p.id)} onclick={onclear}
                        aria-label={format!("Clear: {}", p.label)}>{ "Clear" }</button>
                }
                if masked {
                    <span class="help masked-note">{ "Hidden while the field is not in use: click into it to see it." }</span>
                }
                <span class="help" id={format!("{}-help", p.id)}>{ p.help.clone() }</span>
            </div>
            <ul class="field-findings" id={msg_id} aria-live="polite">
                { for p.findings.iter().map(finding_line) }
            </ul>
        </div>
    }
}
