//! The bad-input catalogue (tests/bad-inputs/catalogue.json): every row of
//! the `cli` surface run against the real binary, and docs/bad-inputs.md
//! kept generated from the whole table. Besides the row's own expectation,
//! every row checks what holds for any input: no panic, no hang, and
//! nothing partial — no standard output and nothing in `--out-dir` when the
//! command refuses. The `api` and `page` rows run in tests/e2e.

use crate::certs::fixtures;
use msr_expose_tests::{msr_expose_bin, workspace_root};
use serde_json::Value;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// No row may take longer (a hang is a failure, not a wait).
const LIMIT: Duration = Duration::from_secs(30);

fn catalogue() -> Value {
    let path = workspace_root().join("tests/bad-inputs/catalogue.json");
    let text = std::fs::read_to_string(&path).expect("the catalogue");
    serde_json::from_str(&text).expect("the catalogue is JSON")
}

fn rows(c: &Value) -> &Vec<Value> {
    c["rows"].as_array().expect("rows")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_default()
}

/// The row's input bytes (the forms are listed in the catalogue's header).
pub fn input_bytes(input: &Value) -> Vec<u8> {
    if let Some(name) = input["fixture"].as_str() {
        let bytes = std::fs::read(fixtures().join(name)).expect("fixture");
        if input["crlf"].as_bool() == Some(true) {
            let text = String::from_utf8(bytes).expect("text fixture");
            return text.replace('\n', "\r\n").into_bytes();
        }
        return bytes;
    }
    if let Some(hex) = input["hex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
    }
    let times = input["times"].as_u64().unwrap_or(0) as usize;
    let mut out = s(input, "prefix").to_string();
    out.push_str(&s(input, "repeat").repeat(times));
    out.push_str(s(input, "suffix"));
    out.push_str(s(input, "text"));
    out.into_bytes()
}

/// What a run of the binary gave.
struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary; kills it and fails when it outlives [`LIMIT`].
fn run(args: &[String], id: &str) -> Run {
    let mut child = Command::new(msr_expose_bin())
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("msr-expose runs");
    // Read both pipes on threads so a large output cannot block the child.
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().expect("wait") {
            break st;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            panic!("{id}: no answer within {LIMIT:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        status: status.code(),
        stdout: out_reader.join().expect("stdout"),
        stderr: err_reader.join().expect("stderr"),
    }
}

/// The codes a run reported, from its findings on either stream.
fn reported(r: &Run) -> String {
    format!("{}\n{}", r.stdout, r.stderr)
}

#[test]
fn every_cli_row() {
    let c = catalogue();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ran = 0;
    let mut failures = Vec::new();
    for row in rows(&c).iter().filter(|r| s(r, "surface") == "cli") {
        let id = s(row, "id");
        let input = dir.path().join(format!("{id}.input"));
        std::fs::write(&input, input_bytes(&row["input"])).expect("write input");
        let outdir = dir.path().join(format!("{id}.out"));
        std::fs::create_dir_all(&outdir).expect("outdir");
        let args: Vec<String> = row["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| {
                let a = a.as_str().expect("arg");
                match a {
                    "{file}" => input.display().to_string(),
                    "{outdir}" => outdir.display().to_string(),
                    _ => match a
                        .strip_prefix("{fixture:")
                        .and_then(|f| f.strip_suffix('}'))
                    {
                        Some(name) => fixtures().join(name).display().to_string(),
                        None => a.to_string(),
                    },
                }
            })
            .collect();
        let r = run(&args, id);
        let mut check = |ok: bool, why: String| {
            if !ok {
                failures.push(why);
            }
        };
        let why = s(row, "why");
        let context = format!(
            "{id} ({why}): msr-expose {}\nstdout: {}\nstderr: {}",
            args.join(" "),
            r.stdout.chars().take(2000).collect::<String>(),
            r.stderr.chars().take(2000).collect::<String>()
        );
        check(
            !r.stderr.contains("panicked"),
            format!("a panic: {context}"),
        );
        let exit = row["exit"].as_i64().expect("exit") as i32;
        check(
            r.status == Some(exit),
            format!("exit status {:?}, not {exit}: {context}", r.status),
        );
        for code in row["codes"].as_array().into_iter().flatten() {
            let code = code.as_str().expect("code");
            check(
                reported(&r).contains(code),
                format!("{code} expected: {context}"),
            );
        }
        for code in row["stderr_codes"].as_array().into_iter().flatten() {
            let code = code.as_str().expect("code");
            check(
                r.stderr.contains(code),
                format!("{code} expected on stderr: {context}"),
            );
        }
        if let Some(m) = row["message"].as_str() {
            check(
                reported(&r).contains(m),
                format!("message {m:?} expected: {context}"),
            );
        }
        // generate prints output only when it has no errors (check and
        // verify print their reports on stdout by design).
        let generating = match args.first().map(String::as_str) {
            Some("generate") => true,
            Some("fleet") => args.get(1).map(String::as_str) == Some("generate"),
            _ => false,
        };
        if exit != 0 && generating {
            check(
                r.stdout.is_empty(),
                format!("partial output on stdout: {context}"),
            );
        }
        let written: Vec<_> = std::fs::read_dir(&outdir).expect("outdir").collect();
        if exit != 0 {
            check(
                written.is_empty(),
                format!("something written to --out-dir: {context}"),
            );
        }
        ran += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} rows failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(ran >= 40, "the catalogue has {ran} CLI rows");
}

