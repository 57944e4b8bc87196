//! One certificate read once into owned facts: names, dates, key,
//! extensions and the raw parts the validator and the signature questions
//! need. x509-parser reads it (RFC 5280 4.1; each extension the explanations
//! use with x509-parser's parser for its kind); the
//! verdict on the certificate is rustls-webpki's, which parses it again
//! strictly. What is kept here is what the explanations need, in owned
//! form, so that the page can hold it across keystrokes.

use super::der;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use x509_parser::asn1_rs::{Any, BmpString, Oid, Tag};
use x509_parser::certificate::X509CertificateParser;
use x509_parser::extensions::{
    AuthorityInfoAccess, AuthorityKeyIdentifier, BasicConstraints, ExtendedKeyUsage, GeneralName,
    KeyIdentifier, KeyUsage, NameConstraints, SubjectAlternativeName, X509Extension,
};
use x509_parser::nom::Parser;
use x509_parser::oid_registry::{
    OID_EC_P256, OID_KEY_TYPE_EC_PUBLIC_KEY, OID_NIST_EC_P384, OID_NIST_EC_P521,
    OID_PKCS1_RSAENCRYPTION, OID_PKIX_AUTHORITY_INFO_ACCESS, OID_SIG_ED25519,
    OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER, OID_X509_EXT_BASIC_CONSTRAINTS,
    OID_X509_EXT_CERTIFICATE_POLICIES, OID_X509_EXT_CRL_DISTRIBUTION_POINTS,
    OID_X509_EXT_EXTENDED_KEY_USAGE, OID_X509_EXT_INHIBIT_ANY_POLICY, OID_X509_EXT_KEY_USAGE,
    OID_X509_EXT_NAME_CONSTRAINTS, OID_X509_EXT_POLICY_CONSTRAINTS, OID_X509_EXT_POLICY_MAPPINGS,
    OID_X509_EXT_SUBJECT_ALT_NAME, OID_X509_EXT_SUBJECT_KEY_IDENTIFIER,
};
use x509_parser::prelude::FromDer;
use x509_parser::public_key::PublicKey;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

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
    /// Subject as text (`CN=…, O=…`, RDNs in encoded order).
    pub subject: String,
    /// Issuer as text.
    pub issuer: String,
    /// Raw subject name (its DER), for issuer matching.
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
    /// basicConstraints pathLenConstraint, when given.
    pub path_len: Option<u32>,
    /// What is wrong with the nameConstraints extension, if anything that
    /// Go clients reject: empty, a DNS constraint with a leading period, or
    /// (when critical) name forms Go cannot evaluate.
    pub name_constraints_problem: Option<&'static str>,
    /// Whether it has a nameConstraints extension at all.
    pub name_constrained: bool,
    /// Permitted DNS name constraints written with a leading period
    /// (`.example.com`): Go reads them as subdomains only, without the apex.
    pub nc_permitted_subdomains_only: Vec<String>,
    /// Critical extensions Go's crypto/x509 does not handle, by OID; clients
    /// must reject a certificate with one, a trust anchor included.
    pub unknown_critical: Vec<String>,
    /// keyUsage flags when the extension is present: (digitalSignature, keyEncipherment, keyCertSign).
    pub key_usage: Option<(bool, bool, bool)>,
    /// extendedKeyUsage when present: (serverAuth or anyExtendedKeyUsage).
    pub eku_server_auth: Option<bool>,
    /// keyUsage's bits by name, when the extension is present (RFC 5280).
    pub key_usage_names: Option<Vec<&'static str>>,
    /// extendedKeyUsage's purposes by name (RFC 5280's order, then any, then
    /// the others as dotted OIDs), when present.
    pub eku_names: Option<Vec<String>>,
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
    /// Parses one DER certificate with x509-parser; trailing bytes (as in
    /// openssl's TRUSTED CERTIFICATE) are ignored. Extensions are parsed
    /// one by one, only the kinds the explanations read (each with
    /// x509-parser's own parser for it): the deep parse of every kind
    /// x509-parser knows (SCTs, CRL points, policies, …) would put all of
    /// their parsers into the page for nothing.
    pub fn parse(input: &[u8]) -> Result<Cert, String> {
        let (_, x) = X509CertificateParser::new()
            .with_deep_parse_extensions(false)
            .parse(input)
            .map_err(|e| match e {
                x509_parser::nom::Err::Incomplete(_) => "truncated".to_string(),
                x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => {
                    e.to_string()
                }
            })?;
        let tbs = &x.tbs_certificate;
        if tbs.version.0 > 2 {
            return Err("version: not v1, v2 or v3".into());
        }
        if x.signature_value.unused_bits != 0 {
            return Err("signatureValue: BIT STRING with unused bits".into());
        }
        let spki = &tbs.subject_pki;
        if spki.subject_public_key.unused_bits != 0 {
            return Err("subjectPublicKey: BIT STRING with unused bits".into());
        }
        let der = x.as_raw();
        let mut c = Cert {
            der: der.to_vec(),
            subject: name_text(&tbs.subject),
            issuer: name_text(&tbs.issuer),
            subject_raw: tbs.subject.as_raw().to_vec(),
            issuer_raw: tbs.issuer.as_raw().to_vec(),
            serial: colon_hex(tbs.raw_serial()),
            common_names: tbs.subject.iter_common_name().filter_map(text).collect(),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            has_san_extension: false,
            not_before: tbs.validity.not_before.timestamp(),
            not_after: tbs.validity.not_after.timestamp(),
            is_ca: false,
            path_len: None,
            name_constraints_problem: None,
            name_constrained: false,
            nc_permitted_subdomains_only: Vec::new(),
            unknown_critical: Vec::new(),
            key_usage: None,
            eku_server_auth: None,
            key_usage_names: None,
            eku_names: None,
            ski: None,
            aki: None,
            key: public_key(spki)?,
            sig_alg: x.signature_algorithm.algorithm.to_id_string(),
            // The AlgorithmIdentifiers' contents as encoded, which the
            // validator's algorithm tables are compared with: x509-parser
            // keeps the OID and parameters, not their bytes.
            sig_alg_id: der::nth_contents(der, 1).ok_or("signatureAlgorithm: bad DER")?,
            spki: spki.raw.to_vec(),
            spki_alg: der::nth_contents(spki.raw, 0).ok_or("algorithm: bad DER")?,
            public_key_bits: spki.subject_public_key.data.to_vec(),
            tbs: tbs.as_ref().to_vec(),
            signature: x.signature_value.data.to_vec(),
            sha256: colon_hex(&Sha256::digest(der)),
        };
        let mut seen: Vec<&Oid<'_>> = Vec::new();
        for ext in tbs.extensions() {
            if seen.contains(&&ext.oid) {
                return Err(format!("extension {} appears twice", ext.oid));
            }
            seen.push(&ext.oid);
            c.read_extension(ext)?;
        }
        Ok(c)
    }

    /// Takes in one extension, read by x509-parser's parser for its kind.
    /// One that does not parse, of a kind the explanations rely on, makes
    /// the certificate unreadable (clients reject it too).
    fn read_extension(&mut self, ext: &X509Extension<'_>) -> Result<(), String> {
        /// x509-parser's parser for `T`, over the whole extension value.
        fn read<'a, T: FromDer<'a, x509_parser::error::X509Error>>(
            ext: &X509Extension<'a>,
        ) -> Result<T, String> {
            match T::from_der(ext.value) {
                Ok(([], v)) => Ok(v),
                _ => Err(format!(
                    "extension {} is malformed",
                    extension_name(&ext.oid)
                )),
            }
        }
        let oid = &ext.oid;
        if *oid == OID_X509_EXT_SUBJECT_ALT_NAME {
            let san: SubjectAlternativeName<'_> = read(ext)?;
            self.has_san_extension = true;
            for name in &san.general_names {
                match name {
                    GeneralName::DNSName(d) => self.dns_names.push(d.to_string()),
                    GeneralName::Invalid(Tag(2), bytes) => self
                        .dns_names
                        .push(String::from_utf8_lossy(bytes).into_owned()),
                    GeneralName::IPAddress(b) => self.ip_addresses.extend(ip_from_bytes(b)),
                    _ => {}
                }
            }
        } else if *oid == OID_X509_EXT_BASIC_CONSTRAINTS {
            let bc = read::<BasicConstraints>(ext)?;
            self.is_ca = bc.ca;
            self.path_len = bc.path_len_constraint;
        } else if *oid == OID_X509_EXT_KEY_USAGE {
            let ku: KeyUsage = read(ext)?;
            self.key_usage = Some((
                ku.digital_signature(),
                ku.key_encipherment(),
                ku.key_cert_sign(),
            ));
            const NAMES: [&str; 9] = [
                "digitalSignature",
                "contentCommitment",
                "keyEncipherment",
                "dataEncipherment",
                "keyAgreement",
                "keyCertSign",
                "cRLSign",
                "encipherOnly",
                "decipherOnly",
            ];
            self.key_usage_names = Some(
                NAMES
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| ku.flags >> i & 1 == 1)
                    .map(|(_, n)| *n)
                    .collect(),
            );
        } else if *oid == OID_X509_EXT_EXTENDED_KEY_USAGE {
            let eku: ExtendedKeyUsage<'_> = read(ext)?;
            self.eku_server_auth = Some(eku.server_auth || eku.any);
            let named = [
                (eku.server_auth, "serverAuth"),
                (eku.client_auth, "clientAuth"),
                (eku.code_signing, "codeSigning"),
                (eku.email_protection, "emailProtection"),
                (eku.time_stamping, "timeStamping"),
                (eku.ocsp_signing, "OCSPSigning"),
                (eku.any, "anyExtendedKeyUsage"),
            ];
            self.eku_names = Some(
                named
                    .iter()
                    .filter(|(set, _)| *set)
                    .map(|(_, n)| n.to_string())
                    .chain(eku.other.iter().map(Oid::to_id_string))
                    .collect(),
            );
        } else if *oid == OID_X509_EXT_SUBJECT_KEY_IDENTIFIER {
            self.ski = Some(read::<KeyIdentifier<'_>>(ext)?.0.to_vec());
        } else if *oid == OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER {
            let aki: AuthorityKeyIdentifier<'_> = read(ext)?;
            self.aki = aki.key_identifier.as_ref().map(|k| k.0.to_vec());
        } else if *oid == OID_X509_EXT_NAME_CONSTRAINTS {
            let nc: NameConstraints<'_> = read(ext)?;
            self.name_constrained = true;
            self.read_name_constraints(&nc, ext.critical);
        } else if *oid == OID_PKIX_AUTHORITY_INFO_ACCESS {
            read::<AuthorityInfoAccess<'_>>(ext)?;
        }
        if ext.critical && !GO_HANDLES.contains(&oid) {
            self.unknown_critical.push(oid.to_id_string());
        }
        Ok(())
    }

    fn read_name_constraints(&mut self, nc: &NameConstraints<'_>, critical: bool) {
        let subtrees = || {
            nc.permitted_subtrees
                .iter()
                .chain(nc.excluded_subtrees.iter())
                .flatten()
        };
        self.nc_permitted_subdomains_only = nc
            .permitted_subtrees
            .iter()
            .flatten()
            .filter_map(|t| match t.base {
                GeneralName::DNSName(d) => d.strip_prefix('.'),
                _ => None,
            })
            .map(str::to_ascii_lowercase)
            .collect();
        // Name forms Go evaluates: rfc822Name, dNSName, URI, iPAddress.
        let go_evaluates = |n: &GeneralName<'_>| {
            matches!(
                n,
                GeneralName::RFC822Name(_)
                    | GeneralName::DNSName(_)
                    | GeneralName::URI(_)
                    | GeneralName::IPAddress(_)
                    | GeneralName::Invalid(Tag(1 | 2 | 6 | 7), _)
            )
        };
        self.name_constraints_problem = if subtrees().next().is_none() {
            Some("is empty (RFC 5280 4.2.1.10 forbids it)")
        } else if critical && subtrees().any(|t| !go_evaluates(&t.base)) {
            Some(
                "constrains name forms (otherName, directoryName, …) that Go clients cannot evaluate, so they reject the chain",
            )
        } else {
            None
        };
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

