//! The Unicode questions a host name raises — its ASCII form under UTS #46
//! as URLs use it (WHATWG URL's "domain to ASCII"), its Unicode form for
//! display, the scripts of its characters — answered by a reference, never
//! by tables of ours:
//!
//! - natively (feature `unicode-tables`, on by default): ICU4X, through the
//!   `idna` and `icu_properties` crates;
//! - in the browser and in Node (the page and the JS API, built without the
//!   feature): the JavaScript engine's own URL parser and RegExp Unicode
//!   properties (`\p{Script=…}`, `\p{Script_Extensions=…}`) — what the
//!   browser itself does with the name — given to the core once with
//!   [`install`]. That keeps about 70 KB of Unicode tables out of the
//!   modules. An A-label's Unicode form is its Punycode (RFC 3492) decoded
//!   by the `idna` crate's decoder (which carries no tables) and then proved
//!   by the engine: it must convert back to the very same A-label, which
//!   rejects what UTS #46 rejects (disallowed or unnormalised characters,
//!   the bidi and joiner rules).
//!
//! The agreement of the two is checked by the JS API's parity tests against
//! the CLI (tests/e2e/api.test.mjs).

/// Every Script value by ICU's long name (`Latin`, `Old_Italic`, …): the
/// names the engine is asked about, and the indices [`Host::scripts`]
/// answers with.
pub const SCRIPTS: &[&str] = include!("unicode_scripts.txt");

/// The Unicode version msr-expose holds names to: that of UTS #46's
/// conformance file it is proved on (IdnaTestV2), which every engine it
/// runs on knows — ICU4X in the CLI and Node (Unicode 18), Chromium's ICU
/// (17). A character assigned later is refused on every build
/// (`fqdn.unicode_newer`), so that no build accepts a name another refuses.
pub const VERSION: &str = "16.0";

/// The code points ICU4X's data assigns that Unicode 16.0 left unassigned,
/// as inclusive ranges in order. Written by
/// `MSR_EXPOSE_WRITE_NEWER=1 cargo test -p msr-expose-core unicode` from
/// ICU4X's General_Category and the Age property of the `regex` crate's
/// Unicode 16.0 tables; a test fails when it drifts from either.
const NEWER: &[(u32, u32)] = &include!("unicode_newer.txt");

/// Whether `c` was assigned after [`VERSION`].
pub fn newer(c: char) -> bool {
    let c = u32::from(c);
    c > 0x7f
        && NEWER
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// A character's script (`Script`) and the scripts it is used with
/// (`Script_Extensions`, which includes the script itself, or is just
/// `Common` or `Inherited`), by long name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripts {
    /// The Script property.
    pub script: &'static str,
    /// The Script_Extensions property.
    pub extensions: Vec<&'static str>,
}

/// The scripts of `c`. ASCII is answered here (letters are Latin, the rest
/// Common, as in every version of Unicode); the rest by the reference.
pub fn scripts(c: char) -> Scripts {
    if c.is_ascii() {
        let script = if c.is_ascii_alphabetic() {
            "Latin"
        } else {
            "Common"
        };
        return Scripts {
            script,
            extensions: vec![script],
        };
    }
    reference::scripts(c)
}

/// `name` (not all ASCII) in ASCII, UTS #46 as URLs do it (lower case,
/// mapped, normalised, Punycode); `None` when it cannot be converted.
pub fn to_ascii(name: &str) -> Option<String> {
    reference::to_ascii(name)
}

/// The Unicode form of an ASCII name with A-labels; `None` when an A-label
/// is not valid (bad Punycode, or not what UTS #46 would have written).
pub fn to_unicode(ascii: &str) -> Option<String> {
    reference::to_unicode(ascii)
}

#[cfg(feature = "unicode-tables")]
mod reference {
    use super::Scripts;
    use icu_properties::PropertyNamesLong;
    use icu_properties::props::Script;
    use icu_properties::script::ScriptWithExtensions;

    pub fn to_ascii(name: &str) -> Option<String> {
        idna::domain_to_ascii(name).ok()
    }

    pub fn to_unicode(ascii: &str) -> Option<String> {
        let (unicode, result) = idna::domain_to_unicode(ascii);
        result.ok().map(|()| unicode)
    }

    pub fn scripts(c: char) -> Scripts {
        let data = ScriptWithExtensions::new();
        let name = |s: Script| {
            let long = PropertyNamesLong::<Script>::new()
                .get(s)
                .unwrap_or("Unknown");
            super::SCRIPTS
                .iter()
                .copied()
                .find(|n| *n == long)
                .unwrap_or("Unknown")
        };
        Scripts {
            script: name(data.get_script_val(c)),
            extensions: data.get_script_extensions_val(c).iter().map(name).collect(),
        }
    }
}

/// What an embedder without the tables answers (see [`install`]).
#[derive(Debug, Clone, Copy)]
pub struct Host {
    /// WHATWG URL's domain to ASCII of a name; `None` when it fails.
    pub to_ascii: fn(&str) -> Option<String>,
    /// Indices into [`SCRIPTS`]: the character's Script first, then its
    /// Script_Extensions.
    pub scripts: fn(char) -> Vec<u16>,
}

