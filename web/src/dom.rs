//! The few browser services the page needs, touched only from event
//! handlers: the clock, the clipboard, downloads and reading a chosen file.
//! Blobs, object URLs and file reading are gloo's (`gloo-file`), the window
//! and document `gloo-utils`'; only what gloo has no wrapper for (focus,
//! the clipboard) is web-sys.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Moves the focus to the element with this id (and into view), opening a
/// folded section around it first.
pub fn focus(id: &str) {
    let Some(el) = gloo_utils::document().get_element_by_id(id) else {
        return;
    };
    if let Ok(Some(details)) = el.closest("details") {
        let _ = details.set_attribute("open", "");
    }
    if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = h.focus();
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Puts `text` on the clipboard: the async Clipboard API, or the older
/// selection-and-copy route where that is unavailable (file:// pages).
pub async fn copy(text: String) -> bool {
    let clipboard = gloo_utils::window().navigator().clipboard();
    if JsFuture::from(clipboard.write_text(&text)).await.is_ok() {
        return true;
    }
    copy_fallback(&text)
}

fn copy_fallback(text: &str) -> bool {
    let doc = gloo_utils::document();
    let Some(area) = doc
        .create_element("textarea")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return false;
    };
    area.set_value(text);
    let _ = area.set_attribute("readonly", "");
    let _ = area.set_attribute("class", "offscreen");
    let Some(body) = doc.body() else {
        return false;
    };
    let _ = body.append_child(&area);
    area.select();
    let ok = doc
        .dyn_ref::<web_sys::HtmlDocument>()
        .and_then(|d| d.exec_command("copy").ok())
        .unwrap_or(false);
    area.remove();
    ok
}

/// Offers `text` as a download named `file_name` (a Blob URL, nothing sent).
pub fn download(file_name: &str, text: &str) {
    offer(
        gloo_file::Blob::new_with_options(text, Some("application/yaml")),
        file_name,
    );
}

/// Offers bytes as a file download (an archive).
pub fn download_bytes(file_name: &str, bytes: &[u8], mime: &str) {
    offer(
        gloo_file::Blob::new_with_options(bytes, Some(mime)),
        file_name,
    );
}

/// Clicks a temporary link to the blob, so the browser saves it; the
/// object URL is revoked when it goes out of scope.
fn offer(blob: gloo_file::Blob, file_name: &str) {
    let url = gloo_file::ObjectUrl::from(blob);
    if let Some(a) = gloo_utils::document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
}

/// Reads a chosen or dropped file as bytes: text (PEM) as it is; a binary
/// file (DER, PKCS#12, PKCS#7) as base64 text, which the core reads as the
/// DER it is — never as text with replacement characters.
pub async fn read_file(file: web_sys::File) -> Option<String> {
    let file = gloo_file::File::from(file);
    let bytes = gloo_file::futures::read_as_bytes(&file).await.ok()?;
    Some(material_text(bytes))
}

/// The text the field shows for a file's bytes (see [`read_file`]).
pub fn material_text(bytes: Vec<u8>) -> String {
    use base64::Engine;
    // DER starts with a SEQUENCE (0x30); PEM text never does.
    if bytes.first() != Some(&0x30)
        && let Ok(text) = String::from_utf8(bytes.clone())
    {
        return text;
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 1);
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out
}
