//! One certificate read once into owned facts: names, dates, key,
//! extensions and the raw parts the validator and the signature questions
//! need. The reading is msr-expose's own small DER walk (RFC 5280 4.1): the
//! verdict on the certificate is rustls-webpki's, which parses it again
//! strictly, so this only has to read well-formed certificates right and
//! refuse the rest without panicking. It replaced x509-parser, whose second
//! DER stack the page no longer carries.

use super::der::{self, Tlv, tag};
use sha2::{Digest, Sha256};
use std::net::IpAddr;

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
    /// What is wrong with the nameConstraints extension, if anything that
    /// Go clients reject: empty, a DNS constraint with a leading period, or
    /// (when critical) name forms Go cannot evaluate.
    pub name_constraints_problem: Option<&'static str>,
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
    /// extendedKeyUsage's purposes by name (dotted OID when unknown), when present.
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
    /// Parses one DER certificate; trailing bytes (as in openssl's
    /// TRUSTED CERTIFICATE) are ignored.
    pub fn parse(input: &[u8]) -> Result<Cert, String> {
        let (outer, rest) = der::read(input).ok_or("not DER: truncated or bad length")?;
        if outer.tag != tag::SEQUENCE {
            return Err("not a certificate: no outer SEQUENCE".into());
        }
        let used = &input[..input.len() - rest.len()];
        let mut parts = Reader(outer.value);
        let tbs_tlv = parts.expect(tag::SEQUENCE, "tbsCertificate")?;
        let sig_alg = parts.expect(tag::SEQUENCE, "signatureAlgorithm")?;
        let sig_value = parts.expect(tag::BIT_STRING, "signatureValue")?;
        parts.end("certificate")?;
        let (tbs_der, _) = tbs_raw(outer.value)?;

        let mut t = Reader(tbs_tlv.value);
        if t.peek() == Some(0xa0) {
            let v = t.expect(0xa0, "version")?;
            let (int, _) = der::read(v.value).ok_or("version: bad DER")?;
            if int.tag != tag::INTEGER || !matches!(int.value, [0..=2]) {
                return Err("version: not v1, v2 or v3".into());
            }
        }
        let serial = t.expect(tag::INTEGER, "serialNumber")?;
        t.expect(tag::SEQUENCE, "signature")?;
        let issuer = t.expect(tag::SEQUENCE, "issuer")?;
        let validity = t.expect(tag::SEQUENCE, "validity")?;
        let subject = t.expect(tag::SEQUENCE, "subject")?;
        let spki_start = t.0;
        let spki = t.expect(tag::SEQUENCE, "subjectPublicKeyInfo")?;
        let spki_der = &spki_start[..spki_start.len() - t.0.len()];
        let mut extensions = None;
        while let Some(tag_byte) = t.peek() {
            let tlv = t.any("tbsCertificate")?;
            if tag_byte == 0xa3 {
                let (seq, _) = der::read(tlv.value).ok_or("extensions: bad DER")?;
                if seq.tag != tag::SEQUENCE {
                    return Err("extensions: not a SEQUENCE".into());
                }
                extensions = Some(seq.value);
            }
        }

        let mut v = Reader(validity.value);
        let not_before = time(&v.any("notBefore")?)?;
        let not_after = time(&v.any("notAfter")?)?;
        let (spki_alg, public_key_bits, key) = public_key(spki.value)?;
        let (sig_oid, _) = der::read(sig_alg.value).ok_or("signatureAlgorithm: bad DER")?;
        let signature = bit_string(sig_value.value)?.to_vec();

        let mut c = Cert {
            der: used.to_vec(),
            subject: name_text(subject.value)?,
            issuer: name_text(issuer.value)?,
            subject_raw: raw_of(subject),
            issuer_raw: raw_of(issuer),
            serial: colon_hex(serial.value),
            common_names: common_names(subject.value),
            dns_names: Vec::new(),
            ip_addresses: Vec::new(),
            has_san_extension: false,
            not_before,
            not_after,
            is_ca: false,
            name_constraints_problem: None,
            nc_permitted_subdomains_only: Vec::new(),
            unknown_critical: Vec::new(),
            key_usage: None,
            eku_server_auth: None,
            key_usage_names: None,
            eku_names: None,
            ski: None,
            aki: None,
            key,
            sig_alg: oid_text(sig_oid.value),
            sig_alg_id: sig_alg.value.to_vec(),
            spki: spki_der.to_vec(),
            spki_alg,
            public_key_bits,
            tbs: tbs_der.to_vec(),
            signature,
            sha256: colon_hex(&Sha256::digest(used)),
        };
        if let Some(exts) = extensions {
            c.read_extensions(exts)?;
        }
        Ok(c)
    }

    fn read_extensions(&mut self, exts: &[u8]) -> Result<(), String> {
        let mut seen: Vec<&[u8]> = Vec::new();
        let mut r = Reader(exts);
        while r.peek().is_some() {
            let ext = r.expect(tag::SEQUENCE, "extension")?;
            let mut e = Reader(ext.value);
            let oid = e.expect(tag::OID, "extnID")?.value;
            let critical = if e.peek() == Some(0x01) {
                e.any("critical")?.value.first().is_some_and(|&b| b != 0)
            } else {
                false
            };
            let value = e.expect(tag::OCTET_STRING, "extnValue")?.value;
            if seen.contains(&oid) {
                return Err(format!("extension {} appears twice", oid_text(oid)));
            }
            seen.push(oid);
            let bad = |what: &str| format!("extension {what} is malformed");
            match oid {
                // subjectAltName: dNSName [2] and iPAddress [7].
                [0x55, 0x1d, 0x11] => {
                    self.has_san_extension = true;
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("subjectAltName"))?;
                    for name in der::items(seq.value) {
                        match name.tag {
                            0x82 => self
                                .dns_names
                                .push(String::from_utf8_lossy(name.value).into_owned()),
                            0x87 => self.ip_addresses.extend(ip_from_bytes(name.value)),
                            _ => {}
                        }
                    }
                }
                // basicConstraints: SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLen }.
                [0x55, 0x1d, 0x13] => {
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("basicConstraints"))?;
                    self.is_ca = der::items(seq.value)
                        .first()
                        .is_some_and(|b| b.tag == 0x01 && b.value.first().is_some_and(|&v| v != 0));
                }
                // keyUsage: BIT STRING, bit 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign.
                [0x55, 0x1d, 0x0f] => {
                    let (bits, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::BIT_STRING)
                        .ok_or_else(|| bad("keyUsage"))?;
                    let b = bits.value.get(1).copied().unwrap_or(0);
                    self.key_usage = Some((b & 0x80 != 0, b & 0x20 != 0, b & 0x04 != 0));
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
                    let b2 = bits.value.get(2).copied().unwrap_or(0);
                    self.key_usage_names = Some(
                        NAMES
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| {
                                if *i < 8 {
                                    b & (0x80 >> i) != 0
                                } else {
                                    b2 & 0x80 != 0
                                }
                            })
                            .map(|(_, n)| *n)
                            .collect(),
                    );
                }
                // extendedKeyUsage: SEQUENCE OF OID; serverAuth or anyExtendedKeyUsage.
                [0x55, 0x1d, 0x25] => {
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("extendedKeyUsage"))?;
                    self.eku_server_auth = Some(der::items(seq.value).iter().any(|p| {
                        p.value == [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]
                            || p.value == [0x55, 0x1d, 0x25, 0x00]
                    }));
                    self.eku_names = Some(
                        der::items(seq.value)
                            .iter()
                            .map(|p| eku_name(p.value))
                            .collect(),
                    );
                }
                // subjectKeyIdentifier: OCTET STRING.
                [0x55, 0x1d, 0x0e] => {
                    let (ki, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::OCTET_STRING)
                        .ok_or_else(|| bad("subjectKeyIdentifier"))?;
                    self.ski = Some(ki.value.to_vec());
                }
                // authorityKeyIdentifier: SEQUENCE { [0] keyIdentifier, … }.
                [0x55, 0x1d, 0x23] => {
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("authorityKeyIdentifier"))?;
                    self.aki = der::items(seq.value)
                        .iter()
                        .find(|t| t.tag == 0x80)
                        .map(|t| t.value.to_vec());
                }
                // nameConstraints: SEQUENCE { [0] permitted, [1] excluded },
                // each a SEQUENCE OF GeneralSubtree { base GeneralName, … }.
                [0x55, 0x1d, 0x1e] => {
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("nameConstraints"))?;
                    let trees = der::items(seq.value);
                    self.nc_permitted_subdomains_only = trees
                        .iter()
                        .filter(|t| t.tag == 0xa0)
                        .flat_map(|t| der::items(t.value))
                        .filter_map(|subtree| der::items(subtree.value).first().copied())
                        .filter(|b| b.tag == 0x82 && b.value.first() == Some(&b'.'))
                        .map(|b| String::from_utf8_lossy(&b.value[1..]).to_ascii_lowercase())
                        .collect();
                    let bases: Vec<Tlv<'_>> = trees
                        .iter()
                        .filter(|t| matches!(t.tag, 0xa0 | 0xa1))
                        .flat_map(|t| der::items(t.value))
                        .filter_map(|subtree| der::items(subtree.value).first().copied())
                        .collect();
                    self.name_constraints_problem = if bases.is_empty() {
                        Some("is empty (RFC 5280 4.2.1.10 forbids it)")
                    } else if critical
                        && bases
                            .iter()
                            .any(|b| !matches!(b.tag, 0x81 | 0x82 | 0x86 | 0x87))
                    {
                        Some(
                            "constrains name forms (otherName, directoryName, …) that Go clients cannot evaluate, so they reject the chain",
                        )
                    } else {
                        None
                    };
                }
                // authorityInfoAccess: SEQUENCE OF AccessDescription { OID, GeneralName }.
                [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01] => {
                    let (seq, _) = der::read(value)
                        .filter(|(t, _)| t.tag == tag::SEQUENCE)
                        .ok_or_else(|| bad("authorityInfoAccess"))?;
                    let well_formed = der::items(seq.value).iter().all(|ad| {
                        ad.tag == tag::SEQUENCE
                            && matches!(der::items(ad.value).as_slice(),
                                [m, loc] if m.tag == tag::OID && loc.tag & 0x80 != 0)
                    });
                    if !well_formed {
                        return Err(bad("authorityInfoAccess"));
                    }
                }
                _ => {}
            }
            if critical && !GO_HANDLES.contains(&oid) {
                self.unknown_critical.push(oid_text(oid));
            }
        }
        Ok(())
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
const GO_HANDLES: &[&[u8]] = &[
    &[0x55, 0x1d, 0x0e],                               // subjectKeyIdentifier
    &[0x55, 0x1d, 0x0f],                               // keyUsage
    &[0x55, 0x1d, 0x11],                               // subjectAltName
    &[0x55, 0x1d, 0x13],                               // basicConstraints
    &[0x55, 0x1d, 0x1e],                               // nameConstraints
    &[0x55, 0x1d, 0x1f],                               // cRLDistributionPoints
    &[0x55, 0x1d, 0x20],                               // certificatePolicies
    &[0x55, 0x1d, 0x21],                               // policyMappings
    &[0x55, 0x1d, 0x23],                               // authorityKeyIdentifier
    &[0x55, 0x1d, 0x24],                               // policyConstraints
    &[0x55, 0x1d, 0x25],                               // extendedKeyUsage
    &[0x55, 0x1d, 0x36],                               // inhibitAnyPolicy
    &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01], // authorityInfoAccess
];