/// Each row's `why` is unique and every row names its surface and what it gets.
#[test]
fn rows_are_well_formed() {
    let c = catalogue();
    let mut ids = std::collections::BTreeSet::new();
    for row in rows(&c) {
        let id = s(row, "id");
        assert!(ids.insert(id.to_string()), "{id} twice");
        assert!(!s(row, "why").is_empty(), "{id} says why");
        assert!(
            ["cli", "api", "page"].contains(&s(row, "surface")),
            "{id}: surface"
        );
        assert!(
            row["codes"].is_array() || row["message"].is_string(),
            "{id}: what it gets"
        );
    }
    assert!(rows(&c).len() >= 60, "at least 60 bad inputs");
}

/// The input as the docs show it: short text quoted, long or binary input
/// described.
fn describe(input: &Value) -> String {
    if let Some(f) = input["fixture"].as_str() {
        let crlf = if input["crlf"].as_bool() == Some(true) {
            " with CRLF line ends"
        } else {
            ""
        };
        return format!("fixture `{f}`{crlf}");
    }
    if let Some(h) = input["hex"].as_str() {
        return format!(
            "bytes `{}`{}",
            &h[..h.len().min(24)],
            if h.len() > 24 { "…" } else { "" }
        );
    }
    if input["times"].as_u64().is_some() {
        let bytes = input_bytes(input).len();
        let size = if bytes >= 1 << 20 {
            format!("{} MB", bytes >> 20)
        } else {
            format!("{bytes} bytes")
        };
        return format!(
            "{}`{}` × {}{} ({size})",
            match s(input, "prefix") {
                "" => String::new(),
                p => format!("{} + ", quote(p)),
            },
            s(input, "repeat"),
            input["times"],
            match s(input, "suffix") {
                "" => String::new(),
                x => format!(" + {}", quote(x)),
            }
        );
    }
    match input["lone_surrogate_at"].as_u64() {
        Some(at) => format!(
            "{} with a lone surrogate U+D800 at {at}",
            quote(s(input, "text"))
        ),
        None => quote(s(input, "text")),
    }
}

fn quote(t: &str) -> String {
    let shown: String = t
        .chars()
        .flat_map(|c| match c {
            '\n' => "\\n".chars().collect::<Vec<_>>(),
            '\r' => "\\r".chars().collect(),
            '\t' => "\\t".chars().collect(),
            '|' => "\\|".chars().collect(),
            '`' => "'".chars().collect(),
            c if c.is_control() || c == '\u{feff}' => {
                format!("\\u{{{:x}}}", c as u32).chars().collect()
            }
            c => vec![c],
        })
        .collect();
    if shown.is_empty() {
        "(empty)".into()
    } else if shown.chars().count() > 60 {
        format!("`{}…`", shown.chars().take(60).collect::<String>())
    } else {
        format!("`{shown}`")
    }
}

