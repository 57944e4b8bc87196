//! Certificate checks on fixtures made by openssl at test time
//! (`tests/fixtures/make-certs.sh`), with openssl's own verdict as the
//! reference for chains (`openssl verify`) and names (`openssl x509
//! -checkhost/-checkip`). Where msr-expose is deliberately stricter, the row
//! says so and why.

use msr_expose_core::codes::CODES;
use msr_expose_core::{Finding, Host, Material, Spec, Tls, TlsInput, generate_with_tls};
use msr_expose_crypto::{answer, check_tls};
use msr_expose_tests::{msr_expose, tool, workspace_root};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// The fixtures, made once per test run.
pub fn fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cert-fixtures");
        let _ = std::fs::remove_dir_all(&dir);
        let script = workspace_root().join("tests/fixtures/make-certs.sh");
        let out = tool(
            "bash",
            &[script.to_str().expect("utf8"), dir.to_str().expect("utf8")],
            "bash and openssl are needed",
        );
        assert!(
            out.status.success(),
            "make-certs.sh failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        dir
    })
}

/// Reads a fixture file.
pub fn fx(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

/// Now, as the tests judge validity (the fixtures are made first, so that
/// they are never newer than this instant).
pub fn now() -> i64 {
    fixtures();
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

fn record(findings: &[Finding]) {
    if let Ok(mut seen) = SEEN.lock() {
        seen.extend(findings.iter().map(|f| f.code.as_str()));
    }
}

fn host(s: &str) -> Host {
    let role = if s.parse::<std::net::IpAddr>().is_ok() {
        msr_expose_core::HostRole::Node
    } else {
        msr_expose_core::HostRole::IngressHost
    };
    msr_expose_core::check_host(s, "t", role)
        .host
        .expect("test host parses")
}

/// Material given as bytes (for inputs a test builds itself).
enum In {
    File(&'static str),
    Bytes(Vec<u8>),
}

impl In {
    fn bytes(&self) -> Vec<u8> {
        match self {
            In::File(f) => fx(f),
            In::Bytes(b) => b.clone(),
        }
    }
}

fn run(cert: &In, key: Option<&In>, ca: Option<&str>, name: Option<&str>, at: i64) -> Vec<Finding> {
    let cert = cert.bytes();
    let key = key.map(In::bytes);
    let ca = ca.map(fx);
    let h = name.map(host);
    let r = check_tls(
        &TlsInput {
            cert: &cert,
            key: key.as_deref(),
            ca: ca.as_deref(),
        },
        h.as_ref(),
        at,
    );
    record(&r.findings);
    r.findings
}

fn codes(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|x| x.code.as_str()).collect()
}

const DAY: i64 = 86_400;

/// (case, cert, key, ca, host, at, codes that must appear, reason)
type Row<'a> = (
    &'a str,
    In,
    Option<In>,
    Option<&'a str>,
    Option<&'a str>,
    i64,
    &'a [&'a str],
    &'a str,
);

