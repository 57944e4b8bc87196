//! `msr-expose fleet verify`: every cache's endpoint walked as `verify`
//! walks one (resolve, connect, TLS, the certificate, `GET /v2/_catalog`,
//! the catalog), at most `--concurrency` at a time, each bounded by
//! `--timeout`. On a terminal a progress line counts them as they finish;
//! then a row per cache, in the fleet's order, says where it failed.

use super::common::{Progress, base_dir, print, reach_flags, read_file, read_fleet, table};
use crate::EXIT_FINDINGS;
use crate::args::FleetVerifyArgs;
use crate::cmd::verify::{Report, Target, parse_url, tls_config, walk};
use anyhow::Context;
use futures::StreamExt;
use msr_expose_core::endpoint::{self, Resolve};
use msr_expose_core::fleet::Cache;
use msr_expose_core::{Code, Finding};
use serde::Serialize;
use std::path::Path;
use std::time::{Duration, Instant};

/// The most endpoints walked at once.
const MAX_CONCURRENCY: usize = 256;

/// One cache's outcome.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    /// The cache's name in the fleet.
    name: String,
    /// The endpoint walked, when its spec gives one.
    endpoint: Option<String>,
    /// Whether every stage passed.
    ok: bool,
    /// The stage that failed: `input` when the cache could not be walked
    /// (its spec, its CA file, an endpoint not known), else the walk's.
    failed_stage: Option<String>,
    /// Milliseconds the walk took.
    ms: u128,
    /// Why, error first; fields name the cache.
    findings: Vec<Finding>,
    /// The walk, stage by stage, when it ran.
    report: Option<Report>,
}

#[derive(Serialize)]
struct Summary<'a> {
    ok: bool,
    caches: &'a [Row],
}

/// Runs `fleet verify`.
pub fn run(args: FleetVerifyArgs) -> anyhow::Result<u8> {
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let (timeout, resolve) = reach_flags(
        &args.timeout,
        args.concurrency,
        MAX_CONCURRENCY,
        "endpoints",
        &args.resolve,
    )?;
    let dir = base_dir(&args.config);
    let targets: Vec<Result<Target, NotWalked>> = fleet
        .caches
        .iter()
        .map(|c| target(c, dir, &resolve, timeout))
        .collect();

    // A worker per core: the handshakes' and the certificate checks'
    // signature verifications are work for the CPU, not only waiting.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(std::thread::available_parallelism().map_or(2, |n| n.get().min(8)))
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let rows = rt.block_on(walk_all(&fleet.caches, targets, args.concurrency));

    let ok = rows.iter().all(|r| r.ok);
    print(
        args.output,
        &Summary { ok, caches: &rows },
        || text(&rows),
        ok,
    )
}

/// Why a cache cannot be walked: its endpoint when known, and the errors.
struct NotWalked {
    endpoint: Option<String>,
    findings: Vec<Finding>,
}

/// A cache's endpoint and trust, or why it cannot be walked.
fn target(
    cache: &Cache,
    dir: &Path,
    resolve: &[Resolve],
    timeout: Duration,
) -> Result<Target, NotWalked> {
    let not_walked =
        |endpoint: Option<String>, findings: Vec<Finding>| NotWalked { endpoint, findings };
    let g = msr_expose_core::generate(&cache.spec);
    let Some(out) = g.output else {
        let errors = g
            .findings
            .into_iter()
            .filter(Finding::is_error)
            .map(|mut f| {
                f.field = cache.field(&f.field);
                f
            })
            .collect();
        return Err(not_walked(None, errors));
    };
    let url = out.endpoint.url;
    if url.contains("${") {
        return Err(not_walked(
            None,
            vec![Finding::error(
                Code::VerifyNodePortUnknown,
                cache.field("nodePort"),
                "the node port is allocated by the cluster, so the cache's endpoint is not known from the fleet file",
                "pin the cache's nodePort, or set it to the port apply reported (kubectl -n msr get service msr-cache-nodeport)",
            )],
        ));
    }
    let (host, port) = match parse_url(&url) {
        Ok(hp) => hp,
        Err(e) => {
            return Err(not_walked(
                Some(url.clone()),
                vec![Finding::error(
                    Code::OutputInternal,
                    cache.field(""),
                    format!("msr-expose made an endpoint it cannot read back: {e:#}"),
                    "this is a bug in msr-expose; please report it with the fleet file",
                )],
            ));
        }
    };
    let ca = match &cache.ca {
        Some(name) => match read_file(cache, dir, name, "ca") {
            Ok(bytes) => Some(bytes),
            Err(f) => return Err(not_walked(Some(url), vec![f])),
        },
        None => None,
    };
    if let Some(bytes) = &ca
        && let Err(e) = tls_config(Some(bytes), Default::default())
    {
        let mut f = endpoint::trust_unusable(&format!("{e:#}"));
        f.field = cache.field("ca");
        return Err(not_walked(Some(url), vec![f]));
    }
    Ok(Target {
        url,
        host,
        port,
        resolve: resolve.to_vec(),
        ca,
        timeout,
    })
}

