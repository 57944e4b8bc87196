//! A button that copies exact text to the clipboard and says so.

use crate::dom;
use yew::prelude::*;

/// Props of [`CopyButton`].
#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    /// The exact text to copy.
    pub text: AttrValue,
    /// Accessible label, such as "Copy the manifest".
    pub label: AttrValue,
    /// Element id, when automation needs one.
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// The button's text before it is used (default "Copy").
    #[prop_or_default]
    pub caption: Option<AttrValue>,
}

/// The button.
#[function_component]
pub fn CopyButton(p: &CopyButtonProps) -> Html {
    let state = use_state(|| None::<bool>);
    let onclick = {
        let text = p.text.to_string();
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let text = text.clone();
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                state.set(Some(dom::copy(text).await));
            });
        })
    };
    let shown = match *state {
        Some(true) => "Copied",
        Some(false) => "Copy failed",
        None => p.caption.as_deref().unwrap_or("Copy"),
    };
    html! {
        <button type="button" class="copy" id={p.id.clone()} aria-label={p.label.clone()} {onclick}>
            { shown }
        </button>
    }
}
