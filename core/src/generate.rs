//! The one entry point the CLI, the web page and the JS API all call: from a
//! spec to findings and, when there is no error, the manifest, the steps and
//! the endpoint. Callers only render what it returns.

use crate::cert::{Answers, CertInfo, Material};
use crate::codes::Code;
use crate::finding::{Finding, has_errors, sort_for_display};
use crate::manifest::Manifest;
use crate::spec::{Method, Spec};
use crate::steps::{self, Endpoint, Step};
use crate::validate::{ValidSpec, expected_host, validate};
use serde::Serialize;

/// Everything produced for one spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Generation {
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
    /// The outputs; `None` when any finding is an error (nothing partial).
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
    let output = match valid {
        Some(v) => match build(v) {
            Ok(o) => Some(o),
            Err(f) => {
                findings.push(f);
                None
            }
        },
        None => None,
    };
    sort_for_display(&mut findings);
    let output = output.filter(|_| !has_errors(&findings));
    Generation {
        findings,
        output,
        certificates,
        key_matches,
    }
}

fn build(valid: ValidSpec) -> Result<Output, Finding> {
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
    let steps = steps::steps(spec, &manifest).map_err(|e| internal(e.to_string()))?;
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
        manifest,
        valid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