/// Reads the elements of a constructed value in order.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.0.first().copied()
    }

    fn any(&mut self, what: &str) -> Result<Tlv<'a>, String> {
        let (tlv, rest) =
            der::read(self.0).ok_or_else(|| format!("{what}: missing or truncated"))?;
        self.0 = rest;
        Ok(tlv)
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<Tlv<'a>, String> {
        let tlv = self.any(what)?;
        if tlv.tag == tag {
            Ok(tlv)
        } else {
            Err(format!("{what}: unexpected tag 0x{:02x}", tlv.tag))
        }
    }

    fn end(&self, what: &str) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(format!("{what}: unexpected bytes after the end"))
        }
    }
}

/// The tbsCertificate element with its header, as signed.
fn tbs_raw(certificate: &[u8]) -> Result<(&[u8], &[u8]), String> {
    let (_, rest) = der::read(certificate).ok_or("tbsCertificate: truncated")?;
    Ok((&certificate[..certificate.len() - rest.len()], rest))
}

/// A Name's contents, compared byte for byte as the validator compares them.
fn raw_of(name: Tlv<'_>) -> Vec<u8> {
    name.value.to_vec()
}

/// BIT STRING contents without the unused-bits octet (which must be 0).
fn bit_string(v: &[u8]) -> Result<&[u8], String> {
    match v.split_first() {
        Some((0, bits)) => Ok(bits),
        _ => Err("BIT STRING with unused bits".into()),
    }
}

