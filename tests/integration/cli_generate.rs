//! `msr-expose generate` as a user runs it: exit codes, stdout/stderr
//! separation, --config with flag overrides, and --out-dir writing all or nothing.

use msr_expose_tests::msr_expose;

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn valid_spec_prints_yaml_and_exits_0() {
    let o = msr_expose(&[
        "generate",
        "--method",
        "nodeport",
        "--node-fqdn",
        "worker1.example.com",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("apiVersion: v1\nkind: Service\n"));
}

#[test]
fn errors_exit_1_with_nothing_on_stdout() {
    let o = msr_expose(&[
        "generate",
        "--method",
        "ingress",
        "--external-fqdn",
        "https://cache.example.com:443/v2",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    assert!(
        stderr(&o).contains("error[fqdn.url] externalFqdn"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("`cache.example.com`"),
        "the hint says what to type"
    );
}

/// A value that starts with `-` is the user's value, not an unknown flag:
/// it reaches the validator, which names the field and the fix.
#[test]
fn hyphen_values_reach_the_validator() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &[
                "--method",
                "ingress",
                "--external-fqdn",
                "-cache.example.com",
            ],
            "error[fqdn.label_hyphen] externalFqdn",
            "a pasted leading dash is a bad label, not a flag",
        ),
        (
            &["--method", "nodeport", "--node-fqdn", "-w1.example.com"],
            "error[fqdn.label_hyphen] nodeFqdn",
            "the same for the node's name",
        ),
        (
            &[
                "--method",
                "nodeport",
                "--node-fqdn",
                "w1.example.com",
                "--name",
                "-cache",
            ],
            "] name",
            "a Service name starting with a dash is invalid DNS-1035",
        ),
    ];
    for (args, finding, reason) in cases {
        let mut full = vec!["generate"];
        full.extend_from_slice(args);
        let o = msr_expose(&full);
        assert_eq!(o.status.code(), Some(1), "{reason}: {}", stderr(&o));
        assert_eq!(stdout(&o), "", "{reason}: nothing partial on stdout");
        assert!(stderr(&o).contains(finding), "{reason}: {}", stderr(&o));
    }
}

#[test]
fn foreign_flag_is_an_error() {
    let o = msr_expose(&[
        "generate",
        "--method",
        "nodeport",
        "--node-fqdn",
        "w1.example.com",
        "--external-fqdn",
        "cache.example.com",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("spec.foreign_field"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(msr_expose(&["generate", "--bogus"]).status.code(), Some(2));
    assert_eq!(
        msr_expose(&["generate", "--method", "haproxy"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        msr_expose(&["generate", "--config", "/nonexistent/spec.yaml"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        msr_expose(&["generate", "-o", "xml"]).status.code(),
        Some(2)
    );
}

#[test]
fn config_file_with_flag_override() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("spec.yaml");
    std::fs::write(
        &cfg,
        "method: nodeport\nnodeFqdn: worker1.example.com\nnodePort: 30443\n",
    )
    .expect("write");
    let o = msr_expose(&[
        "generate",
        "--config",
        cfg.to_str().expect("utf8"),
        "--node-port",
        "30444",
        "-o",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["spec"]["ports"][0]["nodePort"], 30444);
}

#[test]
fn config_typo_is_a_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = dir.path().join("spec.yaml");
    std::fs::write(&cfg, "method: nodeport\nnodeFQDN: worker1.example.com\n").expect("write");
    let o = msr_expose(&["generate", "--config", cfg.to_str().expect("utf8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("spec.parse"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nodeFQDN"));
}

#[test]
fn out_dir_writes_manifest_and_steps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = msr_expose(&[
        "generate",
        "--method",
        "ingress",
        "--external-fqdn",
        "cache.example.com",
        "--out-dir",
        out.to_str().expect("utf8"),
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "-q hides info findings");
    let manifest = std::fs::read_to_string(out.join("msrcacheingress.yaml")).expect("manifest");
    assert!(manifest.contains("nginx.ingress.kubernetes.io/ssl-passthrough: \"true\""));
    assert!(!manifest.contains("secure-backends"));
    let script = std::fs::read_to_string(out.join("steps.sh")).expect("steps");
    assert!(script.starts_with("#!/bin/sh\n"));
    let sh = std::process::Command::new("sh")
        .arg("-n")
        .arg(out.join("steps.sh"))
        .status()
        .expect("sh");
    assert!(sh.success(), "steps.sh is valid POSIX shell");
}

#[test]
fn out_dir_untouched_on_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let o = msr_expose(&[
        "generate",
        "--method",
        "ingress",
        "--external-fqdn",
        "192.0.2.1",
        "--out-dir",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists(), "nothing written when the spec has errors");
}

/// `--out-dir` never replaces a file whose content it did not write: an
/// operator's edit is refused with a finding (nothing at all written) unless
/// `--force`; its own files are replaced when the spec changes; a re-run with
/// the same spec is a no-op that says so. The record is `sha256sum` format.
#[test]
fn out_dir_keeps_what_it_did_not_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let out_s = out.to_str().expect("utf8");
    let gen_for = |node: &str, extra: &[&str]| {
        let mut args = vec!["generate", "--node-fqdn", node, "--out-dir", out_s];
        args.extend_from_slice(extra);
        msr_expose(&args)
    };
    let steps = out.join("steps.sh");
    let manifest = out.join("msrcacheservice.yaml");

    let first = gen_for("w1.example.com", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "--quiet", ".msr-expose-written"])
        .current_dir(&out)
        .output()
        .expect("sha256sum (coreutils)");
    assert!(
        check.status.success(),
        "the record is what sha256sum checks"
    );

    // The same spec again: nothing to do, and it says so.
    let again = gen_for("w1.example.com", &[]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains("nothing written"),
        "{}",
        stderr(&again)
    );

    // Its own files follow a changed spec without --force.
    let moved = gen_for("w2.example.com", &[]);
    assert_eq!(moved.status.code(), Some(0), "{}", stderr(&moved));
    assert!(
        std::fs::read_to_string(&steps)
            .expect("steps")
            .contains("w2.example.com")
    );

    // An operator's edit is kept, and nothing else is written either.
    std::fs::write(&manifest, "keep\n").expect("edit");
    let refused = gen_for("w3.example.com", &[]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        stdout(&refused),
        "",
        "no file list when nothing was written"
    );
    assert!(
        stderr(&refused).contains("error[outdir.not_ours]")
            && stderr(&refused)
                .contains("msrcacheservice.yaml was changed since msr-expose wrote it"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(std::fs::read_to_string(&manifest).expect("kept"), "keep\n");
    assert!(
        !std::fs::read_to_string(&steps)
            .expect("steps")
            .contains("w3.example.com"),
        "all or nothing"
    );

    // A file nobody recorded is someone else's.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir(&foreign).expect("mkdir");
    std::fs::write(foreign.join("steps.sh"), "#!/bin/sh\necho mine\n").expect("write");
    let o = msr_expose(&[
        "generate",
        "--node-fqdn",
        "w1.example.com",
        "--out-dir",
        foreign.to_str().expect("utf8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("was not written by msr-expose"),
        "{}",
        stderr(&o)
    );
    assert!(
        !foreign.join("msrcacheservice.yaml").exists(),
        "nothing written"
    );

    // --force replaces the edit.
    let forced = gen_for("w3.example.com", &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        std::fs::read_to_string(&manifest)
            .expect("manifest")
            .starts_with("apiVersion: v1")
    );
    assert!(
        std::fs::read_to_string(&steps)
            .expect("steps")
            .contains("w3.example.com")
    );
}

#[test]
fn help_shows_examples() {
    let o = msr_expose(&["generate", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("Examples:"));
    assert!(stdout(&o).contains("Exit status"));
}
