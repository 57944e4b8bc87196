//! The FQDN rules as a table: every row is an input, where it is used, the
//! expected normalised host or error code, and the rule that decides it.

use msr_expose_core::fqdn::{HostRole, check_host};

use HostRole::{IngressHost as Ing, Node};

/// Expected outcome: `Ok(normalised host, non-error codes)` or `Err(first error code)`.
type Want = Result<(&'static str, &'static [&'static str]), &'static str>;

#[rustfmt::skip]
const CASES: &[(&str, HostRole, Want, &str)] = &[
    // Plain names.
    ("cache.example.com", Ing, Ok(("cache.example.com", &[])), "an ordinary FQDN"),
    ("worker1.example.com", Node, Ok(("worker1.example.com", &[])), "an ordinary node FQDN"),
    ("a.b", Ing, Ok(("a.b", &[])), "shortest two-label name"),
    ("x1-y2.example.io", Ing, Ok(("x1-y2.example.io", &[])), "digits and inner hyphens are LDH"),
    ("1cache.example.com", Ing, Ok(("1cache.example.com", &[])), "RFC 1123 allows a leading digit"),
    ("123.example.com", Ing, Ok(("123.example.com", &[])), "all-digit labels are fine below the top"),
    ("cache.example.c0m", Ing, Ok(("cache.example.c0m", &[])), "a top label with one letter is not numeric"),
    ("xn--bcher-kva.example", Ing, Ok(("xn--bcher-kva.example", &["fqdn.idn"])), "a valid A-label passes and shows its U-label"),
    ("abc--d.example.com", Ing, Ok(("abc--d.example.com", &[])), "a double hyphen past the fourth place is LDH"),
    ("ab--cd.example.com", Ing, Err("fqdn.label_reserved_hyphens"), "hyphens in the 3rd and 4th places: RFC 5891 4.2.3.1 reserves them, UTS #46 CheckHyphens refuses (IdnaTestV2 V2)"),
    ("xn--xn---epa.example", Ing, Err("fqdn.label_reserved_hyphens"), "an A-label decoding to another xn-- label (IdnaTestV2 V2)"),
    ("-ä.example", Ing, Err("fqdn.label_hyphen"), "a U-label's leading hyphen, hidden in its A-label xn----0fa (IdnaTestV2 V3)"),
    ("xn----0fa.example", Ing, Err("fqdn.label_hyphen"), "the same as its A-label"),
    ("cache.example.com。", Ing, Ok(("cache.example.com", &["fqdn.normalised"])), "an ideographic full stop is a root dot under UTS #46, dropped as `.` is"),
    // Normalisation.
    ("cache.example.com.", Ing, Ok(("cache.example.com", &["fqdn.normalised"])), "trailing dot is the root, dropped"),
    ("Cache.EXAMPLE.com", Ing, Ok(("cache.example.com", &["fqdn.normalised"])), "DNS is case-insensitive; lowercased"),
    ("  cache.example.com\n", Ing, Ok(("cache.example.com", &[])), "surrounding white space from a paste is trimmed"),
    ("bücher.example", Ing, Ok(("xn--bcher-kva.example", &["fqdn.idn"])), "IDN converted to its A-label (UTS 46)"),
    ("BÜCHER.example", Ing, Ok(("xn--bcher-kva.example", &["fqdn.idn"])), "IDN case-folded before conversion"),
    ("例え.テスト", Ing, Ok(("xn--r8jz45g.xn--zckzah", &["fqdn.idn"])), "non-Latin IDN, both labels converted"),
    // Homographs (UTS #39 mixed-script detection): a warning, the name stays usable.
    ("c\u{430}che.example.com", Ing, Ok(("xn--cche-53d.example.com", &["fqdn.idn", "fqdn.mixed_script"])), "a pasted Cyrillic а among Latin letters"),
    ("xn--cche-53d.example.com", Node, Ok(("xn--cche-53d.example.com", &["fqdn.idn", "fqdn.mixed_script"])), "the same look-alike typed as its A-label"),
    ("p\u{3bf}rt.example.com", Ing, Ok(("xn--prt-9yc.example.com", &["fqdn.idn", "fqdn.mixed_script"])), "a Greek omicron among Latin letters"),
    ("\u{43a}\u{44d}\u{448}.example.com", Ing, Ok(("xn--j1a2ao.example.com", &["fqdn.idn"])), "an all-Cyrillic label is one script: no warning"),
    // Length limits.
    (concat!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ".example.com"),
        Ing,
        Ok((
            concat!(
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                ".example.com"
            ),
            &[],
        )),
        "a 63-octet label is the maximum",
    ),
    (concat!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ".example.com"),
        Ing,
        Err("fqdn.label_too_long"),
        "a 64-octet label exceeds RFC 1035 2.3.4",
    ),
    // Syntax errors.
    ("", Ing, Err("fqdn.empty"), "nothing typed"),
    ("   ", Node, Err("fqdn.empty"), "only white space"),
    (".", Ing, Err("fqdn.empty"), "the root alone is no host"),
    ("cache..example.com", Ing, Err("fqdn.label_empty"), "two dots leave an empty label"),
    (".cache.example.com", Ing, Err("fqdn.label_empty"), "a leading dot leaves an empty label"),
    ("cache.example.com..", Ing, Err("fqdn.label_empty"), "only one trailing dot is the root"),
    ("-cache.example.com", Ing, Err("fqdn.label_hyphen"), "labels may not start with a hyphen (RFC 952/1123)"),
    ("cache-.example.com", Ing, Err("fqdn.label_hyphen"), "labels may not end with a hyphen"),
    ("msr_cache.example.com", Ing, Err("fqdn.invalid_char"), "underscore is not LDH; Kubernetes rejects it in hosts"),
    ("cache!.example.com", Node, Err("fqdn.invalid_char"), "punctuation is not LDH"),
    ("cache example.com", Ing, Err("fqdn.whitespace"), "inner white space"),
    ("cache.example.123", Ing, Err("fqdn.numeric_tld"), "an all-numeric top label reads as an IPv4 address"),
    ("256.1.1.1", Node, Err("fqdn.numeric_tld"), "not a valid IPv4 address and not a name either"),
    ("1.2.3", Node, Err("fqdn.numeric_tld"), "short dotted numbers are not accepted as IPv4"),
    ("*.example.com", Ing, Err("fqdn.wildcard"), "a wildcard is a certificate pattern, not a host"),
    ("cache.*.com", Ing, Err("fqdn.wildcard"), "a wildcard anywhere"),
    ("xn--zz.example", Ing, Err("fqdn.idn_invalid"), "an A-label that does not decode"),
    ("\u{10940}.example", Ing, Err("fqdn.unicode_newer"), "a letter Unicode assigned after 16.0 (Sidetic, 17.0): Chromium's and Node's ICU may not know it, so every build refuses it"),
    ("xn--ql9c.example", Ing, Err("fqdn.unicode_newer"), "the same letter as an A-label: judged on its Unicode form"),
    // URLs pasted instead of names.
    ("https://cache.example.com:443/v2", Ing, Err("fqdn.url"), "a full URL: the hint says to type cache.example.com"),
    ("https://cache.example.com", Ing, Err("fqdn.url"), "a scheme alone makes a URL"),
    ("cache.example.com:443", Ing, Err("fqdn.url"), "host:port is not a host"),
    ("cache.example.com/v2/_catalog", Ing, Err("fqdn.url"), "a path after the host"),
    ("worker1.example.com:32443", Node, Err("fqdn.url"), "the node port belongs in nodePort"),
    ("https://user@cache.example.com", Ing, Err("fqdn.url"), "user info in a URL"),
    ("https://[fd00::1]:8443/", Node, Err("fqdn.url"), "an IPv6 URL"),
    // IP addresses.
    ("192.0.2.10", Node, Ok(("192.0.2.10", &["fqdn.ip_address"])), "a node IP works with an IP SAN"),
    ("2001:db8::10", Node, Ok(("2001:db8::10", &["fqdn.ip_address"])), "an IPv6 node address"),
    ("[2001:db8::10]", Node, Ok(("2001:db8::10", &["fqdn.ip_address"])), "bracketed IPv6 as in URLs"),
    ("192.0.2.10", Ing, Err("fqdn.ip_not_allowed"), "Kubernetes forbids IPs as Ingress hosts"),
    ("2001:db8::10", Ing, Err("fqdn.ip_not_allowed"), "IPv6 neither"),
    // Single labels.
    ("cache", Ing, Ok(("cache", &["fqdn.single_label"])), "resolvable only through search domains: warned"),
    ("localhost", Node, Ok(("localhost", &["fqdn.single_label"])), "single label, warned"),
];

