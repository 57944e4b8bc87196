//! Explaining the chain the cache will present: leaf first, each next
//! certificate issuing the previous one (names and key identifiers), every
//! signature checked against the platform's answers, anchored in the given
//! CA — and saying what is missing, duplicated, out of order or unrelated.
//! The verdict itself is the path validator's (`path`); when it found a
//! path, this walk follows the same one.

use super::crypto::{RSA_BITS, SigQuestion, supported};
use super::parsed::{Cert, KeyKind};
use super::sig::weak_algorithm;
use crate::codes::Code;
use crate::finding::Finding;

/// The platform's verdicts on signatures, by question.
#[derive(Debug, Clone, Copy)]
pub struct Signatures<'a> {
    /// The questions asked.
    pub questions: &'a [SigQuestion],
    /// Their answers, in order.
    pub answers: &'a [bool],
}

impl Signatures<'_> {
    /// Whether `issuer`'s key verified `cert`'s signature; `None` when the
    /// pair was not asked (an algorithm or key clients do not verify).
    fn verdict(&self, cert: &Cert, issuer: &Cert) -> Option<bool> {
        self.questions
            .iter()
            .position(|q| {
                q.public_key == issuer.public_key_bits
                    && q.signature == cert.signature
                    && q.message == cert.tbs
            })
            .map(|i| self.answers.get(i).copied().unwrap_or(false))
    }
}

/// Where a certificate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The certificate input (`cache.cert.pem`), 0-based position.
    Bundle(usize),
    /// The CA input (`msr.cert.pem`), 0-based position.
    Ca(usize),
}

/// The chain found, as positions into the inputs.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    /// Leaf first, then each issuer in turn (bundle and CA certificates).
    pub path: Vec<Source>,
    /// Bundle certificates that are not on the path (duplicates excluded).
    pub unrelated: Vec<usize>,
    /// Whether the path ends in a certificate of the CA input, or in a bundle
    /// root that equals one.
    pub anchored: bool,
}

/// The cache's own certificate: the first, unless that is a CA and a
/// non-CA certificate follows (a bundle written root-first).
pub fn leaf_index(bundle: &[Cert]) -> usize {
    match bundle.first() {
        Some(first) if first.is_ca => (1..bundle.len())
            .find(|&j| !bundle[j].is_ca && bundle[j].der != first.der)
            .unwrap_or(0),
        _ => 0,
    }
}

