//! The spec in a link's fragment (`#spec=<JSON, percent-encoded>`), so a
//! link reproduces the page. Only the spec goes there: certificate and key
//! material never do. Encoding follows JavaScript's `encodeURIComponent`
//! byte for byte, so links written by earlier pages still read; decoding is
//! strict and says what is wrong instead of falling back to defaults.
//!
//! A fragment may carry several parts separated by `&` — an anchor of the
//! host page, the specs of several configurators — and each configurator
//! owns one *slot*, `<slot>=<spec>` (`spec` unless told otherwise). Reading
//! looks at its own part only and writing replaces it in place, keeping every
//! other part byte for byte. A spec's JSON never holds a raw `&` (it is
//! written `%26`), so links of earlier pages read as the `spec` slot.

use crate::codes::Code;
use crate::finding::Finding;
use crate::spec::Spec;

/// The slot a configurator uses unless its page names another.
pub const DEFAULT_SLOT: &str = "spec";

/// The longest slot name.
const MAX_SLOT: usize = 32;

/// The longest spec a link carries, as JSON (a real spec is a few hundred
/// bytes). Links are written only for specs within it, and read only within
/// it, so every link written reads back.
pub const MAX_JSON: usize = 8 * 1024;

/// The longest fragment read: every byte of the JSON escaped (`%XX`).
const MAX_ENCODED: usize = 3 * MAX_JSON;

/// The spec `fragment` (with or without its `#`) carries: `Ok(None)` when it
/// carries none — no fragment, or an anchor of the page around it — and an
/// error finding when it carries one that cannot be read.
pub fn decode(fragment: &str) -> Result<Option<Spec>, Finding> {
    decode_slot(fragment, DEFAULT_SLOT)
}

/// Checks a slot name (a page's `permalink` attribute): 1 to 32 ASCII
/// letters, digits, `-` or `_`, so it never needs escaping in a link and
/// never reads as part of a spec.
pub fn check_slot(name: &str) -> Result<(), Finding> {
    let fine = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    if !name.is_empty() && name.len() <= MAX_SLOT && name.bytes().all(fine) {
        return Ok(());
    }
    Err(Finding::error(
        Code::SpecPermalink,
        "permalink",
        format!(
            "the permalink slot {name:?} is not a name of 1 to {MAX_SLOT} letters, digits, '-' or '_'"
        ),
        "set the embedding element's permalink attribute to a short name such as \"cache\" (or leave its value empty for \"spec\")",
    ))
}

/// The spec in `slot`'s part of `fragment` (see [`decode`]); the other
/// parts are not looked at.
pub fn decode_slot(fragment: &str, slot: &str) -> Result<Option<Spec>, Finding> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(encoded) = fragment
        .split('&')
        .find_map(|part| part.strip_prefix(slot)?.strip_prefix('='))
    else {
        return Ok(None);
    };
    let too_long = |n: usize| {
        unreadable(format!(
            "the link's spec is {n} bytes; a spec is a few hundred, and a link carries at most {MAX_JSON}"
        ))
    };
    if encoded.len() > MAX_ENCODED {
        return Err(too_long(encoded.len()));
    }
    let json = percent_decode(encoded).map_err(unreadable)?;
    if json.len() > MAX_JSON {
        return Err(too_long(json.len()));
    }
    let spec = Spec::from_json(&json).map_err(|mut f| {
        f.message = format!("the link's spec cannot be read: {}", f.message);
        f
    })?;
    if let Some((field, value)) = unquotable(&spec) {
        return Err(Finding::error(
            Code::SpecPermalink,
            field.clone(),
            format!(
                "the link's {field} is {value:?}: a control character, which no command msr-expose writes can carry, so the link is not read"
            ),
            "a link written by the page never carries one: copy it again from the page's Copy link, or type the value",
        ));
    }
    Ok(Some(spec))
}

/// The first text of `spec` (its field and value) that the shell module
/// cannot write ([`crate::shell::check`]): a link never carries one, either
/// way, so no shared link can put into a script what its quoting cannot.
fn unquotable(spec: &Spec) -> Option<(String, String)> {
    crate::field::SpecField::ALL.iter().find_map(|f| {
        let v = spec.text(*f)?;
        crate::shell::check(&v)
            .is_err()
            .then(|| (f.key().to_string(), v))
    })
}

