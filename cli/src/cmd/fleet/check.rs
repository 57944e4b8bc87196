//! `msr-expose fleet check`: every cache's certificate against its own
//! interface in one run — the same verdict as `check` for each — a row per
//! cache: its endpoint, the days its certificate has left, and the verdict.

use super::common::{base_dir, read_file, read_fleet, table};
use crate::args::{CheckFormat, FleetCheckArgs};
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::cert::Role;
use msr_expose_core::fleet::Cache;
use msr_expose_core::{Code, Finding, Material, Severity, Tls, TlsInput, generate_with_tls};
use serde::Serialize;
use std::io::Write;
use std::path::Path;

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

/// Runs `fleet check`.
pub fn run(args: FleetCheckArgs) -> anyhow::Result<u8> {
    let now = crate::cmd::tls_input::instant(args.at.as_deref())?;
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let dir = base_dir(&args.config);
    let rows: Vec<Row> = fleet.caches.iter().map(|c| row(c, dir, now)).collect();
    let ok = rows.iter().all(|r| r.verdict != "errors");
    let out = match args.output {
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Report { ok, caches: &rows })
                .context("cannot write JSON")?;
            s.push('\n');
            s
        }
        CheckFormat::Text => text(&rows),
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
        read_file(cache, dir, file.as_ref()?, what)
            .map_err(|f| findings.push(f))
            .ok()
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
fn text(rows: &[Row]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.endpoint.clone().unwrap_or_else(|| "-".into()),
                r.days_left.map_or_else(|| "-".into(), |d| d.to_string()),
                r.verdict.to_string(),
            ]
        })
        .collect();
    table(
        &["cache", "endpoint", "days left", "verdict"],
        &cells,
        rows.iter()
            .map(|r| (r.name.as_str(), r.findings.as_slice())),
    )
}