/// SubjectPublicKeyInfo contents → (AlgorithmIdentifier contents, key bits, key).
fn public_key(spki: &[u8]) -> Result<(Vec<u8>, Vec<u8>, KeyKind), String> {
    let mut r = Reader(spki);
    let alg = r.expect(tag::SEQUENCE, "algorithm")?;
    let bits = bit_string(r.expect(tag::BIT_STRING, "subjectPublicKey")?.value)?;
    let mut a = Reader(alg.value);
    let oid = a.expect(tag::OID, "algorithm")?.value;
    let params = a.any("parameters").ok();
    let key = match oid {
        // rsaEncryption: RSAPublicKey ::= SEQUENCE { n, e }.
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01] => {
            match der::sequence(bits).as_deref() {
                Some([n, e]) => {
                    let n = der::unsigned(n).ok_or("RSA modulus")?;
                    let e = der::unsigned(e).ok_or("RSA exponent")?;
                    let top = n.first().map_or(0, |b| 8 - b.leading_zeros() as usize);
                    KeyKind::Rsa {
                        bits: n.len().saturating_sub(1) * 8 + top,
                        n,
                        e,
                    }
                }
                _ => return Err("RSA public key is malformed".into()),
            }
        }
        // id-ecPublicKey with a named curve.
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01] => {
            let curve_oid = params
                .filter(|p| p.tag == tag::OID)
                .map(|p| p.value)
                .unwrap_or_default();
            let (curve, bits_len) = match curve_oid {
                [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => ("P-256".to_string(), 256),
                [0x2b, 0x81, 0x04, 0x00, 0x22] => ("P-384".to_string(), 384),
                [0x2b, 0x81, 0x04, 0x00, 0x23] => ("P-521".to_string(), 521),
                [0x2b, 0x81, 0x04, 0x00, 0x0a] => ("secp256k1".to_string(), 256),
                other => (format!("curve {}", oid_text(other)), 0),
            };
            KeyKind::Ec {
                curve,
                bits: bits_len,
                point: bits.to_vec(),
            }
        }
        [0x2b, 0x65, 0x70] => KeyKind::Ed25519(bits.to_vec()),
        other => KeyKind::Other(oid_text(other)),
    };
    Ok((alg.value.to_vec(), bits.to_vec(), key))
}