/// The fragment for `spec`, `#` included; `None` when the spec is too long
/// for a link (more than [`MAX_JSON`] bytes as JSON), so no link is ever
/// written that would not read back.
pub fn encode(spec: &Spec) -> Option<String> {
    with_slot("", DEFAULT_SLOT, spec)
}

/// `fragment` (with or without its `#`) with `slot`'s part set to `spec`,
/// `#` included: replaced where it was, or added after the other parts,
/// which are kept as they were. `None` when the spec is too long for a link,
/// or carries a control character (which no link carries).
pub fn with_slot(fragment: &str, slot: &str, spec: &Spec) -> Option<String> {
    let json = spec.to_json();
    if json.len() > MAX_JSON || unquotable(spec).is_some() {
        return None;
    }
    let mut mine = String::with_capacity(json.len() * 2 + slot.len() + 1);
    mine.push_str(slot);
    mine.push('=');
    for b in json.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            mine.push(char::from(b));
        } else {
            mine.push_str(&format!("%{b:02X}"));
        }
    }
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let is_mine = |part: &&str| part.strip_prefix(slot).is_some_and(|r| r.starts_with('='));
    let mut parts: Vec<&str> = fragment.split('&').filter(|p| !p.is_empty()).collect();
    match parts.iter().position(is_mine) {
        Some(i) => parts[i] = &mine,
        None => parts.push(&mine),
    }
    // A slot written twice by hand: the first one is the one read.
    let mut seen = false;
    parts.retain(|p| !is_mine(p) || !std::mem::replace(&mut seen, true));
    Some(format!("#{}", parts.join("&")))
}

fn unreadable(why: String) -> Finding {
    Finding::error(
        Code::SpecPermalink,
        "permalink",
        why,
        "the link was cut or changed on the way: copy it again from the page's Copy link, or start from an empty page",
    )
}

