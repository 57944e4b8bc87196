//! One certificate parsed once (x509-parser) into owned facts: names, dates,
//! key, extensions and the raw parts needed to verify signatures.

use sha2::{Digest, Sha256};
use std::net::IpAddr;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

/// The public key of a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA with its modulus and exponent (big-endian, no leading zeros).
    Rsa {
        /// Modulus size in bits.
        bits: usize,
        /// Modulus.
        n: Vec<u8>,
        /// Public exponent.
        e: Vec<u8>,
    },
    /// EC on a named curve, with the encoded point.
    Ec {
        /// Curve name (`P-256`, …) or its OID when not a known one.
        curve: String,
        /// Field size in bits (0 when unknown).
        bits: usize,
        /// SEC1-encoded point.
        point: Vec<u8>,
    },
    /// Ed25519 with its 32-byte key.
    Ed25519(Vec<u8>),
    /// Anything else, by algorithm OID.
    Other(String),
}

impl KeyKind {
    /// `RSA 4096`, `ECDSA P-256`, `Ed25519`.
    pub fn describe(&self) -> String {
        match self {
            KeyKind::Rsa { bits, .. } => format!("RSA {bits}"),
            KeyKind::Ec { curve, .. } => format!("ECDSA {curve}"),
            KeyKind::Ed25519(_) => "Ed25519".into(),
            KeyKind::Other(oid) => format!("unknown key algorithm {oid}"),
        }
    }
}

/// Owned facts of one certificate.
#[derive(Debug, Clone)]
pub struct Cert {
    /// The DER of the whole certificate.
    pub der: Vec<u8>,
    /// Subject as text (RFC 4514 style).
    pub subject: String,
    /// Issuer as text.
    pub issuer: String,
    /// Raw subject name, for issuer matching.
    pub subject_raw: Vec<u8>,
    /// Raw issuer name.
    pub issuer_raw: Vec<u8>,
    /// Serial number as colon-separated hex.
    pub serial: String,
    /// Common names in the subject.
    pub common_names: Vec<String>,
    /// DNS SANs as written.
    pub dns_names: Vec<String>,
    /// IP SANs.
    pub ip_addresses: Vec<IpAddr>,
    /// Whether a subjectAltName extension is present.
    pub has_san_extension: bool,
    /// notBefore, Unix seconds.
    pub not_before: i64,
    /// notAfter, Unix seconds.
    pub not_after: i64,
    /// basicConstraints cA.
    pub is_ca: bool,
    /// A nameConstraints extension with neither permitted nor excluded
    /// subtrees (RFC 5280 4.2.1.10 forbids it; Go rejects it).
    pub name_constraints_empty: bool,
    /// keyUsage flags when the extension is present: (digitalSignature, keyEncipherment, keyCertSign).
    pub key_usage: Option<(bool, bool, bool)>,
    /// extendedKeyUsage when present: (serverAuth or anyExtendedKeyUsage).
    pub eku_server_auth: Option<bool>,
    /// subjectKeyIdentifier.
    pub ski: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub aki: Option<Vec<u8>>,
    /// The public key.
    pub key: KeyKind,
    /// Signature algorithm OID (dotted).
    pub sig_alg: String,
    /// The outer signatureAlgorithm's AlgorithmIdentifier contents, as the
    /// path validator compares them.
    pub sig_alg_id: Vec<u8>,
    /// The whole SubjectPublicKeyInfo (DER).
    pub spki: Vec<u8>,
    /// The SubjectPublicKeyInfo's AlgorithmIdentifier contents.
    pub spki_alg: Vec<u8>,
    /// The subjectPublicKey bits.
    pub public_key_bits: Vec<u8>,
    /// The signed part.
    pub tbs: Vec<u8>,
    /// The signature bytes.
    pub signature: Vec<u8>,
    /// SHA-256 of the DER, as colon-separated uppercase hex (openssl's form).
    pub sha256: String,
}

