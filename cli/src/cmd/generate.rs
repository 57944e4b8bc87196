//! `msr-expose generate`: validate the spec, then print or write the manifest
//! and the steps. Nothing is printed or written when the spec has errors;
//! errors on the TLS material withhold only the steps that need it (marked
//! in steps.sh) and the exit status stays 1 (core's `generate`).

use super::out_dir::{Written, write_files};
use super::spec_input::{SpecInput, spec_from_args};
use super::tls_input::TlsFiles;
use crate::args::{GenerateArgs, GenerateFormat, IssuerKind, KeyTypeArg};
use crate::output::print_findings;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::certplan::KeyType;
use msr_expose_core::{Code, Finding, SpecField, generate_with_tls};
use std::io::Write;

/// Runs `generate`.
pub fn run(args: GenerateArgs) -> anyhow::Result<u8> {
    let mut spec = match spec_from_args(&args.spec)? {
        SpecInput::Spec(s) => *s,
        SpecInput::Invalid(f) => {
            print_findings(&[f], false);
            return Ok(EXIT_FINDINGS);
        }
    };
    let mut notes = Vec::new();
    if let (Some(ca), None) = (&args.tls.ca, &args.spec.ca_file) {
        // The steps' curl trusts the CA file that was checked, whatever a
        // --config file names: one path, as the operator typed it.
        let Some(path) = ca.to_str() else {
            print_findings(&[ca_not_utf8(ca)], false);
            return Ok(EXIT_FINDINGS);
        };
        if args.spec.config.is_some() && spec.ca_file != path {
            notes.push(Finding::info(
                Code::SpecCaFileFromCa,
                SpecField::CaFile,
                format!(
                    "the steps trust {path} (--ca), not the config's caFile {}",
                    spec.ca_file
                ),
                "set --ca-file to name another file in the steps",
            ));
        }
        spec.ca_file = path.to_string();
    }
    if let (true, Some(ca)) = (args.lab_ca, &args.tls.ca) {
        anyhow::bail!(
            "--lab-ca makes a new CA and writes it to the CA file, but --ca names the CA you have ({}): drop --lab-ca to get a request for that CA to sign, or drop --ca for a lab",
            ca.display()
        );
    }
    let tls = TlsFiles::read(&args.tls)?;
    let mut generation = generate_with_tls(&spec, tls.as_ref().map(TlsFiles::tls).as_ref());
    generation.findings.extend(notes);
    print_findings(&generation.findings, args.quiet);
    let Some(out) = generation.output else {
        return Ok(EXIT_FINDINGS);
    };
    // Errors stand on the TLS material: what is right is still output.
    let done = if generation.findings.iter().any(Finding::is_error) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };

    let valid = msr_expose_core::validate(&spec).0;
    let Some(valid) = valid else {
        return Ok(EXIT_FINDINGS);
    };
    let key = match args.key_type {
        KeyTypeArg::P256 => KeyType::P256,
        KeyTypeArg::Rsa3072 => KeyType::Rsa3072,
    };
    if let Some(dir) = &args.out_dir {
        let ca_pem = args
            .tls
            .ca
            .as_ref()
            .map(|ca| {
                std::fs::read_to_string(ca)
                    .with_context(|| format!("--ca: cannot read {}", ca.display()))
            })
            .transpose()?;
        let files = match msr_expose_core::bundle::files(&valid, &out, ca_pem.as_deref()) {
            Ok(f) => f,
            Err(f) => {
                print_findings(&[f], false);
                return Ok(EXIT_FINDINGS);
            }
        };
        let borrowed: Vec<(&str, &str, bool)> = files
            .iter()
            .map(|f| (f.path.as_str(), f.content.as_str(), f.executable))
            .collect();
        match write_files(dir, &borrowed, args.force)? {
            Written::Changed => {}
            Written::Unchanged => eprintln!(
                "msr-expose: {} already holds this output; nothing written",
                dir.display()
            ),
            Written::Refused(conflicts) => {
                print_findings(&conflicts, false);
                return Ok(EXIT_FINDINGS);
            }
        }
        for f in &files {
            println!("{}", dir.join(&f.path).display());
        }
        return Ok(done);
    }
    let owned;
    let text = match args.output {
        GenerateFormat::Yaml => &out.yaml,
        GenerateFormat::Json => &out.json,
        GenerateFormat::Steps => &out.script,
        GenerateFormat::CertPlan => {
            owned = msr_expose_core::certplan::openssl_plan(&valid, key, args.lab_ca)
                .map_err(|e| anyhow::anyhow!("cannot write the plan: {e}"))?;
            &owned
        }
        GenerateFormat::CertManager => {
            let Some(issuer) = &args.issuer else {
                anyhow::bail!(
                    "-o cert-manager needs --issuer NAME (an Issuer or ClusterIssuer of cert-manager)"
                );
            };
            let kind = match args.issuer_kind {
                IssuerKind::Issuer => "Issuer",
                IssuerKind::ClusterIssuer => "ClusterIssuer",
            };
            owned = msr_expose_core::manifest::Manifest::new(
                vec![msr_expose_core::certplan::cert_manager(
                    &valid, issuer, kind, key,
                )],
                msr_expose_core::certplan::CERT_MANAGER_FILE,
            )
            .to_yaml()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            &owned
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")?;
    Ok(done)
}

/// `--ca` names a file whose name is not UTF-8: the steps are UTF-8 shell
/// text and would name another file.
fn ca_not_utf8(ca: &std::path::Path) -> Finding {
    Finding::error(
        Code::SpecCaFileInvalid,
        "--ca",
        format!(
            "the path {} is not UTF-8, so the steps could not name it exactly",
            ca.display()
        ),
        "rename the file (or copy it) to a UTF-8 name and give that, or set --ca-file to the name the steps should use",
    )
}
