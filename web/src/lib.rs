//! msr-expose in the browser: the Yew configurator, mounted into any element.
//! It calls the same core entry point as the CLI, so its texts are
//! byte-identical to `msr-expose generate`; signatures are verified by the
//! browser's WebCrypto through the JS API crate (`msr-expose-web-api`), which
//! is also a module of its own. Nothing leaves the tab.

mod app;
mod components;
mod dom;
mod permalink;
mod state;

use wasm_bindgen::prelude::*;

/// Mounts the configurator into `root` (any element of the host page).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
