//! Stage 4: the presented chain checked by the core, as `check` would, for
//! the name the client asked for. Errors fail the stage; warnings are
//! reported and the walk goes on.

use super::Target;
use super::report::{Failure, Passed};
use base64::Engine;
use msr_expose_core::endpoint::{certificate_failed, certificate_refused};
use msr_expose_core::{Finding, HostRole, Severity, TlsInput, check_host};
use msr_expose_crypto::check_tls;
use std::net::IpAddr;

/// Judges `chain` (leaf first). `refused` is the TLS client's reason when it
/// already refused the chain: then the stage fails even if the core's own
/// checks found no error. Passes with the warnings to report.
pub fn run(
    t: &Target,
    chain: &[Vec<u8>],
    refused: Option<&str>,
) -> Result<Passed<Vec<Finding>>, Failure> {
    let mut findings = findings(t, chain);
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    if errors.is_empty() && refused.is_none() {
        let warnings: Vec<Finding> = findings
            .into_iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect();
        let detail = format!(
            "{} certificate(s) presented, {} warning(s)",
            chain.len(),
            warnings.len()
        );
        return Ok((warnings, detail));
    }
    if errors.is_empty()
        && let Some(why) = refused
    {
        findings.push(certificate_refused(why));
    }
    let codes: Vec<&str> = findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code.as_str())
        .collect();
    let detail = match refused {
        Some(why) => format!("{} ({why})", codes.join(", ")),
        None => codes.join(", "),
    };
    let mut all = vec![certificate_failed(&t.url, &codes)];
    all.extend(findings);
    Err(Failure {
        detail,
        findings: all,
    })
}

/// The core's findings on the presented chain, without the informational.
fn findings(t: &Target, chain: &[Vec<u8>]) -> Vec<Finding> {
    let mut pem_text = String::new();
    for der in chain {
        pem_text.push_str("-----BEGIN CERTIFICATE-----\n");
        pem_text.push_str(&base64::engine::general_purpose::STANDARD.encode(der));
        pem_text.push_str("\n-----END CERTIFICATE-----\n");
    }
    let role = if t.host.parse::<IpAddr>().is_ok() {
        HostRole::Node
    } else {
        HostRole::IngressHost
    };
    let host = check_host(&t.host, "url", role).host;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let report = check_tls(
        &TlsInput {
            cert: pem_text.as_bytes(),
            key: None,
            ca: t.ca.as_deref(),
        },
        host.as_ref(),
        now,
    );
    report
        .findings
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect()
}
