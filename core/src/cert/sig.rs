//! Verifying one certificate's signature with its issuer's key, in pure Rust
//! (RustCrypto), so the same code runs natively and in wasm32.

use super::parsed::{Cert, KeyKind};
use super::rsa::{Hash, verify_pkcs1v15, verify_pss};
use ed25519_dalek::Verifier;

/// The outcome of checking a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigCheck {
    /// The issuer's key signed this certificate.
    Valid,
    /// The signature does not verify with the issuer's key.
    Invalid,
    /// An algorithm too weak to trust (MD5, SHA-1): not verified.
    Weak(&'static str),
    /// An algorithm msr-expose does not verify.
    Unsupported(String),
}

/// Human name of a signature algorithm OID.
pub fn algorithm_name(oid: &str) -> String {
    match oid {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        other => return other.to_string(),
    }
    .to_string()
}

/// Whether the algorithm is too weak to accept (MD5, SHA-1, MD2).
pub fn weak_algorithm(oid: &str) -> Option<&'static str> {
    match oid {
        "1.2.840.113549.1.1.2" | "1.2.840.113549.1.1.4" => Some("MD5/MD2"),
        "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" | "1.2.840.10040.4.3" | "1.3.14.3.2.29" => {
            Some("SHA-1")
        }
        _ => None,
    }
}

/// Verifies `cert`'s signature with `issuer`'s public key.
pub fn verify(cert: &Cert, issuer: &Cert) -> SigCheck {
    if let Some(w) = weak_algorithm(&cert.sig_alg) {
        return SigCheck::Weak(w);
    }
    let ok = match (cert.sig_alg.as_str(), &issuer.key) {
        ("1.2.840.113549.1.1.11", KeyKind::Rsa { n, e, .. }) => Some(verify_pkcs1v15(
            n,
            e,
            &cert.tbs,
            &cert.signature,
            Hash::Sha256,
        )),
        ("1.2.840.113549.1.1.12", KeyKind::Rsa { n, e, .. }) => Some(verify_pkcs1v15(
            n,
            e,
            &cert.tbs,
            &cert.signature,
            Hash::Sha384,
        )),
        ("1.2.840.113549.1.1.13", KeyKind::Rsa { n, e, .. }) => Some(verify_pkcs1v15(
            n,
            e,
            &cert.tbs,
            &cert.signature,
            Hash::Sha512,
        )),
        ("1.2.840.113549.1.1.10", KeyKind::Rsa { n, e, .. }) => Some(
            [Hash::Sha256, Hash::Sha384, Hash::Sha512]
                .into_iter()
                .any(|h| verify_pss(n, e, &cert.tbs, &cert.signature, h)),
        ),
        ("1.2.840.10045.4.3.2", KeyKind::Ec { curve, point, .. }) => {
            ecdsa(curve, point, cert, Hash::Sha256)
        }
        ("1.2.840.10045.4.3.3", KeyKind::Ec { curve, point, .. }) => {
            ecdsa(curve, point, cert, Hash::Sha384)
        }
        ("1.2.840.10045.4.3.4", KeyKind::Ec { curve, point, .. }) => {
            ecdsa(curve, point, cert, Hash::Sha512)
        }
        ("1.3.101.112", KeyKind::Ed25519(key)) => ed25519(key, cert),
        (alg, key) => {
            return SigCheck::Unsupported(format!(
                "{} with a {} key",
                algorithm_name(alg),
                key.describe()
            ));
        }
    };
    match ok {
        Some(true) => SigCheck::Valid,
        Some(false) => SigCheck::Invalid,
        None => SigCheck::Unsupported(format!(
            "{} with a {} key",
            algorithm_name(&cert.sig_alg),
            issuer.key.describe()
        )),
    }
}

/// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }.
fn ecdsa_sig(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let items = super::der::sequence(der)?;
    match items.as_slice() {
        [r, s] => Some((super::der::unsigned(r)?, super::der::unsigned(s)?)),
        _ => None,
    }
}

fn ecdsa(curve: &str, point: &[u8], cert: &Cert, hash: Hash) -> Option<bool> {
    let prehash = hash.digest(&cert.tbs);
    let Some((r, s)) = ecdsa_sig(&cert.signature) else {
        return Some(false);
    };
    super::ec::by_name(curve).map(|c| c.verify(point, &prehash, &r, &s))
}

fn ed25519(key: &[u8], cert: &Cert) -> Option<bool> {
    let key = ed25519_dalek::VerifyingKey::from_bytes(&<[u8; 32]>::try_from(key).ok()?).ok()?;
    let Ok(sig) = ed25519_dalek::Signature::from_slice(&cert.signature) else {
        return Some(false);
    };
    Some(key.verify(&cert.tbs, &sig).is_ok())
}
