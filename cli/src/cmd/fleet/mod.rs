//! `msr-expose fleet`: the commands that work on a fleet file, every site's
//! cache in one file (`msr_expose_core::fleet`): `check` (every cache's
//! certificate against its own interface), `generate` (every cache's bundle
//! and the GitOps layout), `verify` (every endpoint walked, concurrently) and
//! `up` (every cache applied in its own context, verified, registered).

mod check;
mod common;
mod generate;
mod up;
mod verify;

use crate::args::FleetCommand;

/// Runs a `fleet` subcommand.
pub fn run(command: FleetCommand) -> anyhow::Result<u8> {
    match command {
        FleetCommand::Check(args) => check::run(args),
        FleetCommand::Generate(args) => generate::run(args),
        FleetCommand::Verify(args) => verify::run(args),
        FleetCommand::Up(args) => up::run(args),
    }
}
