//! The spec in the URL fragment (`#spec=<JSON>`), so a link reproduces the
//! page. Only the spec goes there: certificate and key material never do.
//! Reading and writing the fragment is the core's (`permalink`), so the
//! page, the JS API and the fuzzer share one strict decoder.

use msr_expose_core::{Finding, Spec, permalink};

/// The spec in the current fragment: `Ok(None)` without one (or with an
/// anchor of the host page), a finding when the link cannot be read.
pub fn read() -> Result<Option<Spec>, Finding> {
    match web_sys::window().and_then(|w| w.location().hash().ok()) {
        Some(hash) => permalink::decode(&hash),
        None => Ok(None),
    }
}

/// How long typing must pause before the address follows (replaceState
/// is one of the most expensive calls a keystroke would otherwise make).
const SETTLE_MS: i32 = 300;

/// A scheduled write: its timer and the closure the timer holds.
type Pending = Option<(i32, wasm_bindgen::closure::Closure<dyn FnMut()>)>;

thread_local! {
    static PENDING: std::cell::RefCell<Pending> = const { std::cell::RefCell::new(None) };
}

/// Replaces the fragment with `spec` once typing settles, without adding a
/// history entry; a newer spec cancels the pending write.
pub fn write(spec: &Spec) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let spec = spec.clone();
    let closure = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || write_now(&spec));
    let timer = window.set_timeout_with_callback_and_timeout_and_arguments_0(
        closure.as_ref().unchecked_ref(),
        SETTLE_MS,
    );
    PENDING.with(|p| {
        if let Some((old, _)) = p.borrow_mut().take() {
            window.clear_timeout_with_handle(old);
        }
        if let Ok(t) = timer {
            *p.borrow_mut() = Some((t, closure));
        }
    });
}

fn write_now(spec: &Spec) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(url) = permalink::encode(spec) else {
        return; // too long for a link: the address keeps the last one
    };
    if window.location().hash().ok().as_deref() == Some(url.as_str()) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
