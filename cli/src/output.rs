//! Printing findings for people: one block per finding on stderr.

use msr_expose_core::{Finding, Severity};

/// Prints findings to stderr; info findings only unless `quiet`.
pub fn print_findings(findings: &[Finding], quiet: bool) {
    for f in findings {
        if quiet && f.severity == Severity::Info {
            continue;
        }
        eprintln!("{f}");
    }
}
