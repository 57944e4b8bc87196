//! One module per subcommand; this file dispatches.

mod generate;
mod spec_input;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
    }
}
