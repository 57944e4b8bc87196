//! x509-limbo (C2SP), a suite nobody here wrote: its server-validation
//! cases, judged by Go's crypto/x509 (skopeo, as in `go_reference`) and by
//! limbo's own expectations, compared with msr-expose's verdict.
//!
//! The suite is not vendored: the compiled limbo.json is read-only test
//! data beside the project, `../shared/x509-limbo/limbo.json` (its README
//! says how it was made), or wherever `MSR_LIMBO_JSON` points. In CI
//! (`CI=true`) a missing suite fails the test — it is part of every run;
//! elsewhere the test says it is missing and passes, so that a checkout
//! without shared/ still builds and tests the rest.

use super::go_reference::{Judged, Tally, documented, judges};
use msr_expose_core::{HostRole, Severity, TlsInput, check_host};
use serde_json::Value;
use std::path::PathBuf;

/// Where the compiled suite is looked for.
fn suite_path() -> PathBuf {
    std::env::var_os("MSR_LIMBO_JSON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            msr_expose_tests::workspace_root().join("../shared/x509-limbo/limbo.json")
        })
}

/// Whether this run is CI's, where every suite must run.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// RFC 3339 (`2024-01-01T00:00:00+00:00` or `…Z`) as Unix seconds.
fn unix(text: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339);
    t.ok().map(time::OffsetDateTime::unix_timestamp)
}

#[test]
fn limbo_server_cases() {
    let path = suite_path();
    if !path.exists() {
        assert!(
            !in_ci(),
            "x509-limbo: {} is missing; CI runs the suite on every run (set MSR_LIMBO_JSON to its path)",
            path.display()
        );
        eprintln!(
            "x509-limbo: no compiled suite at {} (set MSR_LIMBO_JSON); not run",
            path.display()
        );
        return;
    }
    let suite: Value = serde_json::from_slice(&std::fs::read(&path).expect("limbo.json"))
        .expect("limbo.json is JSON");
    let now = super::certs::now();
    let allowed = documented();
    let mut go_tally = Tally::default();
    let (mut limbo_agree, mut limbo_total) = (0, 0);
    let mut limbo_report = String::new();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    for case in suite["testcases"].as_array().expect("testcases") {
        let id = text(&case["id"]);
        let Some(host) = case["expected_peer_name"]["value"].as_str() else {
            continue;
        };
        // Server validation for serverAuth, without CRLs or a depth cap:
        // what a registry client does.
        let eku: Vec<String> = case["extended_key_usage"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        if case["validation_kind"] != "SERVER"
            || !(eku.is_empty() || eku == ["serverAuth"])
            || !case["max_chain_depth"].is_null()
            || case["crls"].as_array().is_some_and(|c| !c.is_empty())
        {
            continue;
        }
        let peer = text(&case["peer_certificate"]);
        let intermediates: String = case["untrusted_intermediates"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        let roots: String = case["trusted_certs"]
            .as_array()
            .map(|a| a.iter().map(text).collect())
            .unwrap_or_default();
        let bundle = format!("{peer}{intermediates}");
        let at = case["validation_time"].as_str().and_then(unix);

        // msr-expose: the bundle as the cache would serve it, the roots as the CA.
        let role = if host.parse::<std::net::IpAddr>().is_ok() {
            HostRole::Node
        } else {
            HostRole::IngressHost
        };
        let checked = check_host(host, "host", role);
        let report = msr_expose_crypto::check_tls(
            &TlsInput {
                cert: bundle.as_bytes(),
                key: None,
                ca: Some(roots.as_bytes()),
            },
            checked.host.as_ref(),
            at.unwrap_or(now),
        );
        let mut errors: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        errors.extend(
            checked
                .findings
                .iter()
                .filter(|f| f.is_error())
                .map(|f| f.code.as_str()),
        );
        let warns = report
            .findings
            .iter()
            .chain(&checked.findings)
            .any(|f| f.severity == Severity::Warning);

        // limbo's own expectation.
        limbo_total += 1;
        let expected_ok = case["expected_result"] == "SUCCESS";
        if expected_ok == errors.is_empty() {
            limbo_agree += 1;
        } else {
            limbo_report.push_str(&format!(
                "{id}: limbo expects {}, msr-expose {}\n",
                case["expected_result"],
                if errors.is_empty() {
                    "accepts".to_string()
                } else {
                    format!("rejects {errors:?}")
                }
            ));
        }

        // Go's verdict, at the real time: only where the case's time is
        // inside every certificate's validity as much as now is.
        let Some(key) = case["peer_certificate_key"].as_str() else {
            let cannot = Judged::cannot("no key to serve with");
            go_tally.record(&id, &cannot, &errors, warns, &allowed);
            continue;
        };
        let judged = match at {
            Some(at) if validity_differs(&report, at, now) => Judged::cannot(&format!(
                "validation time {} is not now, and validity differs",
                text(&case["validation_time"])
            )),
            _ => judges(&bundle, key.as_bytes(), roots.as_bytes(), host),
        };
        go_tally.record(&id, &judged, &errors, warns, &allowed);
    }
    eprintln!("{}", go_tally.report);
    eprintln!("{limbo_report}");
    eprintln!(
        "x509-limbo ({}): {}; agree with limbo's expectations on {limbo_agree} of {limbo_total} cases",
        path.display(),
        go_tally.summary()
    );
    // A suite that judged (almost) nothing is a broken suite, not a pass.
    assert!(
        limbo_total >= 100 && go_tally.judged >= 100,
        "x509-limbo: only {limbo_total} server cases read and {} judged by Go from {}",
        go_tally.judged,
        path.display()
    );
    go_tally.assert_clean();
}

/// Whether some certificate is valid at one instant and not at the other
/// (Go judges at the real time only).
fn validity_differs(report: &msr_expose_core::TlsReport, at: i64, now: i64) -> bool {
    report.certificates.iter().any(|c| {
        let (nb, na) = (unix(&c.not_before), unix(&c.not_after));
        let valid = |t: i64| nb.is_some_and(|nb| nb <= t) && na.is_some_and(|na| t <= na);
        valid(at) != valid(now)
    })
}
