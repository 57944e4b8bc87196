//! Host names as the operator types them: parsed once into an [`Fqdn`] (or an
//! IP address where one is allowed), with every problem reported as a finding
//! that says what to type instead.

use crate::codes::Code;
use crate::finding::Finding;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// Longest DNS name in presentation form without the trailing dot (RFC 1035 §2.3.4).
pub const MAX_NAME_LEN: usize = 253;
/// Longest DNS label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// A fully qualified domain name, normalised: lowercase ASCII, internationalised
/// labels as A-labels (`xn--…`), no trailing dot. Every label is a valid
/// LDH label (RFC 1123 §2.1) and the top label is not all digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fqdn(String);

impl Fqdn {
    /// The normalised ASCII form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Unicode form when any label is an A-label, for display next to the
    /// ASCII form.
    pub fn unicode(&self) -> Option<String> {
        if !self.0.split('.').any(|l| l.starts_with("xn--")) {
            return None;
        }
        crate::unicode::to_unicode(&self.0)
    }

    /// Number of labels.
    pub fn label_count(&self) -> usize {
        self.0.split('.').count()
    }
}

impl fmt::Display for Fqdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Fqdn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Fqdn {
    type Err = FqdnError;

    /// Strict parse: the first problem wins. Use [`check_host`] to see all of them.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let parsed = parse_name(input);
        match parsed.problems.into_iter().next() {
            Some(problem) => Err(problem),
            None => parsed.name.ok_or(FqdnError::Empty),
        }
    }
}

/// Why a string is not a usable host name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FqdnError {
    /// Nothing was typed.
    #[error("is empty")]
    Empty,
    /// A URL or `host:port` was pasted where only the host belongs.
    #[error("`{input}` is a URL or host:port, not a host name")]
    LooksLikeUrl {
        /// What was typed.
        input: String,
        /// The host part of it, which is what should be typed.
        host: String,
    },
    /// Spaces or other white space inside the name.
    #[error("contains white space")]
    Whitespace,
    /// A `*` label: certificates may carry wildcards, a host to expose may not.
    #[error("`{input}` is a wildcard; a single host is needed here")]
    Wildcard {
        /// What was typed.
        input: String,
    },
    /// Two dots in a row, or a leading dot.
    #[error("has an empty label (two dots in a row or a leading dot)")]
    EmptyLabel,
    /// A label longer than 63 octets.
    #[error("label `{label}` is {len} characters long; at most 63 are allowed")]
    LabelTooLong {
        /// The offending label.
        label: String,
        /// Its length in octets.
        len: usize,
    },
    /// A character other than a letter, digit or hyphen.
    #[error("label `{label}` contains {ch:?}; only letters, digits and hyphens are allowed")]
    InvalidChar {
        /// The offending label.
        label: String,
        /// The first offending character.
        ch: char,
    },
    /// A label that starts or ends with a hyphen.
    #[error("label `{label}` starts or ends with a hyphen")]
    HyphenEdge {
        /// The offending label.
        label: String,
    },
    /// A label with `--` in its third and fourth places (of its Unicode form).
    #[error("label `{label}` has hyphens in its third and fourth places, which RFC 5891 reserves")]
    ReservedHyphens {
        /// The offending label, in Unicode.
        label: String,
    },
    /// The whole name is longer than 253 octets.
    #[error("is {len} characters long; a DNS name has at most 253")]
    TooLong {
        /// Its length in octets (ASCII form).
        len: usize,
    },
    /// The top-level label is all digits, which DNS resolvers read as an IPv4 address.
    #[error("top-level label `{tld}` is all digits")]
    NumericTld {
        /// The top-level label.
        tld: String,
    },
    /// A character assigned after [`crate::unicode::VERSION`].
    #[error("contains {ch:?} (U+{code:04X}), which Unicode assigned after version {version}", code = u32::from(*ch), version = crate::unicode::VERSION)]
    NewerUnicode {
        /// The first such character.
        ch: char,
    },
    /// An internationalised name that does not convert to an A-label, or a
    /// malformed `xn--` label.
    #[error("`{input}` is not a valid internationalised domain name")]
    Idn {
        /// What was typed.
        input: String,
    },
}

