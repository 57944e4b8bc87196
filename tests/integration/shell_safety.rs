//! The shells as the reference for every command msr-expose writes (the
//! contract in `core/src/shell.rs`): every script of every method, preset,
//! fleet and certificate plan is read by `bash -n`, `dash -n` and `zsh -n`,
//! then run as a file by each of the three with stub commands on PATH that
//! record their argv, and what each stub received must be what the script
//! says it runs. Every step's command is also pasted into interactive bash
//! and zsh through a pty (`script`, util-linux), typed and as a bracketed
//! paste, with history expansion on. Hostile values — quotes of both kinds,
//! `$( )`, backticks, separators, `!`, globs, `~`, `=`, leading dashes,
//! backslashes, non-ASCII, very long — go into every free-text input that
//! reaches a command; nothing else may run and every value must arrive
//! unchanged. The shells are Debian's (`make setup` installs zsh).

use crate::specs::{SPECS, spec};
use msr_expose_core::certplan::{KeyType, openssl_script};
use msr_expose_core::steps::Step;
use msr_expose_core::{Spec, generate};
use proptest::prelude::*;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const HINT: &str = "install it with apt-get (bash, dash, zsh, bsdutils)";

/// The shells every script is held to, by absolute path: the tests run
/// with PATH holding only the stubs.
const SHELLS: &[(&str, &str)] = &[
    ("bash", "/usr/bin/bash"),
    ("dash", "/usr/bin/dash"),
    ("zsh", "/usr/bin/zsh"),
];

/// Every program a generated command may run; each is a stub that records
/// its argv. Anything else is "not found" on stderr, and fails the test.
const PROGRAMS: &[&str] = &[
    "kubectl",
    "oc",
    "curl",
    "openssl",
    "ssh-keygen",
    "docker",
    "skopeo",
    "ctr",
    "mkdir",
    "msr-expose",
];

/// What a stub prints: the value of a variable a step sets from a command.
const STUB_OUT: &str = "stub-out";

/// The variables the operator sets before the registration step, and
/// their values in these runs.
const OPERATOR_VARS: &[(&str, &str)] = &[("MSR_HOST", "msr.example.com"), ("MSR_USER", "admin")];

/// A directory of stub programs and the log they append to: each argument
/// NUL-terminated, an empty one after the last.
struct Stubs {
    dir: tempfile::TempDir,
}

impl Stubs {
    fn new() -> Stubs {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).expect("bin");
        for p in PROGRAMS {
            let path = bin.join(p);
            std::fs::write(
                &path,
                // One record, appended by one write: the two sides of a
                // pipeline run at once.
                "#!/bin/sh\n{ printf '%s\\0' \"${0##*/}\" \"$@\"; printf '\\0'; } > \"$STUB_LOG.$$\"\n\
                 /bin/cat \"$STUB_LOG.$$\" >> \"$STUB_LOG\"\n/bin/rm -f \"$STUB_LOG.$$\"\n\
                 printf '%s\\n' \"$STUB_OUT\"\n",
            )
            .expect("stub");
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        Stubs { dir }
    }

    fn bin(&self) -> PathBuf {
        self.dir.path().join("bin")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("argv.log")
    }

    /// A fresh, empty working directory.
    fn work(&self) -> PathBuf {
        let w = self.dir.path().join("work");
        let _ = std::fs::remove_dir_all(&w);
        std::fs::create_dir(&w).expect("work");
        w
    }

    /// A command with only the stubs on PATH and the operator's variables.
    fn command(&self, program: &str) -> Command {
        let _ = std::fs::remove_file(self.log());
        let mut c = Command::new(program);
        c.env_clear()
            .env("PATH", self.bin())
            .env("STUB_LOG", self.log())
            .env("STUB_OUT", STUB_OUT)
            .env("HOME", self.dir.path())
            .env("LANG", "C.UTF-8")
            .current_dir(self.work());
        for (k, v) in OPERATOR_VARS {
            c.env(k, v);
        }
        c
    }

