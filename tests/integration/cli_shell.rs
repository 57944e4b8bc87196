//! What a command-line user expects around the commands: completion scripts
//! that real shells load and complete with, a man page groff renders without
//! warnings, and NO_COLOR honoured. The shells and groff are Debian's
//! (`make setup` installs zsh, fish and groff-base).

use msr_expose_tests::{msr_expose, msr_expose_bin, tool};
use std::process::Command;

const HINT: &str = "install it with apt-get (zsh, fish, groff-base)";

fn script(shell: &str) -> String {
    let o = msr_expose(&["completion", shell]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

/// Bash completes the subcommands, and a subcommand's own flags (which
/// clap_complete alone gets wrong for a hyphenated name: clap-rs/clap#6421).
#[test]
fn bash_completes_subcommands_and_their_flags() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("msr-expose.bash");
    std::fs::write(&path, script("bash")).expect("write");
    let cases: &[(&[&str], &[&str], &str)] = &[
        (&["gen"], &["generate"], "a subcommand from its prefix"),
        (
            &["generate", "--exte"],
            &["--external-fqdn", "--external-traffic-policy"],
            "generate's flags",
        ),
        (&["apply", "--repl"], &["--replace"], "apply's flags"),
        (&["completion", "fi"], &["fish"], "the shells"),
    ];
    for (words, want, reason) in cases {
        let words_list = words.join(" ");
        let cur = words.last().copied().unwrap_or_default();
        let prev = if words.len() > 1 {
            words[words.len() - 2]
        } else {
            "msr-expose"
        };
        let program = format!(
            "source '{}'\nCOMP_WORDS=(msr-expose {words_list})\nCOMP_CWORD={}\n\
             COMP_LINE='msr-expose {words_list}'\nCOMP_POINT=${{#COMP_LINE}}\n\
             \"$(complete -p msr-expose | sed -E 's/.*-F ([^ ]+).*/\\1/')\" msr-expose '{cur}' '{prev}'\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            words.len()
        );
        let o = tool("bash", &["-c", &program], HINT);
        let got: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            got,
            *want,
            "{reason}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn zsh_and_fish_load_their_scripts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let zsh = dir.path().join("_msr-expose");
    std::fs::write(&zsh, script("zsh")).expect("write");
    let o = tool("zsh", &["-n", zsh.to_str().expect("utf8")], HINT);
    assert!(
        o.status.success(),
        "zsh -n: {}",
        String::from_utf8_lossy(&o.stderr)
    );

    let fish = dir.path().join("msr-expose.fish");
    std::fs::write(&fish, script("fish")).expect("write");
    let o = tool(
        "fish",
        &[
            "--no-config",
            "-c",
            &format!(
                "source '{}'; complete -C 'msr-expose generate --node-f'",
                fish.display()
            ),
        ],
        HINT,
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.starts_with("--node-fqdn\t"),
        "fish completes the flag: {out}"
    );
}

#[test]
fn the_man_pages_render_without_warnings_and_cover_every_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = msr_expose(&["man", "--dir", dir.path().to_str().expect("utf8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let render = |page: &std::path::Path| {
        let r = tool(
            "groff",
            &["-k", "-man", "-Tutf8", "-ww", page.to_str().expect("utf8")],
            HINT,
        );
        assert!(r.status.success());
        assert_eq!(
            String::from_utf8_lossy(&r.stderr),
            "",
            "groff warns on {}",
            page.display()
        );
        // -k: preconv, as man(1) runs it, for the UTF-8 in the help text.
        // Justified text: compare words, not spacing.
        String::from_utf8_lossy(&r.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let top = render(&dir.path().join("msr-expose.1"));
    assert!(
        top.contains("Exit status, the same in every command"),
        "the after-help is in the page"
    );
    for command in [
        "generate",
        "check",
        "verify",
        "apply",
        "up",
        "codes",
        "completion",
        "man",
    ] {
        let page = dir.path().join(format!("msr-expose-{command}.1"));
        assert!(
            page.exists(),
            "the page msr-expose-{command}(1) the top page refers to"
        );
        assert!(
            top.contains(&format!("msr-expose-{command}(1)")),
            "{command}"
        );
        render(&page);
    }
    let generate = render(&dir.path().join("msr-expose-generate.1"));
    assert!(
        generate.contains("--out-dir"),
        "a command's page has its flags"
    );

    // Without --dir: the top page on stdout, the same as the file.
    let printed = msr_expose(&["man"]);
    assert_eq!(
        printed.stdout,
        std::fs::read(dir.path().join("msr-expose.1")).expect("read")
    );
}

/// NO_COLOR wins even over CLICOLOR_FORCE; without it, forced colour shows
/// that the check would see escapes.
#[test]
fn no_color_is_honoured() {
    let run = |env: &[(&str, &str)]| {
        let mut c = Command::new(msr_expose_bin());
        c.args(["generate", "--bogus"]);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run")
    };
    let forced = run(&[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stderr.contains(&0x1b), "forced colour has escapes");
    let plain = run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(
        !plain.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
}

/// `--help` names every method from the registry (its text is never a list
/// written by hand), and enum flags take Kubernetes' spelling in any case.
#[test]
fn help_lists_the_registry_and_kinds_take_any_case() {
    let o = msr_expose(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for m in msr_expose_core::Method::ALL {
        let title = m
            .about()
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(help.contains(&title), "--help lacks {title}: {help}");
    }
    let o = msr_expose(&["generate", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for m in msr_expose_core::Method::ALL {
        assert!(
            help.contains(m.name()),
            "--method's help lacks {}",
            m.name()
        );
    }
    for p in msr_expose_core::platform::Platform::ALL {
        assert!(
            help.contains(p.name()),
            "--platform's help lacks {}",
            p.name()
        );
    }
    for kind in ["ClusterIssuer", "clusterissuer", "Issuer", "issuer"] {
        let o = msr_expose(&[
            "generate",
            "-o",
            "cert-manager",
            "--issuer",
            "ca",
            "--issuer-kind",
            kind,
            "--node-fqdn",
            "w1.example.com",
            "--node-port",
            "30443",
            "-q",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{kind}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let want = if kind.eq_ignore_ascii_case("issuer") {
            "kind: Issuer"
        } else {
            "kind: ClusterIssuer"
        };
        assert!(String::from_utf8_lossy(&o.stdout).contains(want), "{kind}");
    }
}
