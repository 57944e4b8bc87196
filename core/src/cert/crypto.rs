//! The cryptography msr-expose does not do itself. The core stays pure and
//! free of signature math: it lists the questions only a crypto library can
//! answer (does this issuer key verify this signature? what is the public
//! half of this private key?), the shell answers them with vetted code — ring
//! and RustCrypto natively (`msr-expose-crypto`), the browser's WebCrypto in
//! the page — and the answers are fed back to `check_tls`, where the path
//! validator (rustls-webpki) consults them. The two steps keep the page's
//! asynchronous WebCrypto out of the synchronous validator.

use super::der::{self, tag};
use super::parsed::Cert;
use rustls_pki_types::AlgorithmIdentifier;
use rustls_pki_types::alg_id;
use serde::Serialize;

/// A digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Hash {
    /// SHA-256
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl Hash {
    /// Digest length in bytes (also RSA-PSS's salt length, RFC 4055's one profile clients use).
    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

/// A NIST curve, as WebCrypto names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Curve {
    /// secp256r1
    #[serde(rename = "P-256")]
    P256,
    /// secp384r1
    #[serde(rename = "P-384")]
    P384,
    /// secp521r1
    #[serde(rename = "P-521")]
    P521,
}

impl Curve {
    /// Bytes of one coordinate (and of r and s in an IEEE P1363 signature).
    pub fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The curve of a named-curve OID (the OBJECT IDENTIFIER's contents).
    pub fn from_oid(oid: &[u8]) -> Option<Curve> {
        match oid {
            [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => Some(Curve::P256),
            [0x2b, 0x81, 0x04, 0x00, 0x22] => Some(Curve::P384),
            [0x2b, 0x81, 0x04, 0x00, 0x23] => Some(Curve::P521),
            _ => None,
        }
    }
}

/// The signature algorithms Go's crypto/x509 verifies in certificates, and
/// so the ones msr-expose asks about. SHA-1 and MD5 are not among them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "camelCase")]
pub enum SigAlg {
    /// RSASSA-PKCS1-v1_5 (RFC 8017).
    #[serde(rename = "RSASSA-PKCS1-v1_5")]
    RsaPkcs1 {
        /// Digest.
        hash: Hash,
    },
    /// RSASSA-PSS with MGF1 of the same hash and a salt of the hash's length.
    #[serde(rename = "RSA-PSS")]
    RsaPss {
        /// Digest (MGF1 uses the same).
        hash: Hash,
    },
    /// ECDSA on a NIST curve.
    #[serde(rename = "ECDSA")]
    Ecdsa {
        /// The issuer key's curve.
        curve: Curve,
        /// Digest.
        hash: Hash,
    },
    /// Ed25519 (RFC 8032, pure).
    #[serde(rename = "Ed25519")]
    Ed25519,
}

/// RFC 4055 allows sha*WithRSAEncryption with the NULL parameter absent.
const RSA_PKCS1_SHA256_ABSENT: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b,
];
const RSA_PKCS1_SHA384_ABSENT: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c,
];
const RSA_PKCS1_SHA512_ABSENT: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d,
];

/// Every (public key algorithm, signature algorithm) pair the validator is
/// given, as the exact AlgorithmIdentifier contents it compares: other
/// encodings — a PSS parameter set other than RFC 4055's, an unknown curve —
/// are unsupported, as they are for Go and rustls.
pub fn supported() -> Vec<(AlgorithmIdentifier, AlgorithmIdentifier, SigAlg)> {
    use Curve::*;
    use Hash::*;
    let mut out = Vec::new();
    for (key, curve) in [
        (alg_id::ECDSA_P256, P256),
        (alg_id::ECDSA_P384, P384),
        (alg_id::ECDSA_P521, P521),
    ] {
        for (sig, hash) in [
            (alg_id::ECDSA_SHA256, Sha256),
            (alg_id::ECDSA_SHA384, Sha384),
            (alg_id::ECDSA_SHA512, Sha512),
        ] {
            out.push((key, sig, SigAlg::Ecdsa { curve, hash }));
        }
    }
    for (sig, alg) in [
        (alg_id::RSA_PKCS1_SHA256, SigAlg::RsaPkcs1 { hash: Sha256 }),
        (alg_id::RSA_PKCS1_SHA384, SigAlg::RsaPkcs1 { hash: Sha384 }),
        (alg_id::RSA_PKCS1_SHA512, SigAlg::RsaPkcs1 { hash: Sha512 }),
        (
            AlgorithmIdentifier::from_slice(RSA_PKCS1_SHA256_ABSENT),
            SigAlg::RsaPkcs1 { hash: Sha256 },
        ),
        (
            AlgorithmIdentifier::from_slice(RSA_PKCS1_SHA384_ABSENT),
            SigAlg::RsaPkcs1 { hash: Sha384 },
        ),
        (
            AlgorithmIdentifier::from_slice(RSA_PKCS1_SHA512_ABSENT),
            SigAlg::RsaPkcs1 { hash: Sha512 },
        ),
        (alg_id::RSA_PSS_SHA256, SigAlg::RsaPss { hash: Sha256 }),
        (alg_id::RSA_PSS_SHA384, SigAlg::RsaPss { hash: Sha384 }),
        (alg_id::RSA_PSS_SHA512, SigAlg::RsaPss { hash: Sha512 }),
    ] {
        out.push((alg_id::RSA_ENCRYPTION, sig, alg));
    }
    out.push((alg_id::ED25519, alg_id::ED25519, SigAlg::Ed25519));
    out
}

