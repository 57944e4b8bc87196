//! `msr-expose fleet generate`: every cache's bundle and the GitOps layout
//! (`msr_expose_core::fleet_files`) into one directory, every file or none,
//! recorded as `generate --out-dir` records its files.

use super::common::{base_dir, read_file, read_fleet};
use crate::args::FleetGenerateArgs;
use crate::cmd::out_dir::{Written, write_files};
use crate::output::print_findings;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::{Code, Finding};
use std::io::Write;

/// Runs `fleet generate`.
pub fn run(args: FleetGenerateArgs) -> anyhow::Result<u8> {
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let dir = base_dir(&args.config);
    let mut unreadable = Vec::new();
    let cas: Vec<Option<String>> = fleet
        .caches
        .iter()
        .map(|c| {
            let name = c.ca.as_ref()?;
            let bytes = read_file(c, dir, name, "ca")
                .map_err(|f| unreadable.push(f))
                .ok()?;
            String::from_utf8(bytes)
                .map_err(|_| {
                    unreadable.push(Finding::error(
                        Code::FleetFileUnreadable,
                        c.field("ca"),
                        format!(
                            "{} is not text: the CA is read as PEM",
                            dir.join(name).display()
                        ),
                        "give the CA's certificate as a PEM file",
                    ))
                })
                .ok()
        })
        .collect();
    if !unreadable.is_empty() {
        print_findings(&unreadable, false);
        return Ok(EXIT_FINDINGS);
    }
    let tree = match msr_expose_core::fleet_files::tree(&fleet, &cas) {
        Ok(t) => t,
        Err(findings) => {
            print_findings(&findings, false);
            return Ok(EXIT_FINDINGS);
        }
    };
    print_findings(&tree.findings, args.quiet);
    let files: Vec<(&str, &str, bool)> = tree
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.content.as_str(), f.executable))
        .collect();
    match write_files(&args.out_dir, &files, args.force)? {
        Written::Changed => {}
        Written::Unchanged => eprintln!(
            "msr-expose: {} already holds this output; nothing written",
            args.out_dir.display()
        ),
        Written::Refused(conflicts) => {
            print_findings(&conflicts, false);
            return Ok(EXIT_FINDINGS);
        }
    }
    let mut stdout = std::io::stdout().lock();
    for f in &tree.files {
        writeln!(stdout, "{}", args.out_dir.join(&f.path).display())
            .context("cannot write to stdout")?;
    }
    Ok(EXIT_OK)
}
