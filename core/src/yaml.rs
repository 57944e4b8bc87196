//! YAML for the manifests: a JSON value written in block style, the way
//! `kubectl get -o yaml` and serde_yaml write it (mappings `key: value`,
//! sequences `- item` at their key's indentation, `{}` and `[]` when empty).
//!
//! Only writing: specs are read by serde_yaml (natively) or as JSON. A
//! writer of ours, rather than serde_yaml's libyaml emitter, because the
//! manifests are plain data and this is all it takes (the emitter was 12 KB
//! of the page). Strings are written plain only when every YAML reader reads
//! them back as the same string — Kubernetes' YAML 1.1 readers included,
//! where `yes`, `on` or `1_000` are not strings — and quoted otherwise. The
//! tests read every output back with two YAML parsers that did not write it.

use serde_json::Value;
use std::fmt::Write;

/// `value` as one YAML document, with a final newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            inline(&mut out, scalar);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A mapping's entries at `at` spaces (the first one's indentation written
/// by the caller when it follows a `- `).
fn mapping(out: &mut String, map: &serde_json::Map<String, Value>, at: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            indent(out, at);
        }
        scalar(out, key);
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                indent(out, at + 2);
                mapping(out, inner, at + 2);
            }
            // Block sequences sit at their key's indentation.
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                indent(out, at);
                sequence(out, items, at);
            }
            other => {
                out.push(' ');
                inline(out, other);
                out.push('\n');
            }
        }
    }
}

/// A sequence's items at `at` spaces (the first one's indentation written
/// by the caller).
fn sequence(out: &mut String, items: &[Value], at: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(out, at);
        }
        out.push_str("- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => mapping(out, inner, at + 2),
            Value::Array(inner) if !inner.is_empty() => sequence(out, inner, at + 2),
            other => {
                inline(out, other);
                out.push('\n');
            }
        }
    }
}

/// A value on the line it starts: a scalar, `{}` or `[]`.
fn inline(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // serde_json's own number text (integers as they are, floats
        // shortest), as in the JSON output.
        Value::Number(n) => out.push_str(&serde_json::to_string(n).unwrap_or_default()),
        Value::String(s) => scalar(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// A string: plain when that is safe; double-quoted when it would read as
/// another type (`"true"`, `"443"`) or has characters to escape; otherwise
/// single-quoted. The styles Go's YAML writer picks (kubectl, Kustomize), so
/// a manifest Kustomize rebuilds comes out byte for byte the same.
fn scalar(out: &mut String, s: &str) {
    if plain_is_safe(s) {
        out.push_str(s);
    } else if !s.is_empty() && s.chars().all(printable) && !looks_like_another_type(s) {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c if printable(c) => out.push(c),
                c if u32::from(c) <= 0xffff => {
                    let _ = write!(out, "\\u{:04X}", u32::from(c));
                }
                c => {
                    let _ = write!(out, "\\U{:08X}", u32::from(c));
                }
            }
        }
        out.push('"');
    }
}

/// YAML's printable characters (YAML 1.2 §5.1), without the BOM and the
/// characters YAML 1.1 reads as line breaks (NEL, LS, PS): those are escaped.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Whether `s` written plain reads back as this very string in YAML 1.1
/// and 1.2 readers alike.
fn plain_is_safe(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false; // the empty string is null
    };
    if first.is_whitespace() || last.is_whitespace() || last == ':' {
        return false;
    }
    // An indicator at the start, a comment or a mapping inside, or a line
    // of its own.
    if "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['\n', '\r', '\t'])
        || !s.chars().all(printable)
    {
        return false;
    }
    !looks_like_another_type(s)
}