/// An OBJECT IDENTIFIER's contents as dotted text (`1.2.840.113549.1.1.11`).
fn oid_text(oid: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut acc: u128 = 0;
    for &b in oid {
        acc = (acc << 7) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - first * 40);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        }
        if acc > u128::MAX >> 8 {
            return format!("#{}", hex_lower(oid));
        }
    }
    arcs.iter()
        .map(u128::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// UTCTime or GeneralizedTime (RFC 5280 4.1.2.5: UTC, seconds, `Z`) as Unix seconds.
fn time(t: &Tlv<'_>) -> Result<i64, String> {
    let text = std::str::from_utf8(t.value).map_err(|_| "validity: not text")?;
    let digits = text
        .strip_suffix('Z')
        .ok_or("validity: not in UTC (no Z)")?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("validity: {text:?} is not a time"));
    }
    let n = |s: &str| s.parse::<i64>().map_err(|_| format!("validity: {text:?}"));
    let (year, rest) = match (t.tag, digits.len()) {
        (0x17, 12) => {
            let yy = n(&digits[..2])?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &digits[2..])
        }
        (0x18, 14) => (n(&digits[..4])?, &digits[4..]),
        _ => {
            return Err(format!(
                "validity: {text:?} is not a UTCTime or GeneralizedTime"
            ));
        }
    };
    let (month, day, h, m, sec) = (
        n(&rest[..2])?,
        n(&rest[2..4])?,
        n(&rest[4..6])?,
        n(&rest[6..8])?,
        n(&rest[8..10])?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return Err(format!("validity: {text:?} is out of range"));
    }
    // Howard Hinnant's days-from-civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400 + h * 3600 + m * 60 + sec)
}

