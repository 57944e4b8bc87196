//! Property tests: whatever the operator types, the YAML parses back to
//! exactly the intended object and every step's shell text splits back into
//! exactly its argv — no injection through names, hosts, paths or file names.

use crate::roundtrip::parses_back;
use msr_expose_core::{Manifest, Method, Spec, generate};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9-]{0,20}[a-z0-9]",
        1 => ".{0,30}",
        1 => "[a-z0-9.'\"$`;: -]{0,20}",
    ]
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "([a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\\.){1,3}[a-z]{2,6}\\.?",
        1 => "[A-Za-z0-9.:/_*$' -]{0,40}",
        1 => ".{0,40}",
        1 => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        any::<bool>(),
        (name(), name(), name(), "[a-zA-Z0-9._-]{0,12}"),
        host(),
        prop::option::of(any::<i64>().prop_map(|p| p.rem_euclid(70000) - 1000)),
        prop::option::of("/[a-zA-Z0-9/_.-]{0,10}|.{0,12}"),
        ".{1,30}",
        prop::option::of(name()),
    )
        .prop_map(
            |(nodeport, (ns, svc, key, value), host, node_port, path, ca, class)| {
                let mut spec = Spec {
                    namespace: ns,
                    name: svc,
                    selector: BTreeMap::from([(key, value)]),
                    ca_file: ca,
                    ..Spec::default()
                };
                if nodeport {
                    spec.method = Some(Method::Nodeport);
                    spec.node_fqdn = Some(host);
                    spec.node_port = node_port;
                } else {
                    spec.method = Some(Method::Ingress);
                    spec.external_fqdn = Some(host);
                    spec.path = path;
                    spec.ingress_class_name = class;
                }
                spec
            },
        )
}

/// The command inside `VAR="$(…)"`, or the line itself.
fn command_of(shell: &str, sets: Option<&str>) -> String {
    match sets {
        Some(var) => shell
            .strip_prefix(&format!("{var}=\"$("))
            .and_then(|s| s.strip_suffix(")\""))
            .unwrap_or_else(|| panic!("capture step not in VAR=\"$(…)\" form: {shell}"))
            .to_string(),
        None => shell.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn outputs_hold_exactly_what_was_typed(spec in spec()) {
        let g = generate(&spec);
        // Never partial output: either errors and nothing, or no errors and everything.
        prop_assert_eq!(g.output.is_some(), !g.has_errors());
        let Some(out) = g.output else { return Ok(()) };

        prop_assert!(parses_back(&out.manifest, &out.yaml, &out.json));
        let yaml: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
        prop_assert_eq!(yaml["metadata"]["name"].as_str(), Some(spec.name.as_str()));
        prop_assert_eq!(yaml["metadata"]["namespace"].as_str(), Some(spec.namespace.as_str()));
        match &out.manifest {
            Manifest::Service(o) => {
                let s: k8s_openapi::api::core::v1::Service = o.typed().expect("a valid Service");
                let sel = s.spec.as_ref().and_then(|x| x.selector.clone());
                prop_assert_eq!(sel, Some(spec.selector.clone()));
                let rendered: BTreeMap<String, String> =
                    serde_yaml::from_value(yaml["spec"]["selector"].clone()).expect("selector");
                prop_assert_eq!(rendered, spec.selector.clone());
            }
            Manifest::Ingress(_) => {
                let rule_host = yaml["spec"]["rules"][0]["host"].as_str().map(str::to_string);
                let typed = spec.external_fqdn.clone().unwrap_or_default();
                let want = typed.trim().trim_end_matches('.').to_lowercase();
                if want.is_ascii() {
                    prop_assert_eq!(rule_host, Some(want));
                }
                let want_path = spec.path.clone().unwrap_or_else(|| "/".into());
                prop_assert_eq!(
                    yaml["spec"]["rules"][0]["http"]["paths"][0]["path"].as_str(),
                    Some(want_path.as_str())
                );
            }
            // The generated specs are NodePort and Ingress ones.
            Manifest::Custom(_) => prop_assert!(false, "no custom kinds expected"),
        }

        for step in &out.steps {
            let Some(shell) = &step.shell else {
                prop_assert!(step.argv.is_empty());
                continue;
            };
            let split = shlex::split(&command_of(shell, step.sets));
            prop_assert_eq!(split.as_ref(), Some(&step.argv), "step {}: {}", step.title, shell);
        }
        let ca_steps = out.steps.iter().filter(|s| s.argv.contains(&spec.ca_file)).count();
        prop_assert!(ca_steps >= 1, "the CA file reaches curl as one argument");
    }
}