/// RSA moduli msr-expose has verified (ring's range; smaller keys are
/// `cert.rsa_weak`, larger ones are refused as a denial-of-service guard).
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// One signature to verify: `signature` over `message` with the public key
/// of `spki`, by `alg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigQuestion {
    /// The algorithm.
    pub alg: SigAlg,
    /// The issuer's whole SubjectPublicKeyInfo (DER), as WebCrypto imports it.
    pub spki: Vec<u8>,
    /// The subjectPublicKey bits alone, as the path validator passes them.
    pub public_key: Vec<u8>,
    /// The signed bytes (tbsCertificate).
    pub message: Vec<u8>,
    /// The signature as in the certificate (DER ECDSA-Sig-Value for ECDSA).
    pub signature: Vec<u8>,
    /// For ECDSA, the signature as IEEE P1363 `r || s` (WebCrypto's form),
    /// converted only from strict DER.
    pub p1363: Option<Vec<u8>>,
}

/// What a private key's public half is derived on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "name")]
pub enum KeyAlg {
    /// An EC key on a NIST curve.
    #[serde(rename = "ECDSA")]
    Ec {
        /// The curve.
        #[serde(rename = "namedCurve")]
        curve: Curve,
    },
    /// An Ed25519 key.
    Ed25519,
}

/// A private key whose file does not carry its public half: the platform
/// derives it (ring/RustCrypto natively, WebCrypto in the tab). The key
/// never leaves the machine or the tab.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyQuestion {
    /// The algorithm.
    pub alg: KeyAlg,
    /// The key as PKCS#8 PrivateKeyInfo DER.
    pub pkcs8: Vec<u8>,
}

impl std::fmt::Debug for KeyQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material, not even in a debug dump.
        f.debug_struct("KeyQuestion")
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

/// Everything `check_tls` needs answered for one input.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Questions {
    /// Signatures, one per (certificate, candidate issuer) pair.
    pub signatures: Vec<SigQuestion>,
    /// The key whose public half must be derived, if any.
    pub key: Option<KeyQuestion>,
}

/// The platform's answers, in the order of the questions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// Whether each signature verified.
    pub signatures: Vec<bool>,
    /// The derived public key: the uncompressed SEC1 point, or the 32
    /// Ed25519 bytes; `None` when the platform could not read the key.
    pub public_key: Option<Vec<u8>>,
}

/// At most this many signature questions per input (a pasted bundle of many
/// same-named certificates must not make the page verify for minutes).
pub const MAX_SIGNATURES: usize = 256;

/// The signature questions for every certificate whose issuer name is the
/// subject of another (or the same) certificate of the inputs. A CA
/// certificate's own self-signature is never asked: clients do not verify a
/// trust anchor's signature, so neither does the validator.
pub(crate) fn signature_questions(bundle: &[&Cert], cas: &[&Cert]) -> Vec<SigQuestion> {
    let table = supported();
    let issuers: Vec<&Cert> = bundle.iter().chain(cas).copied().collect();
    let subjects = bundle
        .iter()
        .map(|c| (c, false))
        .chain(cas.iter().map(|c| (c, true)));
    let mut out = Vec::new();
    for (subject, from_ca) in subjects {
        for issuer in &issuers {
            if subject.issuer_raw != issuer.subject_raw
                || (from_ca && subject.der == issuer.der)
                || out.len() >= MAX_SIGNATURES
            {
                continue;
            }
            if let Some(q) = question(subject, issuer, &table)
                && !out.contains(&q)
            {
                out.push(q);
            }
        }
    }
    out
}

fn question(
    subject: &Cert,
    issuer: &Cert,
    table: &[(AlgorithmIdentifier, AlgorithmIdentifier, SigAlg)],
) -> Option<SigQuestion> {
    let alg = table
        .iter()
        .find(|(k, s, _)| **k == *issuer.spki_alg && **s == *subject.sig_alg_id)
        .map(|(_, _, a)| *a)?;
    if matches!(alg, SigAlg::RsaPkcs1 { .. } | SigAlg::RsaPss { .. })
        && !matches!(issuer.key, super::parsed::KeyKind::Rsa { bits, .. } if RSA_BITS.contains(&bits))
    {
        return None;
    }
    let p1363 = match alg {
        SigAlg::Ecdsa { curve, .. } => Some(der_to_p1363(&subject.signature, curve)?),
        _ => None,
    };
    Some(SigQuestion {
        alg,
        spki: issuer.spki.clone(),
        public_key: issuer.public_key_bits.clone(),
        message: subject.tbs.clone(),
        signature: subject.signature.clone(),
        p1363,
    })
}

/// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } in strict DER —
/// minimal lengths, minimal positive integers, nothing before or after — as
/// `r || s` of the curve's width. `None` for anything else (Wycheproof's
/// malformed-signature vectors, tested in `make test`), so that a signature
/// another reader would accept is never sent to the platform.
pub fn der_to_p1363(sig: &[u8], curve: Curve) -> Option<Vec<u8>> {
    let (seq, rest) = strict_tlv(sig)?;
    if seq.tag != tag::SEQUENCE || !rest.is_empty() {
        return None;
    }
    let (r, rest) = strict_tlv(seq.value)?;
    let (s, rest) = strict_tlv(rest)?;
    if !rest.is_empty() {
        return None;
    }
    let width = curve.coordinate_len();
    let mut out = Vec::with_capacity(2 * width);
    for int in [r, s] {
        let magnitude = strict_positive_integer(&int)?;
        if magnitude.len() > width {
            return None;
        }
        out.extend(std::iter::repeat_n(0, width - magnitude.len()));
        out.extend_from_slice(magnitude);
    }
    Some(out)
}

/// One element with a minimally encoded definite length.
fn strict_tlv(input: &[u8]) -> Option<(der::Tlv<'_>, &[u8])> {
    let (tlv, rest) = der::read(input)?;
    let header = input.len() - rest.len() - tlv.value.len();
    let minimal = match tlv.value.len() {
        0..=0x7f => 2,
        0x80..=0xff => 3,
        0x100..=0xffff => 4,
        _ => return None,
    };
    (header == minimal).then_some((tlv, rest))
}

/// A positive INTEGER (> 0) without superfluous leading bytes, as its magnitude.
fn strict_positive_integer<'a>(int: &der::Tlv<'a>) -> Option<&'a [u8]> {
    if int.tag != tag::INTEGER {
        return None;
    }
    match int.value {
        [] => None,
        [first, ..] if first & 0x80 != 0 => None,
        [0, next, ..] if next & 0x80 == 0 => None,
        [0] => None,
        [0, rest @ ..] => Some(rest),
        v => Some(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_der_only() {
        // (input, accepted, reason)
        let cases: &[(&[u8], bool, &str)] = &[
            (
                &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02],
                true,
                "minimal r=1 s=2",
            ),
            (
                &[0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x02],
                true,
                "leading zero needed for 0x80",
            ),
            (
                &[0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02],
                false,
                "superfluous leading zero",
            ),
            (
                &[0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x02],
                false,
                "negative r",
            ),
            (
                &[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x02],
                false,
                "r = 0",
            ),
            (
                &[0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02],
                false,
                "long-form length under 128",
            ),
            (
                &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x00],
                false,
                "trailing byte after the SEQUENCE",
            ),
            (
                &[0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02, 0x05, 0x00],
                false,
                "junk inside the SEQUENCE",
            ),
            (&[0x30, 0x03, 0x02, 0x01, 0x01], false, "s missing"),
            (
                &[0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02],
                false,
                "SET instead of SEQUENCE",
            ),
            (
                &[0x30, 0x06, 0x04, 0x01, 0x01, 0x02, 0x01, 0x02],
                false,
                "OCTET STRING instead of INTEGER",
            ),
        ];
        for (input, ok, why) in cases {
            assert_eq!(der_to_p1363(input, Curve::P256).is_some(), *ok, "{why}");
        }
        let p = der_to_p1363(
            &[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02],
            Curve::P256,
        )
        .unwrap_or_default();
        assert_eq!((p.len(), p[31], p[63]), (64, 1, 2));
    }

    #[test]
    fn rsa_pss_only_with_rfc_4055_parameters() {
        let pss = |params: &[u8]| {
            let mut id = vec![
                0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a,
            ];
            id.extend_from_slice(params);
            supported().iter().any(|(_, sig, _)| **sig == *id)
        };
        // (parameters, supported, reason)
        let cases: &[(&[u8], bool, &str)] = &[
            (
                &[0x30, 0x00],
                false,
                "absent parameters mean SHA-1, MGF1-SHA-1, salt 20",
            ),
            (&[], false, "no parameters at all"),
        ];
        for (params, ok, why) in cases {
            assert_eq!(pss(params), *ok, "{why}");
        }
        let with_salt = |salt: u8| {
            let mut id = alg_id::RSA_PSS_SHA256.as_ref().to_vec();
            let at = id.len() - 1;
            id[at] = salt;
            supported().iter().any(|(_, sig, _)| **sig == *id)
        };
        assert!(with_salt(32), "SHA-256 with salt 32: the one profile");
        assert!(
            !with_salt(20),
            "SHA-256 with salt 20: not RFC 4055's profile for clients"
        );
    }

    #[test]
    fn too_wide_integers_are_refused() {
        let mut sig = vec![0x30, 0x26, 0x02, 0x21];
        sig.extend([0x01; 33]);
        sig.extend([0x02, 0x01, 0x01]);
        assert_eq!(der_to_p1363(&sig, Curve::P256), None);
        assert!(der_to_p1363(&sig, Curve::P384).is_some());
    }
}
