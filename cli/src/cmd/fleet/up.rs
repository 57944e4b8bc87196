//! `msr-expose fleet up`: every cache brought up as `up` brings up one —
//! applied in its own kubeconfig context, waited for, its endpoint verified
//! with its CA, and with `--register` registered with MSR under its
//! `msrName` (its name in the fleet by default) — several at a time. One
//! cache's failure does not stop the others; each row says what was applied
//! on its cluster, what was not, and the stage it stopped at.

use super::common::{Progress, base_dir, print, reach_flags, read_file, read_fleet, table};
use crate::EXIT_FINDINGS;
use crate::args::{ClusterArgs, FleetUpArgs};
use crate::cmd::apply::{ApplyReport, Changed, apply_tracked, runtime};
use crate::cmd::cluster::Refusal;
use crate::cmd::register::{Msr, Registered, register};
use crate::cmd::verify::{Report, Target, parse_url, walk};
use futures::StreamExt;
use msr_expose_core::endpoint::Resolve;
use msr_expose_core::fleet::Cache;
use msr_expose_core::{Code, Finding, validate};
use serde::Serialize;
use std::path::Path;
use std::time::Duration;

/// The most caches brought up at once.
const MAX_CONCURRENCY: usize = 64;

/// One cache's outcome.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    /// The cache's name in the fleet.
    name: String,
    /// The kubeconfig context it was applied in (`None`: the current one).
    context: Option<String>,
    /// Whether every stage passed.
    ok: bool,
    /// The stage it stopped at: `input`, `apply` (with the wait), `verify`
    /// or `register`.
    stopped_at: Option<&'static str>,
    /// What is on its cluster now: the objects applied (`TLSRoute/msr/msr-cache
    /// created`), `nothing`, or `not known` when the API server did not answer
    /// the apply request.
    applied: String,
    /// Other exposures removed first (--replace).
    removed: Vec<String>,
    /// The endpoint, once known.
    endpoint: Option<String>,
    /// What apply found, when it finished.
    apply: Option<ApplyReport>,
    /// The verification walk, when it ran.
    verify: Option<Report>,
    /// What MSR said, when registered.
    registered: Option<Registered>,
    /// Why it stopped, error first; fields name the cache.
    findings: Vec<Finding>,
}

impl Row {
    fn new(cache: &Cache) -> Row {
        Row {
            name: cache.name.clone(),
            context: cache.context.clone(),
            ok: false,
            stopped_at: None,
            applied: "nothing".into(),
            removed: Vec::new(),
            endpoint: None,
            apply: None,
            verify: None,
            registered: None,
            findings: Vec::new(),
        }
    }

    /// Stops the row at `stage` with findings about `cache`.
    fn stop(mut self, cache: &Cache, stage: &'static str, findings: Vec<Finding>) -> Row {
        self.stopped_at = Some(stage);
        self.findings.extend(findings.into_iter().map(|mut f| {
            f.field = cache.field(&f.field);
            f
        }));
        self
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    ok: bool,
    caches: &'a [Row],
}

/// What every cache's bring-up shares.
struct Shared<'a> {
    dir: &'a Path,
    kubeconfig: Option<std::path::PathBuf>,
    dry_run: bool,
    replace: bool,
    resolve: Vec<Resolve>,
    timeout: Duration,
    msr: Option<Msr>,
}

/// Runs `fleet up`.
pub fn run(args: FleetUpArgs) -> anyhow::Result<u8> {
    let Some(fleet) = read_fleet(&args.config)? else {
        return Ok(EXIT_FINDINGS);
    };
    let (timeout, resolve) = reach_flags(
        &args.timeout,
        args.concurrency,
        MAX_CONCURRENCY,
        "caches",
        &args.resolve,
    )?;
    // MSR's address and the credentials are checked before anything is applied.
    let shared = Shared {
        dir: base_dir(&args.config),
        kubeconfig: args.kubeconfig.clone(),
        dry_run: args.dry_run,
        replace: args.replace,
        resolve,
        timeout,
        msr: Msr::from_args(&args.msr)?,
    };
    let total = fleet.caches.len();
    let rt = runtime()?;
    let rows = rt.block_on(async {
        let mut done = futures::stream::iter(fleet.caches.iter().enumerate())
            .map(|(i, cache)| {
                let shared = &shared;
                async move { (i, up(cache, shared).await) }
            })
            .buffer_unordered(args.concurrency);
        let mut rows: Vec<Option<Row>> = (0..total).map(|_| None).collect();
        let mut progress = Progress::new("up", "stopped", total, 0);
        while let Some((i, row)) = done.next().await {
            progress.finished(row.ok, &row.name);
            rows[i] = Some(row);
        }
        drop(progress);
        rows.into_iter().flatten().collect::<Vec<Row>>()
    });

    // Two caches behind one endpoint: said on the later one (it does not
    // stop it; MSR registered the first of them under that host).
    let mut rows = rows;
    for (i, f) in msr_expose_core::fleet::shared_endpoints(&fleet) {
        if let Some(r) = rows.get_mut(i) {
            r.findings.push(f);
        }
    }
    let ok = rows.iter().all(|r| r.ok);
    print(
        args.output,
        &Summary { ok, caches: &rows },
        || text(&rows),
        ok,
    )
}

