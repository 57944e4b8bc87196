//! `msr-expose check`: the certificate checks on their own, with a report of
//! every certificate in the chain. Same core entry point as `generate`.

use super::spec_input::{SpecInput, spec_from_args};
use super::tls_input::TlsFiles;
use crate::args::{CheckArgs, CheckFormat};
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::cert::CertInfo;
use msr_expose_core::{Finding, generate_with_tls};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::Write;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    ok: bool,
    findings: &'a [Finding],
    certificates: &'a [CertInfo],
    key_matches: Option<bool>,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    if args.tls.cert.is_none() {
        anyhow::bail!("check needs --cert FILE (the cache certificate with its intermediates)");
    }
    let spec = match spec_from_args(&args.spec)? {
        SpecInput::Spec(s) => *s,
        SpecInput::Invalid(f) => {
            eprintln!("{f}");
            return Ok(EXIT_FINDINGS);
        }
    };
    let files = TlsFiles::read(&args.tls)?.context("check needs --cert FILE")?;
    let g = generate_with_tls(&spec, Some(&files.tls()));
    let ok = !g.has_errors();
    let text = match args.output {
        CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(&Report {
                ok,
                findings: &g.findings,
                certificates: &g.certificates,
                key_matches: g.key_matches,
            })
            .context("cannot write JSON")?;
            s.push('\n');
            s
        }
        CheckFormat::Text => render_text(&g.certificates, &g.findings, g.key_matches),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to stdout")?;
    Ok(if ok { EXIT_OK } else { EXIT_FINDINGS })
}

fn render_text(certs: &[CertInfo], findings: &[Finding], key_matches: Option<bool>) -> String {
    let mut s = String::new();
    for c in certs {
        let _ = writeln!(s, "{:?} certificate ({} #{})", c.role, c.source, c.position);
        let _ = writeln!(s, "  subject:     {}", c.subject);
        let _ = writeln!(s, "  issuer:      {}", c.issuer);
        let _ = writeln!(s, "  serial:      {}", c.serial);
        let mut names: Vec<String> = c.dns_names.iter().map(|d| format!("DNS:{d}")).collect();
        names.extend(c.ip_addresses.iter().map(|i| format!("IP:{i}")));
        if !names.is_empty() {
            let _ = writeln!(s, "  names:       {}", names.join(", "));
        }
        if let Some(m) = &c.matched_name {
            let _ = writeln!(s, "  matches:     {m}");
        }
        let _ = writeln!(
            s,
            "  valid:       {} to {} ({} days left)",
            c.not_before, c.not_after, c.days_left
        );
        let _ = writeln!(s, "  key:         {}", c.key);
        let _ = writeln!(s, "  signature:   {}", c.signature_algorithm);
        let usage = msr_expose_core::cert::usage_text;
        let _ = writeln!(s, "  key usage:   {}", usage(&c.key_usage));
        let _ = writeln!(s, "  ext. usage:  {}", usage(&c.extended_key_usage));
        let _ = writeln!(s, "  sha256:      {}", c.sha256_fingerprint);
        s.push('\n');
    }
    match key_matches {
        Some(true) => s.push_str("private key: matches the leaf certificate\n\n"),
        Some(false) => s.push_str("private key: does NOT match the leaf certificate\n\n"),
        None => {}
    }
    if findings.is_empty() {
        s.push_str("no findings: the material fits the interface\n");
    }
    for f in findings {
        let _ = writeln!(s, "{f}");
    }
    s
}
