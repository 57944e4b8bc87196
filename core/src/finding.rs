//! Findings: every problem msr-expose sees is reported as data, never as a
//! first-failure error, so the CLI, the page and the JS API can show all of
//! them at once, each under the field it belongs to.

pub use crate::codes::Code;
use serde::Serialize;
use std::fmt;

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Codes compare with their strings, so tests and callers can say
/// `f.code == "spec.parse"`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// How bad a finding is. Any `Error` withholds every output.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed: no manifest or steps are produced.
    Error,
    /// Works, but probably not as the operator intends.
    Warning,
    /// Something worth knowing; nothing to fix.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One observation about the input.
///
/// `code` is stable (tests and docs key on it); `message` and `hint` are prose
/// and may be reworded freely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// Stable code such as `fqdn.label_too_long` (serialized as that string).
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// The spec field (camelCase, as in the spec file) or input it concerns.
    pub field: String,
    /// What is wrong, naming the offending value.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Finding {
    /// A finding of the given severity.
    pub fn new(
        severity: Severity,
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            field: field.into(),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An error finding.
    pub fn error(
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, field, message, hint)
    }

    /// A warning finding.
    pub fn warning(
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, field, message, hint)
    }

    /// An info finding.
    pub fn info(
        code: Code,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Info, code, field, message, hint)
    }

    /// Whether this finding withholds output.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}[{}] {}: {}",
            self.severity, self.code, self.field, self.message
        )?;
        if !self.hint.is_empty() {
            write!(f, "\n  fix: {}", self.hint)?;
        }
        Ok(())
    }
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

/// Orders findings for display: errors, then warnings, then infos, keeping
/// the original order within each severity (the sort is stable).
pub fn sort_for_display(findings: &mut [Finding]) {
    findings.sort_by_key(|f| f.severity);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_code_field_and_fix() {
        let f = Finding::error(Code::FqdnEmpty, "nodeFqdn", "is empty", "type a name");
        assert_eq!(
            f.to_string(),
            "error[fqdn.empty] nodeFqdn: is empty\n  fix: type a name"
        );
    }

    #[test]
    fn sorting_puts_errors_first_and_keeps_order() {
        let mut v = vec![
            Finding::info(Code::FqdnIdn, "x", "", ""),
            Finding::error(Code::FqdnEmpty, "x", "", ""),
            Finding::warning(Code::FqdnMixedScript, "x", "", ""),
            Finding::error(Code::FqdnUrl, "x", "", ""),
        ];
        sort_for_display(&mut v);
        let codes: Vec<_> = v.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                Code::FqdnEmpty,
                Code::FqdnUrl,
                Code::FqdnMixedScript,
                Code::FqdnIdn
            ]
        );
    }
}