    /// The commands the stubs saw, in order.
    fn seen(&self) -> Vec<Vec<String>> {
        let bytes = std::fs::read(self.log()).unwrap_or_default();
        let mut seen = Vec::new();
        let mut current = Vec::new();
        let mut fields: Vec<&[u8]> = bytes.split(|b| *b == 0).collect();
        fields.pop();
        for f in fields {
            if f.is_empty() {
                seen.push(std::mem::take(&mut current));
            } else {
                current.push(String::from_utf8_lossy(f).into_owned());
            }
        }
        seen
    }

    /// Runs `text` as a file in `shell`: the stubs' argv, or what went wrong.
    fn run_file(&self, shell: &str, text: &str) -> Seen {
        let file = self.dir.path().join("script.sh");
        std::fs::write(&file, text).expect("script");
        let out = self
            .command(shell)
            .arg(&file)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {shell} ({e}); {HINT}"));
        if !out.status.success() || !out.stderr.is_empty() {
            return Err(format!(
                "{shell} exited {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(self.seen())
    }

    /// Pastes each of `texts` into one interactive `shell` on a pty, in
    /// turn, typed or as bracketed pastes, each followed by Enter, then
    /// `exit`: the stubs' argv.
    fn paste(
        &self,
        shell: &str,
        texts: &[&str],
        bracketed: bool,
        vars: &[&str],
    ) -> Vec<Vec<String>> {
        let interactive = match shell {
            "bash" => "/usr/bin/bash --norc --noprofile -i",
            "zsh" => "/usr/bin/zsh -f -i",
            other => panic!("no interactive {other}"),
        };
        let mut input = String::new();
        for text in texts {
            if bracketed {
                input.push_str("\x1b[200~");
                input.push_str(text);
                input.push_str("\x1b[201~");
            } else {
                input.push_str(text);
            }
            input.push('\r');
        }
        input.push_str("exit\r");
        let mut c = self.command("/usr/bin/script");
        c.args(["-qec", interactive, "/dev/null"])
            .env("TERM", "xterm")
            .env("SHELL", "/bin/sh")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // Variables set by earlier steps, as the operator has them by now.
        for var in vars {
            c.env(var, STUB_OUT);
        }
        let mut child = c
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run script ({e}); {HINT}"));
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("type");
        child.wait().expect("wait");
        self.seen()
    }
}

/// A step's argv as the shell must hand it over: a variable a step sets
/// holds what the stub printed, the operator's hold their values.
fn expected_argv(steps: &[Step]) -> Vec<Vec<String>> {
    let sets: Vec<&str> = steps.iter().filter_map(|s| s.sets).collect();
    steps
        .iter()
        .filter(|s| s.shell.is_some())
        .map(|s| {
            s.argv
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    for v in &sets {
                        a = a.replace(&format!("${{{v}}}"), STUB_OUT);
                    }
                    for (k, v) in OPERATOR_VARS {
                        a = a.replace(&format!("${{{k}}}"), v);
                    }
                    a
                })
                .collect()
        })
        .collect()
}

/// The commands a shell's stubs saw, or what the shell said went wrong.
type Seen = Result<Vec<Vec<String>>, String>;

/// A script and the commands it says it runs.
struct Case {
    name: String,
    text: String,
    argv: Vec<Vec<String>>,
}

/// Builtins a script runs that no stub sees.
const BUILTINS: &[&str] = &["umask"];

fn plan_cases(name: &str, spec: &Spec) -> Vec<Case> {
    let (valid, findings) = msr_expose_core::validate(spec);
    let valid = valid.unwrap_or_else(|| panic!("{name}: {findings:?}"));
    let mut out = Vec::new();
    for (key, lab) in [
        (KeyType::P256, false),
        (KeyType::P256, true),
        (KeyType::Rsa3072, true),
    ] {
        let s = openssl_script(&valid, key, lab).expect("plan");
        out.push(Case {
            name: format!("{name}: cert plan ({key:?}, lab CA {lab})"),
            text: s.text().to_string(),
            argv: s
                .commands()
                .iter()
                .filter(|c| !BUILTINS.contains(&c[0].as_str()))
                .cloned()
                .collect(),
        });
    }
    out
}

fn steps_case(name: &str, spec: &Spec) -> Case {
    let g = generate(spec);
    let out = g
        .output
        .unwrap_or_else(|| panic!("{name}: {:?}", g.findings));
    Case {
        name: format!("{name}: steps.sh"),
        argv: expected_argv(&out.steps),
        text: out.script,
    }
}

/// The fleet used below: every method, a context with spaces and quotes.
const FLEET: &str = r#"{"defaults": {"ca": "certs/msr ca.pem"}, "caches": [
 {"name": "eu1", "context": "eu1 'admin' $(id)", "method": "nodeport", "nodeFqdn": "w1.example.com"},
 {"name": "us1", "context": "us1-admin", "method": "gateway", "externalFqdn": "c1.example.com", "gatewayClassName": "eg"},
 {"name": "ap1", "method": "traefik", "externalFqdn": "c2.example.com"},
 {"name": "sa1", "method": "istio", "externalFqdn": "c3.example.com"},
 {"name": "af1", "method": "openshift", "externalFqdn": "c4.apps.example.com"},
 {"name": "oc1", "method": "loadbalancer", "externalFqdn": "c5.example.com"},
 {"name": "in1", "method": "ingress", "externalFqdn": "c6.example.com"}
]}"#;

