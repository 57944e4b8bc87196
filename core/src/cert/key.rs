//! The cache's private key: PKCS#1, PKCS#8 or SEC1, unencrypted (a Kubernetes
//! TLS secret cannot hold a passphrase), and matching the leaf's public key.
//! The key is only read to derive its public half; nothing of it is kept or
//! returned.

use super::parsed::KeyKind;
use super::pem::{self, SSH_HINT};
use crate::finding::Finding;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;

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
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    match curve {
        "P-256" => p256::PublicKey::from_sec1_bytes(point)
            .ok()
            .map(|k| k.to_encoded_point(false).as_bytes().to_vec()),
        "P-384" => p384::PublicKey::from_sec1_bytes(point)
            .ok()
            .map(|k| k.to_encoded_point(false).as_bytes().to_vec()),
        _ => None,
    }
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

fn rsa_public(k: &rsa::RsaPrivateKey) -> PublicHalf {
    PublicHalf::Rsa {
        n: k.n().to_bytes_be(),
        e: k.e().to_bytes_be(),
    }
}

fn rsa_pkcs1(der: &[u8]) -> Option<PublicHalf> {
    rsa::RsaPrivateKey::from_pkcs1_der(der)
        .ok()
        .map(|k| rsa_public(&k))
}

fn ec_sec1(der: &[u8]) -> Option<PublicHalf> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
        return Some(PublicHalf::Ec {
            curve: "P-256",
            point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
        });
    }
    p384::SecretKey::from_sec1_der(der)
        .ok()
        .map(|k| PublicHalf::Ec {
            curve: "P-384",
            point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
        })
}

fn pkcs8(der: &[u8]) -> Option<PublicHalf> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use rsa::pkcs8::DecodePrivateKey;
    if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_der(der) {
        return Some(rsa_public(&k));
    }
    if let Ok(k) = p256::SecretKey::from_pkcs8_der(der) {
        return Some(PublicHalf::Ec {
            curve: "P-256",
            point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
        });
    }
    if let Ok(k) = p384::SecretKey::from_pkcs8_der(der) {
        return Some(PublicHalf::Ec {
            curve: "P-384",
            point: k.public_key().to_encoded_point(false).as_bytes().to_vec(),
        });
    }
    ed25519_pkcs8(der)
}

/// Ed25519 PKCS#8 (RFC 8410): the private key is an OCTET STRING holding the
/// 32-byte seed, inside the PrivateKeyInfo's privateKey OCTET STRING.
fn ed25519_pkcs8(der: &[u8]) -> Option<PublicHalf> {
    const ED25519_OID: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
    let pos = der
        .windows(ED25519_OID.len())
        .position(|w| w == ED25519_OID)?;
    let rest = der.get(pos + ED25519_OID.len()..)?;
    let seed_at = rest
        .windows(4)
        .position(|w| w == [0x04, 0x22, 0x04, 0x20])?;
    let seed = rest.get(seed_at + 4..seed_at + 36)?;
    let seed = <[u8; 32]>::try_from(seed).ok()?;
    let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
    Some(PublicHalf::Ed25519(
        signing.verifying_key().to_bytes().to_vec(),
    ))
}

/// PKCS#8 EncryptedPrivateKeyInfo starts with the PBES2 or PBE algorithm OID (1.2.840.113549.1.5.*).
fn looks_encrypted_pkcs8(der: &[u8]) -> bool {
    der.windows(8)
        .any(|w| w == [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d])
        && der
            .windows(3)
            .any(|w| w == [0x01, 0x05, 0x0d] || w == [0x01, 0x05, 0x03])
}
