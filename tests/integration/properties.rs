//! Property tests: whatever the operator types, the YAML parses back to
//! exactly the intended object and every step's shell text, run by a real
//! POSIX `sh`, hands its command exactly its argv — no injection through
//! names, hosts, paths or file names — and `sh -n` accepts every steps.sh.
//! The oracle is the shell itself, not the library that did the quoting.

use crate::roundtrip::{independent_parse_agrees, parses_back};
use msr_expose_core::{Method, Spec, generate};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z][a-z0-9-]{0,20}[a-z0-9]",
        1 => ".{0,30}",
        1 => "[a-z0-9.'\"$`;: -]{0,20}",
    ]
}

/// What the shell must never interpret: quotes, `$()`, backticks,
/// separators, globs, redirections, backslashes, non-ASCII.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "[a-z0-9.'\"$`;:|&<>()*?~#!{}\\\\ \\[\\]=-]{1,24}",
        1 => "(\\$\\([a-z ]{1,8}\\)|`[a-z ]{1,8}`|'[^']{0,6}'|\"[^\"]{0,6}\")[a-z.]{0,8}",
        1 => "[a-zé€中аα.]{1,12}",
        1 => ".{1,30}",
    ]
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "([a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?\\.){1,3}[a-z]{2,6}\\.?",
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
        prop::option::of(prop_oneof![
            3 => 30000i64..=32767,
            1 => any::<i64>().prop_map(|p| p.rem_euclid(70000) - 1000),
        ]),
        prop::option::of("/[a-zA-Z0-9/_.-]{0,10}|.{0,12}"),
        hostile(),
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

/// The command inside `VAR=$(…)`, or the line itself.
fn command_of(shell: &str, sets: Option<&str>) -> String {
    match sets {
        Some(var) => shell
            .strip_prefix(&format!("{var}=$("))
            .and_then(|s| s.strip_suffix(')'))
            .unwrap_or_else(|| panic!("capture step not in VAR=$(…) form: {shell}"))
            .to_string(),
        None => shell.to_string(),
    }
}

/// Special built-ins: a function cannot stand in for them, so no step may
/// start with one.
const SPECIAL_BUILTINS: &[&str] = &[
    ":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return", "set",
    "shift", "times", "trap", "unset",
];

