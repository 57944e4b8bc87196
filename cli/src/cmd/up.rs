//! `msr-expose up`: apply, wait, verify the live endpoint, and print the MSR
//! registration request for the endpoint that was verified.

use super::apply::{ApplyReport, apply, render, runtime, valid_spec};
use super::cluster::Refusal;
use super::verify::{Report, Target, parse_url, read_net_args, walk};
use crate::args::{CheckFormat, UpArgs};
use crate::{EXIT_FINDINGS, EXIT_OK};
use msr_expose_core::Finding;
use msr_expose_core::duration::parse_duration;
use serde::Serialize;

#[derive(Serialize)]
struct UpReport<'a> {
    ok: bool,
    apply: Option<&'a ApplyReport>,
    verify: Option<&'a Report>,
    registration: Option<Registration>,
    /// What `--register` did.
    registered: Option<super::register::Registered>,
    /// Why `up` stopped: a finding with a code from `msr-expose codes`.
    error: Option<Finding>,
    /// Said when nothing failed but a stage did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
}

#[derive(Serialize)]
struct Registration {
    method: &'static str,
    path: &'static str,
    body: serde_json::Value,
    curl: String,
}

/// Runs `up`.
pub fn run(args: UpArgs) -> anyhow::Result<u8> {
    let Some(valid) = valid_spec(&args.spec)? else {
        return Ok(EXIT_FINDINGS);
    };
    let timeout = parse_duration(&args.timeout).map_err(|e| anyhow::anyhow!("--timeout: {e}"))?;
    let (resolve, ca) = read_net_args(&args.net)?;
    // Credentials and MSR's address are checked before anything is applied.
    let msr = super::register::Msr::from_args(&args.msr)?;
    let rt = runtime()?;
    let text = args.output == CheckFormat::Text;
    let applied = rt.block_on(apply(&valid, &args.cluster, timeout, text))?;
    let report = match applied {
        Err(refusal) => {
            let status = refusal.exit_status();
            emit(
                &args,
                &UpReport {
                    ok: false,
                    apply: None,
                    verify: None,
                    registration: None,
                    registered: None,
                    error: Some(refusal.0),
                    note: None,
                },
            )?;
            return Ok(status);
        }
        Ok(r) => r,
    };
    if text {
        print!("{}", render(&report));
    }
    let Some(url) = report.endpoint.clone() else {
        emit(
            &args,
            &UpReport {
                ok: true,
                apply: Some(&report),
                verify: None,
                registration: None,
                registered: None,
                error: None,
                note: Some("dry run: nothing to verify"),
            },
        )?;
        return Ok(EXIT_OK);
    };
    let (host, port) = parse_url(&url)?;
    let target = Target {
        url: url.clone(),
        host,
        port,
        resolve,
        ca,
        timeout,
    };
    let verified = rt.block_on(walk(&target));
    let registration = if verified.ok {
        // The same step `generate` writes, for the URL just verified (quoted by the core).
        let (step, body) = msr_expose_core::steps::registration(&valid, &url)?;
        Some(Registration {
            method: "POST",
            path: "/api/v0/content_caches",
            body: serde_json::from_str(&body)?,
            curl: step.shell.unwrap_or_default(),
        })
    } else {
        None
    };
    // Only a verified endpoint is registered.
    let mut error = None;
    let mut registered = None;
    if let (Some(msr), true) = (&msr, verified.ok) {
        match rt.block_on(super::register::register(msr, &valid.name, &url))? {
            Ok(r) => registered = Some(r),
            Err(Refusal(why)) => error = Some(why),
        }
    }
    let ok = verified.ok && error.is_none();
    let up = UpReport {
        ok,
        apply: Some(&report),
        verify: Some(&verified),
        registration,
        registered,
        error,
        note: None,
    };
    emit(&args, &up)?;
    Ok(if ok { EXIT_OK } else { EXIT_FINDINGS })
}

fn emit(args: &UpArgs, r: &UpReport<'_>) -> anyhow::Result<()> {
    match args.output {
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(r)?),
        CheckFormat::Text => {
            if let Some(e) = &r.error {
                eprintln!("{e}");
            }
            if let Some(note) = r.note {
                eprintln!("msr-expose: {note}");
            }
            if let Some(v) = r.verify {
                super::verify::print_report(v, CheckFormat::Text)?;
            }
            if let Some(done) = &r.registered {
                println!(
                    "\nMSR: content cache {} at {} {}",
                    done.name,
                    done.host,
                    if done.result == "created" {
                        "registered"
                    } else {
                        "was already registered"
                    }
                );
            } else if let Some(reg) = &r.registration {
                println!(
                    "\nregister the cache with MSR (set MSR_HOST and MSR_USER; curl asks for the password):"
                );
                println!("{}", reg.curl);
            }
        }
    }
    Ok(())
}