#[test]
fn certificate_table() {
    use In::File;
    let pem_of = |name: &str| String::from_utf8(fx(name)).expect("pem text");
    let leaf_pem = pem_of("leaf.pem");
    let base64 = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let mut truncated = leaf_pem.clone();
    truncated.truncate(leaf_pem.len() / 2);
    let corrupt = leaf_pem.replacen("MII", "MI*", 1);
    let garbage_cert = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
    let crl_only = "-----BEGIN X509 CRL-----\nMAMCAQA=\n-----END X509 CRL-----\n";
    let crl_and_cert = format!("{crl_only}{}", pem_of("chain.pem"));
    let two_keys = [fx("leaf.key"), fx("leaf2.key")].concat();
    let dsa_key = "-----BEGIN DSA PRIVATE KEY-----\nMAMCAQA=\n-----END DSA PRIVATE KEY-----\n";
    let bad_key = "-----BEGIN PRIVATE KEY-----\nMAMCAQA=\n-----END PRIVATE KEY-----\n";
    let n = now();

    // (case, cert, key, ca, host, at, codes that must appear, reason)
    #[rustfmt::skip]
    let cases: Vec<Row> = vec![
        ("good chain, node name", File("chain.pem"), Some(File("leaf.key")), Some("root.pem"), Some("worker1.example.com"), n, &["cert.other_names"], "leaf + intermediate, anchored in the root, key matches"),
        ("good chain, ingress name", File("ingress-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &[], "only the ingress name: nothing to say"),
        ("IP SAN for a node IP", File("chain.pem"), None, Some("root.pem"), Some("192.0.2.10"), n, &["cert.other_names"], "an IP node address needs an IP SAN, present here"),
        ("wrong interface", File("ingress-chain.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["cert.name_mismatch"], "made for the Ingress name, exposed on a node"),
        ("wildcard covers", File("wildcard-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &[], "*.example.com covers one label"),
        ("wildcard one label only", File("wildcard-chain.pem"), None, Some("root.pem"), Some("a.cache.example.com"), n, &["cert.name_mismatch"], "RFC 6125: a wildcard matches exactly one label"),
        ("bad wildcards", File("badwild-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.san_bad_wildcard", "cert.name_mismatch"], "*.com and c*.example.com are ignored by clients"),
        ("CN only", File("cnonly-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.cn_only"], "Go clients ignore the CN"),
        ("IP as DNS SAN", File("ipdns-chain.pem"), None, Some("root.pem"), Some("192.0.2.10"), n, &["cert.name_mismatch"], "an IP written as a DNS SAN does not count"),
        ("no serverAuth", File("clientonly-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.eku_no_server_auth"], "EKU without serverAuth"),
        ("leaf is a CA", File("leafca-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.leaf_is_ca"], "CA:TRUE on the leaf"),
        ("keyUsage keyCertSign only", File("kucertsign-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.key_usage"], "RSA leaf without digitalSignature or keyEncipherment"),
        ("EC keyUsage keyEncipherment", File("ec-ku-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["cert.key_usage"], "without digitalSignature: a warning, Go and curl accept it"),
        ("expiring soon", File("soon-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.expiring_soon"], "10 days left < 30"),
        ("expired", File("expired-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.expired"], "notAfter 2021"),
        ("not yet valid", File("future-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.not_yet_valid"], "notBefore 2099"),
        ("expired by --at", File("chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n + 400 * DAY, &["cert.expired"], "judged at a later time"),
        ("not yet valid by --at", File("chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n - 10 * DAY, &["cert.not_yet_valid"], "judged before issuance"),
        ("RSA 1024", File("weak-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.rsa_weak"], "below 2048 bits"),
        ("SHA-1 signature", File("sha1-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.weak_signature"], "SHA-1 is rejected"),
        ("secp256k1", File("k1-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["cert.unusual_curve"], "not a TLS curve"),
        ("DSA key", File("dsa-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["cert.unusual_key"], "DSA is not used for TLS"),
        ("self-signed", File("selfsigned.pem"), None, None, Some("cache.example.com"), n, &["cert.self_signed"], "no CA anchors it"),
        ("ECDSA chain", File("ec-chain.pem"), Some(File("ec-leaf.sec1.key")), Some("ec-root.pem"), Some("cache.example.com"), n, &["cert.other_names"], "P-256 leaf, P-256 intermediate, P-384 root; SEC1 key"),
        ("Ed25519 leaf", File("ed-chain.pem"), Some(File("ed.key")), Some("ec-root.pem"), Some("cache.example.com"), n, &[], "Ed25519 leaf issued by ECDSA; PKCS#8 Ed25519 key"),
        ("DER leaf", File("leaf.der"), None, None, Some("worker1.example.com"), n, &["chain.anchor_unknown"], "DER input; no CA to verify against"),
        ("leaf not first", File("reversed.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.leaf_not_first"], "intermediate before leaf"),
        ("out of order", File("byleaf-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["chain.issuer_not_ca"], "a leaf issuing another certificate"),
        ("duplicate", File("duplicate.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.duplicate"], "intermediate twice"),
        ("unrelated", File("unrelated.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.unrelated"], "another leaf in the bundle"),
        ("root included", File("chain-root.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.root_included"], "root in the bundle"),
        ("missing intermediate (in CA file)", File("leaf.pem"), None, Some("ca-with-int.pem"), Some("worker1.example.com"), n, &["chain.intermediate_missing"], "the cache would not send the intermediate: a warning, clients given this CA file accept"),
        ("missing intermediate (nowhere)", File("leaf.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.issuer_missing"], "issuer in neither input"),
        ("other CA", File("chain-root.pem"), None, Some("other-root.pem"), Some("worker1.example.com"), n, &["chain.untrusted"], "ends in our root, CA given is another"),
        ("look-alike intermediate", File("noaki-fake-chain.pem"), None, Some("root.pem"), Some("cache.example.com"), n, &["chain.bad_signature"], "same name, other key: the signature fails"),
        ("P-521 issuer", File("p521-leaf.pem"), None, Some("p521-ca.pem"), Some("cache.example.com"), n, &[], "P-521 with SHA-256 verifies (Go and WebCrypto accept it; RustCrypto with the digest widened)"),
        ("forged with Ed25519", File("forged-ED25519-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.bad_signature"], "names the real intermediate, signed by an unrelated Ed25519 key"),
        ("forged with Ed448", File("forged-ED448-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.signature_unsupported"], "names the real intermediate, signed by an Ed448 key: not verifiable, so an error"),
        ("Ed448 issuer", File("ed448-leaf.pem"), None, Some("forger-ED448.pem"), Some("cache.example.com"), n, &["chain.signature_unsupported", "cert.unusual_key"], "a real Ed448 CA: clients do not verify Ed448"),
        // Path validation (rustls-webpki decides; Go decides the same way).
        ("name constraints: not permitted", File("nc-permit-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.name_constraints"], "the intermediate may issue only below .internal.example"),
        ("name constraints: excluded", File("nc-exclude-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.name_constraints"], "the intermediate excludes cache.example.com"),
        ("name constraints: permitted", File("nc-ok-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &[], "inside the permitted subtree .example.com"),
        ("name constraints: empty", File("nc-empty-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.name_constraints_invalid"], "an empty NameConstraints is invalid (RFC 5280 4.2.1.10)"),
        ("issuer EKU clientAuth only", File("eku-client-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.eku_not_allowed"], "EKU on an intermediate constrains what it issues (Go, rustls)"),
        ("unknown critical extension", File("crit-unknown-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.critical_extension"], "a critical extension clients do not understand"),
        ("pathLenConstraint 0", File("pathlen-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.path_len"], "a sub-CA under a pathlen:0 CA"),
        ("empty EKU on the leaf", File("eku-empty-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["cert.eku_empty", "cert.eku_no_server_auth"], "EKU SEQUENCE with no purpose"),
        ("nine intermediates", File("deep-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &["chain.too_complex"], "deeper than rustls builds: a warning, Go and curl build it and every link passes"),
        ("24-byte serial", File("bigserial-chain.pem"), None, Some("ec-root.pem"), Some("cache.example.com"), n, &[], "RFC 5280 says 20 octets at most, but Go and rustls accept longer ones"),
        ("CA file is the intermediate", File("ec-leaf.pem"), None, Some("ec-int.pem"), Some("cache.example.com"), n, &["chain.anchor_not_root"], "clients trusting this very file accept it (Go too)"),
        ("expired cross-sign beside a valid path", File("cross-chain.pem"), None, Some("root.pem"), Some("worker1.example.com"), n, &["chain.unrelated", "cert.other_names"], "the validator builds the valid path; the expired cross-sign is only unused"),
        // Keys.
        ("PKCS#1 key", File("chain.pem"), Some(File("leaf.pkcs1.key")), Some("root.pem"), None, n, &[], "RSA PRIVATE KEY matches"),
        ("P-256 PKCS#8 key", File("ec-chain.pem"), Some(File("ec-leaf.key")), Some("ec-root.pem"), None, n, &[], "EC key wrapped in PKCS#8"),
        ("P-384 PKCS#8 key", File("ec-root.pem"), Some(File("ec-root.key")), Some("ec-root.pem"), None, n, &["cert.leaf_is_ca", "cert.key_usage"], "P-384 public key derived and matched (a root as leaf has its own errors)"),
        ("P-384 SEC1 key", File("ec-root.pem"), Some(File("ec-root.sec1.key")), Some("ec-root.pem"), None, n, &["cert.leaf_is_ca", "cert.key_usage"], "P-384 EC PRIVATE KEY"),
        ("P-384 wrong key", File("ec-root.pem"), Some(File("ec-leaf.key")), Some("ec-root.pem"), None, n, &["key.mismatch", "cert.leaf_is_ca", "cert.key_usage"], "a P-256 key for a P-384 certificate"),
        ("DER key", File("chain.pem"), Some(File("leaf.key.der")), Some("root.pem"), None, n, &[], "PKCS#8 DER matches"),
        ("wrong key", File("chain.pem"), Some(File("leaf2.key")), Some("root.pem"), None, n, &["key.mismatch"], "another key"),
        ("encrypted PKCS#8 key", File("chain.pem"), Some(File("leaf.enc.key")), Some("root.pem"), None, n, &["key.encrypted"], "a secret needs it unencrypted"),
        ("encrypted PKCS#1 key", File("chain.pem"), Some(File("leaf.enc-pkcs1.key")), Some("root.pem"), None, n, &["key.encrypted"], "Proc-Type: 4,ENCRYPTED"),
        ("OpenSSH key as key", File("chain.pem"), Some(File("ssh-ed")), Some("root.pem"), None, n, &["key.openssh"], "ssh-keygen output"),
        ("certificate as key", File("chain.pem"), Some(File("chain.pem")), Some("root.pem"), None, n, &["key.not_a_key"], "the cert pasted twice"),
        ("two keys", File("chain.pem"), Some(In::Bytes(two_keys)), Some("root.pem"), None, n, &["key.several"], "one key per file"),
        ("DSA key block", File("chain.pem"), Some(In::Bytes(dsa_key.into())), Some("root.pem"), None, n, &["key.unsupported"], "DSA PRIVATE KEY"),
        ("garbage key", File("chain.pem"), Some(In::Bytes(bad_key.into())), Some("root.pem"), None, n, &["key.unreadable"], "a PRIVATE KEY block that is no key"),
        // Wrong material where the certificate belongs.
        ("empty", In::Bytes(Vec::new()), None, None, None, n, &["pem.empty"], "nothing given"),
        ("prose", In::Bytes(b"hello, this is not a certificate".to_vec()), None, None, None, n, &["pem.no_pem"], "no PEM, no DER"),
        ("truncated", In::Bytes(truncated.into()), None, None, None, n, &["pem.truncated"], "half a block"),
        ("corrupt base64", In::Bytes(corrupt.into()), None, None, None, n, &["pem.bad_base64"], "a '*' in the body"),
        ("not a certificate", In::Bytes(garbage_cert.into()), None, None, None, n, &["pem.bad_der"], "decodes, does not parse"),
        ("kubectl secret data", In::Bytes(base64(&pem_of("chain.pem")).into()), None, Some("root.pem"), Some("worker1.example.com"), n, &["pem.base64_wrapped"], "base64 of PEM"),
        ("SSH public key", File("ssh-key.pub"), None, None, None, n, &["pem.ssh_public_key"], "the vendor page's ssh-keygen step"),
        ("OpenSSH private key", File("ssh-ed"), None, None, None, n, &["pem.ssh_private_key"], "OPENSSH PRIVATE KEY block"),
        ("CSR", File("request.csr"), None, None, None, n, &["pem.csr"], "a request, not a certificate"),
        ("private key", File("leaf.key"), None, None, None, n, &["pem.private_key_as_cert"], "key where the cert belongs"),
        ("public key", File("public.pem"), None, None, None, n, &["pem.public_key_as_cert"], "a bare public key"),
        ("PKCS#7 PEM", File("chain.p7b"), None, None, None, n, &["pem.pkcs7"], "openssl crl2pkcs7 output"),
        ("PKCS#7 DER", File("chain.p7b.der"), None, None, None, n, &["pem.pkcs7"], "DER PKCS#7"),
        ("PKCS#12", File("leaf.p12"), None, None, None, n, &["pem.pkcs12"], ".p12 archive"),
        ("CRL only", In::Bytes(crl_only.into()), None, None, None, n, &["pem.unknown_block", "pem.no_certificate"], "a CRL is no certificate"),
        ("CRL and chain", In::Bytes(crl_and_cert.into()), None, Some("root.pem"), Some("worker1.example.com"), n, &["pem.unknown_block"], "extra blocks are ignored with a warning"),
    ];

    let mut failures = Vec::new();
    for (case, cert, key, ca, name, at, want, reason) in &cases {
        let got = run(cert, key.as_ref(), *ca, *name, *at);
        let got_codes = codes(&got);
        let missing: Vec<_> = want.iter().filter(|c| !got_codes.contains(c)).collect();
        // Nothing else may be an error: every error must be one the row expects.
        let unexpected: Vec<_> = got
            .iter()
            .filter(|f| f.is_error() && !want.contains(&f.code.as_str()))
            .map(|f| f.code.as_str())
            .collect();
        if !missing.is_empty() || !unexpected.is_empty() {
            failures.push(format!("{case} ({reason}): missing {missing:?}, unexpected errors {unexpected:?}; got {got_codes:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Codes that only fire when msr-expose's own checks miss what the path
/// validator rejects: kept so a rejection is never silent, with why no
/// fixture reaches them.
const BACKSTOPS: &[(&str, &str)] = &[
    (
        "cert.validity",
        "cert.expired / cert.not_yet_valid judge every certificate on the path first",
    ),
    (
        "cert.name_invalid",
        "cert.name_mismatch / cert.cn_only apply the same RFC 6125 rules first",
    ),
    (
        "chain.unknown_issuer",
        "the walk names the missing issuer, the foreign root or the bad signature first",
    ),
    (
        "chain.malformed",
        "x509-parser refuses what the validator calls malformed first (pem.bad_der)",
    ),
    (
        "chain.distrusted",
        "the validator's distrust list holds only real, revoked public CAs",
    ),
    (
        "chain.rejected",
        "the remaining validator errors concern CRLs, which msr-expose does not pass",
    ),
];

/// A key or CA given before any certificate (the page reads it at once):
/// (field, fixture, expected code, reason).
fn material_alone_table() {
    use msr_expose_core::cert::read_alone;
    let rows: &[(&str, &str, &str, &str)] = &[
        (
            "key",
            "leaf.key",
            "cert.awaiting",
            "a readable key waits for the certificate",
        ),
        (
            "key",
            "leaf.pem",
            "key.not_a_key",
            "a certificate given as the key",
        ),
        (
            "key",
            "leaf.enc.key",
            "key.encrypted",
            "an encrypted key is said at once",
        ),
        (
            "ca",
            "root.pem",
            "cert.awaiting",
            "a readable CA waits for the certificate",
        ),
        (
            "ca",
            "leaf.key",
            "pem.private_key_as_cert",
            "a key given as the CA",
        ),
    ];
    for (field, name, code, why) in rows {
        let f = read_alone(field, &fx(name));
        record(&f);
        assert!(f.iter().any(|x| x.code == *code), "{why}: {f:?}");
    }
}

#[test]
fn material_given_before_the_certificate() {
    material_alone_table();
}

#[test]
fn every_material_code_has_a_fixture() {
    certificate_table();
    material_alone_table();
    let seen = SEEN.lock().map(|s| s.clone()).unwrap_or_default();
    let missing: Vec<&str> = CODES
        .iter()
        .map(|c| c.0)
        .filter(|c| {
            ["pem.", "key.", "cert.", "chain."]
                .iter()
                .any(|p| c.starts_with(p))
        })
        .filter(|c| !seen.contains(c))
        .filter(|c| !BACKSTOPS.iter().any(|(b, _)| b == c))
        .collect();
    assert!(missing.is_empty(), "no fixture produces {missing:?}");
}

/// Chain verdicts against `openssl verify`. `stricter` rows are where
/// msr-expose deliberately refuses what openssl accepts.
#[test]
fn chain_verdicts_match_openssl_verify() {
    let n = now();
    // (bundle, CA, openssl says OK, msr-expose says OK, why they differ)
    let rows: &[(&str, &str, bool, bool, &str)] = &[
        ("chain.pem", "root.pem", true, true, ""),
        ("chain-root.pem", "root.pem", true, true, ""),
        ("duplicate.pem", "root.pem", true, true, ""),
        ("ec-chain.pem", "ec-root.pem", true, true, ""),
        ("ed-chain.pem", "ec-root.pem", true, true, ""),
        ("pss-chain.pem", "root.pem", true, true, ""),
        ("sha512-chain.pem", "root.pem", true, true, ""),
        ("tampered-chain.pem", "root.pem", false, false, ""),
        ("leaf.pem", "root.pem", false, false, ""),
        ("chain.pem", "other-root.pem", false, false, ""),
        ("other.pem", "root.pem", false, false, ""),
        ("noaki-fake-chain.pem", "root.pem", false, false, ""),
        ("expired-chain.pem", "root.pem", false, false, ""),
        ("future-chain.pem", "root.pem", false, false, ""),
        ("byleaf-chain.pem", "root.pem", false, false, ""),
        // A warning now: clients given this CA file accept (Go and curl too).
        ("leaf.pem", "ca-with-int.pem", true, true, ""),
        (
            "reversed.pem",
            "root.pem",
            true,
            false,
            "the server sends the file in order; the leaf must come first",
        ),
    ];
    let dir = fixtures();
    let mut failures = Vec::new();
    for (bundle, ca, openssl_ok, ours_ok, why) in rows {
        // openssl: the first non-CA certificate is the leaf; the whole bundle is -untrusted.
        let leaf_file = if *bundle == "reversed.pem" {
            "leaf.pem"
        } else {
            bundle
        };
        let out = tool(
            "openssl",
            &[
                "verify",
                "-attime",
                &n.to_string(),
                "-CAfile",
                dir.join(ca).to_str().expect("utf8"),
                "-untrusted",
                dir.join(bundle).to_str().expect("utf8"),
                dir.join(leaf_file).to_str().expect("utf8"),
            ],
            "install openssl",
        );
        let openssl = out.status.success();
        let findings = run(&In::File(leak(bundle)), None, Some(ca), None, n);
        let ours = !findings.iter().any(|f| {
            f.is_error()
                && (f.code.as_str().starts_with("chain.") || f.code.as_str().starts_with("cert."))
        });
        if openssl != *openssl_ok || ours != *ours_ok {
            failures.push(format!(
                "{bundle} with {ca}: openssl {openssl} (table {openssl_ok}), msr-expose {ours} (table {ours_ok}) {why}; {:?}; {}",
                codes(&findings),
                String::from_utf8_lossy(&out.stdout).trim()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// Name verdicts against `openssl x509 -checkhost` / `-checkip`.
#[test]
fn name_verdicts_match_openssl_checkhost() {
    // (leaf file, host, openssl matches, msr-expose matches, why they differ)
    let rows: &[(&str, &str, bool, bool, &str)] = &[
        ("leaf.pem", "worker1.example.com", true, true, ""),
        ("leaf.pem", "WORKER1.example.com", true, true, ""),
        ("leaf.pem", "cache.example.com", true, true, ""),
        ("leaf.pem", "worker2.example.com", false, false, ""),
        ("leaf.pem", "192.0.2.10", true, true, ""),
        ("leaf.pem", "192.0.2.11", false, false, ""),
        ("ingress.pem", "worker1.example.com", false, false, ""),
        ("wildcard.pem", "cache.example.com", true, true, ""),
        ("wildcard.pem", "a.cache.example.com", false, false, ""),
        ("wildcard.pem", "example.com", false, false, ""),
        (
            "badwild.pem",
            "cache.example.com",
            true,
            false,
            "openssl accepts the partial-label wildcard c*.example.com; Go clients and browsers do not (RFC 6125 6.4.3 lets clients refuse it)",
        ),
        ("ipdns.pem", "192.0.2.10", false, false, ""),
        (
            "cnonly.pem",
            "cache.example.com",
            true,
            false,
            "openssl falls back to the CN; Go clients (docker, containerd) do not",
        ),
    ];
    let dir = fixtures();
    let n = now();
    let mut failures = Vec::new();
    for (leaf, name, openssl_ok, ours_ok, why) in rows {
        let is_ip = name.parse::<std::net::IpAddr>().is_ok();
        let flag = if is_ip { "-checkip" } else { "-checkhost" };
        let out = tool(
            "openssl",
            &[
                "x509",
                "-noout",
                "-in",
                dir.join(leaf).to_str().expect("utf8"),
                flag,
                name,
            ],
            "install openssl",
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let openssl = text.contains(" does match");
        let findings = run(&In::File(leak(leaf)), None, None, Some(name), n);
        let ours = !findings
            .iter()
            .any(|f| f.code == "cert.name_mismatch" || f.code == "cert.cn_only");
        if openssl != *openssl_ok || ours != *ours_ok {
            failures.push(format!("{leaf} / {name}: openssl {openssl} (table {openssl_ok}), msr-expose {ours} (table {ours_ok}) {why}; {text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `generate --cert` refuses bad material; `check` exits 1 and says why; JSON has the report.
#[test]
fn cli_check_and_generate_with_certificates() {
    let d = fixtures();
    let p = |f: &str| d.join(f).display().to_string();
    let ok = msr_expose(&[
        "check",
        "--cert",
        &p("chain.pem"),
        "--key",
        &p("leaf.key"),
        "--ca",
        &p("root.pem"),
        "--node-fqdn",
        "worker1.example.com",
        "-o",
        "json",
    ]);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&ok.stdout).expect("json");
    assert_eq!(v["keyMatches"], true);
    assert_eq!(v["certificates"][0]["role"], "leaf");
    assert_eq!(v["certificates"][0]["matchedName"], "worker1.example.com");
    assert_eq!(v["certificates"].as_array().map(Vec::len), Some(3));
    let fp = v["certificates"][0]["sha256Fingerprint"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let openssl_fp = tool(
        "openssl",
        &[
            "x509",
            "-noout",
            "-fingerprint",
            "-sha256",
            "-in",
            &p("leaf.pem"),
        ],
        "install openssl",
    );
    assert!(
        String::from_utf8_lossy(&openssl_fp.stdout).contains(&fp),
        "fingerprint as openssl prints it"
    );

    let wrong = msr_expose(&[
        "check",
        "--cert",
        &p("ingress-chain.pem"),
        "--ca",
        &p("root.pem"),
        "--node-fqdn",
        "worker1.example.com",
    ]);
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stdout).contains("cert.name_mismatch"));

    let later = msr_expose(&[
        "check",
        "--cert",
        &p("chain.pem"),
        "--ca",
        &p("root.pem"),
        "--node-fqdn",
        "worker1.example.com",
        "--at",
        "2099-01-01T00:00:00Z",
    ]);
    assert_eq!(
        later.status.code(),
        Some(1),
        "--at moves the judgement in time"
    );

    let bad_at = msr_expose(&[
        "check",
        "--cert",
        &p("chain.pem"),
        "--node-fqdn",
        "worker1.example.com",
        "--at",
        "tomorrow",
    ]);
    assert_eq!(bad_at.status.code(), Some(2));
    let missing = msr_expose(&[
        "check",
        "--cert",
        &p("nope.pem"),
        "--node-fqdn",
        "worker1.example.com",
    ]);
    assert_eq!(missing.status.code(), Some(2));

    let (expired, root) = (p("expired-chain.pem"), p("root.pem"));
    let with_expired = |format: &str| {
        msr_expose(&[
            "generate",
            "--node-fqdn",
            "worker1.example.com",
            "--cert",
            &expired,
            "--ca",
            &root,
            "-o",
            format,
        ])
    };
    // Outputs are withheld only by what they depend on (issue 28): the
    // manifest does not depend on the certificate, so it is printed; the
    // status still says an error stands.
    let refused = with_expired("yaml");
    assert_eq!(refused.status.code(), Some(1));
    let yaml = String::from_utf8_lossy(&refused.stdout);
    assert!(
        yaml.contains("kind: Service"),
        "the manifest is output while the certificate has errors: {yaml}"
    );
    let steps = with_expired("steps");
    assert_eq!(steps.status.code(), Some(1));
    let script = String::from_utf8_lossy(&steps.stdout);
    assert!(script.contains("kubectl apply"), "{script}");
    assert!(
        script.contains("Withheld: it talks TLS to the cache")
            && !script.contains("curl --fail --silent --show-error --cacert"),
        "the TLS test is withheld, not run: {script}"
    );
    let accepted = msr_expose(&[
        "generate",
        "--node-fqdn",
        "worker1.example.com",
        "--cert",
        &p("chain.pem"),
        "--ca",
        &p("root.pem"),
        "-o",
        "steps",
    ]);
    assert_eq!(accepted.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&accepted.stdout).contains(&format!("--cacert {}", p("root.pem"))),
        "curl trusts the CA that was checked"
    );

    // The private key never appears in any output.
    let key_text = String::from_utf8(fx("leaf.key")).expect("pem");
    let body_line = key_text.lines().nth(1).expect("key body");
    for o in [&ok, &wrong] {
        assert!(!String::from_utf8_lossy(&o.stdout).contains(body_line));
        assert!(!String::from_utf8_lossy(&o.stderr).contains(body_line));
    }
}

/// `generate --out-dir` under errors on the TLS material (issue 28): what
/// does not depend on it is written — the manifest, steps.sh with the TLS
/// steps withheld, the plans, the trust files unless the CA is what is
/// wrong — and steps.sh is read by bash, dash and zsh as written.
#[test]
fn out_dir_withholds_only_what_depends_on_the_material() {
    let d = fixtures();
    let p = |f: &str| d.join(f).display().to_string();
    // (certificate, CA, trust files written, why)
    let cases = [
        (
            "expired-chain.pem",
            "root.pem",
            true,
            "an expired certificate: the CA itself is right",
        ),
        (
            "chain.pem",
            "other-root.pem",
            false,
            "a CA that did not issue the chain: the trust files would be wrong",
        ),
    ];
    for (cert, ca, clients, why) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("out");
        let o = msr_expose_tests::msr_expose(&[
            "generate",
            "--node-fqdn",
            "cache.example.com",
            "--node-port",
            "30443",
            "--cert",
            &p(cert),
            "--ca",
            &p(ca),
            "-q",
            "--out-dir",
            &out.display().to_string(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{why}: errors stand");
        assert!(
            out.join("msr-cache-nodeport.yaml").exists()
                || std::fs::read_dir(&out).expect("written").any(|e| e
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .ends_with(".yaml")),
            "{why}: the manifest is written"
        );
        let script = std::fs::read_to_string(out.join("steps.sh")).expect("steps.sh");
        assert!(
            script.contains("Withheld: it talks TLS to the cache"),
            "{why}"
        );
        assert_eq!(out.join("clients").exists(), clients, "{why}");
        let readme = std::fs::read_to_string(out.join("README.md")).expect("README.md");
        assert!(readme.contains("(withheld: see steps.sh)"), "{why}");
        for sh in ["bash", "dash", "zsh"] {
            let r = std::process::Command::new(sh)
                .arg("-n")
                .arg(out.join("steps.sh"))
                .output()
                .unwrap_or_else(|e| panic!("{sh}: {e} (make setup installs it)"));
            assert!(
                r.status.success(),
                "{sh} -n steps.sh ({why}): {}",
                String::from_utf8_lossy(&r.stderr)
            );
        }
    }
}

/// The same spec checked through `generate_with_tls` (the one heart) gives
/// the same certificate findings as `check_tls`.
#[test]
fn one_heart_for_spec_and_certificates() {
    let spec =
        Spec::from_text("method: ingress\nexternalFqdn: worker1.example.com\n").expect("spec");
    let cert = fx("ingress-chain.pem");
    let ca = fx("root.pem");
    let input = TlsInput {
        cert: &cert,
        key: None,
        ca: Some(&ca),
    };
    let material = Material::read(&input);
    let answers = answer(material.questions());
    let g = generate_with_tls(
        &spec,
        Some(&Tls {
            material: &material,
            now: now(),
            answers: &answers,
        }),
    );
    // A name mismatch withholds what depends on the certificate only.
    let out = g
        .output
        .expect("the manifest does not depend on the certificate");
    assert_eq!(out.withheld_by, ["cert"]);
    assert!(
        out.steps
            .iter()
            .all(|s| s.withheld.is_some() != s.needs.is_empty())
    );
    assert!(out.steps.iter().any(|s| s.withheld.is_some()));
    assert!(g.findings.iter().any(|f| f.code == "cert.name_mismatch"));
    assert_eq!(g.certificates.len(), 3);
}

/// msr-expose's own certificate reader meets every truncation and every
/// single-byte change of real certificates (RSA and EC) without a panic; a
/// changed certificate that still reads is then judged by the validator.
#[test]
fn mangled_certificates_never_panic() {
    use msr_expose_core::cert::parsed::Cert;
    for name in ["leaf.der"] {
        let der = fx(name);
        for len in 0..der.len() {
            let _ = Cert::parse(&der[..len]);
        }
        for i in 0..der.len() {
            for x in [0x00, 0x80, 0xff] {
                let mut m = der.clone();
                m[i] ^= x | 1;
                if Cert::parse(&m).is_ok() {
                    let _ = check_tls(
                        &TlsInput {
                            cert: &m,
                            key: None,
                            ca: Some(&fx("root.pem")),
                        },
                        None,
                        now(),
                    );
                }
            }
        }
    }
}

/// A CA certificate as the cache's (issue 27): Go's crypto/x509 checks
/// basicConstraints on issuers only, so where msr-expose can judge the path
/// as Go does (every link checked, nothing on the path constraining names,
/// usages or length beyond Go's count) it is a warning that says who still
/// refuses it, and the outputs are not withheld; otherwise it stays an
/// error (msr-expose never accepts what Go might reject). go_reference.rs
/// has skopeo and curl judge the same fixtures.
#[test]
fn a_ca_leaf_is_a_warning_where_go_accepts_it() {
    use msr_expose_core::Severity;
    let n = now();
    for (cert, ca, want, reason) in [
        (
            "quick.pem",
            "quick.pem",
            Severity::Warning,
            "openssl req -x509 with CA:TRUE, trusted as its own CA: Go accepts at once",
        ),
        (
            "rootleafca.pem",
            "root.pem",
            Severity::Warning,
            "CA:TRUE, issued by the root itself",
        ),
        (
            "leafca-chain.pem",
            "root.pem",
            Severity::Warning,
            "under an intermediate that constrains nothing: every link checked as Go checks it",
        ),
        (
            "leafca-pathlen-chain.pem",
            "ec-root.pem",
            Severity::Error,
            "under a sub-CA of a pathlen:0 CA: Go rejects the path (too many intermediates), so it stays an error",
        ),
    ] {
        let got = run(
            &In::File(cert),
            None,
            Some(ca),
            Some("cache.example.com"),
            n,
        );
        let leaf_is_ca = got
            .iter()
            .find(|f| f.code.as_str() == "cert.leaf_is_ca")
            .unwrap_or_else(|| panic!("{cert}: {:?}", codes(&got)));
        assert_eq!(leaf_is_ca.severity, want, "{cert}: {reason}");
        let errors: Vec<_> = got
            .iter()
            .filter(|f| f.is_error() && f.code.as_str() != "cert.leaf_is_ca")
            .collect();
        assert!(
            errors.is_empty() || want == Severity::Error,
            "{cert}: {errors:?}"
        );
        if want == Severity::Warning {
            assert!(
                leaf_is_ca.message.contains("Go clients"),
                "{}",
                leaf_is_ca.message
            );
        }
    }
    // Outputs follow: the quick certificate no longer withholds the steps.
    let dir = tempfile::tempdir().expect("tempdir");
    let quick = fixtures().join("quick.pem").display().to_string();
    let o = msr_expose_tests::msr_expose(&[
        "generate",
        "--method",
        "gateway",
        "--external-fqdn",
        "cache.example.com",
        "--gateway-class",
        "cilium",
        "--cert",
        &quick,
        "--ca",
        &quick,
        "-q",
        "--out-dir",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