#[test]
fn fqdn_cases() {
    assert!(CASES.len() >= 40, "the table keeps at least 40 cases");
    let mut failures = Vec::new();
    for (input, role, want, reason) in CASES {
        let got = check_host(input, "f", *role);
        let first_error = got
            .findings
            .iter()
            .find(|f| f.is_error())
            .map(|f| f.code.as_str());
        let ok = match want {
            Ok((host, codes)) => {
                let got_codes: Vec<&str> = got.findings.iter().map(|f| f.code.as_str()).collect();
                got.host.as_ref().map(ToString::to_string).as_deref() == Some(*host)
                    && got_codes == *codes
            }
            Err(code) => got.host.is_none() && first_error == Some(*code),
        };
        if !ok {
            failures.push(format!(
                "{input:?} ({role:?}): want {want:?} because {reason}; got host {:?}, findings {:?}",
                got.host.map(|h| h.to_string()),
                got.findings.iter().map(|f| f.code.as_str()).collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn too_long_name() {
    let label = "a".repeat(63);
    let name = [label.as_str(); 4].join(".");
    assert_eq!(name.len(), 255);
    let got = check_host(&name, "f", HostRole::IngressHost);
    assert_eq!(
        got.findings[0].code, "fqdn.too_long",
        "255 octets exceed 253"
    );
    let ok = [
        label.as_str(),
        label.as_str(),
        label.as_str(),
        &"a".repeat(61),
    ]
    .join(".");
    assert_eq!(ok.len(), 253);
    assert!(
        check_host(&ok, "f", HostRole::IngressHost).host.is_some(),
        "253 octets is the maximum"
    );
}
