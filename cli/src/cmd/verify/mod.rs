//! `msr-expose verify`: walk the path a registry client walks — resolve,
//! connect, TLS with SNI, the presented chain checked by the core for the
//! expected name, `GET /v2/_catalog`, a catalog JSON body — and stop at the
//! first stage that fails, with its own code, message and fix. TLS is always
//! verified; there is no insecure mode.
//!
//! One module per stage; each returns what it hands on or the failure that
//! stops the walk, and [`Report::stage`] times and records it. What an
//! answer means (a status, a body, a refused connection) is judged in the
//! core (`msr_expose_core::endpoint`), where it is unit-tested and fuzzed.

mod certificate;
mod connect;
mod http;
mod report;
mod resolve;
mod tls;

pub use report::Report;
pub use tls::tls_config;

use crate::args::{CheckFormat, NetArgs, VerifyArgs};
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::Code;
use msr_expose_core::duration::parse_duration;
use msr_expose_core::endpoint::{self, Resolve, resolve_failed, timed_out};
use msr_expose_core::{Finding, SpecField};
use std::time::{Duration, Instant};
use tls::Handshake;

/// Where to connect and whom to trust.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL as given or derived.
    pub url: String,
    /// Host name (or IP) for SNI, the Host header and the certificate check.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// `--resolve` entries.
    pub resolve: Vec<Resolve>,
    /// CA bytes; `None` trusts the system store.
    pub ca: Option<Vec<u8>>,
    /// Bound on the whole walk.
    pub timeout: Duration,
}

/// Runs `verify`.
pub fn run(args: VerifyArgs) -> anyhow::Result<u8> {
    let target = match target_from_args(&args)? {
        Ok(t) => t,
        Err(findings) => {
            // The spec's findings, like generate's: stderr, exit 1.
            crate::output::print_findings(&findings, false);
            return Ok(EXIT_FINDINGS);
        }
    };
    let report = walk_blocking(&target)?;
    print_report(&report, args.output)?;
    Ok(if report.ok { EXIT_OK } else { EXIT_FINDINGS })
}

/// Prints a report in the chosen format.
pub fn print_report(report: &Report, format: CheckFormat) -> anyhow::Result<()> {
    match format {
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        CheckFormat::Text => print!("{}", report.render()),
    }
    Ok(())
}

/// Runs the walk on a small runtime of its own.
pub fn walk_blocking(target: &Target) -> anyhow::Result<Report> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(walk(target)))
}

/// The endpoint to walk, or the findings that keep it from being known.
fn target_from_args(a: &VerifyArgs) -> anyhow::Result<Result<Target, Vec<Finding>>> {
    let url = match &a.url {
        Some(u) => u.clone(),
        None => {
            let spec = match super::spec_input::spec_from_args(&a.spec)? {
                super::spec_input::SpecInput::Spec(s) => *s,
                super::spec_input::SpecInput::Invalid(f) => return Ok(Err(vec![f])),
            };
            let g = msr_expose_core::generate(&spec);
            let Some(out) = g.output else {
                return Ok(Err(g
                    .findings
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect()));
            };
            if out.endpoint.url.contains("${") {
                return Ok(Err(vec![Finding::error(
                    Code::VerifyNodePortUnknown,
                    SpecField::NodePort,
                    "the node port is allocated by the cluster, so the endpoint is not known from the spec",
                    "give the allocated port with --node-port (kubectl -n msr get service msr-cache-nodeport), or the endpoint with --url https://HOST:PORT",
                )]));
            }
            out.endpoint.url
        }
    };
    let (host, port) = parse_url(&url)?;
    let (resolve, ca) = read_net_args(&a.net)?;
    let timeout = parse_duration(&a.timeout).map_err(|e| anyhow::anyhow!("--timeout: {e}"))?;
    // A CA that cannot anchor anything is the input's problem, said before
    // any connection is tried.
    if let Some(bytes) = &ca
        && let Err(e) = tls_config(Some(bytes), Default::default())
    {
        return Ok(Err(vec![endpoint::trust_unusable(&format!("{e:#}"))]));
    }
    Ok(Ok(Target {
        url,
        host,
        port,
        resolve,
        ca,
        timeout,
    }))
}

/// The `--resolve` entries and the CA bytes of `--ca`.
pub fn read_net_args(net: &NetArgs) -> anyhow::Result<(Vec<Resolve>, Option<Vec<u8>>)> {
    let resolve = net
        .resolve
        .iter()
        .map(|r| endpoint::parse_resolve(r).map_err(anyhow::Error::msg))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let ca = match &net.ca {
        Some(p) => {
            Some(std::fs::read(p).with_context(|| format!("--ca: cannot read {}", p.display()))?)
        }
        None => None,
    };
    Ok((resolve, ca))
}

/// `https://host[:port][/…]` → (host, port), as the core reads it.
pub fn parse_url(url: &str) -> anyhow::Result<(String, u16)> {
    endpoint::parse_url(url).map_err(anyhow::Error::msg)
}

/// The walk itself: each stage in turn, the first failure ends it.
pub async fn walk(t: &Target) -> Report {
    let deadline = Instant::now() + t.timeout;
    let timeout_ms = t.timeout.as_millis();
    let mut r = Report::new(&t.url);

    let lookup_timed_out = || resolve_failed(&t.host, "the lookup timed out");
    let Some(addr) = r
        .stage("resolve", deadline, lookup_timed_out, resolve::run(t))
        .await
    else {
        return r;
    };
    let waited = |stage| move || timed_out(stage, timeout_ms);
    let Some(tcp) = r
        .stage("connect", deadline, waited("connect"), connect::run(addr))
        .await
    else {
        return r;
    };
    let Some(handshake) = r
        .stage("tls", deadline, waited("tls"), tls::run(t, tcp))
        .await
    else {
        return r;
    };
    let started = Instant::now();
    let (tls, judged) = match handshake {
        Handshake::Verified(tls, chain) => (Some(tls), certificate::run(t, &chain, None)),
        Handshake::Refused { chain, error } => (None, certificate::run(t, &chain, Some(&error))),
    };
    let Some(warnings) = r.record("certificate", started.elapsed(), judged) else {
        return r;
    };
    r.findings.extend(warnings);
    let Some(tls) = tls else {
        return r;
    };
    let Some(body) = r
        .stage("http", deadline, waited("http"), http::get_catalog(t, *tls))
        .await
    else {
        return r;
    };
    let started = Instant::now();
    r.repositories = r.record("catalog", started.elapsed(), http::catalog(&body));
    r
}
