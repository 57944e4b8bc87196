//! The verdict: RFC 5280 path validation by rustls-webpki, the validator
//! rustls-based clients run and the closest maintained one to Go's
//! crypto/x509 — path building over alternative chains, name constraints,
//! path length, critical extensions, EKU serverAuth, validity at `now`, and
//! the name. Signatures are not computed here: the validator asks the
//! platform's answers (see `crypto`). msr-expose's own findings explain a
//! rejection; one they do not explain becomes its own finding here.

use super::crypto::{Answers, SigAlg, SigQuestion, supported};
use super::parsed::Cert;
use crate::codes::Code;
use crate::fqdn::Host;
use rustls_pki_types::{
    AlgorithmIdentifier, CertificateDer, InvalidSignature, ServerName,
    SignatureVerificationAlgorithm, TrustAnchor, UnixTime,
};
use std::time::Duration;
use webpki::{EndEntityCert, Error, KeyUsage};

/// What the validator decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A path to an anchor was found and the name matches.
    Valid {
        /// DER of the intermediates on the path, leaf's issuer first.
        intermediates: Vec<Vec<u8>>,
        /// Index of the anchor among the anchors given.
        anchor: usize,
    },
    /// Rejected, with the validator's reason.
    Invalid(Error),
}

/// A signature algorithm for the validator whose verification is a lookup in
/// the platform's answers.
#[derive(Debug)]
struct Answered<'a> {
    key_id: AlgorithmIdentifier,
    sig_id: AlgorithmIdentifier,
    alg: SigAlg,
    table: &'a [(SigQuestion, bool)],
}

impl SignatureVerificationAlgorithm for Answered<'_> {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let ok = self.table.iter().any(|(q, valid)| {
            *valid
                && q.alg == self.alg
                && q.public_key == public_key
                && q.signature == signature
                && q.message == message
        });
        if ok { Ok(()) } else { Err(InvalidSignature) }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.key_id
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.sig_id
    }
}

/// Validates `leaf` for TLS server use at `now` through `intermediates` to
/// one of `anchors`, and (when given) for `host`. Anchors that the validator
/// cannot read are skipped, as Go skips roots it cannot parse.
pub fn validate(
    leaf: &Cert,
    intermediates: &[&Cert],
    anchors: &[&Cert],
    host: Option<&Host>,
    now: i64,
    questions: &[SigQuestion],
    answers: &Answers,
) -> Verdict {
    let table: Vec<(SigQuestion, bool)> = questions
        .iter()
        .cloned()
        .zip(answers.signatures.iter().copied())
        .collect();
    let algs: Vec<Answered<'_>> = supported()
        .into_iter()
        .map(|(key_id, sig_id, alg)| Answered {
            key_id,
            sig_id,
            alg,
            table: &table,
        })
        .collect();
    let algs: Vec<&dyn SignatureVerificationAlgorithm> = algs
        .iter()
        .map(|a| a as &dyn SignatureVerificationAlgorithm)
        .collect();

    let anchor_ders: Vec<CertificateDer<'_>> = anchors
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let mut trust: Vec<TrustAnchor<'_>> = Vec::new();
    let mut trust_index = Vec::new();
    for (i, der) in anchor_ders.iter().enumerate() {
        if let Ok(a) = webpki::anchor_from_trusted_cert(der) {
            trust.push(a);
            trust_index.push(i);
        }
    }
    let inter: Vec<CertificateDer<'_>> = intermediates
        .iter()
        .map(|c| CertificateDer::from(c.der.as_slice()))
        .collect();
    let leaf_der = CertificateDer::from(leaf.der.as_slice());
    let ee = match EndEntityCert::try_from(&leaf_der) {
        Ok(ee) => ee,
        Err(e) => return Verdict::Invalid(e),
    };
    let time = UnixTime::since_unix_epoch(Duration::from_secs(u64::try_from(now).unwrap_or(0)));
    let path = match ee.verify_for_usage(
        &algs,
        &trust,
        &inter,
        time,
        KeyUsage::server_auth(),
        None,
        None,
    ) {
        Ok(p) => p,
        Err(e) => return Verdict::Invalid(e),
    };
    if let Some(host) = host {
        let text = host.to_string();
        let name = match ServerName::try_from(text.as_str()) {
            Ok(n) => n,
            Err(_) => return Verdict::Invalid(Error::MalformedDnsIdentifier),
        };
        if let Err(e) = ee.verify_is_valid_for_subject_name(&name) {
            return Verdict::Invalid(e);
        }
    }
    let intermediates = path
        .intermediate_certificates()
        .map(|c| c.der().to_vec())
        .collect();
    let chosen = path.anchor();
    let anchor = trust
        .iter()
        .position(|t| {
            t.subject == chosen.subject
                && t.subject_public_key_info == chosen.subject_public_key_info
        })
        .and_then(|i| trust_index.get(i).copied())
        .unwrap_or(0);
    Verdict::Valid {
        intermediates,
        anchor,
    }
}