impl FqdnError {
    /// The stable finding code.
    pub fn code(&self) -> Code {
        match self {
            FqdnError::Empty => Code::FqdnEmpty,
            FqdnError::LooksLikeUrl { .. } => Code::FqdnUrl,
            FqdnError::Whitespace => Code::FqdnWhitespace,
            FqdnError::Wildcard { .. } => Code::FqdnWildcard,
            FqdnError::EmptyLabel => Code::FqdnLabelEmpty,
            FqdnError::LabelTooLong { .. } => Code::FqdnLabelTooLong,
            FqdnError::InvalidChar { .. } => Code::FqdnInvalidChar,
            FqdnError::HyphenEdge { .. } => Code::FqdnLabelHyphen,
            FqdnError::ReservedHyphens { .. } => Code::FqdnLabelReservedHyphens,
            FqdnError::TooLong { .. } => Code::FqdnTooLong,
            FqdnError::NumericTld { .. } => Code::FqdnNumericTld,
            FqdnError::Idn { .. } => Code::FqdnIdnInvalid,
            FqdnError::NewerUnicode { .. } => Code::FqdnUnicodeNewer,
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match self {
            FqdnError::Empty => "type the host name clients will use, such as cache.example.com".into(),
            FqdnError::LooksLikeUrl { host, .. } => format!(
                "type only the host name: `{host}` (the scheme, port and path are added by msr-expose)"
            ),
            FqdnError::Whitespace => "remove the spaces; a host name has none".into(),
            FqdnError::Wildcard { .. } => {
                "type the exact name clients will use, such as cache.example.com; a wildcard certificate may still cover it".into()
            }
            FqdnError::EmptyLabel => "remove the extra dot".into(),
            FqdnError::LabelTooLong { .. } => "shorten the label to 63 characters or fewer".into(),
            FqdnError::InvalidChar { ch, .. } if *ch == '_' => {
                "replace the underscore with a hyphen; underscores are not allowed in host names (RFC 1123) nor in Kubernetes hosts".into()
            }
            FqdnError::InvalidChar { .. } => "use only letters a-z, digits and hyphens between the dots".into(),
            FqdnError::HyphenEdge { .. } => "remove the hyphen at the start or end of the label".into(),
            FqdnError::ReservedHyphens { .. } => {
                "rename the label (only xn-- labels, which encode Unicode, have hyphens there), or type the internationalised name it stands for".into()
            }
            FqdnError::TooLong { .. } => "use a shorter name".into(),
            FqdnError::NumericTld { .. } => {
                "end the name with a real top-level domain (cache.example.com); if you meant an IPv4 address, each of its four parts must be 0-255".into()
            }
            FqdnError::Idn { .. } => "check the spelling of the internationalised name, or type its xn-- form".into(),
            FqdnError::NewerUnicode { .. } => format!(
                "spell the name without it: msr-expose holds names to Unicode {}, which every browser, Node and the CLI know, so that all of them give one answer",
                crate::unicode::VERSION
            ),
        }
    }

    fn finding(&self, field: &str) -> Finding {
        // An empty worker-node field asks for a node's name, not a cache's.
        let hint = match self {
            FqdnError::Empty if field == crate::field::SpecField::NodeFqdn.key() => {
                "type the name of a worker node clients connect to, such as worker1.example.com (an IP works if the certificate has an IP SAN)".into()
            }
            _ => self.hint(),
        };
        Finding::error(self.code(), field, self.to_string(), hint)
    }
}

/// A host clients connect to: a DNS name, or (for a node address) an IP.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// A DNS name.
    Name(Fqdn),
    /// An IP address.
    Ip(IpAddr),
}

impl Host {
    /// The host as it goes into a URL authority (IPv6 in brackets).
    pub fn url_host(&self) -> String {
        match self {
            Host::Name(n) => n.to_string(),
            Host::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
            Host::Ip(IpAddr::V4(ip)) => ip.to_string(),
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => n.fmt(f),
            Host::Ip(ip) => ip.fmt(f),
        }
    }
}

/// Where a host is used, which decides whether an IP address is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostRole {
    /// A worker node address for NodePort: an IP works if the certificate has an IP SAN.
    Node,
    /// The Ingress rule host: Kubernetes forbids IP addresses there.
    IngressHost,
}

/// The outcome of checking one host field: the host when it is usable, and
/// every finding about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostCheck {
    /// The parsed host; `None` when any finding is an error.
    pub host: Option<Host>,
    /// All findings, errors first in input order.
    pub findings: Vec<Finding>,
}

