//! The spec in a link's fragment (`#spec=<JSON, percent-encoded>`), so a
//! link reproduces the page. Only the spec goes there: certificate and key
//! material never do. Encoding follows JavaScript's `encodeURIComponent`
//! byte for byte, so links written by earlier pages still read; decoding is
//! strict and says what is wrong instead of falling back to defaults.

use crate::codes::Code;
use crate::finding::Finding;
use crate::spec::Spec;

/// What starts the fragment's value.
pub const KEY: &str = "spec=";

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
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(encoded) = fragment.strip_prefix(KEY) else {
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
    Spec::from_json(&json).map(Some).map_err(|mut f| {
        f.message = format!("the link's spec cannot be read: {}", f.message);
        f
    })
}

/// The fragment for `spec`, `#` included; `None` when the spec is too long
/// for a link (more than [`MAX_JSON`] bytes as JSON), so no link is ever
/// written that would not read back.
pub fn encode(spec: &Spec) -> Option<String> {
    let json = spec.to_json();
    if json.len() > MAX_JSON {
        return None;
    }
    let mut out = String::with_capacity(json.len() * 2 + 6);
    out.push('#');
    out.push_str(KEY);
    for b in json.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Some(out)
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
