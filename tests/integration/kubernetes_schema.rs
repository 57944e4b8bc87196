//! Every generated manifest passes the official Kubernetes schema validation
//! (PyPI's kubernetes-validate, strict: unknown properties rejected).

use crate::specs::{SPECS, core_kinds, spec};
use msr_expose_core::generate;
use msr_expose_tests::tool;

/// The oldest and newest Kubernetes versions k8s-openapi's features cover here.
const VERSIONS: &[&str] = &["1.33.0", "1.37.0"];

#[test]
fn manifests_pass_kubernetes_validate_strict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, yaml) in SPECS.iter().filter(|(n, _)| core_kinds(n)) {
        let out = generate(&spec(yaml)).output.expect("no errors");
        let yaml_path = dir.path().join(format!("{name}.yaml"));
        let json_path = dir.path().join(format!("{name}.json"));
        std::fs::write(&yaml_path, &out.yaml).expect("write");
        std::fs::write(&json_path, &out.json).expect("write");
        files.push(yaml_path.display().to_string());
        files.push(json_path.display().to_string());
    }
    for version in VERSIONS {
        let mut args = vec!["--strict", "-k", version];
        args.extend(files.iter().map(String::as_str));
        let out = tool(
            "kubernetes-validate",
            &args,
            "install it with `pip install kubernetes-validate`",
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "kubernetes-validate {version} rejected a manifest:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            stdout.matches(" passed ").count(),
            files.len(),
            "every file reported valid:\n{stdout}"
        );
    }
}