/// The README's "Apply by hand" block: one pipeline per cache, between
/// fences of backticks (as long as they need to be).
fn readme_commands(readme: &str) -> Vec<String> {
    let after = readme
        .split("## Apply by hand")
        .nth(1)
        .expect("the README's apply block");
    let mut lines = after
        .lines()
        .skip_while(|l| !(l.starts_with("```") && l.ends_with("sh")));
    let fence = lines
        .next()
        .expect("a fence")
        .trim_end_matches("sh")
        .to_string();
    lines
        .take_while(|l| *l != fence)
        .map(str::to_string)
        .collect()
}

fn fleet_cases() -> Vec<Case> {
    let fleet = msr_expose_core::fleet::from_json(FLEET).expect("fleet");
    let tree = msr_expose_core::fleet_files::tree(&fleet, &[]).expect("tree");
    let mut out = Vec::new();
    for c in &fleet.caches {
        let (valid, _) = msr_expose_core::validate(&c.spec);
        let valid = valid.expect("valid cache");
        let file = |p: &str| {
            tree.files
                .iter()
                .find(|f| f.path == format!("{}/{p}", c.name))
                .map(|f| f.content.clone())
                .unwrap_or_else(|| panic!("{}/{p}", c.name))
        };
        let mut steps = steps_case(&format!("fleet {}", c.name), &c.spec);
        assert_eq!(steps.text, file("steps.sh"), "the fleet's steps.sh");
        steps.text = file("steps.sh");
        out.push(steps);
        let lab = openssl_script(&valid, KeyType::P256, true).expect("plan");
        assert_eq!(lab.text(), file("cert-plan-lab-ca.sh"));
    }
    let readme = tree
        .files
        .iter()
        .find(|f| f.path == "README.md")
        .expect("README");
    let lines = readme_commands(&readme.content);
    assert_eq!(lines.len(), fleet.caches.len(), "a line per cache");
    for (line, c) in lines.iter().zip(&fleet.caches) {
        let (overlay, apply) = apply_argv(&c.name, c.context.as_deref());
        out.push(Case {
            name: format!("fleet README: {}", c.name),
            text: format!("{line}\n"),
            argv: vec![overlay, apply],
        });
    }
    out
}

