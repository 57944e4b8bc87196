//! Certificate checks: does the cache's TLS material fit the interface it is
//! exposed through? Reads the certificate bundle, the optional private key
//! and CA, and reports every problem as a finding with its fix, plus a report
//! per certificate. Time is a parameter; nothing here reads a clock.

pub mod chain;
pub mod crypto;
pub mod der;
pub mod key;
pub mod name;
pub mod parsed;
pub mod path;
pub mod pem;
pub mod sig;

use crate::codes::Code;
use crate::finding::{Finding, sort_for_display};
use crate::fqdn::Host;
use chain::{Signatures, Source};
pub use crypto::{Answers, Questions};
use key::KeyRead;
use parsed::{Cert, KeyKind};
use path::Verdict;
use serde::Serialize;

/// Days before expiry from which a warning is given.
pub const EXPIRY_WARNING_DAYS: i64 = 30;
/// Smallest RSA modulus accepted.
pub const MIN_RSA_BITS: usize = 2048;

/// The operator's TLS material, as given (PEM text or DER bytes).
#[derive(Debug, Clone, Copy, Default)]
pub struct TlsInput<'a> {
    /// `cache.cert.pem`: the cache's certificate, then its intermediates.
    pub cert: &'a [u8],
    /// `cache.key.pem`: the private key (read only to match it to the certificate).
    pub key: Option<&'a [u8]>,
    /// The CA clients trust (`msr.cert.pem` or the issuing CA).
    pub ca: Option<&'a [u8]>,
}

/// A certificate's place in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The cache's own certificate.
    Leaf,
    /// An intermediate CA.
    Intermediate,
    /// A self-issued root CA.
    Root,
    /// In the bundle but not on the chain.
    Unrelated,
}

/// What one certificate is, for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    /// Its place in the chain.
    pub role: Role,
    /// `cert` or `ca`: which input it came from.
    pub source: &'static str,
    /// 1-based position in that input.
    pub position: usize,
    /// Subject.
    pub subject: String,
    /// Issuer.
    pub issuer: String,
    /// Serial number, colon-separated hex.
    pub serial: String,
    /// DNS SANs.
    pub dns_names: Vec<String>,
    /// IP SANs.
    pub ip_addresses: Vec<String>,
    /// The SAN that covers the exposed host (leaf only).
    pub matched_name: Option<String>,
    /// notBefore, RFC 3339.
    pub not_before: String,
    /// notAfter, RFC 3339.
    pub not_after: String,
    /// Whole days from `now` to notAfter (negative when expired).
    pub days_left: i64,
    /// Key type and size, such as `RSA 4096` or `ECDSA P-256`.
    pub key: String,
    /// Signature algorithm.
    pub signature_algorithm: String,
    /// SHA-256 fingerprint, colon-separated uppercase hex.
    pub sha256_fingerprint: String,
    /// basicConstraints CA:TRUE.
    pub is_ca: bool,
    /// keyUsage's bits by name; `None` when the extension is absent.
    pub key_usage: Option<Vec<String>>,
    /// extendedKeyUsage's purposes by name; `None` when absent.
    pub extended_key_usage: Option<Vec<String>>,
}

/// The verdict on the TLS material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsReport {
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
    /// The chain (leaf first), then unrelated certificates.
    pub certificates: Vec<CertInfo>,
    /// Whether the private key matches the leaf; `None` when no key was given or it was unreadable.
    pub key_matches: Option<bool>,
}

/// The material read once: certificates parsed, the key read, and the
/// questions only a crypto library can answer. Checking it for a host at an
/// instant is cheap; the page keeps it (and its answers) while only the
/// spec changes.
#[derive(Debug, Clone)]
pub struct Material {
    bundle: Vec<Cert>,
    cas: Vec<Cert>,
    ca_given: bool,
    /// A CA input was given but held no certificate that could be read.
    ca_unreadable: bool,
    key: Option<Result<KeyRead, Vec<Finding>>>,
    read_findings: Vec<Finding>,
    questions: Questions,
}