/// Whether the leaf is valid for `host` (SAN only: no CN fallback, as Go),
/// on the leaf alone — for material whose path cannot be validated.
pub fn name_verdict(leaf: &Cert, host: &Host) -> Result<(), Error> {
    let der = CertificateDer::from(leaf.der.as_slice());
    let ee = EndEntityCert::try_from(&der)?;
    let text = host.to_string();
    let name = ServerName::try_from(text.as_str()).map_err(|_| Error::MalformedDnsIdentifier)?;
    ee.verify_is_valid_for_subject_name(&name)
}

/// How a rejection is explained: the error findings of msr-expose's own
/// checks that already say why, or else the finding to add.
struct Explanation {
    explained_by: &'static [Code],
    code: Code,
    message: &'static str,
    hint: &'static str,
}

// The unit variants are what 0.103 still returns beside the `…Context` ones.
#[allow(deprecated)]
fn explanation(e: &Error) -> Explanation {
    let x = |explained_by, code, message, hint| Explanation {
        explained_by,
        code,
        message,
        hint,
    };
    match e {
        Error::CertExpired { .. } | Error::CertNotValidYet { .. } | Error::InvalidCertValidity => {
            x(
                &[Code::CertExpired, Code::CertNotYetValid],
                Code::CertValidity,
                "a certificate on the path is outside its validity period, or its notBefore is after its notAfter",
                "reissue the certificate with a correct validity period",
            )
        }
        Error::CaUsedAsEndEntity => x(
            &[Code::CertLeafIsCa],
            Code::CertLeafIsCa,
            "the cache certificate is a CA certificate",
            "issue the cache a server certificate with CA:FALSE",
        ),
        Error::EndEntityUsedAsCa => x(
            &[Code::ChainIssuerNotCa],
            Code::ChainIssuerNotCa,
            "a certificate that is not a CA issues another on the path",
            "issue the cache certificate from a real CA certificate",
        ),
        Error::RequiredEkuNotFound | Error::RequiredEkuNotFoundContext(_) => x(
            &[Code::CertEkuNoServerAuth],
            Code::ChainEkuNotAllowed,
            "an issuer's extendedKeyUsage does not include serverAuth, so it may not issue TLS server certificates; Go and rustls clients reject the chain",
            "issue the cache certificate from a CA whose extendedKeyUsage includes serverAuth (or that has none)",
        ),
        Error::EmptyEkuExtension => x(
            &[],
            Code::CertEkuEmpty,
            "a certificate on the path has an empty extendedKeyUsage extension, which RFC 5280 forbids (SIZE (1..MAX))",
            "reissue it with extendedKeyUsage = serverAuth, or without the extension",
        ),
        Error::InvalidSignatureForPublicKey => x(
            &[
                Code::ChainBadSignature,
                Code::CertRsaWeak,
                Code::ChainSignatureUnsupported,
            ],
            Code::ChainBadSignature,
            "a signature on the path does not verify with its issuer's key",
            "the certificate was not issued by this CA: get the real issuer, or reissue the certificate",
        ),
        Error::UnsupportedSignatureAlgorithm
        | Error::UnsupportedSignatureAlgorithmContext(_)
        | Error::UnsupportedSignatureAlgorithmForPublicKey
        | Error::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => x(
            &[
                Code::CertWeakSignature,
                Code::ChainSignatureUnsupported,
                Code::ChainBadSignature,
                Code::CertRsaWeak,
                Code::CertUnusualKey,
                Code::CertUnusualCurve,
            ],
            Code::ChainSignatureUnsupported,
            "a certificate on the path is signed with an algorithm registry clients do not accept",
            "reissue it with ECDSA P-256/P-384 or RSA (2048 bits or more) and SHA-256 or stronger",
        ),
        Error::NameConstraintViolation => x(
            &[],
            Code::ChainNameConstraints,
            "the cache's names are outside what a CA on the path may issue for (its name constraints permit other names or exclude these)",
            "get the certificate from a CA whose name constraints allow the cache's names, or use names that the constraints permit",
        ),
        Error::MalformedNameConstraint | Error::InvalidNetworkMaskConstraint => x(
            &[],
            Code::ChainNameConstraintsInvalid,
            "a CA on the path has a malformed or empty nameConstraints extension",
            "the CA certificate is broken: reissue the CA, or use another",
        ),
        Error::PathLenConstraintViolated => x(
            &[],
            Code::ChainPathLen,
            "the chain is longer than a CA's pathLenConstraint allows",
            "issue the cache certificate from a CA closer to the root, or reissue the CA with a larger pathlen",
        ),
        Error::UnsupportedCriticalExtension => x(
            &[Code::ChainCriticalExtension],
            Code::ChainCriticalExtension,
            "a certificate on the path has a critical extension that clients do not understand, so they must reject it",
            "reissue the certificate without that extension, or with it marked non-critical",
        ),
        Error::BadDer
        | Error::BadDerTime
        | Error::TrailingData(_)
        | Error::MalformedExtensions
        | Error::ExtensionValueInvalid
        | Error::UnsupportedCertVersion
        | Error::InvalidSerialNumber
        | Error::SignatureAlgorithmMismatch => x(
            &[Code::PemBadDer],
            Code::ChainMalformed,
            "a certificate on the path is not well-formed (DER encoding, extensions, version, serial number or the two signature algorithm fields)",
            "reissue the certificate with a standard tool (openssl, cfssl, cert-manager)",
        ),
        Error::CertNotValidForName(_)
        | Error::MalformedDnsIdentifier
        | Error::UnsupportedNameType => x(
            &[Code::CertNameMismatch, Code::CertCnOnly],
            Code::CertNameInvalid,
            "the leaf's subjectAltName does not validly cover the host (a malformed DNS name or wildcard in the SAN)",
            "reissue it with subjectAltName naming the host exactly",
        ),
        Error::UnknownIssuer => x(
            &[
                Code::ChainIssuerMissing,
                Code::ChainUntrusted,
                Code::ChainIntermediateMissing,
                Code::ChainBadSignature,
                Code::ChainSignatureUnsupported,
                Code::CertWeakSignature,
                Code::CertRsaWeak,
                Code::ChainIssuerNotCa,
            ],
            Code::ChainUnknownIssuer,
            "no chain leads from the leaf through the bundle to the given CA",
            "give the CA that issued the cache certificate, and append the intermediates to cache.cert.pem",
        ),
        Error::MaximumPathDepthExceeded
        | Error::MaximumSignatureChecksExceeded
        | Error::MaximumPathBuildCallsExceeded
        | Error::MaximumNameConstraintComparisonsExceeded => x(
            &[],
            Code::ChainTooComplex,
            "the chain is too long or offers too many alternative paths for a client to build",
            "send only the leaf and the intermediates of one path",
        ),
        Error::CertDistrusted => x(
            &[],
            Code::ChainDistrusted,
            "a certificate on the path is on the validator's distrust list",
            "get the certificate from another CA",
        ),
        _ => x(
            &[],
            Code::ChainRejected,
            "the path validator rejects the chain",
            "check it with `openssl verify -x509_strict`; please report this case to msr-expose",
        ),
    }
}

/// The finding for a rejection that msr-expose's own error findings do not
/// already explain; `None` when they do.
pub fn explain(e: &Error, findings: &[crate::finding::Finding]) -> Option<crate::finding::Finding> {
    let x = explanation(e);
    if findings
        .iter()
        .any(|f| f.is_error() && x.explained_by.contains(&f.code))
    {
        return None;
    }
    Some(crate::finding::Finding::error(
        x.code,
        "cert",
        format!("{} (rustls-webpki: {e})", x.message),
        x.hint,
    ))
}
