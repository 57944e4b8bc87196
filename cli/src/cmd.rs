//! One module per subcommand; this file dispatches.

mod apply;
mod apply_custom;
mod check;
mod cluster;
mod fleet;
mod generate;
mod out_dir;
mod register;
mod spec_input;
mod tls_input;
mod up;
mod verify;
mod wait;

use crate::args::{Cli, Command};
use anyhow::Context;

/// Runs the chosen subcommand and returns its exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Check(args) => check::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Up(args) => up::run(args),
        Command::Fleet(command) => fleet::run(command),
        Command::Codes(args) => {
            match args.output {
                crate::args::CodesFormat::Markdown => {
                    print!("{}", msr_expose_core::codes::markdown())
                }
                crate::args::CodesFormat::Json => println!("{}", msr_expose_core::codes::json()),
            }
            Ok(crate::EXIT_OK)
        }
        // Both are rendered into memory first: clap_complete panics when its
        // writer fails (a closed pipe), and nothing partial should be printed.
        Command::Completion(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "msr-expose", &mut script);
            if args.shell == clap_complete::Shell::Bash {
                // clap_complete's bash script spells a hyphenated bin name's
                // state one way in its dispatch loop (msr__expose__subcmd__…)
                // and another in its case arms (msr__subcmd__expose__subcmd__…),
                // so no subcommand's options ever complete (clap-rs/clap#6421,
                // still open). Spell the arms the way the loop does; a no-op
                // once upstream is fixed. tests/integration/cli_shell.rs runs
                // the script in bash.
                let text =
                    String::from_utf8_lossy(&script).replace("msr__subcmd__expose", "msr__expose");
                script = text.into_bytes();
            }
            write_stdout(&script)
        }
        Command::Man(args) => {
            let command = <Cli as clap::CommandFactory>::command();
            if let Some(dir) = args.dir {
                clap_mangen::generate_to(command, &dir).with_context(|| {
                    format!("cannot write the man pages into {}", dir.display())
                })?;
                return Ok(crate::EXIT_OK);
            }
            let mut page = Vec::new();
            // As generate_to does: `help` is no command a page describes.
            let mut command = command.disable_help_subcommand(true);
            command.build();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .context("cannot render the man page")?;
            write_stdout(&page)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> anyhow::Result<u8> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    Ok(crate::EXIT_OK)
}
