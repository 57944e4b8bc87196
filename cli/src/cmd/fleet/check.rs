//! `msr-expose fleet check`: every cache's certificate against its own
//! interface in one run — the same verdict as `check` for each — a row per
//! cache: its endpoint, the days its certificate has left, and the verdict.

use super::common::{base_dir, print, read_file, read_fleet, table};
use crate::EXIT_FINDINGS;
use crate::args::FleetCheckArgs;
use msr_expose_core::fleet::Cache;
use msr_expose_core::fleet_check::{self, Report, Row};
use msr_expose_core::{Material, Tls, TlsInput};
use std::path::Path;

/// Runs `fleet check`.
pub fn run(args: FleetCheckArgs) -> anyhow::Result<u8> {
    let now = crate::cmd::tls_input::instant(args.at.as_deref())?;
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let dir = base_dir(&args.config);
    let report = Report::new(
        &fleet,
        fleet.caches.iter().map(|c| row(c, dir, now)).collect(),
    );
    let ok = report.ok;
    print(args.output, &report, || text(&report.caches), ok)
}

/// One cache judged: its files read (relative to the fleet file), its
/// certificate's signatures answered by ring, the verdict the core's.
fn row(cache: &Cache, dir: &Path, now: i64) -> Row {
    let mut read = Vec::new();
    let mut file = |name: &Option<String>, what: &str| {
        read_file(cache, dir, name.as_ref()?, what)
            .map_err(|f| read.push(f))
            .ok()
    };
    let cert = file(&cache.cert, "cert");
    let key = file(&cache.key, "key");
    let ca = file(&cache.ca, "ca");
    let Some(cert) = cert else {
        return fleet_check::row(cache, read, None);
    };
    let material = Material::read(&TlsInput {
        cert: &cert,
        key: key.as_deref(),
        ca: ca.as_deref(),
    });
    let answers = msr_expose_crypto::answer(material.questions());
    let tls = Tls {
        material: &material,
        now,
        answers: &answers,
    };
    fleet_check::row(cache, read, Some(&tls))
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
