//! The cache's private key: PKCS#1, PKCS#8 or SEC1, unencrypted (a Kubernetes
//! TLS secret cannot hold a passphrase), and matching the leaf's public key.
//! The key is only read to derive its public half; nothing of it is kept or
//! returned.

use super::crypto::{Curve, KeyAlg, KeyQuestion};
use super::der::{self, tag};
use super::parsed::KeyKind;
use super::pem::{self, SSH_HINT};
use crate::codes::Code;
use crate::finding::Finding;

/// The public half of a private key, comparable with a certificate's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicHalf {
    /// RSA modulus and exponent, big-endian without leading zeros.
    Rsa {
        /// Modulus.
        n: Vec<u8>,
        /// Exponent.
        e: Vec<u8>,
    },
    /// Uncompressed SEC1 point, with the curve name.
    Ec {
        /// `P-256`, `P-384` or `P-521`.
        curve: &'static str,
        /// Uncompressed point.
        point: Vec<u8>,
    },
    /// Ed25519 public key.
    Ed25519(Vec<u8>),
}

impl PublicHalf {
    /// Whether this is the public key of a certificate.
    pub fn matches(&self, key: &KeyKind) -> bool {
        match (self, key) {
            (PublicHalf::Rsa { n, e }, KeyKind::Rsa { n: cn, e: ce, .. }) => n == cn && e == ce,
            (
                PublicHalf::Ec { curve, point },
                KeyKind::Ec {
                    curve: cc,
                    point: cp,
                    ..
                },
            ) => *curve == cc.as_str() && same_point(point, cp),
            (PublicHalf::Ed25519(a), KeyKind::Ed25519(b)) => a == b,
            _ => false,
        }
    }

    /// `RSA`, `ECDSA P-256`, `Ed25519`.
    pub fn describe(&self) -> String {
        match self {
            PublicHalf::Rsa { n, .. } => format!("RSA {}", n.len() * 8),
            PublicHalf::Ec { curve, .. } => format!("ECDSA {curve}"),
            PublicHalf::Ed25519(_) => "Ed25519".into(),
        }
    }
}

/// An uncompressed point (`04 || x || y`) against the certificate's point,
/// uncompressed or compressed (`02|03 || x`, the prefix carrying y's parity).
fn same_point(uncompressed: &[u8], cert: &[u8]) -> bool {
    match (uncompressed.split_first(), cert.split_first()) {
        (Some((4, xy)), Some((4, _))) if !xy.is_empty() => uncompressed == cert,
        (Some((4, xy)), Some((&prefix @ (2 | 3), x))) if xy.len() == 2 * x.len() => {
            let (ux, uy) = xy.split_at(x.len());
            ux == x && uy.last().map(|b| b & 1) == Some(prefix - 2)
        }
        _ => false,
    }
}

/// What reading the key gave: its public half, or a question for the
/// platform when the file does not carry it (an Ed25519 PKCS#8 v1 key, an
/// EC key written without its public point).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRead {
    /// The public half, read from the file.
    Public(PublicHalf),
    /// The platform must derive it.
    Derive(KeyQuestion),
}

impl KeyRead {
    /// The public half, from the file or from the platform's answer.
    pub fn public(self, answer: Option<&[u8]>) -> Option<PublicHalf> {
        match self {
            KeyRead::Public(p) => Some(p),
            KeyRead::Derive(q) => {
                let a = answer?.to_vec();
                match q.alg {
                    KeyAlg::Ed25519 => (a.len() == 32).then_some(PublicHalf::Ed25519(a)),
                    KeyAlg::Ec { curve } => (a.len() == 1 + 2 * curve.coordinate_len()
                        && a.first() == Some(&4))
                    .then_some(PublicHalf::Ec {
                        curve: curve_name(curve),
                        point: a,
                    }),
                }
            }
        }
    }
}

fn curve_name(c: Curve) -> &'static str {
    match c {
        Curve::P256 => "P-256",
        Curve::P384 => "P-384",
        Curve::P521 => "P-521",
    }
}

