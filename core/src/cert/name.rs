//! Does a certificate name cover the host clients connect to? RFC 6125 §6.4
//! as Go (docker, containerd) applies it: case-insensitive, a wildcard only
//! as the whole left-most label, matching exactly one label, never `*.tld`.

/// Why a DNS SAN pattern with a `*` is not a usable wildcard.
pub fn wildcard_problem(pattern: &str) -> Option<&'static str> {
    if !pattern.contains('*') {
        return None;
    }
    let p = normalise(pattern);
    if p.matches('*').count() > 1 {
        return Some("has more than one wildcard");
    }
    let Some(rest) = p.strip_prefix("*.") else {
        return Some(if p.split('.').next().is_some_and(|l| l.contains('*')) {
            "has a wildcard inside a label, which clients ignore"
        } else {
            "has a wildcard outside the left-most label"
        });
    };
    if !rest.contains('.') {
        return Some("is a wildcard for a whole top-level domain");
    }
    None
}

/// Whether the DNS SAN `pattern` covers `host` (an A-label FQDN, lowercase).
pub fn dns_matches(pattern: &str, host: &str) -> bool {
    let p = normalise(pattern);
    let h = normalise(host);
    if !p.contains('*') {
        return p == h;
    }
    if wildcard_problem(&p).is_some() {
        return false;
    }
    let Some(rest) = p.strip_prefix("*.") else {
        return false;
    };
    match h.split_once('.') {
        Some((first, h_rest)) => !first.is_empty() && h_rest == rest,
        None => false,
    }
}

fn normalise(s: &str) -> String {
    s.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6125_table() {
        // (pattern, host, matches, rule)
        let cases = [
            ("cache.example.com", "cache.example.com", true, "exact"),
            (
                "CACHE.Example.COM",
                "cache.example.com",
                true,
                "case-insensitive (RFC 6125 6.4.1)",
            ),
            (
                "cache.example.com.",
                "cache.example.com",
                true,
                "absolute form equals relative",
            ),
            (
                "*.example.com",
                "cache.example.com",
                true,
                "wildcard covers one left-most label",
            ),
            (
                "*.example.com",
                "a.b.example.com",
                false,
                "a wildcard matches exactly one label (6.4.3)",
            ),
            (
                "*.example.com",
                "example.com",
                false,
                "a wildcard does not match the empty label",
            ),
            ("*.com", "example.com", false, "no wildcard for a whole TLD"),
            ("*", "localhost", false, "a bare wildcard matches nothing"),
            (
                "c*.example.com",
                "cache.example.com",
                false,
                "partial-label wildcards are rejected, as Go does",
            ),
            (
                "cache.*.com",
                "cache.example.com",
                false,
                "wildcard only in the left-most label",
            ),
            (
                "*.*.example.com",
                "a.b.example.com",
                false,
                "at most one wildcard",
            ),
            (
                "*.example.com",
                "xn--bcher-kva.example.com",
                true,
                "A-labels are ordinary labels",
            ),
            (
                "other.example.com",
                "cache.example.com",
                false,
                "different name",
            ),
        ];
        for (pattern, host, want, rule) in cases {
            assert_eq!(
                dns_matches(pattern, host),
                want,
                "{pattern} vs {host}: {rule}"
            );
        }
    }

    #[test]
    fn wildcard_problems() {
        assert_eq!(wildcard_problem("*.example.com"), None);
        assert!(wildcard_problem("*.com").is_some());
        assert!(wildcard_problem("f*.example.com").is_some());
        assert!(wildcard_problem("a.*.example.com").is_some());
    }
}
