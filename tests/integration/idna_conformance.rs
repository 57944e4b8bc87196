//! Host names against Unicode's own UTS #46 conformance file
//! (`../shared/unicode/IdnaTestV2.txt`, read-only test data), as the CLI
//! (the native build, ICU4X's tables) reads them: nontransitional, with
//! CheckHyphens, CheckBidi, CheckJoiners and VerifyDnsLength, a trailing
//! root dot dropped. Every row the file marks as an error must be refused;
//! every row it accepts must be accepted with the file's A-label, or
//! refused by a DNS host rule of msr-expose's own (each counted by its
//! reason). A character assigned after Unicode 16.0 (the file's version) is
//! refused on every build (`fqdn.unicode_newer`), so the file's V7 rows are
//! refused here too, though ICU4X's data knows their code points.
//!
//! Each row's answer as the JS API's `validateFqdn(source, "ingress")` gives
//! it (the host and the error codes) is written to target/idna-native.json,
//! which tests/e2e/idna.test.mjs holds Node's and Chromium's answers to, row
//! by row.

use msr_expose_core::fqdn::{Fqdn, FqdnError};
use msr_expose_core::{HostRole, check_host};
use std::collections::BTreeMap;

/// `\uXXXX` and `\x{XXXX}` escapes of the file, resolved; None for a lone
/// surrogate, which no Rust (or well-formed UTF-8) string holds.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let (hex, len) = if let Some(h) = tail.strip_prefix("\\u") {
            (&h[..4], 6)
        } else if let Some(h) = tail.strip_prefix("\\x{") {
            let end = h.find('}').expect("closing brace");
            (&h[..end], end + 4)
        } else {
            out.push('\\');
            rest = &tail[1..];
            continue;
        };
        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
        out.push(c);
        rest = &tail[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// One row: the source, toAsciiN, and its status codes.
struct Row {
    line: usize,
    source: String,
    ascii: String,
    status: Vec<String>,
}

/// The rows, and how many hold a lone surrogate.
fn rows(text: &str) -> (Vec<Row>, usize) {
    let mut out = Vec::new();
    let mut surrogates = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default();
        if line.trim().is_empty() {
            continue;
        }
        let Some(cols) = line
            .split(';')
            .map(|c| unescape(c.trim()))
            .collect::<Option<Vec<String>>>()
        else {
            surrogates += 1;
            continue;
        };
        let field = |i: usize| cols.get(i).map(String::as_str).unwrap_or_default();
        let quoted = |v: &str| {
            if v == "\"\"" {
                String::new()
            } else {
                v.to_string()
            }
        };
        let source = quoted(field(0));
        let unicode = if field(1).is_empty() {
            source.clone()
        } else {
            quoted(field(1))
        };
        let unicode_status = field(2).to_string();
        let ascii = if field(3).is_empty() {
            unicode.clone()
        } else {
            quoted(field(3))
        };
        let status = if field(4).is_empty() {
            unicode_status
        } else {
            field(4).to_string()
        };
        let status = status
            .trim_matches(['[', ']'])
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        out.push(Row {
            line: n + 1,
            source,
            ascii,
            status,
        });
    }
    (out, surrogates)
}

/// Whether UTS #46 accepts the row once a trailing root dot is dropped
/// (its only error then is A4_2, the empty root label).
fn uts46_accepts(row: &Row) -> bool {
    if row.status.is_empty() {
        return true;
    }
    row.status.iter().all(|s| s == "A4_2")
        && row
            .ascii
            .strip_suffix('.')
            .is_some_and(|a| !a.is_empty() && a.split('.').all(|l| !l.is_empty() && l.len() <= 63))
}

/// msr-expose's DNS host rules beyond UTS #46: the reason a name UTS #46
/// accepts is still no host name for a certificate and a route.
fn dns_rule(e: &FqdnError) -> Option<&'static str> {
    match e {
        FqdnError::InvalidChar { .. } => {
            Some("a character no DNS host name has (STD 3: letters, digits, hyphen)")
        }
        FqdnError::NumericTld { .. } => {
            Some("an all-numeric top-level label (it would read as an IPv4 address)")
        }
        FqdnError::Whitespace => Some("white space"),
        FqdnError::LooksLikeUrl { .. } => Some("a URL or host:port"),
        FqdnError::Wildcard { .. } => Some("a wildcard"),
        _ => None,
    }
}

#[test]
fn every_row_of_idna_test_v2_is_judged_as_uts46_judges_it() {
    let Some(dir) = msr_expose_tests::shared("unicode") else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("IdnaTestV2.txt")).expect("IdnaTestV2.txt");
    let (rows, surrogates) = rows(&text);
    let (mut agree, mut wrong) = (0, Vec::new());
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut answers = serde_json::Map::new();
    for row in &rows {
        if row.source.is_empty() || row.source.trim() != row.source {
            // "" and names with outer spaces: what a form trims first.
            by_rule
                .entry("empty, or outer white space a form trims")
                .and_modify(|n| *n += 1)
                .or_insert(1);
            continue;
        }
        let checked = check_host(&row.source, "externalFqdn", HostRole::IngressHost);
        let codes: Vec<&str> = checked
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        answers.insert(
            row.line.to_string(),
            serde_json::json!([checked.host.map(|h| h.to_string()), codes]),
        );
        let ours = row.source.parse::<Fqdn>();
        match (uts46_accepts(row), ours) {
            (true, Ok(name)) => {
                let want = row
                    .ascii
                    .strip_suffix('.')
                    .unwrap_or(&row.ascii)
                    .to_lowercase();
                if name.as_ref() == want {
                    agree += 1;
                } else {
                    wrong.push(format!(
                        "line {}: {:?} → {} (UTS #46: {want})",
                        row.line,
                        row.source,
                        name.as_ref()
                    ));
                }
            }
            (false, Err(_)) => agree += 1,
            (true, Err(e)) => match dns_rule(&e) {
                Some(rule) => *by_rule.entry(rule).or_default() += 1,
                None => wrong.push(format!(
                    "line {}: {:?} refused ({e}), UTS #46 accepts it",
                    row.line, row.source
                )),
            },
            (false, Ok(name)) => wrong.push(format!(
                "line {}: {:?} accepted as {}, UTS #46 refuses it {:?}",
                row.line,
                row.source,
                name.as_ref(),
                row.status
            )),
        }
    }
    println!(
        "IdnaTestV2 ({} rows, and {surrogates} with a lone surrogate no string holds), the native build: \
         {agree} agree with UTS #46, {} refused by a DNS host rule ({by_rule:?}), {} disagree",
        rows.len(),
        by_rule.values().sum::<usize>(),
        wrong.len()
    );
    let out = msr_expose_tests::workspace_root().join("target/idna-native.json");
    std::fs::create_dir_all(out.parent().expect("target")).expect("target/");
    std::fs::write(&out, serde_json::to_string(&answers).expect("json"))
        .expect("write the answers");
    assert!(rows.len() > 6000, "{}", rows.len());
    assert!(
        wrong.is_empty(),
        "{} rows disagree:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
