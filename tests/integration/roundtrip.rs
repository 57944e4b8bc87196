//! YAML and JSON parsed back into the k8s-openapi types equal the object built.

use crate::specs::{SPECS, spec};
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::Ingress;
use msr_expose_core::{Manifest, generate};

/// Parses `text` back as the same kind as `m` and compares.
pub fn parses_back(m: &Manifest, yaml: &str, json: &str) -> bool {
    match m.items() {
        // The core kinds parse into their k8s-openapi types — from the value
        // the core built, and back from its YAML and JSON — all equal.
        [o] if o.kind == "Service" => {
            let built = o.typed::<Service>().ok();
            built.is_some()
                && serde_yaml::from_str::<Service>(yaml).ok() == built
                && serde_json::from_str::<Service>(json).ok() == built
        }
        [o] if o.kind == "Ingress" => {
            let built = o.typed::<Ingress>().ok();
            built.is_some()
                && serde_yaml::from_str::<Ingress>(yaml).ok() == built
                && serde_json::from_str::<Ingress>(json).ok() == built
        }
        // Custom resources: one YAML document per object, in order; JSON is
        // the object, or a List of them.
        objects => {
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

/// The YAML read by a parser that did not write it (yaml-rust2, YAML 1.2,
/// pure Rust; serde_yaml writes through libyaml) equals the JSON output,
/// document by document: no value changes type or shape between the two.
pub fn independent_parse_agrees(m: &Manifest, yaml: &str, json: &str) -> Result<(), String> {
    let docs = yaml_rust2::YamlLoader::load_from_str(yaml).map_err(|e| e.to_string())?;
    let docs: Vec<serde_json::Value> = docs.iter().map(to_json).collect::<Result<_, _>>()?;
    let json: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let want = match m.items() {
        [_] => vec![json],
        _ => json["items"].as_array().cloned().unwrap_or_default(),
    };
    if docs == want {
        Ok(())
    } else {
        Err(format!("yaml-rust2 read {docs:?}\nJSON says {want:?}"))
    }
}

fn to_json(y: &yaml_rust2::Yaml) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    use yaml_rust2::Yaml;
    Ok(match y {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(*b),
        Yaml::Integer(i) => Value::from(*i),
        Yaml::Real(r) => {
            let f: f64 = r.parse().map_err(|_| format!("not a number: {r}"))?;
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }
        Yaml::String(s) => Value::String(s.clone()),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect::<Result<_, _>>()?),
        Yaml::Hash(map) => {
            let mut out = serde_json::Map::new();
            for (k, v) in map {
                let Yaml::String(k) = k else {
                    return Err(format!("a key that is not a string: {k:?}"));
                };
                out.insert(k.clone(), to_json(v)?);
            }
            Value::Object(out)
        }
        other => return Err(format!("unexpected YAML node {other:?}")),
    })
}

#[test]
fn manifests_parse_back_to_the_built_object() {
    for (name, yaml) in SPECS {
        let out = generate(&spec(yaml)).output.expect("no errors");
        assert!(parses_back(&out.manifest, &out.yaml, &out.json), "{name}");
        if let Err(e) = independent_parse_agrees(&out.manifest, &out.yaml, &out.json) {
            panic!("{name}: {e}");
        }
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
