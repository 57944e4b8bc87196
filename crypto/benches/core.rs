//! Criterion benchmarks of the core (with the native crypto answers): certificate checks on a three-certificate
//! RSA-4096 chain and on an ECDSA chain (fixtures made by openssl with
//! tests/fixtures/make-certs.sh), and generating manifests and steps.
//! Results are recorded in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use msr_expose_core::{Host, HostRole, Spec, TlsInput, check_host, generate};
use msr_expose_crypto::check_tls;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = root.join("target/tmp/bench-fixtures");
    if !dir.join(".done").exists() {
        let ok = Command::new("bash")
            .arg(root.join("tests/fixtures/make-certs.sh"))
            .arg(&dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tests/fixtures/make-certs.sh failed (needs openssl)");
    }
    dir
}

fn read(dir: &Path, f: &str) -> Vec<u8> {
    std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"))
}

fn host(s: &str) -> Host {
    check_host(s, "bench", HostRole::Node)
        .host
        .unwrap_or_else(|| panic!("{s} parses"))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn tls(c: &mut Criterion) {
    let dir = fixtures();
    let now = now();
    let mut g = c.benchmark_group("check_tls");
    for (name, bundle, key, ca, h) in [
        (
            "rsa4096_chain_with_key",
            "chain.pem",
            "leaf.key",
            "root.pem",
            "worker1.example.com",
        ),
        (
            "ecdsa_chain_with_key",
            "ec-chain.pem",
            "ec-leaf.sec1.key",
            "ec-root.pem",
            "cache.example.com",
        ),
    ] {
        let (cert, key, ca, h) = (read(&dir, bundle), read(&dir, key), read(&dir, ca), host(h));
        let report = check_tls(
            &TlsInput {
                cert: &cert,
                key: Some(&key),
                ca: Some(&ca),
            },
            Some(&h),
            now,
        );
        assert_eq!(
            report.certificates.len(),
            3,
            "{name}: leaf, intermediate, root"
        );
        assert!(
            report.findings.iter().all(|f| !f.is_error()),
            "{name}: {:?}",
            report.findings
        );
        g.bench_function(name, |b| {
            b.iter(|| {
                check_tls(
                    black_box(&TlsInput {
                        cert: &cert,
                        key: Some(&key),
                        ca: Some(&ca),
                    }),
                    Some(&h),
                    now,
                )
            })
        });
    }
    g.finish();
}

fn manifests(c: &mut Criterion) {
    let mut g = c.benchmark_group("generate");
    for (name, yaml) in [
        (
            "nodeport",
            "method: nodeport\nnodeFqdn: worker1.example.com\n",
        ),
        (
            "ingress",
            "method: ingress\nexternalFqdn: cache.example.com\n",
        ),
    ] {
        let spec = Spec::from_text(yaml).unwrap_or_else(|f| panic!("{f}"));
        g.bench_function(name, |b| b.iter(|| generate(black_box(&spec))));
    }
    g.finish();
}

criterion_group!(benches, tls, manifests);
criterion_main!(benches);