/// Builds and checks the chain. `bundle` is non-empty. `prefer` holds the DER of the certificates on the path the validator
/// accepted: where several issuers fit, the walk takes that one.
pub fn build(
    bundle: &[Cert],
    cas: &[Cert],
    ca_given: bool,
    prefer: &[Vec<u8>],
    sigs: Signatures<'_>,
    f: &mut Vec<Finding>,
) -> Chain {
    let preferred = |c: &Cert| prefer.contains(&c.der);
    let mut chain = Chain::default();
    let mut skip = vec![false; bundle.len()];
    for i in 0..bundle.len() {
        for j in 0..i {
            if !skip[j] && !skip[i] && bundle[i].der == bundle[j].der {
                skip[i] = true;
                f.push(Finding::warning(
                    Code::ChainDuplicate,
                    "cert",
                    format!(
                        "certificate {} ({}) repeats certificate {}",
                        i + 1,
                        bundle[i].short_name(),
                        j + 1
                    ),
                    "remove the repeated block; clients get the same certificate twice",
                ));
            }
        }
    }

    let leaf = leaf_index(bundle);
    if leaf != 0 {
        let j = leaf;
        f.push(Finding::error(
            Code::ChainLeafNotFirst,
            "cert",
            format!(
                "the first certificate is the CA {}; the cache's own certificate ({}) is number {}",
                bundle[0].short_name(),
                bundle[j].short_name(),
                j + 1
            ),
            "put the cache's certificate first in cache.cert.pem, then its intermediates in order; TLS servers send the file as is",
        ));
    }

    let mut used = vec![false; bundle.len()];
    used[leaf] = true;
    chain.path.push(Source::Bundle(leaf));
    let mut cur = &bundle[leaf];
    let mut cur_pos = leaf;
    loop {
        if cur.is_self_issued() {
            if cur_pos != leaf || chain.path.len() > 1 {
                f.push(Finding::info(
                    Code::ChainRootIncluded,
                    "cert",
                    format!("the bundle includes the root {}", cur.short_name()),
                    "optional: clients must already trust the root, so sending it only costs bytes",
                ));
            }
            chain.anchored = cas.iter().any(|ca| {
                ca.der == cur.der || (ca.subject_raw == cur.subject_raw && ca.key == cur.key)
            });
            if ca_given && !chain.anchored {
                f.push(Finding::error(
                    Code::ChainUntrusted,
                    "ca",
                    format!("the chain ends in {}, which is not the given CA", cur.short_name()),
                    "give the CA that issued the cache certificate (for MSR, usually msr.cert.pem or the CA that signed MSR's own certificate)",
                ));
            }
            break;
        }
        // By name and key identifier, the validator's choice first; then by
        // name alone, so that a forgery naming a real issuer is caught by its
        // signature rather than passed over.
        let fits = |j: usize| !used[j] && !skip[j] && cur.named_issuer_is(&bundle[j]);
        let named = |j: usize| !used[j] && !skip[j] && cur.issuer_raw == bundle[j].subject_raw;
        // When the validator found a path, the walk follows exactly it.
        let next = if prefer.is_empty() {
            (0..bundle.len())
                .find(|&j| fits(j))
                .or_else(|| (0..bundle.len()).find(|&j| named(j)))
        } else {
            (0..bundle.len()).find(|&j| named(j) && preferred(&bundle[j]))
        };
        if let Some(j) = next {
            let expected = (cur_pos + 1..bundle.len()).find(|&k| !skip[k]);
            if expected != Some(j) {
                f.push(Finding::warning(
                    Code::ChainOrder,
                    "cert",
                    format!(
                        "the issuer of {} is certificate {}, not the one after it",
                        cur.short_name(),
                        j + 1
                    ),
                    "order cache.cert.pem as leaf, then its issuer, then that one's issuer; some clients do not reorder",
                ));
            }
            check_issuer(&bundle[j], "cert", f);
            verify_link(cur, &bundle[j], sigs, f, "cert");
            used[j] = true;
            chain.path.push(Source::Bundle(j));
            cur = &bundle[j];
            cur_pos = j;
            continue;
        }
        // Not in the bundle: the CA input must hold the issuer.
        let k = if prefer.is_empty() {
            cas.iter()
                .position(|ca| cur.named_issuer_is(ca))
                .or_else(|| cas.iter().position(|ca| cur.issuer_raw == ca.subject_raw))
        } else {
            cas.iter()
                .position(|ca| cur.issuer_raw == ca.subject_raw && preferred(ca))
        };
        let Some(k) = k else {
            if ca_given {
                f.push(Finding::error(
                    Code::ChainIssuerMissing,
                    "cert",
                    format!(
                        "{} was issued by {}, which is neither in the bundle nor in the given CA",
                        cur.short_name(),
                        cur.issuer
                    ),
                    "if that issuer is an intermediate, append it to cache.cert.pem after the cache's certificate (clients without it fail); if it is a root, the CA given is not the one that issued the certificate",
                ));
            } else {
                f.push(Finding::info(
                    Code::ChainAnchorUnknown,
                    "ca",
                    format!(
                        "no CA was given, so the chain ending at {} (issued by {}) is not verified",
                        cur.short_name(),
                        cur.issuer
                    ),
                    "give the CA (msr.cert.pem) to verify the chain and detect a missing intermediate",
                ));
            }
            break;
        };
        let ca = &cas[k];
        check_issuer(ca, "ca", f);
        verify_link(cur, ca, sigs, f, "cert");
        chain.path.push(Source::Ca(k));
        chain.anchored = true;
        let issuer_in_ca = cas
            .iter()
            .any(|x| !std::ptr::eq(x, ca) && ca.named_issuer_is(x));
        if !ca.is_self_issued() && !issuer_in_ca {
            f.push(Finding::info(
                Code::ChainAnchorNotRoot,
                "ca",
                format!(
                    "the CA given is {}, an intermediate; clients that trust exactly this file accept the chain",
                    ca.short_name()
                ),
                "give every client this same CA file; a client that trusts only the root above it also needs the intermediate in cache.cert.pem",
            ));
        } else if !ca.is_self_issued() {
            // Clients given this CA file as it is (msr-expose's client
            // files are) find the intermediate there: Go and curl accept.
            f.push(Finding::warning(
                Code::ChainIntermediateMissing,
                "cert",
                format!(
                    "the intermediate {} is not in the bundle, only in the CA file: the cache does not send it, so clients given this CA file as it is (msr-expose's client files) accept the chain, and a client that trusts only the root fails",
                    ca.short_name()
                ),
                "append the intermediate certificate(s) to cache.cert.pem after the cache's own certificate, so that every client that trusts the root accepts the chain",
            ));
            // Follow the CA input up to its root, to check the rest of the path.
            let mut c = ca;
            while !c.is_self_issued() {
                let Some(k2) = cas
                    .iter()
                    .position(|x| !std::ptr::eq(x, c) && c.named_issuer_is(x))
                else {
                    break;
                };
                if chain.path.contains(&Source::Ca(k2)) {
                    break;
                }
                check_issuer(&cas[k2], "ca", f);
                verify_link(c, &cas[k2], sigs, f, "ca");
                chain.path.push(Source::Ca(k2));
                c = &cas[k2];
            }
        }
        break;
    }
    chain.unrelated = (0..bundle.len())
        .filter(|&j| !used[j] && !skip[j])
        .collect();
    for &j in &chain.unrelated {
        f.push(Finding::warning(
            Code::ChainUnrelated,
            "cert",
            format!(
                "certificate {} ({}) is not part of the cache certificate's chain",
                j + 1,
                bundle[j].short_name()
            ),
            "remove it from cache.cert.pem; the bundle should hold the cache's certificate and its intermediates only",
        ));
    }
    chain
}