#[cfg(not(feature = "unicode-tables"))]
static HOST: std::sync::OnceLock<Host> = std::sync::OnceLock::new();

/// Gives the core its Unicode answers where it is built without the tables
/// (the page and the JS API do this when the module starts). With the
/// tables, the host is not needed and not used.
pub fn install(host: Host) {
    #[cfg(not(feature = "unicode-tables"))]
    let _ = HOST.set(host);
    #[cfg(feature = "unicode-tables")]
    let _ = host;
}

#[cfg(not(feature = "unicode-tables"))]
mod reference {
    use super::{HOST, Scripts};

    pub fn to_ascii(name: &str) -> Option<String> {
        (HOST.get()?.to_ascii)(name)
    }

    pub fn to_unicode(ascii: &str) -> Option<String> {
        super::to_unicode_with(ascii, to_ascii)
    }

    pub fn scripts(c: char) -> Scripts {
        super::from_answer(&HOST.get().map(|h| (h.scripts)(c)).unwrap_or_default())
    }
}

/// The scripts an engine's answer (indices into [`SCRIPTS`]: Script, then
/// Script_Extensions) names. An engine that cannot answer — no Unicode
/// property escapes in its RegExp — makes no claim: Common, which goes
/// with every script, so it raises no homograph warning it cannot back.
#[cfg_attr(feature = "unicode-tables", allow(dead_code))]
fn from_answer(answer: &[u16]) -> Scripts {
    let name = |i: &u16| SCRIPTS.get(usize::from(*i)).copied().unwrap_or("Unknown");
    match answer.split_first() {
        Some((script, rest)) if !rest.is_empty() => Scripts {
            script: name(script),
            extensions: rest.iter().map(name).collect(),
        },
        _ => Scripts {
            script: "Common",
            extensions: vec!["Common"],
        },
    }
}

/// `ascii` with every A-label's Punycode (RFC 3492) decoded and nothing
/// else judged: the same on every build (the decoder carries no tables), so
/// that rules on the Unicode form (CheckHyphens, the Unicode version) give
/// one answer before any engine is asked. `None` when one does not decode.
pub fn decode_labels(ascii: &str) -> Option<String> {
    let mut labels = Vec::new();
    for label in ascii.split('.') {
        labels.push(match label.strip_prefix("xn--") {
            Some(encoded) => idna::punycode::decode_to_string(encoded)?,
            None => label.to_string(),
        });
    }
    Some(labels.join("."))
}

/// The Unicode form of `ascii`: every A-label decoded, and the whole proved
/// by converting it back with `to_ascii` to exactly `ascii` (but for ASCII
/// case).
#[cfg_attr(feature = "unicode-tables", allow(dead_code))]
fn to_unicode_with(ascii: &str, to_ascii: impl Fn(&str) -> Option<String>) -> Option<String> {
    let unicode = decode_labels(ascii)?;
    // ASCII case is no difference (UTS #46 maps it).
    to_ascii(&unicode)?
        .eq_ignore_ascii_case(ascii)
        .then_some(unicode)
}

#[cfg(all(test, feature = "unicode-tables"))]
mod tests {
    use super::*;