/// The extensions Go's crypto/x509 understands (a critical one of any other
/// kind makes it reject the certificate).
const GO_HANDLES: &[&Oid<'static>] = &[
    &OID_X509_EXT_SUBJECT_KEY_IDENTIFIER,
    &OID_X509_EXT_KEY_USAGE,
    &OID_X509_EXT_SUBJECT_ALT_NAME,
    &OID_X509_EXT_BASIC_CONSTRAINTS,
    &OID_X509_EXT_NAME_CONSTRAINTS,
    &OID_X509_EXT_CRL_DISTRIBUTION_POINTS,
    &OID_X509_EXT_CERTIFICATE_POLICIES,
    &OID_X509_EXT_POLICY_MAPPINGS,
    &OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER,
    &OID_X509_EXT_POLICY_CONSTRAINTS,
    &OID_X509_EXT_EXTENDED_KEY_USAGE,
    &OID_X509_EXT_INHIBIT_ANY_POLICY,
    &OID_PKIX_AUTHORITY_INFO_ACCESS,
];

/// An extension's name in the messages.
fn extension_name(oid: &Oid<'_>) -> String {
    let names: [(&Oid<'_>, &str); 8] = [
        (&OID_X509_EXT_SUBJECT_ALT_NAME, "subjectAltName"),
        (&OID_X509_EXT_BASIC_CONSTRAINTS, "basicConstraints"),
        (&OID_X509_EXT_KEY_USAGE, "keyUsage"),
        (&OID_X509_EXT_EXTENDED_KEY_USAGE, "extendedKeyUsage"),
        (&OID_X509_EXT_SUBJECT_KEY_IDENTIFIER, "subjectKeyIdentifier"),
        (
            &OID_X509_EXT_AUTHORITY_KEY_IDENTIFIER,
            "authorityKeyIdentifier",
        ),
        (&OID_X509_EXT_NAME_CONSTRAINTS, "nameConstraints"),
        (&OID_PKIX_AUTHORITY_INFO_ACCESS, "authorityInfoAccess"),
    ];
    names
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or_else(|| oid.to_id_string(), |(_, n)| n.to_string())
}

/// A name as `CN=…, O=…` (RDNs in encoded order, `+` inside a
/// multi-valued one), from x509-parser's attributes. The short names are
/// RFC 4514's and the usual others; any other type is its dotted OID, and a
/// value that is not text is `#` and its DER contents in hex. (x509-parser's
/// own Display asks its OID registry, a runtime table of every OID it knows
/// with descriptions: 30 KB of the page for a dozen names.)
fn name_text(name: &X509Name<'_>) -> String {
    name.iter()
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
                    let value = text(attr).unwrap_or_else(|| {
                        let hex: String = attr
                            .attr_value()
                            .data
                            .iter()
                            .map(|b| format!("{b:02x}"))
                            .collect();
                        format!("#{hex}")
                    });
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An attribute's text: the string types x509-parser reads as text, and
/// BMPString (UTF-16) and T61String (Latin-1 in practice) as Go reads them.
fn text(attr: &AttributeTypeAndValue<'_>) -> Option<String> {
    if let Ok(s) = attr.as_str() {
        return Some(s.to_string());
    }
    let value: &Any<'_> = attr.attr_value();
    match value.tag() {
        Tag::BmpString => BmpString::try_from(value.clone()).ok().map(|s| s.string()),
        Tag::T61String => Some(value.data.iter().map(|&b| char::from(b)).collect()),
        Tag::VisibleString => std::str::from_utf8(value.data).ok().map(str::to_string),
        _ => None,
    }
}

/// The public key, from x509-parser's SubjectPublicKeyInfo.
fn public_key(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> Result<KeyKind, String> {
    let alg = &spki.algorithm.algorithm;
    let bits = spki.subject_public_key.data.to_vec();
    Ok(if *alg == OID_PKCS1_RSAENCRYPTION {
        let Ok(PublicKey::RSA(rsa)) = spki.parsed() else {
            return Err("RSA public key is malformed".into());
        };
        let unsigned = |b: &[u8]| {
            let start = b.iter().position(|&x| x != 0).unwrap_or(b.len());
            b[start..].to_vec()
        };
        let (n, e) = (unsigned(rsa.modulus), unsigned(rsa.exponent));
        if n.is_empty() || e.is_empty() {
            return Err("RSA public key is malformed".into());
        }
        let top = n.first().map_or(0, |b| 8 - b.leading_zeros() as usize);
        KeyKind::Rsa {
            bits: n.len().saturating_sub(1) * 8 + top,
            n,
            e,
        }
    } else if *alg == OID_KEY_TYPE_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok());
        let (curve, field_bits) = match curve {
            Some(c) if c == OID_EC_P256 => ("P-256".to_string(), 256),
            Some(c) if c == OID_NIST_EC_P384 => ("P-384".to_string(), 384),
            Some(c) if c == OID_NIST_EC_P521 => ("P-521".to_string(), 521),
            Some(c) if c.to_id_string() == "1.3.132.0.10" => ("secp256k1".to_string(), 256),
            Some(c) => (format!("curve {c}"), 0),
            None => ("curve (none named)".to_string(), 0),
        };
        KeyKind::Ec {
            curve,
            bits: field_bits,
            point: bits,
        }
    } else if *alg == OID_SIG_ED25519 {
        KeyKind::Ed25519(bits)
    } else {
        KeyKind::Other(alg.to_id_string())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let inputs: &[&[u8]] = &[
            &[],
            &[0x30],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x30, 0x01, 0x00],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            &[0x30, 0x06, 0x30, 0x00, 0x30, 0x00, 0x03, 0x00],
            &[0x02, 0x01, 0x00],
        ];
        for input in inputs {
            assert!(Cert::parse(input).is_err(), "{input:02x?}");
        }
    }
}
