//! msr-expose-crypto: the native answers to the core's crypto questions.
//! The core lists what only a crypto library can decide (`Questions`); this
//! crate decides it with vetted code — ring, the library rustls runs, for
//! RSA, Ed25519 and the ECDSA curve/hash pairs it has; RustCrypto's p256,
//! p384 and p521 for the pairs ring lacks (P-521, and SHA-512 on P-256/P-384),
//! which Go's crypto/x509 accepts too. The page answers the same questions
//! with the browser's WebCrypto. Nothing here is signature math of our own.

use msr_expose_core::cert::crypto::{Curve, Hash, KeyAlg, KeyQuestion, SigAlg, SigQuestion};
use msr_expose_core::cert::der::{self, tag};
use msr_expose_core::{Answers, Host, Material, Questions, TlsInput, TlsReport};
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rustls_pki_types::SignatureVerificationAlgorithm;
use sha2::Digest;
use webpki::ring as alg;

/// Answers every question, in order.
pub fn answer(q: &Questions) -> Answers {
    Answers {
        signatures: q.signatures.iter().map(verify).collect(),
        public_key: q.key.as_ref().and_then(derive_public),
    }
}

/// Reads, answers and checks in one go: what the CLI and the tests call.
pub fn check_tls(input: &TlsInput<'_>, expect: Option<&Host>, now: i64) -> TlsReport {
    let material = Material::read(input);
    let answers = answer(material.questions());
    material.check(expect, now, &answers)
}

/// Whether the signature verifies.
pub fn verify(q: &SigQuestion) -> bool {
    let ring: Option<&dyn SignatureVerificationAlgorithm> = match q.alg {
        SigAlg::RsaPkcs1 { hash: Hash::Sha256 } => Some(alg::RSA_PKCS1_2048_8192_SHA256),
        SigAlg::RsaPkcs1 { hash: Hash::Sha384 } => Some(alg::RSA_PKCS1_2048_8192_SHA384),
        SigAlg::RsaPkcs1 { hash: Hash::Sha512 } => Some(alg::RSA_PKCS1_2048_8192_SHA512),
        SigAlg::RsaPss { hash: Hash::Sha256 } => Some(alg::RSA_PSS_2048_8192_SHA256_LEGACY_KEY),
        SigAlg::RsaPss { hash: Hash::Sha384 } => Some(alg::RSA_PSS_2048_8192_SHA384_LEGACY_KEY),
        SigAlg::RsaPss { hash: Hash::Sha512 } => Some(alg::RSA_PSS_2048_8192_SHA512_LEGACY_KEY),
        SigAlg::Ecdsa {
            curve: Curve::P256,
            hash: Hash::Sha256,
        } => Some(alg::ECDSA_P256_SHA256),
        SigAlg::Ecdsa {
            curve: Curve::P256,
            hash: Hash::Sha384,
        } => Some(alg::ECDSA_P256_SHA384),
        SigAlg::Ecdsa {
            curve: Curve::P384,
            hash: Hash::Sha256,
        } => Some(alg::ECDSA_P384_SHA256),
        SigAlg::Ecdsa {
            curve: Curve::P384,
            hash: Hash::Sha384,
        } => Some(alg::ECDSA_P384_SHA384),
        SigAlg::Ed25519 => Some(alg::ED25519),
        SigAlg::Ecdsa { .. } => None,
    };
    match (ring, q.alg) {
        (Some(a), _) => a
            .verify_signature(&q.public_key, &q.message, &q.signature)
            .is_ok(),
        (None, SigAlg::Ecdsa { curve, hash }) => {
            // Only signatures the core read as strict DER reach this point.
            q.p1363
                .as_deref()
                .is_some_and(|sig| verify_p1363(curve, hash, &q.public_key, &q.message, sig))
        }
        (None, _) => false,
    }
}

/// ECDSA over an IEEE P1363 `r || s` signature — the form the page hands to
/// WebCrypto — with RustCrypto. Used for the pairs ring lacks, and by the
/// tests to check the core's DER → P1363 conversion against ring's DER reader.
pub fn verify_p1363(curve: Curve, hash: Hash, point: &[u8], message: &[u8], sig: &[u8]) -> bool {
    ecdsa_prehash(curve, point, &digest(hash, message), sig)
}

fn digest(hash: Hash, message: &[u8]) -> Vec<u8> {
    match hash {
        Hash::Sha256 => sha2::Sha256::digest(message).to_vec(),
        Hash::Sha384 => sha2::Sha384::digest(message).to_vec(),
        Hash::Sha512 => sha2::Sha512::digest(message).to_vec(),
    }
}

fn ecdsa_prehash(curve: Curve, point: &[u8], digest: &[u8], sig: &[u8]) -> bool {
    // RustCrypto refuses a digest shorter than half the field (SHA-256 on
    // P-521), which ECDSA and Go allow: as an integer the digest is the same
    // with zeros in front, so widen it to the field.
    let width = curve.coordinate_len();
    let mut widened = vec![0; width.saturating_sub(digest.len())];
    widened.extend_from_slice(digest);
    let prehash = if digest.len() < width / 2 {
        &widened[..]
    } else {
        digest
    };
    match curve {
        Curve::P256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .ok()
            .zip(p256::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify_prehash(prehash, &s).is_ok()),
        Curve::P384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .ok()
            .zip(p384::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify_prehash(prehash, &s).is_ok()),
        Curve::P521 => p521::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .ok()
            .zip(p521::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify_prehash(prehash, &s).is_ok()),
    }
}

/// The public half of a private key the file gave without it: the
/// uncompressed point, or the 32 Ed25519 bytes.
pub fn derive_public(q: &KeyQuestion) -> Option<Vec<u8>> {
    match q.alg {
        KeyAlg::Ed25519 => {
            use ring::signature::KeyPair;
            ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&q.pkcs8)
                .ok()
                .map(|k| k.public_key().as_ref().to_vec())
        }
        KeyAlg::Ec { curve } => {
            let d = ec_scalar(&q.pkcs8)?;
            match curve {
                Curve::P256 => p256::SecretKey::from_slice(d).ok().map(|k| {
                    use p256::elliptic_curve::sec1::ToEncodedPoint;
                    k.public_key().to_encoded_point(false).as_bytes().to_vec()
                }),
                Curve::P384 => p384::SecretKey::from_slice(d).ok().map(|k| {
                    use p384::elliptic_curve::sec1::ToEncodedPoint;
                    k.public_key().to_encoded_point(false).as_bytes().to_vec()
                }),
                Curve::P521 => p521::SecretKey::from_slice(d).ok().map(|k| {
                    use p521::elliptic_curve::sec1::ToEncodedPoint;
                    k.public_key().to_encoded_point(false).as_bytes().to_vec()
                }),
            }
        }
    }
}

/// PKCS#8 → SEC 1 ECPrivateKey → the private scalar `d`.
fn ec_scalar(pkcs8: &[u8]) -> Option<&[u8]> {
    let outer = der::sequence(pkcs8)?;
    let sec1 = outer.get(2).filter(|t| t.tag == tag::OCTET_STRING)?.value;
    let (seq, _) = der::read(sec1)?;
    let items = der::items(seq.value);
    Some(items.get(1).filter(|t| t.tag == tag::OCTET_STRING)?.value)
}
