//! msr-expose: expose a Mirantis Secure Registry cache through exactly one
//! interface (one of the registry's methods, `core/src/registry.rs`), from
//! the command line.
//!
//! Exit codes: 0 success; 1 the spec, certificate or endpoint has errors
//! (findings on stderr, nothing on stdout); 2 usage or I/O error; 130
//! Ctrl-C ended apply's or up's wait.

mod args;
mod cmd;
mod output;

use clap::Parser;
use std::process::ExitCode;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The input has errors (findings printed on stderr).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;
/// Interrupted (Ctrl-C) while waiting; what was applied is said.
pub const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("msr-expose: error: {}", cause_chain(&err));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// The error and its causes, each said once: some libraries (kube's
/// kubeconfig loader among them) put their source's text into their own
/// message *and* return it as the source, which `{:#}` would print twice.
fn cause_chain(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cause_chain;
    use std::fmt;

    /// An error that repeats its source in its own message, as kube's do.
    #[derive(Debug)]
    struct Repeats(std::io::Error);
    impl fmt::Display for Repeats {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "failed to read kubeconfig: {}", self.0)
        }
    }
    impl std::error::Error for Repeats {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn each_cause_is_said_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let err = anyhow::Error::new(Repeats(io)).context("cannot load the kubeconfig");
        assert_eq!(
            cause_chain(&err),
            "cannot load the kubeconfig: failed to read kubeconfig: no such file"
        );
    }

    #[test]
    fn distinct_causes_are_all_kept() {
        let io = std::io::Error::other("connection refused");
        let err = anyhow::Error::new(io).context("cannot reach the API server");
        assert_eq!(
            cause_chain(&err),
            "cannot reach the API server: connection refused"
        );
    }
}
