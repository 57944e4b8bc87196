//! The spec in the URL fragment, in the configurator's own slot
//! (`#spec=<JSON>`, or `#<slot>=…` beside other parts), so a link reproduces
//! the page. Only the spec goes there: certificate and key material never do.
//! Reading and writing the fragment is the core's (`permalink`), so the
//! page, the JS API and the fuzzer share one strict decoder.

use msr_expose_core::{Finding, Spec, permalink};

/// The spec in `slot`'s part of the current fragment: `Ok(None)` without
/// one (or with only an anchor of the host page), a finding when the link
/// cannot be read.
pub fn read(slot: &str) -> Result<Option<Spec>, Finding> {
    permalink::decode_slot(&hash(), slot)
}

/// The current fragment, `#` included (empty without one).
fn hash() -> String {
    gloo_utils::window().location().hash().unwrap_or_default()
}

/// A link to this page with `slot` set to `spec` and the fragment's other
/// parts (the host page's anchor, other configurators' slots) kept; `None`
/// when the spec is too long for a link.
pub fn link(slot: &str, spec: &Spec) -> Option<String> {
    let url = gloo_utils::window().location().href().unwrap_or_default();
    let base = url.split_once('#').map_or(url.as_str(), |(b, _)| b);
    permalink::with_slot(&hash(), slot, spec).map(|f| format!("{base}{f}"))
}

/// How long typing must pause before the address follows (replaceState
/// is one of the most expensive calls a keystroke would otherwise make).
const SETTLE_MS: u32 = 300;

thread_local! {
    /// The last write scheduled for each slot (a gloo timer: dropping it
    /// cancels it, if it has not fired yet).
    static PENDING: std::cell::RefCell<Vec<(String, gloo_timers::callback::Timeout)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Sets `slot`'s part of the fragment to `spec` once typing settles, without
/// adding a history entry; a newer spec for the same slot cancels the
/// pending write. Other parts of the fragment are never touched.
pub fn write(slot: &str, spec: &Spec) {
    let (spec, name) = (spec.clone(), slot.to_string());
    let timer = gloo_timers::callback::Timeout::new(SETTLE_MS, move || write_now(&name, &spec));
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        // Replacing the slot's timer drops, and so cancels, the older one.
        p.retain(|(s, _)| s != slot);
        p.push((slot.to_string(), timer));
    });
}

fn write_now(slot: &str, spec: &Spec) {
    let now = hash();
    let Some(url) = permalink::with_slot(&now, slot, spec) else {
        return; // too long for a link: the address keeps the last one
    };
    if now == url {
        return;
    }
    if let Ok(history) = gloo_utils::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