/// The argv of the fleet README's two commands for a cache: `kubectl
/// kustomize` of its overlay, and the apply into its context.
fn apply_argv(cache: &str, context: Option<&str>) -> (Vec<String>, Vec<String>) {
    let kustomize = ["kubectl", "kustomize", &format!("gitops/overlays/{cache}")].map(String::from);
    let mut apply = vec!["kubectl".to_string()];
    if let Some(ctx) = context {
        apply.extend(["--context".to_string(), ctx.to_string()]);
    }
    apply.extend(
        [
            "apply",
            "--server-side",
            "--field-manager",
            "msr-expose",
            "-f",
            "-",
        ]
        .map(String::from),
    );
    (kustomize.to_vec(), apply)
}

/// Every script msr-expose writes for the named specs (every method and
/// preset), with a CA file name that needs quoting, and for the fleet.
fn every_case() -> Vec<Case> {
    let mut cases = Vec::new();
    for (name, yaml) in SPECS {
        let s = spec(yaml);
        cases.push(steps_case(name, &s));
        cases.extend(plan_cases(name, &s));
        let mut hostile = s.clone();
        hostile.ca_file = HOSTILE_CA.into();
        cases.push(steps_case(&format!("{name}, hostile caFile"), &hostile));
        cases.extend(plan_cases(&format!("{name}, hostile caFile"), &hostile));
    }
    cases.extend(fleet_cases());
    cases
}

/// A CA file name that every kind of quoting mistake would show.
const HOSTILE_CA: &str = "-dir/ca's \"$(touch PWNED)\" `id` !x *.pem ~ =x {a,b};|&\\.pem";

/// Pipelines and lines may not both be counted: a pipeline's stubs write
/// to the log concurrently, so the test compares them as a set.
fn same_commands(seen: &[Vec<String>], want: &[Vec<String>], pipeline: bool) -> bool {
    if pipeline {
        let mut a = seen.to_vec();
        let mut b = want.to_vec();
        a.sort();
        b.sort();
        a == b
    } else {
        seen == want
    }
}

#[test]
fn every_script_parses_in_bash_dash_and_zsh() {
    let cases = every_case();
    for (shell, path) in SHELLS {
        for c in &cases {
            let out = Command::new(path)
                .arg("-n")
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write;
                    child
                        .stdin
                        .take()
                        .expect("stdin")
                        .write_all(c.text.as_bytes())?;
                    child.wait_with_output()
                })
                .unwrap_or_else(|e| panic!("cannot run {shell} ({e}); {HINT}"));
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{shell} -n rejects {}: {}\n{}",
                c.name,
                String::from_utf8_lossy(&out.stderr),
                c.text
            );
        }
    }
    println!(
        "{} scripts read by bash -n, dash -n and zsh -n: 0 rejected",
        cases.len()
    );
}

#[test]
fn every_script_runs_as_written_in_bash_dash_and_zsh() {
    let stubs = Stubs::new();
    let cases = every_case();
    for (shell, path) in SHELLS {
        for c in &cases {
            let seen = stubs.run_file(path, &c.text);
            let pipeline = c.name.starts_with("fleet README");
            match &seen {
                Ok(s) if same_commands(s, &c.argv, pipeline) => {}
                _ => panic!(
                    "{shell} ran {} otherwise than it says:\nseen: {seen:?}\nwant: {:?}\n{}",
                    c.name, c.argv, c.text
                ),
            }
            assert!(
                !stubs.work().join("PWNED").exists(),
                "{shell}: {} ran a command",
                c.name
            );
        }
    }
}

