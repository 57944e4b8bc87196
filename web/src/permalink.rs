//! The spec in the URL fragment (`#spec=<JSON>`), so a link reproduces the
//! page. Only the spec goes there: certificate and key material never do.

use msr_expose_core::Spec;

const KEY: &str = "spec=";

/// The spec in the current fragment, if any and valid.
pub fn read() -> Option<Spec> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let encoded = hash.strip_prefix('#')?.strip_prefix(KEY)?;
    let json = js_sys::decode_uri_component(encoded).ok()?.as_string()?;
    Spec::from_json(&json).ok()
}

/// Replaces the fragment with `spec` without adding a history entry.
pub fn write(spec: &Spec) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let encoded = String::from(js_sys::encode_uri_component(&spec.to_json()));
    let url = format!("#{KEY}{encoded}");
    if window.location().hash().ok().as_deref() == Some(url.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