impl Material {
    /// Reads the inputs; wrong material becomes findings, never a panic.
    pub fn read(input: &TlsInput<'_>) -> Material {
        let mut f = Vec::new();
        let bundle = read_certs(input.cert, "cert", &mut f);
        let cas = match input.ca {
            Some(ca) => read_certs(ca, "ca", &mut f),
            None => Vec::new(),
        };
        let key = input.key.map(key::read_key);
        let questions = Questions {
            signatures: crypto::signature_questions(
                &bundle.iter().collect::<Vec<_>>(),
                &cas.iter().collect::<Vec<_>>(),
            ),
            key: match &key {
                Some(Ok(KeyRead::Derive(q))) => Some(q.clone()),
                _ => None,
            },
        };
        Material {
            ca_given: input.ca.is_some() && !cas.is_empty(),
            ca_unreadable: input.ca.is_some() && cas.is_empty(),
            bundle,
            cas,
            key,
            read_findings: f,
            questions,
        }
    }

    /// What the platform must answer before `check`.
    pub fn questions(&self) -> &Questions {
        &self.questions
    }

    /// Checks the material for the host clients will connect to (`None`
    /// skips the name check, for a spec that is not valid yet) at `now`
    /// (Unix seconds), with the platform's `answers` to `questions()`.
    pub fn check(&self, expect: Option<&Host>, now: i64, answers: &Answers) -> TlsReport {
        let mut f = self.read_findings.clone();
        let (bundle, cas) = (&self.bundle, &self.cas);
        let mut report = TlsReport {
            findings: Vec::new(),
            certificates: Vec::new(),
            key_matches: None,
        };
        if bundle.is_empty() {
            sort_for_display(&mut f);
            report.findings = f;
            return report;
        }
        let sigs = Signatures {
            questions: &self.questions.signatures,
            answers: &answers.signatures,
        };

        // The verdict: the path validator, over the bundle to the CA.
        let leaf_at = chain::leaf_index(bundle);
        let others: Vec<&Cert> = bundle
            .iter()
            .enumerate()
            .filter(|&(i, c)| i != leaf_at && bundle[..i].iter().all(|d| d.der != c.der))
            .map(|(_, c)| c)
            .collect();
        // Without a CA the bundle's own top stands in for it, so that what
        // lies below (signatures, constraints, usages) is still validated.
        let anchors: Vec<&Cert> = if self.ca_given {
            cas.iter().collect()
        } else if bundle[leaf_at].is_self_issued() {
            vec![&bundle[leaf_at]]
        } else {
            others.clone()
        };
        let verdict = if anchors.is_empty() {
            None
        } else {
            Some(path::validate(
                &bundle[leaf_at],
                &others,
                &anchors,
                expect,
                now,
                &self.questions.signatures,
                answers,
            ))
        };
        let prefer: Vec<Vec<u8>> = match &verdict {
            Some(Verdict::Valid {
                intermediates,
                anchor,
            }) => {
                let mut p = intermediates.clone();
                p.extend(anchors.get(*anchor).map(|c| c.der.clone()));
                p
            }
            _ => Vec::new(),
        };

        // The explanation: msr-expose's own walk and checks.
        let chain = chain::build(bundle, cas, self.ca_given, &prefer, sigs, &mut f);
        if self.ca_unreadable {
            // A CA was given, just not a readable one: say so, not "no CA".
            for x in f.iter_mut().filter(|x| x.code == Code::ChainAnchorUnknown) {
                x.message = x.message.replacen(
                    "no CA was given",
                    "the CA given holds no certificate that could be read (see its finding)",
                    1,
                );
                x.hint = "give the CA certificate itself, in PEM or DER".into();
            }
        }
        let at = |s: &Source| match *s {
            Source::Bundle(i) => (&bundle[i], "cert", i),
            Source::Ca(i) => (&cas[i], "ca", i),
        };
        let leaf = at(&chain.path[0]).0;

        for s in &chain.path {
            let (c, field, _) = at(s);
            check_time(c, field, now, &mut f);
            check_strength(c, field, &mut f);
            check_critical(c, field, &mut f);
        }
        check_leaf(leaf, chain.path.len() == 1 && !chain.anchored, &mut f);
        for s in &chain.path[1..] {
            let (ca, field, _) = at(s);
            check_subdomain_constraints(leaf, ca, field, &mut f);
        }
        let matched = expect.and_then(|host| check_name(leaf, host, &mut f));

        if let Some(k) = &self.key {
            match k {
                Ok(read) => match read.clone().public(answers.public_key.as_deref()) {
                    Some(public) => {
                        let ok = public.matches(&leaf.key);
                        report.key_matches = Some(ok);
                        if !ok {
                            f.push(Finding::error(
                                Code::KeyMismatch,
                                "key",
                                format!(
                                    "the private key ({}) does not belong to the certificate {} ({})",
                                    public.describe(),
                                    leaf.short_name(),
                                    leaf.key.describe()
                                ),
                                "give the key that was used for this certificate's request; the cache cannot serve TLS with another",
                            ));
                        }
                    }
                    None => f.push(Finding::error(
                        Code::KeyUnreadable,
                        "key",
                        "the private key's public half could not be derived: the key is damaged",
                        "check that the file is the complete key; `openssl pkey -in cache.key.pem -noout` tells whether openssl can read it",
                    )),
                },
                Err(findings) => f.extend(findings.iter().cloned()),
            }
        }

        // A rejection the explanation did not cover gets its own finding.
        let rejection = match verdict {
            Some(Verdict::Invalid(e)) if self.ca_given || e != webpki::Error::UnknownIssuer => {
                Some(e)
            }
            None => expect.and_then(|h| path::name_verdict(leaf, h).err()),
            _ => None,
        };
        if let Some(e) = &rejection
            && let Some(x) = path::explain(e, &f)
        {
            f.push(x);
        }
        let stopped_early = match rejection {
            Some(webpki::Error::CaUsedAsEndEntity) => Some(Code::CertLeafIsCa),
            Some(webpki::Error::MaximumPathDepthExceeded) => Some(Code::ChainTooComplex),
            _ => None,
        };
        if let Some(code) = stopped_early {
            let path: Vec<&Cert> = chain.path.iter().map(|s| at(s).0).collect();
            judge_as_go(code, &path, chain.anchored, &mut f);
        }

        for (n, s) in chain.path.iter().enumerate() {
            let (c, source, i) = at(s);
            let role = if n == 0 {
                Role::Leaf
            } else if c.is_self_issued() {
                Role::Root
            } else {
                Role::Intermediate
            };
            let m = if n == 0 { matched.clone() } else { None };
            report.certificates.push(info(c, role, source, i, m, now));
        }
        for &j in &chain.unrelated {
            report
                .certificates
                .push(info(&bundle[j], Role::Unrelated, "cert", j, None, now));
        }
        sort_for_display(&mut f);
        report.findings = f;
        report
    }
}