/// What the Copy buttons copy: each step's command, pasted into an
/// interactive bash and zsh (history expansion on, zsh's globbing and
/// `=word`), typed and as a bracketed paste.
#[test]
fn every_step_pasted_into_interactive_bash_and_zsh() {
    let stubs = Stubs::new();
    let mut pasted = 0;
    for (name, yaml) in SPECS {
        let mut s = spec(yaml);
        s.ca_file = HOSTILE_CA.into();
        let out = generate(&s).output.expect("valid");
        let want = expected_argv(&out.steps);
        let vars: Vec<&str> = out.steps.iter().filter_map(|st| st.sets).collect();
        let texts: Vec<&str> = out
            .steps
            .iter()
            .filter_map(|st| st.shell.as_deref())
            .collect();
        for shell in ["bash", "zsh"] {
            for bracketed in [false, true] {
                let seen = stubs.paste(shell, &texts, bracketed, &vars);
                assert_eq!(
                    seen,
                    want,
                    "{name}: the steps pasted into {shell} (bracketed: {bracketed}):\n{}",
                    texts.join("\n")
                );
                pasted += texts.len();
            }
        }
    }
    println!("{pasted} pastes into interactive bash and zsh: every argv as the step says");
}

/// Regression (issue 25): `--ca "ca.pem';touch PWNED;'"` made the lab plan
/// run `touch PWNED`; an absolute CA file name was written over. Run for
/// real, with Debian's openssl.
#[test]
fn the_lab_plan_writes_exactly_the_named_ca_and_never_over_a_file() {
    for (shell, path) in SHELLS {
        for ca in [
            "ca.pem';touch PWNED;'",
            "-dir/$'\\x41'.pem",
            "sub dir/ca's.pem",
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            let mut s = spec("method: nodeport\nnodeFqdn: w1.example.com\n");
            s.ca_file = ca.into();
            let valid = msr_expose_core::validate(&s).0.expect("valid");
            let plan = openssl_script(&valid, KeyType::P256, true).expect("plan");
            let file = dir.path().join("plan.sh");
            std::fs::write(&file, plan.text()).expect("write");
            let run = || {
                Command::new(path)
                    .arg(&file)
                    .current_dir(dir.path())
                    .output()
                    .unwrap_or_else(|e| panic!("{shell}: {e}; {HINT}"))
            };
            let out = run();
            assert!(
                out.status.success(),
                "{shell}, {ca}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !dir.path().join("PWNED").exists(),
                "{shell}, {ca}: injected"
            );
            let made = std::fs::read_to_string(dir.path().join(ca)).expect("the CA, by its name");
            assert!(
                made.starts_with("-----BEGIN CERTIFICATE-----"),
                "{shell}, {ca}"
            );
            // The printed next command names the CA exactly.
            let stdout = String::from_utf8_lossy(&out.stdout);
            let next = stdout
                .lines()
                .find_map(|l| l.strip_prefix("next: "))
                .and_then(|l| l.strip_suffix(" (with the spec given to generate)"))
                .expect("next line");
            let stubs = Stubs::new();
            let seen = stubs.run_file(path, &format!("{next}\n")).expect("runs");
            assert_eq!(
                seen,
                vec![
                    [
                        "msr-expose",
                        "check",
                        "--cert",
                        "cache.cert.pem",
                        "--key",
                        "cache.key.pem",
                        "--ca",
                        ca
                    ]
                    .map(String::from)
                    .to_vec()
                ],
                "{shell}: the next command as printed"
            );
            // Run again: every file is there, nothing is written over.
            let again = run();
            assert_eq!(again.status.code(), Some(1), "{shell}, {ca}: refused");
            assert_eq!(
                std::fs::read_to_string(dir.path().join(ca)).expect("ca"),
                made,
                "{shell}, {ca}: the CA is untouched"
            );
        }
    }
}