/// Checks a host field, collecting every problem.
pub fn check_host(input: &str, field: &str, role: HostRole) -> HostCheck {
    let trimmed = input.trim();
    if let Some(ip) = parse_ip(trimmed) {
        return match role {
            HostRole::Node => HostCheck {
                host: Some(Host::Ip(ip)),
                findings: vec![Finding::info(
                    Code::FqdnIpAddress,
                    field,
                    format!("{ip} is an IP address, not a name"),
                    format!(
                        "the cache certificate then needs the IP SAN {ip} (IP:{ip}), and the address must stay fixed; a DNS name is easier to keep"
                    ),
                )],
            },
            HostRole::IngressHost => HostCheck {
                host: None,
                findings: vec![Finding::error(
                    Code::FqdnIpNotAllowed,
                    field,
                    format!(
                        "{ip} is an IP address; Kubernetes does not allow an IP as an Ingress host"
                    ),
                    "type a DNS name that resolves to the ingress controller, such as cache.example.com, and create that DNS record",
                )],
            },
        };
    }

    let parsed = parse_name(trimmed);
    let mut findings: Vec<Finding> = parsed.problems.iter().map(|p| p.finding(field)).collect();
    let Some(name) = parsed.name.filter(|_| findings.is_empty()) else {
        return HostCheck {
            host: None,
            findings,
        };
    };

    if let Some(unicode) = name.unicode() {
        findings.push(Finding::info(
            Code::FqdnIdn,
            field,
            format!("internationalised name {unicode} is {name} in DNS and in certificates"),
            format!("the certificate's SAN must be the ASCII form {name}"),
        ));
        for label in unicode.split('.') {
            if let Some(groups) = crate::confusable::mixed_scripts(label) {
                let mix: Vec<String> = groups
                    .iter()
                    .map(|(script, chars)| format!("{script} ({chars})"))
                    .collect();
                findings.push(Finding::warning(
                    Code::FqdnMixedScript,
                    field,
                    format!(
                        "label `{label}` mixes scripts: {} — the shape of a look-alike (homograph) name",
                        mix.join(" with ")
                    ),
                    "type the name again rather than pasting it; if it really mixes scripts, make sure DNS and the certificate carry exactly its A-label",
                ));
            }
        }
    } else if name.as_str() != trimmed {
        findings.push(Finding::info(
            Code::FqdnNormalised,
            field,
            format!("`{trimmed}` is written as {name}"),
            "nothing to do; DNS names are case-insensitive and the trailing dot is implied",
        ));
    }
    if name.label_count() == 1 {
        findings.push(Finding::warning(
            Code::FqdnSingleLabel,
            field,
            format!("`{name}` is a single label, not a fully qualified name"),
            format!("use the full name, such as {name}.example.com: clients outside the cluster resolve single-label names only through their own search domains, and public CAs will not certify them"),
        ));
    }
    HostCheck {
        host: Some(Host::Name(name)),
        findings,
    }
}

/// An IPv4 or IPv6 address, IPv6 optionally in brackets.
fn parse_ip(s: &str) -> Option<IpAddr> {
    let inner = s
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(s);
    inner.parse().ok()
}

struct ParsedName {
    name: Option<Fqdn>,
    problems: Vec<FqdnError>,
}

fn parse_name(input: &str) -> ParsedName {
    let fail = |problem| ParsedName {
        name: None,
        problems: vec![problem],
    };
    let s = input.trim();
    if s.is_empty() {
        return fail(FqdnError::Empty);
    }
    if let Some(host) = host_of_url(s) {
        return fail(FqdnError::LooksLikeUrl {
            input: s.to_string(),
            host,
        });
    }
    if s.chars().any(char::is_whitespace) {
        return fail(FqdnError::Whitespace);
    }
    let rooted = s.ends_with('.');
    let s = s.strip_suffix('.').unwrap_or(s);
    if s.is_empty() {
        return fail(FqdnError::Empty);
    }
    if s.split('.').any(|l| l.contains('*')) {
        return fail(FqdnError::Wildcard {
            input: input.trim().to_string(),
        });
    }

    if let Some(ch) = s.chars().find(|&c| crate::unicode::newer(c)) {
        return fail(FqdnError::NewerUnicode { ch });
    }
    let ascii = if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        match crate::unicode::to_ascii(s) {
            // The root dot may also be a full stop UTS #46 maps to `.`
            // (`。`, `．`, `｡`): dropped once, as a typed one is.
            Some(a) if !rooted && a.ends_with('.') => a[..a.len() - 1].to_string(),
            Some(a) => a,
            None => {
                return fail(FqdnError::Idn {
                    input: s.to_string(),
                });
            }
        }
    };

    let mut problems = Vec::new();
    for label in ascii.split('.') {
        if let Some(problem) = label_problem(label) {
            if problem == FqdnError::EmptyLabel && problems.contains(&FqdnError::EmptyLabel) {
                continue;
            }
            problems.push(problem);
        }
    }
    if ascii.len() > MAX_NAME_LEN {
        problems.push(FqdnError::TooLong { len: ascii.len() });
    }
    if let Some(tld) = ascii.rsplit('.').next()
        && !tld.is_empty()
        && tld.bytes().all(|b| b.is_ascii_digit())
    {
        problems.push(FqdnError::NumericTld {
            tld: tld.to_string(),
        });
    }
    if problems.is_empty() && ascii.split('.').any(|l| l.starts_with("xn--")) {
        // The rules on the Unicode form first, on the A-labels as decoded
        // (the same on every build), then the reference's own verdict: so
        // every build names the same problem. UTS #46's CheckHyphens: `-ä`
        // is `xn----0fa`, whose A-label alone shows no edge hyphen.
        let decoded = crate::unicode::decode_labels(&ascii);
        match decoded
            .as_deref()
            .map(|u| (u, u.chars().find(|&c| crate::unicode::newer(c))))
        {
            Some((_, Some(ch))) => problems.push(FqdnError::NewerUnicode { ch }),
            Some((unicode, None)) => {
                problems.extend(unicode.split('.').filter_map(hyphens_problem))
            }
            None => {}
        }
        if problems.is_empty() && crate::unicode::to_unicode(&ascii).is_none() {
            problems.push(FqdnError::Idn {
                input: s.to_string(),
            });
        }
    } else if problems.is_empty() {
        problems.extend(ascii.split('.').filter_map(hyphens_problem));
    }
    ParsedName {
        name: problems.is_empty().then_some(Fqdn(ascii)),
        problems,
    }
}

