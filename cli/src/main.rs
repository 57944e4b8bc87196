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

use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The input has errors (findings printed on stderr).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;
/// Interrupted (Ctrl-C) while waiting; what was applied is said.
pub const EXIT_INTERRUPTED: u8 = 130;

/// The file name kubectl runs for `kubectl msr-expose` (an underscore in a
/// plugin's file name is a dash on kubectl's command line).
pub const KUBECTL_PLUGIN: &str = "kubectl-msr_expose";

/// How the user typed the command: `kubectl msr-expose` when run as the
/// kubectl plugin (`make install` links it; krew installs it), so that usage
/// lines and errors show what to type.
fn bin_name(argv0: Option<&std::ffi::OsStr>) -> &'static str {
    let file = argv0
        .map(std::path::Path::new)
        .and_then(std::path::Path::file_name);
    if file.is_some_and(|f| f == KUBECTL_PLUGIN) {
        "kubectl msr-expose"
    } else {
        "msr-expose"
    }
}

fn main() -> ExitCode {
    let argv0 = std::env::args_os().next();
    let command = args::Cli::command().bin_name(bin_name(argv0.as_deref()));
    let cli = match args::Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    output::set_verbose(cli.verbose);
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
    use super::{bin_name, cause_chain};

    /// Run as kubectl's plugin, usage says `kubectl msr-expose`; any other
    /// name (a path, a copy renamed) is the command itself.
    #[test]
    fn the_plugin_is_named_as_kubectl_runs_it() {
        for (argv0, want, why) in [
            (
                "/usr/local/bin/kubectl-msr_expose",
                "kubectl msr-expose",
                "kubectl runs the plugin by its path",
            ),
            (
                "kubectl-msr_expose",
                "kubectl msr-expose",
                "or by its bare name",
            ),
            (
                "/usr/local/bin/msr-expose",
                "msr-expose",
                "the command itself",
            ),
            (
                "kubectl-msr_expose-old",
                "msr-expose",
                "only the exact plugin name",
            ),
        ] {
            assert_eq!(
                bin_name(Some(std::ffi::OsStr::new(argv0))),
                want,
                "{argv0}: {why}"
            );
        }
        assert_eq!(bin_name(None), "msr-expose", "no argv[0] at all");
    }
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
