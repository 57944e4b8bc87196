//! Kubernetes object names and labels, checked with the API server's own
//! rules so a manifest that msr-expose emits is never rejected for its names.

use crate::codes::Code;
use crate::finding::Finding;

/// Which of the API server's name rules applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// RFC 1035 label: Service names. Lowercase letters, digits, `-`; starts
    /// with a letter, ends with a letter or digit; at most 63.
    Rfc1035Label,
    /// RFC 1123 label: namespaces. Like RFC 1035 but may start with a digit.
    Rfc1123Label,
    /// DNS subdomain: Ingress and IngressClass names. RFC 1123 labels joined
    /// by dots; at most 253.
    DnsSubdomain,
}

impl NameRule {
    fn max_len(self) -> usize {
        match self {
            NameRule::Rfc1035Label | NameRule::Rfc1123Label => 63,
            NameRule::DnsSubdomain => 253,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            NameRule::Rfc1035Label => {
                "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (RFC 1035 label, at most 63)"
            }
            NameRule::Rfc1123Label => {
                "lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123 label, at most 63)"
            }
            NameRule::DnsSubdomain => {
                "lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit (DNS subdomain, at most 253)"
            }
        }
    }
}

/// Checks a Kubernetes object name; `None` when it is valid.
pub fn check_name(value: &str, rule: NameRule, field: &str) -> Option<Finding> {
    let problem = name_problem(value, rule)?;
    let hint = match suggest_name(value, rule) {
        Some(s) if s != value => format!("use {}; for example `{s}`", rule.describe()),
        _ => format!("use {}", rule.describe()),
    };
    // An empty value is said as such, not as "`` is empty".
    let message = if value.is_empty() {
        "no name is given".to_string()
    } else {
        format!("`{value}` {}", problem.1)
    };
    Some(Finding::error(problem.0, field, message, hint))
}

fn name_problem(value: &str, rule: NameRule) -> Option<(Code, String)> {
    if value.is_empty() {
        return Some((Code::K8sNameEmpty, "is empty".into()));
    }
    if value.len() > rule.max_len() {
        return Some((
            Code::K8sNameTooLong,
            format!(
                "is {} characters long; at most {} are allowed",
                value.len(),
                rule.max_len()
            ),
        ));
    }
    let parts: Vec<&str> = match rule {
        NameRule::DnsSubdomain => value.split('.').collect(),
        _ => vec![value],
    };
    for part in parts {
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Some((Code::K8sNameInvalidChar, format!("contains {c:?}")));
        }
        let first = part.chars().next();
        let last = part.chars().next_back();
        let starts_ok = match (rule, first) {
            (_, None) => false,
            (NameRule::Rfc1035Label, Some(c)) => c.is_ascii_lowercase(),
            (_, Some(c)) => c.is_ascii_alphanumeric(),
        };
        if !starts_ok {
            return Some((Code::K8sNameBadStart, "has a bad first character".into()));
        }
        if !last.is_some_and(|c| c.is_ascii_alphanumeric()) {
            return Some((
                Code::K8sNameBadEnd,
                "must end with a letter or digit".into(),
            ));
        }
    }
    None
}

/// A valid name close to `value`, when one can be derived.
fn suggest_name(value: &str, rule: NameRule) -> Option<String> {
    let keep_dots = rule == NameRule::DnsSubdomain;
    let mapped: String = value
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || (keep_dots && c == '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut s: String = mapped
        .trim_matches(|c: char| c == '-' || c == '.')
        .chars()
        .take(rule.max_len())
        .collect();
    if rule == NameRule::Rfc1035Label {
        s = s
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .to_string();
    }
    let s = s.trim_matches(|c: char| c == '-' || c == '.').to_string();
    (name_problem(&s, rule).is_none()).then_some(s)
}

/// Checks a label selector key (`[prefix/]name`); `None` when valid.
pub fn check_label_key(key: &str, field: &str) -> Option<Finding> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let mut problem = None;
    if let Some(prefix) = prefix
        && name_problem(prefix, NameRule::DnsSubdomain).is_some()
    {
        problem = Some(format!(
            "prefix `{prefix}` must be a DNS subdomain such as example.com"
        ));
    }
    if problem.is_none()
        && let Some(p) = label_value_problem(name, false)
    {
        problem = Some(format!("name part {p}"));
    }
    problem.map(|p| {
        Finding::error(
            Code::SelectorKeyInvalid,
            field,
            format!("label key `{key}`: {p}"),
            "a label key is an optional DNS-subdomain prefix and '/', then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, such as app",
        )
    })
}

/// Checks a label selector value; `None` when valid.
pub fn check_label_value(key: &str, value: &str, field: &str) -> Option<Finding> {
    label_value_problem(value, true).map(|p| {
        Finding::error(
            Code::SelectorValueInvalid,
            field,
            format!("value `{value}` of label `{key}` {p}"),
            "a label value has at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, such as msr-cache",
        )
    })
}

fn label_value_problem(v: &str, empty_ok: bool) -> Option<String> {
    if v.is_empty() {
        return (!empty_ok).then(|| "is empty".to_string());
    }
    if v.len() > 63 {
        return Some(format!("is {} characters long; at most 63", v.len()));
    }
    if let Some(c) = v
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Some(format!("contains {c:?}"));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alnum(v.chars().next()) || !alnum(v.chars().next_back()) {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        // (value, rule, valid, reason)
        let cases = [
            (
                "msr-cache",
                NameRule::Rfc1035Label,
                true,
                "the vendor default",
            ),
            (
                "1cache",
                NameRule::Rfc1035Label,
                false,
                "RFC 1035 labels start with a letter",
            ),
            (
                "1cache",
                NameRule::Rfc1123Label,
                true,
                "RFC 1123 labels may start with a digit",
            ),
            (
                "Cache",
                NameRule::Rfc1123Label,
                false,
                "uppercase is not allowed",
            ),
            (
                "cache-",
                NameRule::Rfc1123Label,
                false,
                "must end alphanumeric",
            ),
            ("a.b", NameRule::Rfc1123Label, false, "no dots in a label"),
            (
                "a.b",
                NameRule::DnsSubdomain,
                true,
                "dots separate subdomain parts",
            ),
            ("a..b", NameRule::DnsSubdomain, false, "an empty part"),
            ("", NameRule::DnsSubdomain, false, "empty"),
        ];
        for (value, rule, valid, reason) in cases {
            assert_eq!(
                check_name(value, rule, "f").is_none(),
                valid,
                "{value:?} under {rule:?}: {reason}"
            );
        }
        let long = "a".repeat(64);
        assert_eq!(
            check_name(&long, NameRule::Rfc1035Label, "name").map(|f| f.code.as_str()),
            Some("k8s.name_too_long")
        );
    }

    #[test]
    fn suggestion_is_valid() {
        let f = check_name("MSR_Cache", NameRule::Rfc1035Label, "name").expect("invalid");
        assert!(f.hint.contains("`msr-cache`"), "{}", f.hint);
    }

    #[test]
    fn label_rules() {
        assert!(check_label_key("app", "selector").is_none());
        assert!(check_label_key("app.kubernetes.io/name", "selector").is_none());
        assert!(check_label_key("Bad Key", "selector").is_some());
        assert!(check_label_key("/app", "selector").is_some());
        assert!(check_label_value("app", "", "selector").is_none());
        assert!(check_label_value("app", "msr_cache.v1", "selector").is_none());
        assert!(check_label_value("app", "-x", "selector").is_some());
    }
}
