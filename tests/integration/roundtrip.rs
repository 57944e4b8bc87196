//! YAML and JSON parsed back into the k8s-openapi types equal the object built.

use crate::specs::{SPECS, spec};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use msr_expose_core::{Manifest, generate};

/// Parses `text` back as the same kind as `m` and compares.
pub fn parses_back(m: &Manifest, yaml: &str, json: &str) -> bool {
    match m {
        // The core kinds parse into their k8s-openapi types — from the value
        // the core built, and back from its YAML and JSON — all equal.
        Manifest::Service(o) => {
            let built = o.typed::<Service>().ok();
            built.is_some()
                && serde_yaml::from_str::<Service>(yaml).ok() == built
                && serde_json::from_str::<Service>(json).ok() == built
        }
        Manifest::Ingress(o) => {
            let built = o.typed::<Ingress>().ok();
            built.is_some()
                && serde_yaml::from_str::<Ingress>(yaml).ok() == built
                && serde_json::from_str::<Ingress>(json).ok() == built
        }
        // Custom resources: one YAML document per object, in order; JSON is
        // the object, or a List of them.
        Manifest::Custom(objects) => {
            use k8s_openapi::serde::Deserialize;
            let docs: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(yaml)
                .filter_map(|d| serde_json::Value::deserialize(d).ok())
                .collect();
            let bodies: Vec<serde_json::Value> = objects.iter().map(|o| o.body.clone()).collect();
            let json: Option<serde_json::Value> = serde_json::from_str(json).ok();
            let json_items = match (json, bodies.len()) {
                (Some(v), 1) => vec![v],
                (Some(v), _) => v["items"].as_array().cloned().unwrap_or_default(),
                (None, _) => Vec::new(),
            };
            docs == bodies && json_items == bodies
        }
    }
}

#[test]
fn manifests_parse_back_to_the_built_object() {
    for (name, yaml) in SPECS {
        let out = generate(&spec(yaml)).output.expect("no errors");
        assert!(parses_back(&out.manifest, &out.yaml, &out.json), "{name}");
    }
}

#[test]
fn output_is_deterministic() {
    for (name, yaml) in SPECS {
        let a = generate(&spec(yaml));
        let b = generate(&spec(yaml));
        assert_eq!(a, b, "{name}");
    }
}
