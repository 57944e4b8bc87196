//! msr-expose in the browser: a Yew configurator mounted into any element,
//! and a JS API for documentation sites with their own UI. Both call the same
//! core entry point as the CLI, so their texts are byte-identical to
//! `msr-expose generate`. Nothing leaves the tab: no request is ever made.

mod api;
mod app;
mod components;
mod dom;
mod permalink;
mod state;
mod webcrypto;

use wasm_bindgen::prelude::*;

/// Mounts the configurator into `root` (any element of the host page).
#[wasm_bindgen]
pub fn mount(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
