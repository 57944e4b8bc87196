//! The manifest YAML with copy and download, or why it is withheld.

use super::copy_button::CopyButton;
use crate::dom;
use msr_expose_core::Output;
use yew::prelude::*;

/// Props of [`ManifestView`].
#[derive(Properties, PartialEq)]
pub struct ManifestViewProps {
    /// The outputs, when there is no error.
    pub output: Option<Output>,
    /// Number of errors withholding it.
    pub errors: usize,
    /// Required fields still empty (their errors wait until they are left).
    pub missing: usize,
}

/// The view.
#[function_component]
pub fn ManifestView(p: &ManifestViewProps) -> Html {
    let ids = crate::embed::use_ids();
    let Some(out) = &p.output else {
        return html! {
            <section class="output" aria-labelledby={ids.id("manifest-h")}>
                <h2 id={ids.id("manifest-h")}>{ "Manifest" }</h2>
                <pre id={ids.id("manifest-yaml")} class="withheld">{ withheld(p.errors, p.missing) }</pre>
            </section>
        };
    };
    let ondownload = {
        let (name, yaml) = (out.file_name.clone(), out.yaml.clone());
        Callback::from(move |_: MouseEvent| dom::download(&name, &yaml))
    };
    html! {
        <section class="output" aria-labelledby={ids.id("manifest-h")}>
            <h2 id={ids.id("manifest-h")}>{ "Manifest " }<code>{ &out.file_name }</code></h2>
            <div class="actions">
                <CopyButton id={ids.id("copy-manifest")} text={out.yaml.clone()} label="Copy the manifest" />
                <button type="button" id={ids.id("download-manifest")} onclick={ondownload}>{ format!("Download {}", out.file_name) }</button>
            </div>
            <pre id={ids.id("manifest-yaml")} tabindex="0">{ &out.yaml }</pre>
        </section>
    }
}

/// The sentence shown instead of outputs while errors stand, or while
/// required fields are still empty.
pub fn withheld(errors: usize, missing: usize) -> String {
    if errors == 0 && missing > 0 {
        return "Withheld until the required fields above are filled in.".to_string();
    }
    if errors == 0 {
        // Only while WebCrypto verifies pasted material (milliseconds).
        return "Verifying the certificate's signatures in this tab…".to_string();
    }
    format!(
        "Withheld: {errors} error{} above must be fixed first. Nothing here is stale: it appears as soon as the inputs are valid.",
        if errors == 1 { "" } else { "s" }
    )
}
