//! The core's Unicode answers from the JavaScript engine (see
//! `msr_expose_core::unicode`): the URL parser converts names to ASCII
//! exactly as the browser does for its address bar, and RegExp's Unicode
//! properties give each character's Script and Script_Extensions. Installed
//! when the module starts, for the page and the JS API alike.

use js_sys::JsString;
use msr_expose_core::unicode::{self, SCRIPTS};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The engine's `URL`.
    type Url;
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(url: &str) -> Result<Url, JsValue>;
    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn hostname(this: &Url) -> String;

    /// The engine's `RegExp`.
    type Pattern;
    #[wasm_bindgen(constructor, js_class = "RegExp", catch)]
    fn new(source: &str, flags: &str) -> Result<Pattern, JsValue>;
    #[wasm_bindgen(method, js_class = "RegExp")]
    fn test(this: &Pattern, text: &JsString) -> bool;
}

/// WHATWG URL's domain to ASCII. What the URL parser would read as the
/// URL's own syntax before it reaches the host (white space and controls it
/// strips, `/?#` ending the host, `@:` `[]` `\\` of the authority, `%`
/// it decodes) is refused first; the rest (`<`, `>`, `^`, `|`, …) goes to
/// the parser. The name is put in NFC by the engine first: UTS #46
/// normalises after mapping, but Chromium's host parser refuses `<` and `>`
/// before it would compose `<` + U+0338 into `≮` (IdnaTestV2 holds NFC
/// first to change no other row; tests/e2e/idna.test.mjs). The label `x`
/// added at the end keeps a name that ends in a number from being read as an
/// IPv4 address, and changes nothing else.
fn to_ascii(name: &str) -> Option<String> {
    let forbidden = |c: char| c <= ' ' || c == '\u{7f}' || "#%/:?@[\\]".contains(c);
    if name.contains(forbidden) {
        return None;
    }
    let name = String::from(JsString::from(name).normalize("NFC"));
    let host = Url::new(&format!("http://{name}.x/")).ok()?.hostname();
    host.strip_suffix(".x").map(str::to_string)
}

thread_local! {
    /// `^\p{Script=…}$` and `^\p{Script_Extensions=…}$` per name of
    /// `SCRIPTS`, made on first use; `None` for a script this engine does not
    /// know (it then never matches).
    static PATTERNS: RefCell<Vec<(Option<Pattern>, Option<Pattern>)>> = const { RefCell::new(Vec::new()) };
}

/// The character's Script (first) and Script_Extensions, as indices into
/// `SCRIPTS`; empty when the engine knows neither.
fn scripts_of(c: char) -> Vec<u16> {
    PATTERNS.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_empty() {
            let make =
                |prop: &str, name: &str| Pattern::new(&format!("^\\p{{{prop}={name}}}$"), "u").ok();
            *p = SCRIPTS
                .iter()
                .map(|n| (make("sc", n), make("scx", n)))
                .collect();
        }
        let text = JsString::from(c);
        let hit = |r: &Option<Pattern>| r.as_ref().is_some_and(|r| r.test(&text));
        let index = |i: usize| u16::try_from(i).unwrap_or(u16::MAX);
        let Some(script) = p.iter().position(|(sc, _)| hit(sc)) else {
            return Vec::new();
        };
        std::iter::once(index(script))
            .chain(
                p.iter()
                    .enumerate()
                    .filter(|(_, (_, scx))| hit(scx))
                    .map(|(i, _)| index(i)),
            )
            .collect()
    })
}

/// Gives the core the engine's answers; runs when the module starts.
#[wasm_bindgen(start)]
pub fn install() {
    unicode::install(unicode::Host {
        to_ascii,
        scripts: scripts_of,
    });
}