fn check_issuer(issuer: &Cert, field: &str, f: &mut Vec<Finding>) {
    if let Some(problem) = issuer.name_constraints_problem {
        f.push(Finding::error(
            Code::ChainNameConstraintsInvalid,
            field,
            format!(
                "the nameConstraints extension of {} {problem}",
                issuer.short_name()
            ),
            "the CA certificate is broken for clients: reissue it with well-formed DNS/IP constraints, or without the extension",
        ));
    }
    let no_cert_sign = matches!(issuer.key_usage, Some((_, _, false)));
    if !issuer.is_ca || no_cert_sign {
        f.push(Finding::error(
            Code::ChainIssuerNotCa,
            field,
            format!(
                "{} issues a certificate but is not a CA (basicConstraints CA:TRUE and keyUsage keyCertSign are needed)",
                issuer.short_name()
            ),
            "issue the cache certificate from a real CA certificate",
        ));
    }
}

fn verify_link(
    cert: &Cert,
    issuer: &Cert,
    sigs: Signatures<'_>,
    f: &mut Vec<Finding>,
    field: &str,
) {
    match sigs.verdict(cert, issuer) {
        Some(true) => {}
        Some(false) => f.push(Finding::error(
            Code::ChainBadSignature,
            field,
            format!(
                "the signature on {} does not verify with the key of {}",
                cert.short_name(),
                issuer.short_name()
            ),
            "the certificate was not issued by this CA (a CA of the same name but another key?): get the real issuer, or reissue the certificate",
        )),
        // Weak algorithms and small RSA keys are reported once per
        // certificate by the strength checks.
        None if weak_algorithm(&cert.sig_alg).is_some() => {}
        None if matches!(issuer.key, KeyKind::Rsa { bits, .. } if bits < *RSA_BITS.start()) => {}
        // An algorithm clients verify, but not with a key of this kind: this
        // issuer's key cannot have made the signature.
        None if supported()
            .iter()
            .any(|(_, sig, _)| **sig == *cert.sig_alg_id) =>
        {
            f.push(Finding::error(
                Code::ChainBadSignature,
                field,
                format!(
                    "{} is signed with {}, which the key of {} ({}) cannot have made",
                    cert.short_name(),
                    super::sig::algorithm_name(&cert.sig_alg),
                    issuer.short_name(),
                    issuer.key.describe()
                ),
                "the certificate was not issued by this CA (a CA of the same name but another key?): get the real issuer, or reissue the certificate",
            ))
        }
        None => f.push(Finding::error(
            Code::ChainSignatureUnsupported,
            field,
            format!(
                "the signature on {} ({} with a {} key) is of a kind registry clients do not verify",
                cert.short_name(),
                super::sig::algorithm_name(&cert.sig_alg),
                issuer.key.describe()
            ),
            "reissue it with ECDSA P-256/P-384/P-521, RSA 2048-8192 (PKCS#1 v1.5 or PSS with RFC 4055 parameters) or Ed25519, and SHA-256 or stronger",
        )),
    }
}
