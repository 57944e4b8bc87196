//! The one entry point the CLI, the web page and the JS API all call: from a
//! spec to findings and the manifest, the steps and the endpoint. Callers
//! only render what it returns.
//!
//! Outputs are withheld only by what they depend on: nothing wrong is
//! output, everything right is. Every output depends on the spec, so an
//! error in the spec withholds them all. The manifest, the endpoint and the
//! steps that do not talk TLS to the cache do not depend on the TLS
//! material; an error in the certificate, the key or the CA withholds just
//! the steps that do (and the registration that follows them), each marked
//! with why (`Step::withheld`), and `steps.sh` leaves them out. The CA's
//! errors also withhold the clients' trust files made from it
//! (`bundle::files`).

use crate::cert::{Answers, CertInfo, Material};
use crate::codes::Code;
use crate::finding::{Finding, has_errors, sort_for_display};
use crate::manifest::Manifest;
use crate::spec::{Method, Spec};
use crate::step::TLS_INPUTS;
use crate::steps::{self, Endpoint, Step};
use crate::validate::{ValidSpec, expected_host, validate};
use serde::Serialize;

/// Everything produced for one spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Generation {
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
    /// The outputs; `None` when an error stands on the spec (which every
    /// output depends on). Errors on the TLS material withhold only what
    /// depends on it: see [`Output::withheld_by`].
    pub output: Option<Output>,
    /// The certificates examined (leaf first), when TLS material was given.
    pub certificates: Vec<CertInfo>,
    /// Whether the private key matches the leaf, when a key was given.
    pub key_matches: Option<bool>,
}

/// TLS material to check along with the spec, and the time to judge it at.
#[derive(Debug, Clone, Copy)]
pub struct Tls<'a> {
    /// The material, read once (`Material::read`); callers that check it
    /// against several specs (the page, keystroke after keystroke) keep it.
    pub material: &'a Material,
    /// Unix seconds: validity is judged at this instant.
    pub now: i64,
    /// The platform's answers to `material.questions()`.
    pub answers: &'a Answers,
}

/// The outputs for a spec without errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// The method exposed.
    pub method: Method,
    /// The manifest file name (vendor doc's).
    pub file_name: String,
    /// The manifest as YAML.
    pub yaml: String,
    /// The manifest as JSON.
    pub json: String,
    /// The ordered steps.
    pub steps: Vec<Step>,
    /// The steps as a POSIX shell script (`steps.sh`).
    pub script: String,
    /// The endpoint and its MSR registration body.
    pub endpoint: Endpoint,
    /// The TLS inputs (`cert`, `key`, `ca`) with errors, which withhold
    /// the steps that need them; empty when nothing is withheld.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld_by: Vec<&'static str>,
    /// The typed object, for callers that apply it.
    #[serde(skip)]
    pub manifest: Manifest,
    /// The valid spec the outputs were made from, for callers that ask its
    /// method more (the page's picture and plan).
    #[serde(skip)]
    pub valid: ValidSpec,
}

impl Generation {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.findings)
    }
}

/// Validates the spec and, when it has no error, builds every output.
pub fn generate(spec: &Spec) -> Generation {
    generate_with_tls(spec, None)
}

/// Validates the spec and checks the TLS material against the host the spec
/// exposes; builds every output only when neither has an error. The CLI's
/// `generate` and `check`, the page and the JS API all come through here.
pub fn generate_with_tls(spec: &Spec, tls: Option<&Tls<'_>>) -> Generation {
    let (valid, mut findings) = validate(spec);
    let mut certificates = Vec::new();
    let mut key_matches = None;
    if let Some(tls) = tls {
        let host = expected_host(spec);
        let report = tls.material.check(host.as_ref(), tls.now, tls.answers);
        findings.extend(report.findings);
        certificates = report.certificates;
        key_matches = report.key_matches;
    }
    // What the errors stand on: the TLS inputs, or the spec. A chain's
    // error (no path from the certificate to the CA given, or a broken
    // one) stands on the CA too: the clients' trust files are that CA.
    let withheld_by: Vec<&'static str> = TLS_INPUTS
        .into_iter()
        .filter(|i| {
            findings.iter().any(|f| {
                f.is_error()
                    && (f.field == *i || *i == "ca" && f.code.as_str().starts_with("chain."))
            })
        })
        .collect();
    let spec_errors = findings.iter().any(withholds_all);
    let output = match valid {
        Some(v) if !spec_errors => match build(v, withheld_by) {
            Ok(o) => Some(o),
            Err(f) => {
                findings.push(f);
                None
            }
        },
        _ => None,
    };
    sort_for_display(&mut findings);
    Generation {
        findings,
        output,
        certificates,
        key_matches,
    }
}