/// Runs every step's command in a real `sh` (dash on Debian) where each
/// command name is a function that prints the arguments it received, and
/// returns them. A variable a step sets or requires (`${NODE_PORT}`) is set
/// to its own name so the argv's `${VAR}` placeholders compare literally. PATH is empty
/// and the working directory a fresh temporary one, so an injected command
/// finds nothing to run; anything sh says on stderr, or a failure, is an
/// `Err` with its words.
fn argv_seen_by_sh(steps: &[msr_expose_core::steps::Step]) -> Result<Vec<Vec<String>>, String> {
    let mut commands = std::collections::BTreeSet::new();
    let mut vars = std::collections::BTreeSet::new();
    let mut body = String::new();
    for step in steps {
        let Some(shell) = &step.shell else { continue };
        let program = step.argv.first().expect("a command has a program");
        assert!(!SPECIAL_BUILTINS.contains(&program.as_str()), "{program}");
        assert!(
            program
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{program} is not a plain command name"
        );
        commands.insert(program.clone());
        // Only declared variables: one a step reads without declaring it
        // would expand to nothing, and the comparison catches that.
        vars.extend(step.sets);
        vars.extend(step.requires.iter().map(|r| r.var));
        body.push_str(&command_of(shell, step.sets));
        body.push('\n');
    }
    let mut script = String::new();
    for c in &commands {
        // Each argument NUL-terminated, then an empty one ends the command.
        script.push_str(&format!(
            "{c}() {{ printf '%s\\0' {c} \"$@\"; printf '\\0'; }}\n"
        ));
    }
    for v in &vars {
        script.push_str(&format!("{v}='${{{v}}}'\n"));
    }
    script.push_str(&body);

    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(&script)
        .env_clear()
        .env("PATH", "/nonexistent")
        .current_dir(dir.path())
        .output()
        .expect("sh");
    if !out.status.success() || !out.stderr.is_empty() {
        return Err(format!(
            "sh said: {}\n{script}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut seen = Vec::new();
    let mut current = Vec::new();
    let mut fields: Vec<&[u8]> = out.stdout.split(|b| *b == 0).collect();
    fields.pop(); // after the last NUL
    for field in fields {
        if field.is_empty() {
            seen.push(std::mem::take(&mut current));
        } else {
            current.push(String::from_utf8(field.to_vec()).expect("utf-8 argument"));
        }
    }
    if !current.is_empty() {
        return Err(format!("output ended inside a command: {current:?}"));
    }
    Ok(seen)
}

/// `sh -n`: the script parses as POSIX shell.
fn sh_parses(script: &str) -> bool {
    use std::io::Write;
    let mut child = std::process::Command::new("sh")
        .arg("-n")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("sh");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write");
    child.wait().expect("wait").success()
}

// Most generated specs are invalid on purpose (and must produce nothing);
// 2048 cases put roughly 300 valid ones, hostile CA file names among them,
// through the shell.
proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn outputs_hold_exactly_what_was_typed(spec in spec()) {
        let g = generate(&spec);
        // Never partial output: either errors and nothing, or no errors and everything.
        prop_assert_eq!(g.output.is_some(), !g.has_errors());
        let Some(out) = g.output else { return Ok(()) };

        prop_assert!(parses_back(&out.manifest, &out.yaml, &out.json));
        // And by a parser that did not write it.
        let independent = independent_parse_agrees(&out.manifest, &out.yaml, &out.json);
        prop_assert!(independent.is_ok(), "{:?}", independent);
        let yaml: serde_yaml::Value = serde_yaml::from_str(&out.yaml).expect("yaml");
        prop_assert_eq!(yaml["metadata"]["name"].as_str(), Some(spec.name.as_str()));
        prop_assert_eq!(yaml["metadata"]["namespace"].as_str(), Some(spec.namespace.as_str()));
        match out.manifest.items() {
            [o] if o.kind == "Service" => {
                let s: k8s_openapi::api::core::v1::Service = o.typed().expect("a valid Service");
                let sel = s.spec.as_ref().and_then(|x| x.selector.clone());
                prop_assert_eq!(sel, Some(spec.selector.clone()));
                let rendered: BTreeMap<String, String> =
                    serde_yaml::from_value(yaml["spec"]["selector"].clone()).expect("selector");
                prop_assert_eq!(rendered, spec.selector.clone());
            }
            [o] if o.kind == "Ingress" => {
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
            _ => prop_assert!(false, "no custom kinds expected"),
        }

        for step in out.steps.iter().filter(|s| s.shell.is_none()) {
            prop_assert!(step.argv.is_empty(), "a manual step has no command");
        }
        let ran = argv_seen_by_sh(&out.steps);
        let want: Vec<Vec<String>> = out
            .steps
            .iter()
            .filter(|s| s.shell.is_some())
            .map(|s| s.argv.clone())
            .collect();
        prop_assert_eq!(ran, Ok(want), "the shell saw other arguments than the typed values");
        prop_assert!(sh_parses(&out.script), "sh -n rejects steps.sh:\n{}", out.script);
        let ca_steps = out.steps.iter().filter(|s| s.argv.contains(&spec.ca_file)).count();
        prop_assert!(ca_steps >= 1, "the CA file reaches curl as one argument");
    }
}

/// The oracle itself: a value the shell would expand is caught, a quoted
/// one passes, and `sh -n` rejects a broken script.
#[test]
fn the_shell_oracle_sees_what_sh_sees() {
    let step = |shell: &str, argv: &[&str]| msr_expose_core::steps::Step {
        title: "t".into(),
        description: String::new(),
        argv: argv.iter().map(|a| a.to_string()).collect(),
        shell: Some(shell.into()),
        sets: None,
        requires: Vec::new(),
        expected: None,
        needs: Vec::new(),
        withheld: None,
    };
    let cases: &[(&str, &[&str], bool, &str)] = &[
        (
            "curl 'a b'",
            &["curl", "a b"],
            true,
            "single quotes keep the space",
        ),
        (
            "curl a b",
            &["curl", "a b"],
            false,
            "an unquoted space splits",
        ),
        (
            "curl $(echo x)",
            &["curl", "$(echo x)"],
            false,
            "command substitution runs",
        ),
        (
            "curl '$(echo x)'",
            &["curl", "$(echo x)"],
            true,
            "quoted, it is text",
        ),
        (
            "curl `echo x`",
            &["curl", "`echo x`"],
            false,
            "backticks run",
        ),
        (
            "curl a;kubectl b",
            &["curl", "a;kubectl b"],
            false,
            "a semicolon starts a command",
        ),
        (
            "curl https://h:\"${NODE_PORT}\"/v2",
            &["curl", "https://h:${NODE_PORT}/v2"],
            true,
            "a declared variable is kept by name",
        ),
        (
            "curl https://h:\"${OTHER}\"/v2",
            &["curl", "https://h:${OTHER}/v2"],
            false,
            "an undeclared one expands to nothing",
        ),
    ];
    for (shell, argv, agrees, reason) in cases {
        let mut one = step(shell, argv);
        one.requires = vec![msr_expose_core::steps::Requirement {
            var: "NODE_PORT",
            meaning: "the node port",
        }];
        let steps = [one];
        let seen = argv_seen_by_sh(&steps);
        assert_eq!(
            seen == Ok(vec![steps[0].argv.clone()]),
            *agrees,
            "{reason}: {seen:?}"
        );
    }
    assert!(sh_parses("set -eu\nkubectl get services\n"));
    assert!(
        !sh_parses("kubectl 'unterminated\n"),
        "sh -n rejects a broken script"
    );
}