/// Null, a boolean, a number or a date in YAML 1.1 or 1.2 (Kubernetes reads
/// manifests with a YAML 1.1 reader), in any of their spellings.
fn looks_like_another_type(s: &str) -> bool {
    // Words, with or without a sign (`inf` and `nan` are numbers to some
    // readers too).
    const WORDS: &[&str] = &[
        "~", "null", "true", "false", "yes", "no", "y", "n", "on", "off", ".inf", ".nan", "inf",
        "infinity", "nan",
    ];
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if WORDS.contains(&lower.as_str()) || WORDS.contains(&unsigned) {
        return true;
    }
    let Some(first) = unsigned.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    // Every spelling of a number starts with a digit or a dot and uses only
    // digits, `_`, `.`, `:` (base 60) and an exponent, or has a radix
    // prefix; a date is digits and dashes. Quoting a few strings too many
    // (`1.2.3`) is harmless.
    let digits = |rest: &str, f: fn(&char) -> bool| rest.chars().all(|c| f(&c) || c == '_');
    let numeric = match unsigned.get(..2) {
        Some("0x") => digits(&unsigned[2..], char::is_ascii_hexdigit),
        Some("0o" | "0b") => digits(&unsigned[2..], char::is_ascii_digit),
        _ => unsigned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | ':' | 'e' | '+' | '-')),
    };
    let dotted_quad = unsigned.split('.').count() == 4
        && unsigned
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    numeric && !dotted_quad
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (string, how it is written, why)
    #[rustfmt::skip]
    const SCALARS: &[(&str, &str, &str)] = &[
        ("msr-cache", "msr-cache", "a name is plain"),
        ("cache.example.com", "cache.example.com", "a host name is plain"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example", "an A-label is plain"),
        ("nginx.ingress.kubernetes.io/ssl-passthrough", "nginx.ingress.kubernetes.io/ssl-passthrough", "an annotation key"),
        ("192.0.2.50", "192.0.2.50", "an IPv4 address is no number"),
        ("2001:db8::10", "2001:db8::10", "colons without a space are plain"),
        ("/", "/", "a path"),
        ("true", "\"true\"", "a boolean in every YAML"),
        ("True", "\"True\"", "a boolean, capitalised"),
        ("yes", "\"yes\"", "a YAML 1.1 boolean, as Kubernetes reads it"),
        ("on", "\"on\"", "a YAML 1.1 boolean"),
        ("n", "\"n\"", "a YAML 1.1 boolean, short"),
        ("null", "\"null\"", "null"),
        ("~", "\"~\"", "null, short"),
        ("", "\"\"", "the empty string would be null"),
        ("443", "\"443\"", "an integer"),
        ("-1", "\"-1\"", "a negative integer"),
        ("0x1F", "\"0x1F\"", "a hexadecimal integer"),
        ("0o17", "\"0o17\"", "an octal integer (YAML 1.2)"),
        ("017", "\"017\"", "an octal integer (YAML 1.1)"),
        ("1_000", "\"1_000\"", "a YAML 1.1 integer with a separator"),
        ("1:20", "\"1:20\"", "a YAML 1.1 base-60 integer"),
        ("1e3", "\"1e3\"", "a float"),
        (".5", "\".5\"", "a float without a leading digit"),
        (".inf", "\".inf\"", "infinity"),
        ("NaN", "\"NaN\"", "not a number"),
        ("-Infinity", "\"-Infinity\"", "a number to some readers"),
        ("+y", "\"+y\"", "a sign before a word"),
        ("2026-11-26", "\"2026-11-26\"", "a YAML 1.1 timestamp"),
        ("1.2.3", "\"1.2.3\"", "quoted though not a number: harmless"),
        ("abc", "abc", "hex digits that do not start with a digit are a word"),
        ("- x", "'- x'", "a sequence indicator"),
        ("-x", "'-x'", "a leading dash is quoted"),
        ("a: b", "'a: b'", "a mapping inside"),
        ("a #b", "'a #b'", "a comment inside"),
        ("a#b", "a#b", "a # without a space before it is text"),
        ("key:", "'key:'", "a trailing colon"),
        (" lead", "' lead'", "leading space"),
        ("trail ", "'trail '", "trailing space"),
        ("it's", "it's", "an inner quote is text"),
        ("'quoted'", "'''quoted'''", "a leading quote: quoted, quotes doubled"),
        ("*ref", "'*ref'", "an alias indicator"),
        ("line\nbreak", "\"line\\nbreak\"", "a line break: double-quoted, escaped"),
        ("bell\u{7}", "\"bell\\u0007\"", "a control character: escaped"),
        ("bücher", "bücher", "printable Unicode is plain"),
        ("a\u{2028}b", "\"a\\u2028b\"", "a YAML 1.1 line separator: escaped"),
    ];

    #[test]
    fn scalars() {
        for (s, want, why) in SCALARS {
            let mut out = String::new();
            scalar(&mut out, s);
            assert_eq!(out, *want, "{s:?}: {why}");
            let back: Value = serde_yaml::from_str(&format!("k: {out}\n")).expect(why);
            assert_eq!(back["k"], json!(s), "{s:?} reads back: {why}");
        }
    }

    #[test]
    fn shapes_as_kubectl_writes_them() {
        let v = json!({
            "kind": "List",
            "items": [{"a": 1, "b": {"c": [true, null, "x"], "d": {}}}, [], [1, [2]]],
            "empty": [],
        });
        assert_eq!(
            to_string(&v),
            "empty: []\nitems:\n- a: 1\n  b:\n    c:\n    - true\n    - null\n    - x\n    d: {}\n- []\n- - 1\n  - - 2\nkind: List\n"
        );
        assert_eq!(to_string(&json!("x")), "x\n");
        assert_eq!(to_string(&json!({})), "{}\n");
    }

    proptest::proptest! {
        /// Whatever the value, the YAML reads back as the same value.
        #[test]
        fn reads_back(v in value()) {
            let yaml = to_string(&v);
            let back: Value = serde_yaml::from_str(&yaml).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}\n{yaml}")))?;
            proptest::prop_assert_eq!(back, v, "{}", yaml);
        }
    }

    fn value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let text = "[ -~\u{a0}-\u{ff}\u{430}\n\t\u{7}]{0,12}";
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            text.prop_map(Value::String),
            prop::sample::select(vec![
                "yes",
                "No",
                "1_0",
                "0x1",
                "2026-01-01",
                "1:2",
                ".5",
                "-",
                "~"
            ])
            .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(4, 32, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::btree_map(text, inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