/// One cache: its spec and CA, apply in its context (with the wait), the
/// walk to its endpoint, the registration. Never fails the whole run: what
/// goes wrong is its row's.
async fn up(cache: &Cache, s: &Shared<'_>) -> Row {
    let row = Row::new(cache);
    let (mut valid, findings) = validate(&cache.spec);
    if let Some(v) = &mut valid {
        crate::cmd::wait::mark_given(v, &cache.spec);
    }
    let Some(valid) = valid else {
        let errors = findings.into_iter().filter(Finding::is_error).collect();
        return row.stop(cache, "input", errors);
    };
    let ca = match &cache.ca {
        Some(name) => match read_file(cache, s.dir, name, "ca") {
            Ok(bytes) => Some(bytes),
            Err(f) => return row.stop(cache, "input", vec![f]),
        },
        None => None,
    };
    let cluster = ClusterArgs {
        kubeconfig: s.kubeconfig.clone(),
        context: cache.context.clone(),
        dry_run: s.dry_run,
        replace: s.replace,
    };
    let mut changed = Changed::default();
    let applied = apply_tracked(&valid, &cluster, s.timeout, false, &mut changed).await;
    let mut row = Row {
        applied: match (&changed.applied, changed.sent) {
            (Some(objects), _) => objects.clone(),
            (None, true) if matches!(&applied, Ok(Err(r)) if r.0.code == Code::ClusterUnreachable) => {
                "not known (the API server did not answer the apply request)".into()
            }
            (None, _) => "nothing".into(),
        },
        removed: changed.removed.clone(),
        ..row
    };
    let report = match applied {
        Err(e) => {
            let context = cache.context.as_deref().unwrap_or("(the current context)");
            let f = Finding::error(
                Code::FleetContextUnusable,
                "context",
                format!("no client for context {context}: {e:#}"),
                "check the cache's context against kubectl config get-contexts in the kubeconfig given (--kubeconfig, KUBECONFIG or ~/.kube/config)",
            );
            return row.stop(cache, "apply", vec![f]);
        }
        Ok(Err(Refusal(f))) => return row.stop(cache, "apply", vec![f]),
        Ok(Ok(report)) => report,
    };
    row.endpoint = report.endpoint.clone();
    row.apply = Some(report);
    let Some(url) = row.endpoint.clone() else {
        // A dry run: validated by the API server, nothing to walk.
        row.ok = true;
        return row;
    };
    let (host, port) = match parse_url(&url) {
        Ok(hp) => hp,
        Err(e) => {
            let f = Finding::error(
                Code::OutputInternal,
                "",
                format!("apply reported an endpoint that cannot be read back ({e:#})"),
                "this is a bug in msr-expose; please report it with the fleet file",
            );
            return row.stop(cache, "verify", vec![f]);
        }
    };
    let target = Target {
        url: url.clone(),
        host,
        port,
        resolve: s.resolve.clone(),
        ca,
        timeout: s.timeout,
    };
    let verified = walk(&target).await;
    let walked_ok = verified.ok;
    let findings = verified.findings.clone();
    row.verify = Some(verified);
    if !walked_ok {
        return row.stop(cache, "verify", findings);
    }
    if let Some(msr) = &s.msr {
        let name = cache.msr_name.as_deref().unwrap_or(&cache.name);
        match register(msr, name, &url).await {
            Ok(Ok(r)) => row.registered = Some(r),
            Ok(Err(Refusal(f))) => return row.stop(cache, "register", vec![f]),
            Err(e) => {
                let f = Finding::error(
                    Code::FleetMsrUnreachable,
                    "msr",
                    format!("cannot ask MSR to register {name}: {e:#}"),
                    "check --msr-url and --msr-ca; fleet up again converges (apply and registration are idempotent)",
                );
                return row.stop(cache, "register", vec![f]);
            }
        }
    }
    row.ok = true;
    row
}

/// The table, each stopped cache's findings, and a last line that says
/// where things were applied and which caches stopped.
fn text(rows: &[Row]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let result = match (r.stopped_at, &r.registered) {
                (Some(stage), _) => format!("STOPPED at {stage}"),
                (None, Some(reg)) if reg.result == "created" => "ok, registered".into(),
                (None, Some(_)) => "ok, already registered".into(),
                (None, None) => "ok".into(),
            };
            vec![
                r.name.clone(),
                r.context.clone().unwrap_or_else(|| "(current)".into()),
                r.applied.clone(),
                r.endpoint.clone().unwrap_or_else(|| "-".into()),
                result,
            ]
        })
        .collect();
    let mut s = table(
        &["cache", "context", "applied", "endpoint", "result"],
        &cells,
        rows.iter()
            .map(|r| (r.name.as_str(), r.findings.as_slice())),
    );
    let applied = rows.iter().filter(|r| r.apply.is_some()).count();
    let stopped: Vec<String> = rows
        .iter()
        .filter_map(|r| r.stopped_at.map(|st| format!("{} ({st})", r.name)))
        .collect();
    s.push_str(&format!("\napplied on {applied} of {} caches", rows.len()));
    if stopped.is_empty() {
        s.push_str("; every cache is up\n");
    } else {
        s.push_str(&format!(
            "; {} stopped: {}\n",
            stopped.len(),
            stopped.join(", ")
        ));
    }
    s
}