/// Reads and checks the material in one go, with the platform's `answers`
/// to `Material::read(input).questions()`.
pub fn check_tls(
    input: &TlsInput<'_>,
    expect: Option<&Host>,
    now: i64,
    answers: &Answers,
) -> TlsReport {
    Material::read(input).check(expect, now, answers)
}

/// Reads the certificates of one input, turning wrong material into findings.
/// A usage extension's names as the CLI and the page print them:
/// `digitalSignature, keyEncipherment`, `(empty)`, or `(no extension)`.
pub fn usage_text(names: &Option<Vec<String>>) -> String {
    match names {
        Some(v) if !v.is_empty() => v.join(", "),
        Some(_) => "(empty)".to_string(),
        None => "(no extension)".to_string(),
    }
}

/// Findings for a key (`field` "key") or CA ("ca") given before any
/// certificate, so the page answers at once: what cannot be read, or that
/// it was read and waits for the certificate.
pub fn read_alone(field: &str, input: &[u8]) -> Vec<Finding> {
    let waiting = |what: String| {
        vec![Finding::info(
            Code::CertAwaiting,
            field,
            what,
            "give the cache's certificate (cache.cert.pem)",
        )]
    };
    if field == "key" {
        return match key::read_key(input) {
            Err(f) => f,
            Ok(_) => waiting(
                "the key was read; it is matched with the certificate once one is given".into(),
            ),
        };
    }
    let mut f = Vec::new();
    let cas = read_certs(input, field, &mut f);
    if f.iter().any(Finding::is_error) || cas.is_empty() {
        return f;
    }
    f.extend(waiting(format!(
        "the CA was read ({} certificate{}); the chain is verified against it once the certificate is given",
        cas.len(),
        if cas.len() == 1 { "" } else { "s" }
    )));
    f
}

