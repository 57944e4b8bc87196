//! The layering the registry depends on: the `use` arrows between the
//! modules of the core and of the CLI point one way, with no circle —
//! building blocks below the methods, the registry and its iterators above
//! (scripts/module-cycles.py draws the arrows and finds circles).

use std::path::Path;
use std::process::Command;

#[test]
fn no_import_circles_in_core_or_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["core", "cli"] {
        let out = Command::new("python3")
            .arg(root.join("scripts/module-cycles.py"))
            .arg(krate)
            .current_dir(&root)
            .output()
            .unwrap_or_else(|e| panic!("python3 runs: {e}"));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(said.contains(" 0 import circles"), "{said}");
    }
}

/// Outside the method modules and the registry, nothing names a method but
/// the CLI's dispatch of what apply waits for, and the platform presets,
/// which are about named methods: the page, validate, steps, exposures,
/// the form and the JS API only iterate.
#[test]
fn only_the_registry_names_methods() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let allowed = [
        "core/src/registry.rs",
        "core/src/method.rs",
        "core/src/platform.rs",
        "cli/src/cmd/wait.rs",
    ];
    let mut named = Vec::new();
    for dir in ["core/src", "cli/src", "web/src", "web-api/src"] {
        for path in rust_files(&root.join(dir)) {
            let rel = path
                .strip_prefix(&root)
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            if allowed.contains(&rel.as_str())
                || rel.starts_with("core/src/method/")
                || rel.starts_with("cli/src/cmd/wait/")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for variant in [
                "Nodeport",
                "Loadbalancer",
                "Gateway",
                "Traefik",
                "Openshift",
                "Istio",
                "Ingress",
            ] {
                for enum_ in ["Method::", "Exposure::"] {
                    if code.contains(&format!("{enum_}{variant}")) {
                        named.push(format!("{rel}: {enum_}{variant}"));
                    }
                }
            }
        }
    }
    assert!(
        named.is_empty(),
        "methods named outside the registry: {named:#?}"
    );
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
    out
}
