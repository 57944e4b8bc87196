//! msr-expose: expose a Mirantis Secure Registry cache through exactly one
//! interface (NodePort or Ingress), from the command line.
//!
//! Exit codes: 0 success; 1 the spec, certificate or endpoint has errors
//! (findings on stderr, nothing on stdout); 2 usage or I/O error.

mod args;
mod cmd;
mod duration;
mod output;

use clap::Parser;
use std::process::ExitCode;

/// Success.
pub const EXIT_OK: u8 = 0;
/// The input has errors (findings printed on stderr).
pub const EXIT_FINDINGS: u8 = 1;
/// Usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("msr-expose: error: {err:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
