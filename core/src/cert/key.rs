//! The cache's private key: PKCS#1, PKCS#8 or SEC1, unencrypted (a Kubernetes
//! TLS secret cannot hold a passphrase), and matching the leaf's public key.
//! The key is only read to derive its public half; nothing of it is kept or
//! returned.

use super::der::{self, tag};
use super::parsed::KeyKind;
use super::pem::{self, SSH_HINT};
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
        /// `P-256` or `P-384`.
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
            ) => {
                *curve == cc.as_str()
                    && uncompressed(curve, cp).as_deref() == Some(point.as_slice())
            }
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

fn uncompressed(curve: &str, point: &[u8]) -> Option<Vec<u8>> {
    let c = super::ec::by_name(curve)?;
    c.decode_point(point).map(|(x, y)| c.encode_point(&x, &y))
}

/// Reads the key input: its public half, or the findings that say why not.
pub fn read_key(input: &[u8]) -> Result<PublicHalf, Vec<Finding>> {
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
            "key.not_a_key",
            format!(
                "no private key found; the input holds {}",
                labels.join(", ")
            ),
            "give the cache's private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY), not the certificate",
        );
    };
    if keys.next().is_some() {
        return err(
            "key.several",
            "the input holds more than one private key".into(),
            "keep only the cache's own key in cache.key.pem",
        );
    }
    let enc_hint = "a Kubernetes TLS secret needs the key unencrypted: `openssl pkey -in cache.key.pem -out cache.key.plain.pem` (asks for the passphrase), and keep the result as safe as the original";
    if block.label == "ENCRYPTED PRIVATE KEY" || block.encrypted_headers {
        return err(
            "key.encrypted",
            "the private key is encrypted with a passphrase".into(),
            enc_hint,
        );
    }
    if block.label == "OPENSSH PRIVATE KEY" {
        return err(
            "key.openssh",
            "this is an OpenSSH private key, not a TLS key".into(),
            SSH_HINT,
        );
    }
    let der = block.der.as_slice();
    let parsed = match block.label.as_str() {
        "RSA PRIVATE KEY" => rsa_pkcs1(der),
        "EC PRIVATE KEY" => ec_sec1(der),
        "PRIVATE KEY" => pkcs8(der),
        "DER" => pkcs8(der)
            .or_else(|| rsa_pkcs1(der))
            .or_else(|| ec_sec1(der)),
        other => {
            return err(
                "key.unsupported",
                format!("{other} keys are not supported"),
                "use an RSA (2048 bits or more), ECDSA P-256/P-384 or Ed25519 key",
            );
        }
    };
    match parsed {
        Some(p) => Ok(p),
        None if block.label == "DER" && looks_encrypted_pkcs8(der) => err(
            "key.encrypted",
            "the private key is encrypted with a passphrase".into(),
            enc_hint,
        ),
        None => err(
            "key.unreadable",
            format!(
                "the {} block is not a readable RSA, ECDSA (P-256/P-384) or Ed25519 key",
                block.label
            ),
            "check that the file is the complete key; `openssl pkey -in cache.key.pem -noout` tells whether openssl can read it",
        ),
    }
}

/// PKCS#1 RSAPrivateKey: SEQUENCE { version, n, e, d, … }. Only the public
/// half is read; matching it to the certificate is what openssl's
/// `-modulus` comparison does too.
fn rsa_pkcs1(der: &[u8]) -> Option<PublicHalf> {
    let items = der::sequence(der)?;
    let (n, e) = (der::unsigned(items.get(1)?)?, der::unsigned(items.get(2)?)?);
    (!n.is_empty() && !e.is_empty()).then_some(PublicHalf::Rsa { n, e })
}

const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];

/// SEC 1 ECPrivateKey: SEQUENCE { version 1, OCTET STRING d, [0] curve OID
/// OPTIONAL, [1] public key OPTIONAL }. `curve` comes from PKCS#8 when the
/// key is wrapped in it.
fn ec_sec1_with(der: &[u8], curve: Option<&[u8]>) -> Option<PublicHalf> {
    let items = der::sequence(der)?;
    let d = items.get(1).filter(|t| t.tag == tag::OCTET_STRING)?.value;
    let named = items
        .iter()
        .find(|t| t.tag == 0xa0)
        .and_then(|t| der::read(t.value))
        .filter(|(oid, _)| oid.tag == tag::OID)
        .map(|(oid, _)| oid.value);
    match curve.or(named)? {
        c if c == OID_P256 => Some(PublicHalf::Ec {
            curve: "P-256",
            point: super::ec::p256().public_key(d)?,
        }),
        c if c == OID_P384 => Some(PublicHalf::Ec {
            curve: "P-384",
            point: super::ec::p384().public_key(d)?,
        }),
        _ => None,
    }
}

fn ec_sec1(der: &[u8]) -> Option<PublicHalf> {
    ec_sec1_with(der, None)
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey, … }.
fn pkcs8(der: &[u8]) -> Option<PublicHalf> {
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
        // RFC 8410: the privateKey OCTET STRING holds CurvePrivateKey, itself an OCTET STRING of the 32-byte seed.
        o if o == OID_ED25519 => {
            let (inner, _) = der::read(private)?;
            let seed = <[u8; 32]>::try_from(inner.value).ok()?;
            let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
            Some(PublicHalf::Ed25519(
                signing.verifying_key().to_bytes().to_vec(),
            ))
        }
        _ => None,
    }
}

/// PKCS#8 EncryptedPrivateKeyInfo starts with the PBES2 or PBE algorithm OID (1.2.840.113549.1.5.*).
fn looks_encrypted_pkcs8(der: &[u8]) -> bool {
    der.windows(8)
        .any(|w| w == [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d])
        && der
            .windows(3)
            .any(|w| w == [0x01, 0x05, 0x0d] || w == [0x01, 0x05, 0x03])
}
