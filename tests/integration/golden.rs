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
