//! `msr-expose fleet`: the commands that work on a fleet file, every site's
//! cache in one file (`msr_expose_core::fleet`). `fleet check` judges every
//! cache's certificate against its own interface in one run — the same
//! verdict as `check` for each — and prints a row per cache: its endpoint,
//! the days its certificate has left, and the verdict. `fleet generate`
//! writes every cache's bundle and the GitOps layout
//! (`msr_expose_core::fleet_files`) into one directory, every file or none.

use super::out_dir::Written;
use crate::args::{CheckFormat, FleetCheckArgs, FleetCommand, FleetGenerateArgs};
use crate::output::print_findings;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::cert::Role;
use msr_expose_core::fleet::{self, Cache};
use msr_expose_core::{Code, Finding, Material, Severity, Tls, TlsInput, generate_with_tls};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Runs a `fleet` subcommand.
pub fn run(command: FleetCommand) -> anyhow::Result<u8> {
    match command {
        FleetCommand::Check(args) => check(args),
        FleetCommand::Generate(args) => generate(args),
    }
}

/// Reads the fleet file; its findings are printed when it is wrong.
fn read_fleet(config: &Path) -> anyhow::Result<Option<fleet::Fleet>> {
    let text = std::fs::read_to_string(config)
        .with_context(|| format!("--config: cannot read {}", config.display()))?;
    match fleet::from_text(&text) {
        Ok(f) => Ok(Some(f)),
        Err(findings) => {
            print_findings(&findings, false);
            Ok(None)
        }
    }
}

fn generate(args: FleetGenerateArgs) -> anyhow::Result<u8> {
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let dir = args.config.parent().unwrap_or(Path::new("."));
    let mut unreadable = Vec::new();
    let cas: Vec<Option<String>> = fleet
        .caches
        .iter()
        .map(|c| {
            let name = c.ca.as_ref()?;
            read_text(c, dir, name, "ca")
                .map_err(|f| unreadable.push(f))
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
    match super::out_dir::write_files(&args.out_dir, &files, args.force)? {
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

/// A cache's file (relative to the fleet file) as text, or the finding.
fn read_text(cache: &Cache, dir: &Path, name: &str, what: &str) -> Result<String, Finding> {
    let path = dir.join(name);
    std::fs::read_to_string(&path).map_err(|e| {
        Finding::error(
            Code::FleetFileUnreadable,
            cache.field(what),
            format!("cannot read {} ({e})", path.display()),
            "name the file relative to the fleet file, and make it readable",
        )
    })
}

/// One cache's row.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    /// The cache's name in the fleet.
    name: String,
    /// Its endpoint, when its spec is valid.
    endpoint: Option<String>,
    /// The days its certificate has left, when one was read.
    days_left: Option<i64>,
    /// `ok`, `warnings`, `errors` or `not checked`.
    verdict: &'static str,
    /// Every finding, its field naming the cache (`caches[eu1].…`).
    findings: Vec<Finding>,
}

#[derive(Serialize)]
struct Report<'a> {
    ok: bool,
    caches: &'a [Row],
}

fn check(args: FleetCheckArgs) -> anyhow::Result<u8> {
    let now = super::tls_input::instant(args.at.as_deref())?;
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let dir = args.config.parent().unwrap_or(Path::new("."));
    let rows: Vec<Row> = fleet.caches.iter().map(|c| row(c, dir, now)).collect();
    let ok = rows.iter().all(|r| r.verdict != "errors");
    let out = match args.output {
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Report { ok, caches: &rows })
                .context("cannot write JSON")?;
            s.push('\n');
            s
        }
        CheckFormat::Text => table(&rows),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")?;
    Ok(if ok { EXIT_OK } else { EXIT_FINDINGS })
}

/// One cache judged: its spec, and its certificate against the host the
/// spec exposes (with its key and CA when given).
fn row(cache: &Cache, dir: &Path, now: i64) -> Row {
    let mut findings = Vec::new();
    let read = |file: &Option<String>, findings: &mut Vec<Finding>, what: &str| {
        let name = file.as_ref()?;
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                findings.push(Finding::error(
                    Code::FleetFileUnreadable,
                    cache.field(what),
                    format!("cannot read {} ({e})", path.display()),
                    "name the file relative to the fleet file, and make it readable",
                ));
                None
            }
        }
    };
    let cert = read(&cache.cert, &mut findings, "cert");
    let key = read(&cache.key, &mut findings, "key");
    let ca = read(&cache.ca, &mut findings, "ca");
    let g = match &cert {
        Some(cert) => {
            let material = Material::read(&TlsInput {
                cert,
                key: key.as_deref(),
                ca: ca.as_deref(),
            });
            let answers = msr_expose_crypto::answer(material.questions());
            generate_with_tls(
                &cache.spec,
                Some(&Tls {
                    material: &material,
                    now,
                    answers: &answers,
                }),
            )
        }
        None => {
            if cache.cert.is_none() {
                findings.push(Finding::warning(
                    Code::FleetCertMissing,
                    cache.field("cert"),
                    "no certificate file is given, so the cache's certificate is not checked",
                    "set the cache's cert (its certificate with the intermediates, relative to the fleet file)",
                ));
            }
            msr_expose_core::generate(&cache.spec)
        }
    };
    findings.extend(g.findings.into_iter().map(|mut f| {
        f.field = cache.field(&f.field);
        f
    }));
    let days_left = g
        .certificates
        .iter()
        .find(|c| c.role == Role::Leaf)
        .map(|c| c.days_left);
    let verdict = if findings.iter().any(Finding::is_error) {
        "errors"
    } else if cert.is_none() {
        "not checked"
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        "warnings"
    } else {
        "ok"
    };
    // The endpoint is the spec's, whatever the certificate's verdict.
    let endpoint = msr_expose_core::validate(&cache.spec)
        .0
        .map(|v| msr_expose_core::steps::endpoint(&v).url);
    Row {
        name: cache.name.clone(),
        endpoint,
        days_left,
        verdict,
        findings,
    }
}

/// The table, then each cache's errors and warnings under its name.
fn table(rows: &[Row]) -> String {
    let header = ["cache", "endpoint", "days left", "verdict"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                r.endpoint.clone().unwrap_or_else(|| "-".into()),
                r.days_left.map_or_else(|| "-".into(), |d| d.to_string()),
                r.verdict.to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            cells
                .iter()
                .map(|c| c[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or_default()
        })
        .collect();
    let line = |c: [&str; 4]| {
        let mut s = String::new();
        for (i, v) in c.iter().enumerate() {
            if i == 3 {
                s.push_str(v);
            } else {
                s.push_str(&format!("{v:<w$}  ", w = widths[i]));
            }
        }
        s.push('\n');
        s
    };
    let mut s = line(header);
    for c in &cells {
        s.push_str(&line([&c[0], &c[1], &c[2], &c[3]]));
    }
    for r in rows {
        let said: Vec<&Finding> = r
            .findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
        if !said.is_empty() {
            s.push_str(&format!("\n{}:\n", r.name));
            for f in said {
                s.push_str(&format!("  {f}\n"));
            }
        }
    }
    s
}