/// Every walk, at most `concurrency` at once; the rows in the fleet's order.
async fn walk_all(
    caches: &[Cache],
    targets: Vec<Result<Target, NotWalked>>,
    concurrency: usize,
) -> Vec<Row> {
    let total = targets.len();
    let mut rows: Vec<Option<Row>> = Vec::with_capacity(total);
    let mut walks = Vec::new();
    for (i, t) in targets.into_iter().enumerate() {
        match t {
            Ok(target) => {
                rows.push(None);
                walks.push((i, target));
            }
            Err(n) => rows.push(Some(Row {
                name: caches[i].name.clone(),
                endpoint: n.endpoint,
                ok: false,
                failed_stage: Some("input".into()),
                ms: 0,
                findings: n.findings,
                report: None,
            })),
        }
    }
    let mut progress = Progress::new("verified", "failed", total, rows.iter().flatten().count());
    // Each walk a task of its own, so that the runtime's workers share them;
    // a task is spawned only when one of the `concurrency` places is free.
    let mut finished = futures::stream::iter(walks)
        .map(|(i, target)| {
            tokio::spawn(async move {
                let started = Instant::now();
                let report = walk(&target).await;
                (i, report, started.elapsed())
            })
        })
        .buffer_unordered(concurrency);
    while let Some(joined) = finished.next().await {
        let Ok((i, report, took)) = joined else {
            // A walk that panicked: its row stays empty and is said below.
            continue;
        };
        let cache = &caches[i];
        progress.finished(report.ok, &cache.name);
        rows[i] = Some(Row {
            name: cache.name.clone(),
            endpoint: Some(report.url.clone()),
            ok: report.ok,
            failed_stage: report
                .stages
                .iter()
                .find(|s| !s.ok)
                .map(|s| s.name.to_string()),
            ms: took.as_millis(),
            findings: report
                .findings
                .iter()
                .cloned()
                .map(|mut f| {
                    f.field = cache.field(&f.field);
                    f
                })
                .collect(),
            report: Some(report),
        });
    }
    drop(progress);
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            row.unwrap_or_else(|| Row {
                name: caches[i].name.clone(),
                endpoint: None,
                ok: false,
                failed_stage: Some("internal".into()),
                ms: 0,
                findings: vec![Finding::error(
                    Code::OutputInternal,
                    caches[i].field(""),
                    "the walk of this cache stopped unexpectedly",
                    "this is a bug in msr-expose; please report it with the fleet file",
                )],
                report: None,
            })
        })
        .collect()
}

/// The table, then each failing cache's findings under its name.
fn text(rows: &[Row]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.endpoint.clone().unwrap_or_else(|| "-".into()),
                r.ms.to_string(),
                match &r.failed_stage {
                    None if r.ok => "ok".into(),
                    Some(stage) => format!("FAILED at {stage}"),
                    None => "FAILED".into(),
                },
            ]
        })
        .collect();
    let mut s = table(
        &["cache", "endpoint", "ms", "result"],
        &cells,
        rows.iter()
            .map(|r| (r.name.as_str(), r.findings.as_slice())),
    );
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| !r.ok)
        .map(|r| r.name.as_str())
        .collect();
    if failed.is_empty() {
        s.push_str(&format!(
            "\nevery cache ({}) answers over verified TLS with a registry catalog\n",
            rows.len()
        ));
    } else {
        s.push_str(&format!(
            "\n{} of {} caches failed: {}\n",
            failed.len(),
            rows.len(),
            failed.join(", ")
        ));
    }
    s
}
