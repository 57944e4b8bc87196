//! `msr-expose fleet check` against the real binary: every cache of a fleet
//! file judged against its own interface with the test fixtures' chains
//! (tests/fixtures/make-certs.sh), one row each, the findings naming the
//! cache and the field.

use crate::certs::fixtures;
use msr_expose_tests::msr_expose;
use serde_json::Value;

fn fleet_file(dir: &std::path::Path) -> std::path::PathBuf {
    let fx = fixtures().display().to_string();
    let text = format!(
        "defaults:\n  ca: {fx}/root.pem\n  context: admin\ncaches:\n\
         \x20 - name: eu1\n    method: ingress\n    externalFqdn: cache.example.com\n    cert: {fx}/ingress-chain.pem\n\
         \x20 - name: us1\n    method: nodeport\n    nodeFqdn: worker1.example.com\n    nodePort: 30443\n    cert: {fx}/chain.pem\n    key: {fx}/leaf.key\n\
         \x20 - name: ap1\n    method: gateway\n    gatewayClassName: eg\n    externalFqdn: cache-ap1.example.com\n    cert: {fx}/ingress-chain.pem\n\
         \x20 - name: sa1\n    method: traefik\n    externalFqdn: cache-sa1.example.com\n"
    );
    let path = dir.join("fleet.yaml");
    std::fs::write(&path, text).expect("fleet file");
    path
}

#[test]
fn fleet_check_judges_every_cache_against_its_own_interface() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = fleet_file(dir.path());
    let config = path.display().to_string();
    let o = msr_expose(&["fleet", "check", "--config", &config, "-o", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "ap1's certificate is not its name's"
    );
    let r: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(r["ok"], false);
    let rows = r["caches"].as_array().expect("rows");
    let verdict = |name: &str| {
        rows.iter()
            .find(|x| x["name"] == name)
            .map(|x| x["verdict"].as_str().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    // (cache, verdict, reason)
    for (name, want, why) in [
        ("eu1", "ok", "the ingress chain names cache.example.com"),
        ("us1", "ok", "the node chain, its key and the fleet's CA"),
        (
            "ap1",
            "errors",
            "the ingress chain does not name cache-ap1.example.com",
        ),
        ("sa1", "not checked", "no certificate given"),
    ] {
        assert_eq!(verdict(name), want, "{name}: {why}");
    }
    let ap1 = rows.iter().find(|x| x["name"] == "ap1").expect("ap1");
    assert_eq!(ap1["endpoint"], "https://cache-ap1.example.com");
    assert!(ap1["daysLeft"].as_i64().is_some_and(|d| d > 0));
    assert!(
        ap1["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["code"] == "cert.name_mismatch"
                && f["field"]
                    .as_str()
                    .is_some_and(|x| x.starts_with("caches[ap1]"))),
        "the finding names the cache: {ap1}"
    );
    let us1 = rows.iter().find(|x| x["name"] == "us1").expect("us1");
    assert_eq!(us1["endpoint"], "https://worker1.example.com:30443");

    // The table: a row per cache, then the errors and warnings under each name.
    let t = msr_expose(&["fleet", "check", "--config", &config]);
    let text = String::from_utf8_lossy(&t.stdout);
    assert!(text.starts_with("cache  endpoint"), "{text}");
    for name in ["eu1", "us1", "ap1", "sa1"] {
        assert!(
            text.lines().any(|l| l.starts_with(name)),
            "{name} row: {text}"
        );
    }
    assert!(
        text.contains("error[cert.name_mismatch] caches[ap1]"),
        "{text}"
    );
    assert!(
        text.contains("warning[fleet.cert_missing] caches[sa1].cert"),
        "{text}"
    );

    // Judged at another instant: every certificate expired.
    let later = msr_expose(&[
        "fleet",
        "check",
        "--config",
        &config,
        "--at",
        "2999-01-01T00:00:00Z",
        "-o",
        "json",
    ]);
    let r: Value = serde_json::from_slice(&later.stdout).expect("JSON");
    assert_eq!(r["caches"][0]["verdict"], "errors");
}

#[test]
fn a_broken_fleet_file_names_the_cache_and_checks_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fleet.yaml");
    std::fs::write(
        &path,
        "caches:\n  - name: eu1\n    externalFQDN: cache.example.com\n  - name: eu1\n",
    )
    .expect("write");
    let o = msr_expose(&["fleet", "check", "--config", &path.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "no partial table");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[fleet.parse] caches[eu1]"), "{err}");
    assert!(
        err.contains("error[fleet.cache_name_duplicate] caches[eu1].name"),
        "{err}"
    );
    // A file a cache names that is not there: that cache's error, not the run's.
    std::fs::write(
        &path,
        "caches:\n  - name: eu1\n    externalFqdn: cache.example.com\n    cert: no/such.pem\n",
    )
    .expect("write");
    let o = msr_expose(&["fleet", "check", "--config", &path.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout)
            .contains("error[fleet.file_unreadable] caches[eu1].cert")
    );
    let missing = msr_expose(&[
        "fleet",
        "check",
        "--config",
        &dir.path().join("none.yaml").display().to_string(),
    ]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "an unreadable file is a usage/I-O error"
    );
}