/// Values with no quoting that survives a paste are refused, naming the
/// field — by the spec, the fleet and the permalink.
#[test]
fn control_characters_are_refused_with_the_field_named() {
    for bad in [
        "ca\n.pem",
        "ca\t.pem",
        "ca\u{1b}[2J.pem",
        "ca\r.pem",
        "ca\u{85}.pem",
    ] {
        let mut s = spec("method: nodeport\nnodeFqdn: w1.example.com\n");
        s.ca_file = bad.into();
        let g = generate(&s);
        assert!(g.output.is_none(), "{bad:?}");
        assert!(
            g.findings
                .iter()
                .any(|f| f.code == "spec.ca_file_invalid" && f.field == "caFile"),
            "{bad:?}: {:?}",
            g.findings
        );
        let fleet = serde_json::json!({"caches": [{"name": "eu1", "context": bad,
            "method": "nodeport", "nodeFqdn": "w1.example.com"}]});
        let refused = msr_expose_core::fleet::from_json(&fleet.to_string()).err();
        assert!(
            refused
                .iter()
                .flatten()
                .any(|f| f.field == "caches[eu1].context"),
            "{bad:?}: {refused:?}"
        );
        let json = serde_json::json!({"method": "nodeport", "nodeFqdn": "w1.example.com",
            "caFile": bad});
        let link: String = json
            .to_string()
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect();
        let read = msr_expose_core::permalink::decode(&format!("#spec={link}"));
        assert!(
            matches!(&read, Err(f) if f.field == "caFile"),
            "{bad:?}: {read:?}"
        );
        assert!(
            msr_expose_core::permalink::encode(&s).is_none(),
            "no link is written"
        );
    }
}

/// The CLI's `--ca PATH`: the steps name exactly the file checked (also
/// with `--config`), and a name that is not UTF-8 is refused, not changed.
#[test]
fn the_ca_flag_reaches_the_steps_exactly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pem = dir.path().join("made.pem");
    let o = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "/dev/null",
            "-subj",
            "/CN=t",
            "-days",
            "2",
            "-out",
        ])
        .arg(&pem)
        .output()
        .expect("openssl (make setup installs it)");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let made = std::fs::read(&pem).expect("pem");
    let config = dir.path().join("spec.yaml");
    std::fs::write(
        &config,
        "method: nodeport\nnodeFqdn: w1.example.com\ncaFile: other.pem\n",
    )
    .expect("config");
    for name in [
        "ca.pem';touch PWNED;'",
        "$'\\x41'.pem",
        "-ca.pem",
        "a b!.pem",
    ] {
        let ca = dir.path().join(name);
        std::fs::write(&ca, &made).expect("ca");
        for with_config in [false, true] {
            let mut args = vec!["generate", "-o", "steps"];
            if with_config {
                args.extend(["--config", config.to_str().expect("utf-8")]);
            } else {
                args.extend(["--method", "nodeport", "--node-fqdn", "w1.example.com"]);
            }
            let ca_arg = ca.to_str().expect("utf-8");
            args.extend(["--ca", ca_arg]);
            let o = msr_expose_tests::msr_expose(&args);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{name}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let script = String::from_utf8(o.stdout).expect("utf-8");
            let seen = Stubs::new()
                .run_file("/usr/bin/dash", &script)
                .expect("runs");
            assert!(
                seen.iter().any(|argv| argv
                    .windows(2)
                    .any(|w| w[0] == "--cacert" && w[1] == ca_arg)),
                "{name} (config: {with_config}): curl trusts the CA checked: {seen:?}"
            );
        }
    }
    use std::os::unix::ffi::OsStrExt;
    let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"ca-\xff.pem"));
    std::fs::write(&odd, &made).expect("ca");
    let o = Command::new(msr_expose_tests::msr_expose_bin())
        .args([
            "generate",
            "--method",
            "nodeport",
            "--node-fqdn",
            "w1.example.com",
            "--ca",
        ])
        .arg(&odd)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("spec.ca_file_invalid") && err.contains("--ca"),
        "{err}"
    );
    assert!(o.stdout.is_empty(), "nothing written");
}