pub(crate) fn read_certs(input: &[u8], field: &str, f: &mut Vec<Finding>) -> Vec<Cert> {
    let decoded = pem::decode(input, field);
    f.extend(decoded.findings);
    let mut certs = Vec::new();
    let mut input_errors = false;
    for b in &decoded.blocks {
        let label = b.label.as_str();
        let at = if b.line > 0 {
            format!(" (line {})", b.line)
        } else {
            String::new()
        };
        let mut err = |code, msg: String, hint: String| {
            input_errors = true;
            f.push(Finding::error(code, field, msg, hint));
        };
        match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" | "DER" => {
                match Cert::parse(&b.der) {
                    Ok(c) => certs.push(c),
                    Err(e) => match pem::classify_der(&b.der) {
                        Some("PKCS7") => err(Code::PemPkcs7, "this is a PKCS#7 bundle, not a certificate".into(), format!("extract the certificates: `openssl pkcs7 -inform DER -print_certs -in FILE -out {}`", default_file(field))),
                        Some("PKCS12") => err(Code::PemPkcs12, "this is a PKCS#12 (.p12/.pfx) archive, not a certificate".into(), format!("extract the certificates: `openssl pkcs12 -in FILE -nokeys -out {}` (and the key with -nocerts -noenc)", default_file(field))),
                        _ => err(Code::PemBadDer, format!("the certificate{at} cannot be parsed: {e}"), "the block is damaged: copy it again from the original file".into()),
                    },
                }
            }
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => err(
                Code::PemCsr,
                format!("this is a certificate request{at}, not a certificate"),
                "send the request to your CA (the one that issued MSR's certificate) and use the certificate it returns".into(),
            ),
            "OPENSSH PRIVATE KEY" => err(
                Code::PemSshPrivateKey,
                format!("this is an OpenSSH private key{at}, not a certificate"),
                pem::SSH_HINT.into(),
            ),
            l if l.contains("PRIVATE KEY") => err(
                Code::PemPrivateKeyAsCert,
                format!("this is a private key{at}, not a certificate"),
                format!("give the certificate here and keep the key in its own file (cache.key.pem); the key never needs to go into {}", default_file(field)),
            ),
            "PUBLIC KEY" | "RSA PUBLIC KEY" => err(
                Code::PemPublicKeyAsCert,
                format!("this is a bare public key{at}, not a certificate"),
                "a certificate binds the key to the cache's names; get one issued from a request made with this key".into(),
            ),
            "PKCS7" | "CMS" => err(
                Code::PemPkcs7,
                format!("this is a PKCS#7 bundle{at}, not a certificate"),
                format!("extract the certificates: `openssl pkcs7 -print_certs -in FILE -out {}`", default_file(field)),
            ),
            other => f.push(Finding::warning(
                Code::PemUnknownBlock,
                field,
                format!("a {other} block{at} is ignored"),
                "only CERTIFICATE blocks belong in this file",
            )),
        }
    }
    if certs.is_empty() && !input_errors && !f.iter().any(|x| x.is_error() && x.field == field) {
        f.push(Finding::error(
            Code::PemNoCertificate,
            field,
            "no certificate was found",
            format!(
                "give {}, which holds -----BEGIN CERTIFICATE----- blocks",
                default_file(field)
            ),
        ));
    }
    certs
}