/// `%XX` escapes to bytes, then UTF-8, as `decodeURIComponent` does.
fn percent_decode(s: &str) -> Result<String, String> {
    let mut bytes = Vec::with_capacity(s.len());
    let mut rest = s.as_bytes();
    while let Some((&b, after)) = rest.split_first() {
        if b == b'%' {
            let hex = after
                .get(..2)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(byte) = hex.filter(|_| after[..2].iter().all(u8::is_ascii_hexdigit)) else {
                let at = s.len() - rest.len();
                return Err(format!(
                    "the link's spec has a broken %-escape at character {at}"
                ));
            };
            bytes.push(byte);
            rest = &after[2..];
        } else {
            bytes.push(b);
            rest = after;
        }
    }
    String::from_utf8(bytes).map_err(|_| "the link's spec is not UTF-8 once decoded".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let spec =
            Spec::from_text("method: ingress\nexternalFqdn: cäche.example.com\n").expect("spec");
        let link = encode(&spec).expect("short enough");
        assert!(link.starts_with("#spec=%7B%22method%22"), "{link}");
        assert!(link.is_ascii(), "{link}");
        assert_eq!(decode(&link), Ok(Some(spec)));
    }

    /// (fragment, expected code or None for "no spec", reason)
    const CASES: &[(&str, Option<&str>, &str)] = &[
        ("", None, "no fragment"),
        ("#", None, "an empty fragment"),
        ("#step-3", None, "an anchor of the host page"),
        (
            "#spec=%7B%22method%22%3A%22nodeport%22%2C%22nodeFqdn%22%3A%22w1.example.com%22%7D",
            Some(""),
            "a valid link",
        ),
        ("#spec=", Some("spec.empty"), "an empty spec"),
        ("#spec=%7", Some("spec.permalink"), "a cut escape"),
        ("#spec=%zz", Some("spec.permalink"), "not hex"),
        ("#spec=%+1", Some("spec.permalink"), "a sign is not hex"),
        ("#spec=%FF", Some("spec.permalink"), "not UTF-8"),
        (
            "#spec=%7B%22nodeFqdn%22%3A1%7D",
            Some("spec.parse"),
            "a number for a name",
        ),
        (
            "#spec=%7B%22nodeFQDN%22%3A%22x%22%7D",
            Some("spec.parse"),
            "an unknown field",
        ),
        ("#spec={broken", Some("spec.parse"), "broken JSON"),
    ];

    #[test]
    fn fragments() {
        for (fragment, want, why) in CASES {
            let got = decode(fragment);
            match want {
                None => assert_eq!(got, Ok(None), "{why}"),
                Some("") => assert!(matches!(got, Ok(Some(_))), "{why}: {got:?}"),
                Some(code) => assert_eq!(got.err().map(|f| f.code.as_str()), Some(*code), "{why}"),
            }
        }
    }

    /// (fragment before, slot, fragment after writing `w1.example.com`'s
    /// spec, where the spec's part is `S`, reason)
    const SLOTS: &[(&str, &str, &str, &str)] = &[
        ("", "spec", "#spec=S", "an empty address"),
        (
            "#step-3",
            "spec",
            "#step-3&spec=S",
            "the host page's anchor stays first",
        ),
        ("#spec=old", "spec", "#spec=S", "its own part is replaced"),
        (
            "#a&spec=old&b",
            "spec",
            "#a&spec=S&b",
            "in place, between other parts",
        ),
        (
            "#spec=old",
            "second",
            "#spec=old&second=S",
            "another slot's part is kept",
        ),
        (
            "#second=old&spec=x",
            "second",
            "#second=S&spec=x",
            "each slot its own part",
        ),
        (
            "#specs=x",
            "spec",
            "#specs=x&spec=S",
            "a longer name is another slot",
        ),
        (
            "#spec=1&spec=2",
            "spec",
            "#spec=S",
            "a slot written twice by hand: one is left",
        ),
        (
            "#&&step-3&",
            "spec",
            "#step-3&spec=S",
            "empty parts are dropped",
        ),
    ];

    #[test]
    fn slots_keep_other_parts() {
        let spec = Spec::from_json(r#"{"nodeFqdn":"w1.example.com"}"#).expect("spec");
        let part = encode(&spec).expect("short").replacen("#spec=", "", 1);
        for (before, slot, after, why) in SLOTS {
            let written = with_slot(before, slot, &spec).expect("short");
            assert_eq!(written, after.replace('S', &part), "{why}");
            assert_eq!(decode_slot(&written, slot), Ok(Some(spec.clone())), "{why}");
        }
        // Reading one slot ignores a broken neighbour.
        let both = "#spec=%zz&second=".to_string() + &part;
        assert!(decode_slot(&both, "second").is_ok_and(|s| s.is_some()));
        assert!(decode_slot(&both, "spec").is_err());
    }

    #[test]
    fn slot_names() {
        for ok in ["spec", "cache", "a-1_B", &"x".repeat(MAX_SLOT)] {
            assert_eq!(check_slot(ok), Ok(()), "{ok}");
        }
        for bad in ["", "a b", "a=b", "a&b", "ünï", &"x".repeat(MAX_SLOT + 1)] {
            assert!(check_slot(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn huge_links_are_refused_not_parsed() {
        let link = format!("#spec={}", "%7B".repeat(MAX_JSON + 1));
        assert_eq!(
            decode(&link).err().map(|f| f.code.as_str()),
            Some("spec.permalink")
        );
    }

    /// Found by the fuzzer: a spec read from a short link with raw
    /// characters wrote a link three times as long, which the length limit
    /// then refused. Limits now apply to the JSON on both sides.
    #[test]
    fn every_link_written_reads_back() {
        let name = "w".repeat(MAX_JSON - 300);
        let raw = format!("#spec={{\"method\":\"nodeport\",\"nodeFqdn\":\"{name}\"}}");
        let spec = decode(&raw).expect("readable").expect("a spec");
        let link = encode(&spec).expect("within the limit");
        assert_eq!(decode(&link), Ok(Some(spec)));
        let longer = Spec::from_json(&format!("{{\"nodeFqdn\":\"{name}{name}\"}}")).expect("spec");
        assert_eq!(
            encode(&longer),
            None,
            "too long for a link: none is written"
        );
    }
}