/// Free text that reaches commands, hostile in every way the contract
/// names (control characters are refused, so none here).
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9.'\"$`;:|&<>()*?~#!{}^%@+,=\\\\ \\[\\]/-]{1,40}",
        2 => "(-|=|~|!|\\^|#)?(\\$\\([a-z ]{1,8}\\)|`[a-z ]{1,8}`|'[^'\\p{Cc}]{0,6}'|\"[^\"\\p{Cc}]{0,6}\"|\\$'\\\\x41')[a-z.]{0,8}",
        1 => "[a-zé€中аα.'!\u{202e}\u{200d}]{1,12}",
        1 => "[^\\p{Cc}]{1,40}",
        1 => "[a-z'!$]{1000,2000}",
    ]
}

/// Runs `text` in each shell with function stubs (one process a shell: a
/// thousand cases stay fast) and returns each shell's argv: each function
/// appends its argv to a log, as the stub programs do, and prints
/// [`STUB_OUT`]. dash takes no function name with a dash, and none of
/// those programs runs here.
fn run_with_functions(text: &str) -> Vec<(&'static str, Seen)> {
    let body = text.replacen("#!/bin/sh\n", "", 1);
    let stubs = Stubs::new();
    let mut out = Vec::new();
    for (shell, path) in SHELLS {
        let mut prelude = String::new();
        for p in PROGRAMS
            .iter()
            .filter(|p| *shell != "dash" || !p.contains('-'))
        {
            prelude.push_str(&format!(
                "{p}() {{ {{ printf '%s\\0' {p} \"$@\"; printf '\\0'; }} >> \"$STUB_LOG\"; printf '%s\\n' {STUB_OUT}; }}\n"
            ));
        }
        let o = stubs
            .command(path)
            .env("PATH", "/nonexistent")
            .arg("-c")
            .arg(format!("{prelude}{body}"))
            .output()
            .unwrap_or_else(|e| panic!("{shell}: {e}; {HINT}"));
        let res = if !o.status.success() || !o.stderr.is_empty() {
            Err(format!(
                "{shell} exited {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            ))
        } else {
            Ok(stubs.seen())
        };
        out.push((*shell, res));
    }
    out
}

/// Every case is a value the tool accepts or refuses with its finding; at
/// least 1000 accepted ones reach the three shells per run, counted.
#[test]
fn hostile_values_reach_commands_intact_in_every_shell() {
    let reached = std::cell::Cell::new(0usize);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1100,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (hostile(), hostile(), 0usize..3);
    let result = runner.run(&strategy, |(ca, context, method)| {
        let mut s = spec(match method {
            0 => "method: nodeport\nnodeFqdn: w1.example.com\n",
            1 => "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: eg\n",
            _ => "method: ingress\nexternalFqdn: cache.example.com\n",
        });
        s.ca_file = ca.clone();
        let g = generate(&s);
        let last = ca.rsplit('/').next().unwrap_or_default();
        if ca.trim().is_empty() || matches!(last, "" | "." | "..") {
            prop_assert!(
                g.output.is_none(),
                "an empty name or a directory is refused"
            );
            return Ok(());
        }
        if ca.starts_with('/') && std::path::Path::new(&ca).exists() {
            // The lab plan refuses to write over it: tested by name above.
            return Ok(());
        }
        let out = g.output.expect("accepted");
        // The steps, then the lab plan's commands and its printed next one.
        let valid = msr_expose_core::validate(&s).0.expect("valid");
        let plan = openssl_script(&valid, KeyType::P256, true).expect("plan");
        let mut want = expected_argv(&out.steps);
        want.extend(
            plan.commands()
                .iter()
                .filter(|c| !BUILTINS.contains(&c[0].as_str()))
                .cloned(),
        );
        let body = format!(
            "{}\n{}",
            out.script,
            plan.text().replacen("#!/bin/sh\n", "", 1)
        );
        for (shell, seen) in run_with_functions(&body) {
            prop_assert_eq!(&seen, &Ok(want.clone()), "{}: {:?}\n{}", shell, ca, body);
        }
        // A fleet cache in that context: its README's apply line.
        let fleet = serde_json::json!({"caches": [{"name": "eu1", "context": context,
                "method": "nodeport", "nodeFqdn": "w1.example.com", "ca": ca}]});
        let fleet = msr_expose_core::fleet::from_json(&fleet.to_string()).expect("fleet");
        let tree = msr_expose_core::fleet_files::tree(&fleet, &[]).expect("tree");
        let readme = &tree
            .files
            .iter()
            .find(|f| f.path == "README.md")
            .expect("README")
            .content;
        let line = readme_commands(readme).remove(0);
        let (kustomize, apply) = apply_argv("eu1", Some(&context));
        let want = vec![kustomize, apply];
        // A pipeline's two sides run at once: through the stub programs,
        // which append one record each.
        let stubs = Stubs::new();
        for (shell, path) in SHELLS {
            let seen = stubs.run_file(path, &format!("{line}\n"));
            prop_assert!(
                seen.as_ref().is_ok_and(|s| same_commands(s, &want, true)),
                "{}: {:?}\n{}",
                shell,
                seen,
                line
            );
        }
        reached.set(reached.get() + 1);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!(
        "{} hostile values through bash, dash and zsh: 0 ran a command, 0 changed",
        reached.get()
    );
    assert!(
        reached.get() >= 1000,
        "{} cases reached the shells",
        reached.get()
    );
}

/// The oracle itself: the stubs see an unquoted value split, a command
/// substitution run, and a quoted one intact.
#[test]
fn the_stub_oracle_sees_what_the_shell_does() {
    let stubs = Stubs::new();
    for (shell, path) in SHELLS {
        let split = stubs.run_file(path, "curl a b\n").expect("runs");
        assert_eq!(split, vec![vec!["curl", "a", "b"]], "{shell}");
        let quoted = stubs.run_file(path, "curl 'a b' '$(x)'\n").expect("runs");
        assert_eq!(quoted, vec![vec!["curl", "a b", "$(x)"]], "{shell}");
        assert!(
            stubs.run_file(path, "curl $(touch x)\n").is_err(),
            "{shell}: touch is not on PATH, so a substitution fails"
        );
    }
    // And the pty sees what an interactive shell does: zsh's =word.
    let seen = stubs.paste("zsh", &["curl =x"], false, &[]);
    assert!(seen.is_empty(), "zsh expands =x (not found): {seen:?}");
    let seen = stubs.paste("bash", &["curl 'a!b'"], false, &[]);
    assert_eq!(seen, vec![vec!["curl", "a!b"]]);
}

/// Regression (issue 25): `apply`'s printed next command carried the CA
/// path unquoted, so spaces split it and `$(…)` ran. Against the SIMULATED
/// API server (tests/sim_kube.rs): the command it prints, run by each
/// shell, hands `msr-expose verify` exactly the CA file's name.
#[test]
fn apply_prints_a_next_command_that_names_the_ca_exactly() {
    let sim = msr_expose_tests::sim_kube::SimKube::start();
    let o = Command::new(msr_expose_tests::msr_expose_bin())
        .args([
            "apply",
            "--node-fqdn",
            "worker1.example.com",
            "--ca-file",
            HOSTILE_CA,
            "-o",
            "json",
            "--kubeconfig",
        ])
        .arg(sim.kubeconfig())
        .env_remove("KUBECONFIG")
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let next = report["next"].as_str().expect("next").to_string();
    let stubs = Stubs::new();
    for (shell, path) in SHELLS {
        let seen = stubs.run_file(path, &format!("{next}\n"));
        assert_eq!(
            seen,
            Ok(vec![
                [
                    "msr-expose",
                    "verify",
                    "--url",
                    "https://worker1.example.com:30500",
                    "--ca",
                    HOSTILE_CA
                ]
                .map(String::from)
                .to_vec()
            ]),
            "{shell}: {next}"
        );
    }
}