/// docs/bad-inputs.md as the catalogue renders it.
fn markdown(c: &Value) -> String {
    let mut md = String::from(
        "# Bad inputs\n\nWhat msr-expose does with input nobody should give it. Generated from \
         `tests/bad-inputs/catalogue.json`; each row is a test (`cli` rows in \
         `tests/integration/bad_inputs.rs`, `api` and `page` rows in \
         `tests/e2e/bad-inputs.test.mjs`). Every row also checks that nothing panics, nothing \
         hangs, and nothing partial is written or shown.\n",
    );
    for (surface, title, head) in [
        (
            "cli",
            "The command line",
            "| input | given as | exit | gets | why |\n|---|---|---|---|---|\n",
        ),
        (
            "api",
            "The JS API",
            "| input | given as | gets | why |\n|---|---|---|---|\n",
        ),
        (
            "page",
            "The page",
            "| input | given as | gets | why |\n|---|---|---|---|\n",
        ),
    ] {
        md.push_str(&format!("\n## {title}\n\n{head}"));
        for row in rows(c).iter().filter(|r| s(r, "surface") == surface) {
            let gets = match row["codes"].as_array().filter(|a| !a.is_empty()) {
                Some(codes) => codes
                    .iter()
                    .map(|c| format!("`{}`", c.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => match row["message"].as_str() {
                    Some(m) => format!("usage error: “{m}”"),
                    None => match row["stderr_codes"].as_array() {
                        Some(w) => format!(
                            "output, with {}",
                            w.iter()
                                .map(|c| format!("`{}`", c.as_str().unwrap_or_default()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        None => "accepted".into(),
                    },
                },
            };
            let given = match surface {
                "cli" => format!(
                    "`msr-expose {}`",
                    row["args"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| match a.as_str().unwrap_or_default() {
                            "{file}" => "FILE".to_string(),
                            "{outdir}" => "DIR".to_string(),
                            x if x.starts_with("{fixture:") => x
                                .trim_start_matches("{fixture:")
                                .trim_end_matches('}')
                                .to_string(),
                            // As a shell reads it (the shell module's
                            // quoting), or shown escaped where no shell
                            // text carries it (a control character).
                            x => msr_expose_core::shell::quote(x)
                                .unwrap_or_else(|_| quote(x).trim_matches('`').to_string()),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                "api" => match s(row, "call") {
                    "checkTls" => format!("`checkTls(spec, {{ {}: … }})`", s(row, "tls")),
                    "validateFqdn" => format!("`validateFqdn(…, \"{}\")`", s(row, "role")),
                    _ => format!(
                        "`generate({})`",
                        quote(&row["spec"].to_string()).trim_matches('`')
                    ),
                },
                _ => match row["hash"].as_str() {
                    Some(h) => format!("the link `{h}`"),
                    None => format!("typed into `{}`", s(row, "field")),
                },
            };
            // The whole input is in "given as" when the row has no input
            // of its own (a literal spec, a link).
            let literal = (surface == "api"
                && s(row, "call") == "generate"
                && !row["spec"].to_string().contains("{input}"))
                || (surface == "page" && row["hash"].is_string());
            let input = if literal {
                "—".to_string()
            } else {
                describe(&row["input"])
            };
            let exit = if surface == "cli" {
                format!(" {} |", row["exit"])
            } else {
                String::new()
            };
            md.push_str(&format!(
                "| {input} | {given} |{exit} {gets} | {} |\n",
                s(row, "why")
            ));
        }
    }
    md
}

#[test]
fn docs_are_generated_from_the_catalogue() {
    let c = catalogue();
    let path = workspace_root().join("docs/bad-inputs.md");
    let want = markdown(&c);
    if std::env::var_os("MSR_EXPOSE_WRITE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/bad-inputs.md is stale: run `MSR_EXPOSE_WRITE_DOCS=1 cargo test -p msr-expose-tests --test integration bad_inputs`"
    );
}
