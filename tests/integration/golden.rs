//! Golden files: the manifest YAML and JSON, the steps script and the
//! findings for every named spec, byte for byte (insta snapshots).

use crate::specs::{SPECS, spec};
use msr_expose_core::generate;

#[test]
fn golden_outputs() {
    for (name, yaml) in SPECS {
        let g = generate(&spec(yaml));
        let out = g
            .output
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: unexpected errors {:?}", g.findings));
        let findings: Vec<String> = g
            .findings
            .iter()
            .map(|f| format!("{} {} {}", f.severity, f.code, f.field))
            .collect();
        let doc = format!(
            "# spec\n{yaml}\n# findings\n{}\n\n# {}\n{}\n# json\n{}\n# steps.sh\n{}\n# endpoint\n{}\n{}\n",
            findings.join("\n"),
            out.file_name,
            out.yaml,
            out.json,
            out.script,
            out.endpoint.url,
            out.endpoint.registration_body,
        );
        insta::assert_snapshot!(*name, doc);
    }
}

#[test]
fn steps_as_json_are_stable() {
    let g = generate(&spec(SPECS[0].1));
    let steps = serde_json::to_string_pretty(&g.output.map(|o| o.steps)).unwrap_or_default();
    insta::assert_snapshot!("nodeport_default_steps_json", steps);
}

/// The certificate plans (openssl, with and without a lab CA) and the
/// cert-manager Certificate, byte for byte, for a name and an address.
#[test]
fn certificate_plans() {
    use msr_expose_core::certplan::{KeyType, cert_manager, openssl_plan};
    for (name, yaml) in [
        (
            "plan_gateway_name",
            "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: cilium\n",
        ),
        (
            "plan_nodeport_address",
            "method: nodeport\nnodeFqdn: 192.0.2.10\nnodePort: 30443\ncaFile: certs/msr ca.pem\n",
        ),
    ] {
        let (valid, _) = msr_expose_core::validate(&spec(yaml));
        let valid = valid.unwrap_or_else(|| panic!("{name} is valid"));
        let doc = format!(
            "# spec\n{yaml}\n# openssl, request only\n{}\n# openssl, lab CA, RSA 3072\n{}\n# cert-manager\n{}",
            openssl_plan(&valid, KeyType::P256, false).unwrap_or_default(),
            openssl_plan(&valid, KeyType::Rsa3072, true).unwrap_or_default(),
            serde_json::to_string_pretty(
                &cert_manager(&valid, "msr-ca", "ClusterIssuer", KeyType::P256).body
            )
            .unwrap_or_default(),
        );
        insta::assert_snapshot!(name, doc);
    }
}