/// Reads the key input: its public half, or the findings that say why not.
pub fn read_key(input: &[u8]) -> Result<KeyRead, Vec<Finding>> {
    const FIELD: &str = "key";
    let decoded = pem::decode(input, FIELD);
    let errors: Vec<Finding> = decoded
        .findings
        .iter()
        .filter(|f| f.is_error())
        .cloned()
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let err = |code, msg: String, hint: &str| Err(vec![Finding::error(code, FIELD, msg, hint)]);
    let mut keys = decoded
        .blocks
        .iter()
        .filter(|b| b.label.contains("PRIVATE KEY") || b.label == "DER");
    let Some(block) = keys.next() else {
        let labels: Vec<&str> = decoded.blocks.iter().map(|b| b.label.as_str()).collect();
        return err(
            Code::KeyNotAKey,
            format!(
                "no private key found; the input holds {}",
                labels.join(", ")
            ),
            "give the cache's private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY), not the certificate",
        );
    };
    if keys.next().is_some() {
        return err(
            Code::KeySeveral,
            "the input holds more than one private key".into(),
            "keep only the cache's own key in cache.key.pem",
        );
    }
    let enc_hint = "a Kubernetes TLS secret needs the key unencrypted: `openssl pkey -in cache.key.pem -out cache.key.plain.pem` (asks for the passphrase), and keep the result as safe as the original";
    if block.label == "ENCRYPTED PRIVATE KEY" || block.encrypted_headers {
        return err(
            Code::KeyEncrypted,
            "the private key is encrypted with a passphrase".into(),
            enc_hint,
        );
    }
    if block.label == "OPENSSH PRIVATE KEY" {
        return err(
            Code::KeyOpenssh,
            "this is an OpenSSH private key, not a TLS key".into(),
            SSH_HINT,
        );
    }
    let der = block.der.as_slice();
    // An archive given as the key: said as what it is, with how to get the
    // key out (not "encrypted", though PKCS#12 usually is).
    if block.label == "DER" {
        match pem::classify_der(der) {
            Some("PKCS12") => {
                return err(
                    Code::PemPkcs12,
                    "this is a PKCS#12 (.p12/.pfx) archive, not a private key".into(),
                    "extract the key: `openssl pkcs12 -in FILE -nocerts -noenc -out cache.key.pem` (asks for the archive's password)",
                );
            }
            Some("PKCS7") => {
                return err(
                    Code::PemPkcs7,
                    "this is a PKCS#7 bundle of certificates, not a private key".into(),
                    "give the cache's private key (cache.key.pem)",
                );
            }
            _ => {}
        }
    }
    let parsed = match block.label.as_str() {
        "RSA PRIVATE KEY" => rsa_pkcs1(der),
        "EC PRIVATE KEY" => ec_sec1(der),
        "PRIVATE KEY" => pkcs8(der),
        "DER" => pkcs8(der)
            .or_else(|| rsa_pkcs1(der))
            .or_else(|| ec_sec1(der)),
        other => {
            return err(
                Code::KeyUnsupported,
                format!("{other} keys are not supported"),
                "use an RSA (2048 bits or more), ECDSA P-256/P-384/P-521 or Ed25519 key",
            );
        }
    };
    match parsed {
        Some(p) => Ok(p),
        None if block.label == "DER" && looks_encrypted_pkcs8(der) => err(
            Code::KeyEncrypted,
            "the private key is encrypted with a passphrase".into(),
            enc_hint,
        ),
        None => err(
            Code::KeyUnreadable,
            format!(
                "the {} block is not a readable RSA, ECDSA (P-256/P-384/P-521) or Ed25519 key",
                block.label
            ),
            "check that the file is the complete key; `openssl pkey -in cache.key.pem -noout` tells whether openssl can read it",
        ),
    }
}

/// PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, d, … }. Only the public
/// half is read; matching it to the certificate is what openssl's
/// `-modulus` comparison does too.
fn rsa_pkcs1(der: &[u8]) -> Option<KeyRead> {
    let items = der::sequence(der)?;
    let (n, e) = (der::unsigned(items.get(1)?)?, der::unsigned(items.get(2)?)?);
    (!n.is_empty() && !e.is_empty()).then_some(KeyRead::Public(PublicHalf::Rsa { n, e }))
}