/// One attribute of a Name: its type OID's contents and its value element.
type Attribute<'a> = (Vec<u8>, Tlv<'a>);

/// A Name's attributes in order, grouped by RDN.
fn attributes(name: &[u8]) -> Result<Vec<Vec<Attribute<'_>>>, String> {
    let mut rdns = Vec::new();
    let mut r = Reader(name);
    while r.peek().is_some() {
        let set = r.expect(0x31, "RelativeDistinguishedName")?;
        let mut rdn = Vec::new();
        let mut a = Reader(set.value);
        while a.peek().is_some() {
            let atv = a.expect(tag::SEQUENCE, "AttributeTypeAndValue")?;
            let mut x = Reader(atv.value);
            let oid = x.expect(tag::OID, "attribute type")?.value.to_vec();
            let value = x.any("attribute value")?;
            rdn.push((oid, value));
        }
        rdns.push(rdn);
    }
    Ok(rdns)
}

/// A directory string's text, when it is one of the string types.
fn string_value(v: &Tlv<'_>) -> Option<String> {
    match v.tag {
        // UTF8String, PrintableString, IA5String, T61String (Latin-1 in practice), VisibleString.
        0x0c | 0x13 | 0x16 | 0x1a => std::str::from_utf8(v.value).ok().map(str::to_string),
        0x14 => Some(v.value.iter().map(|&b| char::from(b)).collect()),
        // BMPString: UTF-16BE.
        0x1e if v.value.len().is_multiple_of(2) => {
            let units: Vec<u16> = v
                .value
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

fn common_names(name: &[u8]) -> Vec<String> {
    attributes(name)
        .unwrap_or_default()
        .iter()
        .flatten()
        .filter(|(oid, _)| oid.as_slice() == [0x55, 0x04, 0x03])
        .filter_map(|(_, v)| string_value(v))
        .collect()
}

/// A name as `O=…, CN=…` (RFC 4514 order as encoded, `+` inside a
/// multi-valued RDN).
fn name_text(name: &[u8]) -> Result<String, String> {
    Ok(attributes(name)?
        .iter()
        .map(|rdn| {
            rdn.iter()
                .map(|(oid, value)| {
                    let oid = oid_text(oid);
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
                    let text = string_value(value)
                        .unwrap_or_else(|| format!("#{}", hex_lower(value.value)));
                    format!("{key}={text}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect::<Vec<_>>()
        .join(", "))
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(b).ok().map(IpAddr::from),
        _ => None,
    }
}

/// An extendedKeyUsage purpose by its RFC 5280 name, or as a dotted OID.
fn eku_name(oid: &[u8]) -> String {
    const PKIX_KP: [u8; 7] = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03];
    if oid == [0x55, 0x1d, 0x25, 0x00] {
        return "anyExtendedKeyUsage".into();
    }
    if let Some(&[n]) = oid.strip_prefix(&PKIX_KP[..]) {
        let name = match n {
            1 => "serverAuth",
            2 => "clientAuth",
            3 => "codeSigning",
            4 => "emailProtection",
            8 => "timeStamping",
            9 => "OCSPSigning",
            _ => "",
        };
        if !name.is_empty() {
            return name.into();
        }
    }
    dotted_oid(oid)
}

/// An OID's DER content as dotted decimal.
fn dotted_oid(oid: &[u8]) -> String {
    let Some((&first, rest)) = oid.split_first() else {
        return String::new();
    };
    let mut parts = vec![
        u64::from(first / 40).min(2),
        u64::from(first) - u64::from(first / 40).min(2) * 40,
    ];
    let mut n: u64 = 0;
    for &b in rest {
        n = n.saturating_mul(128).saturating_add(u64::from(b & 0x7f));
        if b & 0x80 == 0 {
            parts.push(n);
            n = 0;
        }
    }
    parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
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
    #[test]
    fn extended_key_usage_names() {
        // (OID content, name, reason)
        let cases: &[(&[u8], &str, &str)] = &[
            (
                &[0x2b, 6, 1, 5, 5, 7, 3, 1],
                "serverAuth",
                "id-kp-serverAuth",
            ),
            (
                &[0x2b, 6, 1, 5, 5, 7, 3, 2],
                "clientAuth",
                "id-kp-clientAuth",
            ),
            (
                &[0x55, 0x1d, 0x25, 0x00],
                "anyExtendedKeyUsage",
                "the any purpose",
            ),
            (
                &[0x2b, 6, 1, 4, 1, 0x82, 0x37, 10, 3, 4],
                "1.3.6.1.4.1.311.10.3.4",
                "an unknown purpose as a dotted OID (multi-byte arc)",
            ),
        ];
        for (oid, name, why) in cases {
            assert_eq!(super::eku_name(oid), *name, "{why}");
        }
    }

    use super::*;

    #[test]
    fn oids_as_text() {
        // (contents, dotted, reason)
        let cases: &[(&[u8], &str, &str)] = &[
            (
                &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b],
                "1.2.840.113549.1.1.11",
                "multi-byte arcs",
            ),
            (&[0x55, 0x1d, 0x11], "2.5.29.17", "first octet 2*40+5"),
            (&[0x2b, 0x65, 0x70], "1.3.101.112", "Ed25519"),
            (
                &[0x88, 0x37, 0x03],
                "2.999.3",
                "first arc 2 with a large second arc",
            ),
            (&[0x00], "0.0", "smallest"),
        ];
        for (oid, text, why) in cases {
            assert_eq!(oid_text(oid), *text, "{why}");
        }
    }

    #[test]
    fn validity_times() {
        let t = |tag: u8, s: &str| {
            time(&Tlv {
                tag,
                value: s.as_bytes(),
            })
        };
        // (tag, text, Unix seconds or None, reason)
        let cases: &[(u8, &str, Option<i64>, &str)] = &[
            (0x17, "700101000000Z", Some(0), "the epoch as UTCTime"),
            (
                0x17,
                "491231235959Z",
                Some(2_524_607_999),
                "YY 49 is 2049 (RFC 5280)",
            ),
            (0x17, "500101000000Z", Some(-631_152_000), "YY 50 is 1950"),
            (
                0x18,
                "20991231235959Z",
                Some(4_102_444_799),
                "GeneralizedTime",
            ),
            (0x18, "20240229120000Z", Some(1_709_208_000), "leap day"),
            (0x17, "700101000000+0100", None, "offsets are not UTC"),
            (0x17, "7001010000Z", None, "seconds missing"),
            (0x18, "20241301000000Z", None, "month 13"),
            (0x04, "700101000000Z", None, "not a time type"),
            (0x17, "70010100000aZ", None, "not digits"),
        ];
        for (tag, text, want, why) in cases {
            assert_eq!(t(*tag, text).ok(), *want, "{why}");
        }
    }

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
