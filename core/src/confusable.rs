//! Mixed-script detection for host labels, after Unicode's UTS #39 (Unicode
//! Security Mechanisms, §5.1 "Mixed-Script Detection"): a label whose
//! characters share no script is the shape of a homograph — `cаche` with a
//! Cyrillic `а` reads as `cache`. The Script and Script_Extensions data is
//! the reference's (`unicode`: ICU4X natively, the JavaScript engine in the
//! browser), not a table of ours.

use crate::unicode;
use std::collections::BTreeSet;

/// A member of a character's augmented script set: a script, or one of the
/// writing systems UTS #39 adds for Han and its companions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tag {
    Script(&'static str),
    /// Han with Bopomofo.
    Hanb,
    /// Japanese: Han, Hiragana, Katakana.
    Jpan,
    /// Korean: Han, Hangul.
    Kore,
}

/// The augmented script set of `c`, or `None` for Common and Inherited
/// characters (digits, `-`, combining marks), which go with every script.
fn augmented(c: char) -> Option<BTreeSet<Tag>> {
    let mut set = BTreeSet::new();
    for script in unicode::scripts(c).extensions {
        if script == "Common" || script == "Inherited" {
            return None;
        }
        set.insert(Tag::Script(script));
        match script {
            "Han" => set.extend([Tag::Hanb, Tag::Jpan, Tag::Kore]),
            "Hiragana" | "Katakana" => {
                set.insert(Tag::Jpan);
            }
            "Hangul" => {
                set.insert(Tag::Kore);
            }
            "Bopomofo" => {
                set.insert(Tag::Hanb);
            }
            _ => {}
        }
    }
    Some(set)
}

/// When `label` mixes scripts (its resolved script set is empty), the
/// scripts and the characters of each, in order of first appearance:
/// `[("Latin", "c, h, e"), ("Cyrillic", "а U+0430")]`.
pub fn mixed_scripts(label: &str) -> Option<Vec<(String, String)>> {
    let mut resolved: Option<BTreeSet<Tag>> = None;
    for c in label.chars() {
        let Some(set) = augmented(c) else { continue };
        resolved = Some(match resolved {
            None => set,
            Some(r) => r.intersection(&set).copied().collect(),
        });
    }
    if !resolved.is_some_and(|r| r.is_empty()) {
        return None;
    }
    let mut groups: Vec<(&str, Vec<char>)> = Vec::new();
    for c in label.chars() {
        if augmented(c).is_none() {
            continue;
        }
        let script = unicode::scripts(c).script;
        match groups.iter_mut().find(|(s, _)| *s == script) {
            Some((_, chars)) if !chars.contains(&c) => chars.push(c),
            Some(_) => {}
            None => groups.push((script, vec![c])),
        }
    }
    Some(
        groups
            .into_iter()
            .map(|(script, chars)| {
                let name = script.replace('_', " ");
                let chars: Vec<String> = chars
                    .iter()
                    .map(|&c| {
                        if c.is_ascii() {
                            c.to_string()
                        } else {
                            format!("{c} U+{:04X}", u32::from(c))
                        }
                    })
                    .collect();
                (name, chars.join(", "))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::mixed_scripts;

    #[test]
    #[rustfmt::skip]
    fn labels_by_script() {
        // (label, mixed, reason)
        let cases: &[(&str, bool, &str)] = &[
            ("cache", false, "plain Latin"),
            ("cache-01", false, "digits and hyphen are Common: they go with any script"),
            ("bücher", false, "Latin with a diacritic is still Latin"),
            ("c\u{430}che", true, "a Cyrillic а among Latin letters: the classic homograph"),
            ("\u{441}\u{430}\u{441}h\u{435}", true, "Cyrillic с, а, е with a Latin h"),
            ("\u{43a}\u{44d}\u{448}", false, "all Cyrillic (кэш) is one script"),
            ("p\u{3bf}rt", true, "a Greek omicron among Latin letters"),
            ("\u{3c0}\u{3b1}\u{3c1}\u{3ac}", false, "all Greek"),
            ("\u{65e5}\u{672c}\u{3054}", false, "Han with Hiragana: Japanese (Jpan)"),
            ("\u{d55c}\u{6f22}", false, "Hangul with Han: Korean (Kore)"),
            ("\u{3042}\u{c548}", true, "Hiragana with Hangul share no writing system"),
            ("a\u{301}", false, "a combining mark is Inherited"),
            ("\u{5d0}a", true, "Hebrew with Latin"),
        ];
        for (label, mixed, reason) in cases {
            assert_eq!(mixed_scripts(label).is_some(), *mixed, "{label}: {reason}");
        }
    }

    #[test]
    fn the_mixed_characters_are_named() {
        let groups = mixed_scripts("c\u{430}che").expect("mixed");
        assert_eq!(
            groups,
            [
                ("Latin".to_string(), "c, h, e".to_string()),
                ("Cyrillic".to_string(), "\u{430} U+0430".to_string()),
            ]
        );
    }
}