/// SEC 1 ECPrivateKey: SEQUENCE { version 1, OCTET STRING d, [0] curve OID
/// OPTIONAL, [1] BIT STRING public key OPTIONAL }. `curve` comes from PKCS#8
/// when the key is wrapped in it. The public point is taken from the file
/// (openssl, Go and cert-manager write it); without it the platform derives it.
fn ec_sec1_with(sec1: &[u8], curve: Option<&[u8]>) -> Option<KeyRead> {
    let items = der::sequence(sec1)?;
    items.get(1).filter(|t| t.tag == tag::OCTET_STRING)?;
    let named = items
        .iter()
        .find(|t| t.tag == 0xa0)
        .and_then(|t| der::read(t.value))
        .filter(|(oid, _)| oid.tag == tag::OID)
        .map(|(oid, _)| oid.value);
    let curve = Curve::from_oid(curve.or(named)?)?;
    let point = items
        .iter()
        .find(|t| t.tag == 0xa1)
        .and_then(|t| der::read(t.value))
        .filter(|(bits, _)| bits.tag == tag::BIT_STRING)
        .and_then(|(bits, _)| bits.value.split_first())
        .filter(|(unused, p)| **unused == 0 && p.first() == Some(&4))
        .map(|(_, p)| p.to_vec());
    Some(match point {
        Some(point) => KeyRead::Public(PublicHalf::Ec {
            curve: curve_name(curve),
            point,
        }),
        None => KeyRead::Derive(KeyQuestion {
            alg: KeyAlg::Ec { curve },
            pkcs8: pkcs8_ec(sec1, curve),
        }),
    })
}

fn ec_sec1(der: &[u8]) -> Option<KeyRead> {
    ec_sec1_with(der, None)
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// PKCS#8 PrivateKeyInfo (RFC 5208) or OneAsymmetricKey (RFC 5958):
/// SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey,
/// [0] attributes OPTIONAL, [1] publicKey OPTIONAL }.
fn pkcs8(der: &[u8]) -> Option<KeyRead> {
    let items = der::sequence(der)?;
    let alg = der::items(items.get(1).filter(|t| t.tag == tag::SEQUENCE)?.value);
    let oid = alg.first().filter(|t| t.tag == tag::OID)?.value;
    let private = items.get(2).filter(|t| t.tag == tag::OCTET_STRING)?.value;
    match oid {
        o if o == OID_RSA || o == OID_RSA_PSS => rsa_pkcs1(private),
        o if o == OID_EC => {
            let curve = alg.get(1).filter(|t| t.tag == tag::OID).map(|t| t.value);
            ec_sec1_with(private, curve)
        }
        // RFC 8410: the privateKey OCTET STRING holds the 32-byte seed in an
        // OCTET STRING; version 2 files may carry the public key in [1].
        o if o == OID_ED25519 => {
            let (inner, _) = der::read(private)?;
            if inner.tag != tag::OCTET_STRING || inner.value.len() != 32 {
                return None;
            }
            let public = items
                .iter()
                .find(|t| t.tag == 0x81)
                .and_then(|t| t.value.split_first())
                .filter(|(unused, k)| **unused == 0 && k.len() == 32)
                .map(|(_, k)| k.to_vec());
            Some(match public {
                Some(k) => KeyRead::Public(PublicHalf::Ed25519(k)),
                None => KeyRead::Derive(KeyQuestion {
                    alg: KeyAlg::Ed25519,
                    pkcs8: der.to_vec(),
                }),
            })
        }
        _ => None,
    }
}

/// Wraps a SEC 1 key in PKCS#8 (what WebCrypto imports): SEQUENCE { 0,
/// SEQUENCE { id-ecPublicKey, curve }, OCTET STRING sec1 }.
fn pkcs8_ec(sec1: &[u8], curve: Curve) -> Vec<u8> {
    let curve_oid: &[u8] = match curve {
        Curve::P256 => &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        Curve::P384 => &[0x2b, 0x81, 0x04, 0x00, 0x22],
        Curve::P521 => &[0x2b, 0x81, 0x04, 0x00, 0x23],
    };
    let alg = [
        der::encode(tag::OID, OID_EC),
        der::encode(tag::OID, curve_oid),
    ]
    .concat();
    der::encode(
        tag::SEQUENCE,
        &[
            der::encode(tag::INTEGER, &[0]),
            der::encode(tag::SEQUENCE, &alg),
            der::encode(tag::OCTET_STRING, sec1),
        ]
        .concat(),
    )
}

/// PKCS#8 EncryptedPrivateKeyInfo starts with the PBES2 or PBE algorithm OID (1.2.840.113549.1.5.*).
fn looks_encrypted_pkcs8(der: &[u8]) -> bool {
    der.windows(8)
        .any(|w| w == [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d])
        && der
            .windows(3)
            .any(|w| w == [0x01, 0x05, 0x0d] || w == [0x01, 0x05, 0x03])
}
