//! Printing findings for people: one block per finding on stderr.
//!
//! Errors come first, then warnings, each with its fix. Info notes say
//! something worth knowing and ask for nothing, so they are one line each
//! (their fix lines with `-v`), and while errors stand they are summarised
//! in one line, so that they never bury the error (`-v` prints them all).

use msr_expose_core::finding::sort_for_display;
use msr_expose_core::{Finding, Severity};
use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `-v`: every info note in full.
pub fn set_verbose(verbose: bool) {
    VERBOSE.store(verbose, Ordering::Relaxed);
}

/// Prints findings to stderr, errors first; no info notes when `quiet`.
pub fn print_findings(findings: &[Finding], quiet: bool) {
    let text = render(findings, quiet, VERBOSE.load(Ordering::Relaxed));
    if !text.is_empty() {
        eprint!("{text}");
    }
}

/// What [`print_findings`] prints.
fn render(findings: &[Finding], quiet: bool, verbose: bool) -> String {
    let mut sorted = findings.to_vec();
    sort_for_display(&mut sorted);
    let (notes, serious): (Vec<&Finding>, Vec<&Finding>) =
        sorted.iter().partition(|f| f.severity == Severity::Info);
    let mut out = String::new();
    for f in &serious {
        out.push_str(&format!("{f}\n"));
    }
    if quiet || notes.is_empty() {
        return out;
    }
    if verbose {
        for f in &notes {
            out.push_str(&format!("{f}\n"));
        }
    } else if serious.iter().any(|f| f.severity == Severity::Error) {
        let codes: Vec<&str> = notes.iter().map(|f| f.code.as_str()).collect();
        let n = notes.len();
        out.push_str(&format!(
            "({n} info note{} not shown while errors stand: {}; -v shows {})\n",
            if n == 1 { "" } else { "s" },
            codes.join(", "),
            if n == 1 { "it" } else { "them" }
        ));
    } else {
        for f in &notes {
            out.push_str(&format!(
                "{}[{}] {}: {}\n",
                f.severity, f.code, f.field, f.message
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;
    use msr_expose_core::{Code, Finding};

    fn note() -> Finding {
        Finding::info(
            Code::IngressNginxRetired,
            "ingressClassName",
            "retired",
            "plan a move",
        )
    }
    fn error() -> Finding {
        Finding::error(Code::FqdnEmpty, "nodeFqdn", "empty", "set it")
    }
    fn warning() -> Finding {
        Finding::warning(Code::FqdnEmpty, "nodeFqdn", "odd", "look")
    }

    /// One row per way the findings are said, with why.
    #[test]
    fn errors_first_and_notes_never_bury_them() {
        let rows: &[(&[Finding], bool, bool, &str, &str)] = &[
            (
                &[note(), error()],
                false,
                false,
                "error[fqdn.empty] nodeFqdn: empty\n  fix: set it\n(1 info note not shown while errors stand: ingress.nginx_retired; -v shows it)\n",
                "an error first; the note it would be buried under summarised",
            ),
            (
                &[note(), error()],
                false,
                true,
                "error[fqdn.empty] nodeFqdn: empty\n  fix: set it\ninfo[ingress.nginx_retired] ingressClassName: retired\n  fix: plan a move\n",
                "-v: every note in full, after the error",
            ),
            (
                &[note(), warning()],
                false,
                false,
                "warning[fqdn.empty] nodeFqdn: odd\n  fix: look\ninfo[ingress.nginx_retired] ingressClassName: retired\n",
                "no error: notes one line each",
            ),
            (
                &[note(), error()],
                true,
                true,
                "error[fqdn.empty] nodeFqdn: empty\n  fix: set it\n",
                "-q: no notes, even with -v",
            ),
            (&[], false, false, "", "nothing to say"),
        ];
        for (findings, quiet, verbose, want, why) in rows {
            assert_eq!(render(findings, *quiet, *verbose), *want, "{why}");
        }
    }
}
