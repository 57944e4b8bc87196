//! msr-expose in the browser: the Yew configurator, mounted into any element.
//! It calls the same core entry point as the CLI, so its texts are
//! byte-identical to `msr-expose generate`; signatures are verified by the
//! browser's WebCrypto through the JS API crate (`msr-expose-web-api`), which
//! is also a module of its own. Nothing leaves the tab.

mod app;
mod components;
mod dom;
mod embed;
mod permalink;
mod state;

use wasm_bindgen::prelude::*;

/// Mounts a configurator into `root`: any element of the host page, or a
/// `<msr-expose-configurator>`; its attributes give the initial spec and
/// opt in to the permalink (see `embed`). Each call is one more instance,
/// with its own state and element ids.
#[wasm_bindgen]
pub fn mount(root: web_sys::Element) {
    let embedding = embed::Embedding::of(&root);
    yew::Renderer::<app::App>::with_root_and_props(root, embedding).render();
}