impl Cert {
    /// Parses one DER certificate; trailing bytes (as in openssl's
    /// TRUSTED CERTIFICATE) are ignored.
    pub fn parse(der: &[u8]) -> Result<Cert, String> {
        let (rest, x) = X509Certificate::from_der(der).map_err(|e| e.to_string())?;
        let used = &der[..der.len() - rest.len()];
        let mut c = Cert {
            der: used.to_vec(),
            subject: name_text(x.subject()),
            issuer: name_text(x.issuer()),
            subject_raw: x.subject().as_raw().to_vec(),
            issuer_raw: x.issuer().as_raw().to_vec(),
            serial: colon_hex(x.tbs_certificate.raw_serial()),
            common_names: x
                .subject()
                .iter_common_name()
                .filter_map(|a| a.as_str().ok().map(str::to_string))
                .collect(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            has_san_extension: false,
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            is_ca: false,
            name_constraints_empty: false,
            key_usage: None,
            eku_server_auth: None,
            ski: None,
            aki: None,
            key: key_kind(&x),
            sig_alg: x.signature_algorithm.algorithm.to_id_string(),
            sig_alg_id: outer_signature_algorithm(used).unwrap_or_default(),
            spki: x.public_key().raw.to_vec(),
            spki_alg: spki_algorithm(x.public_key().raw).unwrap_or_default(),
            public_key_bits: x.public_key().subject_public_key.data.to_vec(),
            tbs: x.tbs_certificate.as_ref().to_vec(),
            signature: x.signature_value.data.to_vec(),
            sha256: colon_hex(&Sha256::digest(used)),
        };
        for ext in x.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectAlternativeName(san) => {
                    c.has_san_extension = true;
                    for name in &san.general_names {
                        match name {
                            GeneralName::DNSName(d) => c.dns_names.push((*d).to_string()),
                            GeneralName::IPAddress(b) => {
                                if let Some(ip) = ip_from_bytes(b) {
                                    c.ip_addresses.push(ip);
                                }
                            }
                            _ => {}
                        }
                    }
                }
                ParsedExtension::BasicConstraints(bc) => c.is_ca = bc.ca,
                ParsedExtension::NameConstraints(nc) => {
                    c.name_constraints_empty =
                        nc.permitted_subtrees.as_ref().is_none_or(Vec::is_empty)
                            && nc.excluded_subtrees.as_ref().is_none_or(Vec::is_empty);
                }
                ParsedExtension::KeyUsage(ku) => {
                    c.key_usage = Some((
                        ku.digital_signature(),
                        ku.key_encipherment(),
                        ku.key_cert_sign(),
                    ));
                }
                ParsedExtension::ExtendedKeyUsage(eku) => {
                    c.eku_server_auth = Some(eku.server_auth || eku.any);
                }
                ParsedExtension::SubjectKeyIdentifier(ki) => c.ski = Some(ki.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(aki) => {
                    c.aki = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
                }
                _ => {}
            }
        }
        Ok(c)
    }

    /// Subject equals issuer (a root, or a self-signed leaf).
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw
    }

    /// Whether `issuer` plausibly issued `self`: names match and, when both
    /// are present, the key identifiers too.
    pub fn named_issuer_is(&self, issuer: &Cert) -> bool {
        if self.issuer_raw != issuer.subject_raw {
            return false;
        }
        match (&self.aki, &issuer.ski) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        }
    }

    /// The first common name, or the whole subject.
    pub fn short_name(&self) -> String {
        self.common_names
            .first()
            .cloned()
            .unwrap_or_else(|| self.subject.clone())
    }
}

/// Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }:
/// the contents of signatureAlgorithm.
fn outer_signature_algorithm(der: &[u8]) -> Option<Vec<u8>> {
    let items = super::der::sequence(der)?;
    let alg = items
        .get(1)
        .filter(|t| t.tag == super::der::tag::SEQUENCE)?;
    Some(alg.value.to_vec())
}

/// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey }:
/// the contents of algorithm.
fn spki_algorithm(spki: &[u8]) -> Option<Vec<u8>> {
    let items = super::der::sequence(spki)?;
    let alg = items
        .first()
        .filter(|t| t.tag == super::der::tag::SEQUENCE)?;
    Some(alg.value.to_vec())
}

/// A name as `O=…, CN=…` (RFC 4514 order as encoded, `+` inside a
/// multi-valued RDN). Written here rather than with x509-parser's Display,
/// which carries a full OID registry and a hex encoder into the browser build.
fn name_text(name: &x509_parser::x509::X509Name<'_>) -> String {
    name.iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let oid = attr.attr_type().to_id_string();
                    let key = match oid.as_str() {
                        "2.5.4.3" => "CN",
                        "2.5.4.4" => "SN",
                        "2.5.4.5" => "serialNumber",
                        "2.5.4.6" => "C",
                        "2.5.4.7" => "L",
                        "2.5.4.8" => "ST",
                        "2.5.4.9" => "street",
                        "2.5.4.10" => "O",
                        "2.5.4.11" => "OU",
                        "2.5.4.12" => "title",
                        "2.5.4.17" => "postalCode",
                        "2.5.4.42" => "GN",
                        "1.2.840.113549.1.9.1" => "emailAddress",
                        "0.9.2342.19200300.100.1.1" => "UID",
                        "0.9.2342.19200300.100.1.25" => "DC",
                        _ => oid.as_str(),
                    };
                    let value = attr
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|_| format!("#{}", hex_lower(attr.attr_value().data)));
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key_kind(x: &X509Certificate<'_>) -> KeyKind {
    let spki = x.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => KeyKind::Rsa {
            bits: rsa.key_size(),
            n: strip_zeros(rsa.modulus),
            e: strip_zeros(rsa.exponent),
        },
        Ok(PublicKey::EC(point)) => {
            let curve_oid = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| o.to_id_string())
                .unwrap_or_default();
            let (curve, bits) = match curve_oid.as_str() {
                "1.2.840.10045.3.1.7" => ("P-256".to_string(), 256),
                "1.3.132.0.34" => ("P-384".to_string(), 384),
                "1.3.132.0.35" => ("P-521".to_string(), 521),
                "1.3.132.0.10" => ("secp256k1".to_string(), 256),
                other => (format!("curve {other}"), 0),
            };
            KeyKind::Ec {
                curve,
                bits,
                point: point.data().to_vec(),
            }
        }
        _ if alg == "1.3.101.112" => KeyKind::Ed25519(spki.subject_public_key.data.to_vec()),
        _ => KeyKind::Other(alg),
    }
}

fn strip_zeros(b: &[u8]) -> Vec<u8> {
    let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b[start..].to_vec()
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(b).ok().map(IpAddr::from),
        _ => None,
    }
}

/// `AB:CD:…`, as openssl prints fingerprints.
pub fn colon_hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