fn default_file(field: &str) -> &'static str {
    if field == "ca" {
        "msr.cert.pem"
    } else {
        "cache.cert.pem"
    }
}

/// Unix seconds as RFC 3339 UTC (`2027-01-01T00:00:00Z`), with the civil
/// date from Howard Hinnant's days-to-civil algorithm: a few lines instead of
/// a date library's formatter in the browser build.
pub fn rfc3339(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn days_left(c: &Cert, now: i64) -> i64 {
    (c.not_after - now).div_euclid(86_400)
}

fn check_time(c: &Cert, field: &str, now: i64, f: &mut Vec<Finding>) {
    let who = c.short_name();
    if now < c.not_before {
        f.push(Finding::error(
            Code::CertNotYetValid,
            field,
            format!("{who} is not valid before {}", rfc3339(c.not_before)),
            "wait until then, or check the clock of the machine that issued it; clients reject it until that time",
        ));
    } else if now > c.not_after {
        f.push(Finding::error(
            Code::CertExpired,
            field,
            format!(
                "{who} expired on {} ({} days ago)",
                rfc3339(c.not_after),
                -days_left(c, now)
            ),
            "renew the certificate and update the cache's TLS secret",
        ));
    } else if !c.is_self_issued() && days_left(c, now) < EXPIRY_WARNING_DAYS {
        f.push(Finding::warning(
            Code::CertExpiringSoon,
            field,
            format!(
                "{who} expires on {} (in {} days)",
                rfc3339(c.not_after),
                days_left(c, now)
            ),
            "renew it now; clients stop pulling through the cache the moment it expires",
        ));
    }
}

fn check_strength(c: &Cert, field: &str, f: &mut Vec<Finding>) {
    let who = c.short_name();
    match &c.key {
        KeyKind::Rsa { bits, .. } if *bits < MIN_RSA_BITS => f.push(Finding::error(
            Code::CertRsaWeak,
            field,
            format!("{who} has an RSA key of {bits} bits"),
            "use an RSA key of at least 2048 bits (4096 preferred) or ECDSA P-256",
        )),
        KeyKind::Ec { curve, .. } if !matches!(curve.as_str(), "P-256" | "P-384" | "P-521") => {
            f.push(Finding::error(
                Code::CertUnusualCurve,
                field,
                format!(
                    "{who} uses the curve {curve}, which TLS clients such as Go's do not support (the handshake fails)"
                ),
                "use ECDSA P-256 or P-384",
            ));
        }
        KeyKind::Other(oid) => f.push(Finding::error(
            Code::CertUnusualKey,
            field,
            format!("{who} has a key of algorithm {oid}, which TLS clients such as Go's cannot use (the handshake fails)"),
            "use RSA (2048 bits or more) or ECDSA P-256",
        )),
        _ => {}
    }
    if !c.is_self_issued()
        && let Some(alg) = sig::weak_algorithm(&c.sig_alg)
    {
        f.push(Finding::error(
            Code::CertWeakSignature,
            field,
            format!(
                "{who} is signed with {alg} ({}), which clients reject",
                sig::algorithm_name(&c.sig_alg)
            ),
            "reissue it with a SHA-256 (or stronger) signature",
        ));
    }
}

/// A permitted DNS constraint written `.example.com` covers subdomains only
/// for Go (the validator also lets `example.com` itself through): a leaf
/// naming the apex is outside it for Go clients.
fn check_subdomain_constraints(leaf: &Cert, ca: &Cert, field: &str, f: &mut Vec<Finding>) {
    // Go also holds a hostname-like subject CN to the constraints.
    let hostname_like = |cn: &&String| cn.contains('.') && !cn.contains(' ');
    for apex in &ca.nc_permitted_subdomains_only {
        if leaf
            .dns_names
            .iter()
            .chain(leaf.common_names.iter().filter(hostname_like))
            .any(|d| d.eq_ignore_ascii_case(apex))
        {
            f.push(Finding::error(
                Code::ChainNameConstraints,
                field,
                format!(
                    "{} permits only subdomains of {apex} (constraint .{apex}), but the leaf names {apex} itself (in a SAN or its subject CN); Go clients reject it",
                    ca.short_name()
                ),
                format!("drop {apex} from the certificate's names and subject, or have the CA permit {apex} without the leading period"),
            ));
        }
    }
}

/// A critical extension clients do not understand makes them reject the
/// certificate, a trust anchor included (Go checks roots too).
fn check_critical(c: &Cert, field: &str, f: &mut Vec<Finding>) {
    if !c.unknown_critical.is_empty() {
        f.push(Finding::error(
            Code::ChainCriticalExtension,
            field,
            format!(
                "{} has critical extensions clients do not understand: {}",
                c.short_name(),
                c.unknown_critical.join(", ")
            ),
            "reissue it without them, or with them marked non-critical; clients must reject a certificate with a critical extension they cannot process",
        ));
    }
}

/// Go's verdict where rustls-webpki stops early on a rule Go does not
/// have: a CA certificate as the server's (`CaUsedAsEndEntity`: crypto/x509
/// checks basicConstraints on issuers only, so the quickest `openssl req
/// -x509 … -addext subjectAltName=…`, CA:TRUE, is accepted) or more than six
/// intermediates (`MaximumPathDepthExceeded`: Go builds any depth). Go
/// (docker, containerd, CRI-O, skopeo) and OpenSSL (curl) accept both; the
/// test `go_reference` asks them. webpki's stop leaves the rest of the path
/// unjudged, so the finding becomes a warning only where msr-expose's own
/// walk covers every rule Go applies to it: the path anchored in the CA
/// given; each link's signature verified, every certificate within its
/// validity, no critical extension unread, every issuer a CA (the own
/// checks, which would have said otherwise as errors); each issuer within
/// its pathLenConstraint as Go counts it (the intermediates below it); no
/// issuer constraining names (nameConstraints) or usages (extendedKeyUsage
/// without serverAuth); and no other error. Anything else keeps it an
/// error, so nothing Go rejects is ever accepted.
fn judge_as_go(code: Code, path: &[&Cert], anchored: bool, f: &mut [Finding]) {
    let issuers_plain = path.iter().enumerate().skip(1).all(|(i, c)| {
        !c.name_constrained
            && c.eku_server_auth != Some(false)
            && c.path_len.is_none_or(|max| i - 1 <= max as usize)
    });
    let only = f.iter().filter(|x| x.is_error()).all(|x| x.code == code);
    let Some(leaf) = path.first() else {
        return;
    };
    if !(anchored && issuers_plain && only) {
        return;
    }
    let (message, hint) = if code == Code::CertLeafIsCa {
        (
            format!(
                "the cache certificate {} is a CA certificate (basicConstraints CA:TRUE): Go clients (docker, containerd, CRI-O, skopeo) and curl accept it, but rustls-based clients and browsers refuse a CA certificate as a server's",
                leaf.short_name()
            ),
            "issue the cache a server certificate with CA:FALSE (the certificate plan does): a CA key on the cache can sign certificates for any name",
        )
    } else {
        (
            format!(
                "the chain has {} intermediates: Go clients (docker, containerd, CRI-O, skopeo) and curl build it, but rustls-based clients stop at six; msr-expose checked every link itself (signatures, validity, CA flags, path lengths, critical extensions; no certificate on the path constrains names or usages)",
                path.len().saturating_sub(2)
            ),
            "issue the cache certificate from a CA closer to the root, so the chain has six intermediates or fewer",
        )
    };
    for x in f.iter_mut().filter(|x| x.code == code) {
        *x = Finding::warning(code, "cert", message.clone(), hint);
    }
}

fn check_leaf(leaf: &Cert, lonely_self_signed: bool, f: &mut Vec<Finding>) {
    let who = leaf.short_name();
    if leaf.is_ca {
        f.push(Finding::error(
            Code::CertLeafIsCa,
            "cert",
            format!("the cache certificate {who} is a CA certificate (basicConstraints CA:TRUE)"),
            "issue the cache a server certificate with CA:FALSE (the certificate plan does): rustls-based clients and browsers reject a CA certificate as a server's, and with an intermediate on the path msr-expose cannot judge it as Go would, so it is not passed",
        ));
    }
    if leaf.eku_server_auth == Some(false) {
        f.push(Finding::error(
            Code::CertEkuNoServerAuth,
            "cert",
            format!("{who} has extendedKeyUsage without serverAuth"),
            "reissue it with extendedKeyUsage = serverAuth (openssl: -addext extendedKeyUsage=serverAuth)",
        ));
    }
    // OpenSSL (curl) takes a TLS server's keyUsage with any of
    // digitalSignature, keyEncipherment or keyAgreement; Go reads no
    // leaf's keyUsage. Without all three no client here works: an error.
    // Without digitalSignature alone they work: a warning, since TLS 1.3
    // and ECDHE sign the handshake with this key.
    if let (Some((digital_signature, key_encipherment, _)), Some(names)) =
        (leaf.key_usage, &leaf.key_usage_names)
    {
        let key_agreement = names.contains(&"keyAgreement");
        if !(digital_signature || key_encipherment || key_agreement) {
            f.push(Finding::error(
                Code::CertKeyUsage,
                "cert",
                format!("{who} has keyUsage without digitalSignature, keyEncipherment or keyAgreement: no TLS client accepts it as a server's"),
                "reissue it with keyUsage = digitalSignature (plus keyEncipherment for RSA)",
            ));
        } else if !digital_signature {
            f.push(Finding::warning(
                Code::CertKeyUsage,
                "cert",
                format!("{who} has keyUsage {} but not digitalSignature: Go clients and curl accept it, but TLS 1.3 and ECDHE sign the handshake with this key, which that keyUsage does not allow, and clients that enforce keyUsage (browsers) refuse it", names.join(", ")),
                "reissue it with keyUsage = digitalSignature (plus keyEncipherment for RSA)",
            ));
        }
    }
    if lonely_self_signed && leaf.is_self_issued() {
        f.push(Finding::warning(
            Code::CertSelfSigned,
            "cert",
            format!("{who} is self-signed"),
            "clients must trust this very certificate: distribute it as the CA (docker: /etc/docker/certs.d/<host>/ca.crt), or have it issued by MSR's CA",
        ));
    }
}

/// Checks that the leaf covers the host; returns the matching SAN.
fn check_name(leaf: &Cert, host: &Host, f: &mut Vec<Finding>) -> Option<String> {
    for p in leaf.dns_names.iter() {
        if let Some(problem) = name::wildcard_problem(p) {
            f.push(Finding::warning(
                Code::CertSanBadWildcard,
                "cert",
                format!("the SAN {p} {problem}"),
                "clients ignore this name; use a plain name or *.example.com",
            ));
        }
    }
    let all_names: Vec<String> = leaf
        .dns_names
        .iter()
        .cloned()
        .chain(leaf.ip_addresses.iter().map(|ip| format!("IP:{ip}")))
        .collect();
    let matched = match host {
        Host::Name(fqdn) => leaf
            .dns_names
            .iter()
            .find(|p| name::dns_matches(p, fqdn.as_str()))
            .cloned(),
        Host::Ip(ip) => leaf
            .ip_addresses
            .iter()
            .find(|a| *a == ip)
            .map(|a| format!("IP:{a}")),
    };
    let Some(matched) = matched else {
        let cn_matches = match host {
            Host::Name(fqdn) => leaf
                .common_names
                .iter()
                .any(|cn| name::dns_matches(cn, fqdn.as_str())),
            Host::Ip(ip) => leaf.common_names.iter().any(|cn| cn == &ip.to_string()),
        };
        let san_text = format!(
            "subjectAltName={}",
            match host {
                Host::Name(n) => format!("DNS:{n}"),
                Host::Ip(ip) => format!("IP:{ip}"),
            }
        );
        if cn_matches && leaf.dns_names.is_empty() && leaf.ip_addresses.is_empty() {
            f.push(Finding::error(
                Code::CertCnOnly,
                "cert",
                format!("{host} is only in the subject CN; the certificate has no subjectAltName for it"),
                format!("reissue it with {san_text}: Go-based clients (docker, containerd, kubelet) ignore the CN since Go 1.15"),
            ));
        } else {
            let dns_ip_mixup =
                matches!(host, Host::Ip(ip) if leaf.dns_names.iter().any(|d| d == &ip.to_string()));
            f.push(Finding::error(
                Code::CertNameMismatch,
                "cert",
                if all_names.is_empty() {
                    format!("the certificate names nothing; {host} is not covered")
                } else {
                    format!("{host} is not among the certificate's names: {}", all_names.join(", "))
                },
                if dns_ip_mixup {
                    format!("the address is there as a DNS name; reissue with {san_text} (an IP SAN)")
                } else {
                    format!("expose the cache through the interface the certificate was made for, or reissue it with {san_text}")
                },
            ));
        }
        return None;
    };
    let others: Vec<&String> = all_names.iter().filter(|n| **n != matched).collect();
    if !others.is_empty() {
        f.push(Finding::info(
            Code::CertOtherNames,
            "cert",
            format!(
                "besides {matched}, the certificate also names {}",
                others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            ),
            "fine for other clients of the same interface; but expose the cache through only one interface, the one chosen here",
        ));
    }
    Some(matched)
}

fn info(
    c: &Cert,
    role: Role,
    source: &'static str,
    i: usize,
    matched: Option<String>,
    now: i64,
) -> CertInfo {
    CertInfo {
        role,
        source,
        position: i + 1,
        subject: c.subject.clone(),
        issuer: c.issuer.clone(),
        serial: c.serial.clone(),
        dns_names: c.dns_names.clone(),
        ip_addresses: c.ip_addresses.iter().map(ToString::to_string).collect(),
        matched_name: matched,
        not_before: rfc3339(c.not_before),
        not_after: rfc3339(c.not_after),
        days_left: days_left(c, now),
        key: c.key.describe(),
        signature_algorithm: sig::algorithm_name(&c.sig_alg),
        sha256_fingerprint: c.sha256.clone(),
        is_ca: c.is_ca,
        key_usage: c
            .key_usage_names
            .as_ref()
            .map(|v| v.iter().map(|n| n.to_string()).collect()),
        extended_key_usage: c.eku_names.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn rfc3339_matches_the_time_crate() {
        // Leap days, century rules, the epoch, before the epoch, far future.
        for t in [
            0_i64,
            -1,
            951_782_400,
            951_868_799,
            1_709_164_800,
            4_107_542_399,
            -2_208_988_800,
            253_402_300_799,
            1_798_761_600,
            86_399,
            1_000_000_000,
        ] {
            let want = OffsetDateTime::from_unix_timestamp(t)
                .ok()
                .and_then(|d| d.format(&Rfc3339).ok())
                .unwrap_or_default();
            assert_eq!(rfc3339(t), want, "{t}");
        }
    }
}
