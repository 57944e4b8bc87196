//! One module per subcommand; this file dispatches.

mod apply;
mod apply_custom;
mod check;
mod generate;
mod register;
mod spec_input;
mod tls_input;
mod up;
mod verify;

use crate::args::{Cli, Command};

/// Runs the chosen subcommand and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Check(args) => check::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Up(args) => up::run(args),
        Command::Codes(args) => {
            match args.output {
                crate::args::CodesFormat::Markdown => {
                    print!("{}", msr_expose_core::codes::markdown())
                }
                crate::args::CodesFormat::Json => println!("{}", msr_expose_core::codes::json()),
            }
            Ok(crate::EXIT_OK)
        }
    }
}