/// Whether a finding withholds every output: an error on the spec, which
/// every output depends on (one on the TLS material withholds only the
/// steps that need it).
pub fn withholds_all(f: &Finding) -> bool {
    f.is_error() && !TLS_INPUTS.contains(&f.field.as_str())
}

fn build(valid: ValidSpec, withheld_by: Vec<&'static str>) -> Result<Output, Finding> {
    let spec = &valid;
    let manifest = spec.manifest();
    let internal = |e: String| {
        Finding::error(
            Code::OutputInternal,
            "spec",
            format!("msr-expose could not write its output: {e}"),
            "this is a bug in msr-expose; please report it with the spec",
        )
    };
    let yaml = manifest.to_yaml().map_err(|e| internal(e.to_string()))?;
    let json = manifest.to_json().map_err(|e| internal(e.to_string()))?;
    let mut steps = steps::steps(spec, &manifest).map_err(|e| internal(e.to_string()))?;
    if !withheld_by.is_empty() {
        let why = format!(
            "it talks TLS to the cache, and the {} {} errors (see the findings): fix them first — the certificate plan makes a certificate clients accept",
            withheld_by
                .iter()
                .map(|i| match *i {
                    "cert" => "certificate",
                    "key" => "key",
                    _ => "CA",
                })
                .collect::<Vec<_>>()
                .join(" and "),
            if withheld_by.len() == 1 {
                "has"
            } else {
                "have"
            }
        );
        for s in steps.iter_mut().filter(|s| !s.needs.is_empty()) {
            s.withheld = Some(why.clone());
        }
    }
    let endpoint = steps::endpoint(spec);
    let title = format!(
        "Expose the MSR cache {}/{} through {} at {}.",
        spec.namespace,
        spec.name,
        spec.method().about().title,
        endpoint.url
    );
    let script = steps::script(&title, &steps).map_err(|e| internal(e.to_string()))?;
    Ok(Output {
        method: spec.method(),
        file_name: manifest.file_name().to_string(),
        yaml,
        json,
        steps,
        script,
        endpoint,
        withheld_by,
        manifest,
        valid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (TLS input with an error, steps withheld) — the manifest and the
    /// steps that do not talk TLS are output all the same.
    #[test]
    fn tls_errors_withhold_only_the_steps_that_need_the_material() {
        let spec = Spec {
            method: Some(Method::Nodeport),
            node_fqdn: Some("worker1.example.com".into()),
            ..Spec::default()
        };
        let valid = validate(&spec).0.expect("valid");
        let out = build(valid.clone(), vec!["cert"]).expect("built");
        let whole = build(valid, Vec::new()).expect("built");
        assert_eq!(
            out.yaml, whole.yaml,
            "the manifest does not depend on the certificate"
        );
        assert_eq!(out.withheld_by, ["cert"]);
        let withheld: Vec<&str> = out
            .steps
            .iter()
            .filter(|s| s.withheld.is_some())
            .map(|s| s.title.as_str())
            .collect();
        assert!(
            withheld.len() >= 3,
            "the TLS test, registration and users: {withheld:?}"
        );
        assert!(
            out.steps.iter().any(|s| s.withheld.is_none()),
            "apply stays"
        );
        for s in &out.steps {
            assert_eq!(s.withheld.is_some(), !s.needs.is_empty(), "{}", s.title);
            if let (Some(_), Some(shell)) = (&s.withheld, &s.shell) {
                assert!(
                    !out.script.contains(shell.as_str()),
                    "steps.sh leaves out {shell}"
                );
            }
        }
        assert!(
            out.script
                .contains("Withheld: it talks TLS to the cache, and the certificate has errors")
        );
    }

    #[test]
    fn errors_withhold_all_output() {
        let spec = Spec {
            method: Some(Method::Nodeport),
            node_fqdn: Some("bad_name.example.com".into()),
            ..Spec::default()
        };
        let g = generate(&spec);
        assert!(g.output.is_none());
        assert_eq!(g.findings[0].code, "fqdn.invalid_char");
    }
}