/// UTS #46's CheckHyphens on a label's Unicode form: no hyphen at either
/// end, none in both the third and fourth places (RFC 5891 4.2.3.1).
fn hyphens_problem(label: &str) -> Option<FqdnError> {
    if label.starts_with('-') || label.ends_with('-') {
        return Some(FqdnError::HyphenEdge {
            label: label.to_string(),
        });
    }
    let mut chars = label.chars().skip(2);
    (chars.next() == Some('-') && chars.next() == Some('-')).then(|| FqdnError::ReservedHyphens {
        label: label.to_string(),
    })
}

fn label_problem(label: &str) -> Option<FqdnError> {
    if label.is_empty() {
        return Some(FqdnError::EmptyLabel);
    }
    if let Some(ch) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Some(FqdnError::InvalidChar {
            label: label.to_string(),
            ch,
        });
    }
    if label.len() > MAX_LABEL_LEN {
        return Some(FqdnError::LabelTooLong {
            label: label.to_string(),
            len: label.len(),
        });
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Some(FqdnError::HyphenEdge {
            label: label.to_string(),
        });
    }
    None
}

/// When `s` looks like a URL or `host:port`, the host part of it.
fn host_of_url(s: &str) -> Option<String> {
    let (had_scheme, rest) = match s.find("://") {
        Some(i) => (true, &s[i + 3..]),
        None => (false, s),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let had_path = authority_end < rest.len();
    let authority = &rest[..authority_end];
    let (had_userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (true, &authority[i + 1..]),
        None => (false, authority),
    };
    let (host, had_port) = if let Some(bracketed) = hostport.strip_prefix('[') {
        match bracketed.find(']') {
            Some(end) => (&bracketed[..end], end + 1 < bracketed.len()),
            None => (bracketed, false),
        }
    } else if hostport.matches(':').count() == 1 {
        let i = hostport.find(':').unwrap_or(hostport.len());
        (&hostport[..i], true)
    } else {
        (hostport, false)
    };
    (had_scheme || had_path || had_userinfo || had_port).then(|| {
        let host = host.strip_suffix('.').unwrap_or(host);
        host.to_ascii_lowercase()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_str_normalises() {
        let f: Fqdn = "Cache.Example.COM.".parse().expect("valid");
        assert_eq!(f.as_str(), "cache.example.com");
    }

    #[test]
    fn from_str_reports_first_problem() {
        assert_eq!(
            "a..b".parse::<Fqdn>(),
            Err(FqdnError::EmptyLabel),
            "a double dot leaves an empty label"
        );
    }

    #[test]
    fn url_hint_names_the_host() {
        let c = check_host(
            "https://cache.example.com:443/v2",
            "externalFqdn",
            HostRole::IngressHost,
        );
        assert_eq!(c.findings.len(), 1);
        assert_eq!(c.findings[0].code, "fqdn.url");
        assert!(c.findings[0].hint.contains("`cache.example.com`"));
    }

    #[test]
    fn ipv6_url_host() {
        assert_eq!(
            host_of_url("https://[fd00::1]:8443/"),
            Some("fd00::1".into())
        );
    }

    #[test]
    fn idn_shows_both_forms() {
        let c = check_host("bücher.example", "externalFqdn", HostRole::IngressHost);
        assert_eq!(
            c.host,
            Some(Host::Name(Fqdn("xn--bcher-kva.example".into())))
        );
        assert_eq!(c.findings[0].code, "fqdn.idn");
        assert!(c.findings[0].message.contains("bücher.example"));
        assert!(c.findings[0].message.contains("xn--bcher-kva.example"));
    }
}