    /// The list the engine is asked about is ICU4X's, every value of it.
    #[test]
    fn the_script_list_is_icus() {
        use icu_properties::PropertyNamesLong;
        use icu_properties::props::Script;
        use icu_properties::script::ScriptWithExtensions;
        let data = ScriptWithExtensions::new();
        let names = PropertyNamesLong::<Script>::new();
        let mut all = std::collections::BTreeSet::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            all.insert(names.get(data.get_script_val(c)).unwrap_or("Unknown"));
            for s in data.get_script_extensions_val(c).iter() {
                all.insert(names.get(s).unwrap_or("Unknown"));
            }
        }
        let all: Vec<&str> = all.into_iter().collect();
        if std::env::var_os("MSR_EXPOSE_WRITE_SCRIPTS").is_some() {
            let mut text = String::from(
                "// Written by `MSR_EXPOSE_WRITE_SCRIPTS=1 cargo test -p msr-expose-core unicode`\n\
                 // from ICU4X's Script values (every Script and Script_Extensions value of\n\
                 // some code point, by long name); a test fails when it drifts.\n&[\n",
            );
            let mut line = String::from("   ");
            for n in &all {
                let item = format!(" \"{n}\",");
                if line.len() + item.len() > 99 {
                    text.push_str(&line);
                    text.push('\n');
                    line = String::from("   ");
                }
                line.push_str(&item);
            }
            text.push_str(&line);
            text.push_str("\n]\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/unicode_scripts.txt");
            std::fs::write(path, text).expect("write the list");
        }
        assert_eq!(
            SCRIPTS,
            all.as_slice(),
            "MSR_EXPOSE_WRITE_SCRIPTS=1 rewrites the list"
        );
    }

    /// The table of characters newer than [`VERSION`] is exactly what
    /// ICU4X assigns and Unicode 16.0 (the `regex` crate's Age tables) does
    /// not; `MSR_EXPOSE_WRITE_NEWER=1` rewrites it.
    #[test]
    fn the_newer_table_is_icu_minus_unicode_16() {
        use icu_properties::CodePointMapData;
        use icu_properties::props::GeneralCategory;
        let gc = CodePointMapData::<GeneralCategory>::new();
        let age16 = regex::Regex::new(r"^\p{Age=16.0}$").expect("regex knows Age");
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let assigned = gc.get(c) != GeneralCategory::Unassigned;
            if assigned && !age16.is_match(c.encode_utf8(&mut [0; 4])) {
                let c = u32::from(c);
                match ranges.last_mut() {
                    Some((_, hi)) if *hi + 1 == c => *hi = c,
                    _ => ranges.push((c, c)),
                }
            }
        }
        if std::env::var_os("MSR_EXPOSE_WRITE_NEWER").is_some() {
            let mut text = String::from(
                "// Written by `MSR_EXPOSE_WRITE_NEWER=1 cargo test -p msr-expose-core unicode`:\n\
                 // the code points ICU4X assigns that Unicode 16.0 (regex's Age) does not.\n[\n",
            );
            for (lo, hi) in &ranges {
                text.push_str(&format!("    (0x{lo:04X}, 0x{hi:04X}),\n"));
            }
            text.push_str("]\n");
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/unicode_newer.txt");
            std::fs::write(path, text).expect("write the table");
        }
        assert_eq!(
            NEWER,
            ranges.as_slice(),
            "MSR_EXPOSE_WRITE_NEWER=1 rewrites the table"
        );
        // Unicode 16.0's own additions are not newer; ASCII never is.
        assert!(!newer('\u{1CCF0}') && !newer('a') && !newer('ä'));
    }

    /// An engine's answer read back; none at all is no claim.
    #[test]
    fn answers() {
        let at =
            |n: &str| u16::try_from(SCRIPTS.iter().position(|s| *s == n).expect(n)).expect("fits");
        let cyrillic = from_answer(&[at("Cyrillic"), at("Cyrillic")]);
        assert_eq!(cyrillic, reference::scripts('\u{430}'));
        let dot = from_answer(&[at("Common"), at("Devanagari"), at("Bengali")]);
        assert_eq!((dot.script, dot.extensions.len()), ("Common", 2));
        assert_eq!(from_answer(&[]).extensions, ["Common"]);
        assert_eq!(
            from_answer(&[at("Latin")]).extensions,
            ["Common"],
            "no extensions: no answer"
        );
    }

    /// ASCII is answered without asking; it must be what ICU says.
    #[test]
    fn ascii_scripts_agree_with_icu() {
        for c in (0u8..=127).map(char::from) {
            assert_eq!(scripts(c), reference::scripts(c), "{c:?}");
        }
    }

    /// (A-label form, reason) — the browser build's route (idna's Punycode
    /// decoder, then the round-trip proof) gives what idna's UTS #46
    /// to_unicode gives, valid or not.
    #[test]
    #[rustfmt::skip]
    fn unicode_forms_agree_with_idna() {
        let cases: &[(&str, &str)] = &[
            ("xn--bcher-kva.example", "bücher, the RFC's own kind of example"),
            ("xn--caf-dma.example.com", "café"),
            ("xn--80ak6aa92e.com", "Cyrillic only (applе lookalike)"),
            ("xn--mller-kva.xn--caf-dma.example", "two A-labels"),
            ("xn--wgv71a119e.jp", "Japanese"),
            ("xn--fsqu00a.xn--3lr804guic", "Chinese TLD"),
            ("xn--abc", "decodes to ASCII only: not a valid A-label"),
            ("xn--bcher-KVA.example", "upper-case Punycode digits: case is no difference"),
            ("xn--", "empty Punycode"),
            ("xn--a-", "a basic part then nothing"),
            ("xn--zzzzzzzzzzzzzzzzzzzzzzzzzzz", "overflow"),
            ("xn--0ca", "decodes to U+00E0? not valid: it would be written differently"),
            ("xn--ls8h.la", "an emoji label (disallowed? valid in UTS #46 nontransitional)"),
            ("xn--fa-hia.de", "faß, nontransitional: kept as ß"),
            ("xn--mgbh0fb.xn--kgbechtv", "Arabic (bidi)"),
            ("xn--a-ecp.example", "a ZWJ: fails the joiner rule"),
            ("plain.example.com", "no A-label at all"),
        ];
        for (ascii, why) in cases {
            let ours = to_unicode_with(ascii, |s| idna::domain_to_ascii(s).ok());
            assert_eq!(ours, to_unicode(ascii), "{ascii}: {why}");
        }
    }

    proptest::proptest! {
        /// Any label the idna crate encodes decodes back to what it encoded.
        #[test]
        fn punycode_round_trips(label in "[a-z0-9\u{e0}-\u{ff}\u{400}-\u{44f}\u{4e00}-\u{4e2f}-]{1,20}") {
            if let Ok(ascii) = idna::domain_to_ascii(&label) {
                let ours = to_unicode_with(&ascii, |s| idna::domain_to_ascii(s).ok());
                proptest::prop_assert_eq!(ours, to_unicode(&ascii));
            }
        }
    }
}
