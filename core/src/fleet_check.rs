//! `fleet check`'s verdict for one cache, the same for the CLI and the JS
//! API: its spec and, when a certificate was read, that certificate against
//! the host the spec exposes (with its key and CA) — the verdict of
//! `check` — as a row: its endpoint, the days the certificate has left, and
//! `ok`, `warnings`, `errors` or `not checked`. Reading the files and
//! answering the signature questions are the caller's (a file system and
//! ring natively, uploads and WebCrypto in the browser).

use crate::cert::Role;
use crate::codes::Code;
use crate::finding::{Finding, Severity};
use crate::fleet::Cache;
use crate::generate::{Tls, generate, generate_with_tls};
use serde::Serialize;

/// One cache's row.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// The cache's name in the fleet.
    pub name: String,
    /// Its endpoint, when its spec is valid.
    pub endpoint: Option<String>,
    /// The days its certificate has left, when one was read.
    pub days_left: Option<i64>,
    /// `ok`, `warnings`, `errors` or `not checked`.
    pub verdict: &'static str,
    /// Every finding, its field naming the cache (`caches[eu1].…`).
    pub findings: Vec<Finding>,
}

/// The whole fleet's verdict: `ok` when no cache has an error.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// No cache has an error.
    pub ok: bool,
    /// A row per cache, in the fleet's order.
    pub caches: Vec<Row>,
}

impl Report {
    /// The report of the fleet's rows (one per cache, in its order), with
    /// the fleet's own warnings (endpoints two caches share) in their rows.
    pub fn new(fleet: &crate::fleet::Fleet, mut caches: Vec<Row>) -> Report {
        for (i, f) in crate::fleet::shared_endpoints(fleet) {
            if let Some(row) = caches.get_mut(i) {
                if row.verdict == "ok" {
                    row.verdict = "warnings";
                }
                row.findings.push(f);
            }
        }
        Report {
            ok: caches.iter().all(|r| r.verdict != "errors"),
            caches,
        }
    }
}

/// The finding for a cache's file that could not be read (`what`: cert,
/// key or ca), as the fleet file names it.
pub fn unreadable(cache: &Cache, what: &str, name: &str, why: &str) -> Finding {
    Finding::error(
        Code::FleetFileUnreadable,
        cache.field(what),
        format!("cannot read {name} ({why})"),
        "name the file relative to the fleet file, and make it readable",
    )
}

/// One cache judged. `read` holds the findings of files that could not be
/// read; `tls` the certificate material read, with its answers, when the
/// cache names a certificate that was read.
pub fn row(cache: &Cache, read: Vec<Finding>, tls: Option<&Tls<'_>>) -> Row {
    let mut findings = read;
    let g = match tls {
        Some(tls) => generate_with_tls(&cache.spec, Some(tls)),
        None => {
            if cache.cert.is_none() {
                findings.push(Finding::warning(
                    Code::FleetCertMissing,
                    cache.field("cert"),
                    "no certificate file is given, so the cache's certificate is not checked",
                    "set the cache's cert (its certificate with the intermediates, relative to the fleet file)",
                ));
            }
            generate(&cache.spec)
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
    } else if tls.is_none() {
        "not checked"
    } else if findings.iter().any(|f| f.severity == Severity::Warning) {
        "warnings"
    } else {
        "ok"
    };
    // The endpoint is the spec's, whatever the certificate's verdict.
    let endpoint = crate::validate::validate(&cache.spec)
        .0
        .map(|v| crate::steps::endpoint(&v).url);
    Row {
        name: cache.name.clone(),
        endpoint,
        days_left,
        verdict,
        findings,
    }
}
