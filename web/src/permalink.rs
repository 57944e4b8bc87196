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
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// A link to this page with `slot` set to `spec` and the fragment's other
/// parts (the host page's anchor, other configurators' slots) kept; `None`
/// when the spec is too long for a link.
pub fn link(slot: &str, spec: &Spec) -> Option<String> {
    let url = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    let base = url.split_once('#').map_or(url.as_str(), |(b, _)| b);
    permalink::with_slot(&hash(), slot, spec).map(|f| format!("{base}{f}"))
}

/// How long typing must pause before the address follows (replaceState
/// is one of the most expensive calls a keystroke would otherwise make).
const SETTLE_MS: i32 = 300;

/// Scheduled writes, one per slot: its timer and the closure the timer holds.
type Pending = Vec<(String, i32, wasm_bindgen::closure::Closure<dyn FnMut()>)>;

thread_local! {
    static PENDING: std::cell::RefCell<Pending> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Sets `slot`'s part of the fragment to `spec` once typing settles, without
/// adding a history entry; a newer spec for the same slot cancels the
/// pending write. Other parts of the fragment are never touched.
pub fn write(slot: &str, spec: &Spec) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let (spec, name) = (spec.clone(), slot.to_string());
    let closure =
        wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || write_now(&name, &spec));
    let timer = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        closure.as_ref().unchecked_ref(),
        SETTLE_MS,
    );
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if let Some(i) = p.iter().position(|(s, ..)| s == slot) {
            window.clear_timeout_with_handle(p.swap_remove(i).1);
        }
        if let Ok(t) = timer {
            p.push((slot.to_string(), t, closure));
        }
    });
}

fn write_now(slot: &str, spec: &Spec) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let now = hash();
    let Some(url) = permalink::with_slot(&now, slot, spec) else {
        return; // too long for a link: the address keeps the last one
    };
    if now == url {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
