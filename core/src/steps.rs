//! The ready-to-run steps for one exposure, in order: the method's own
//! (check the Service, apply, find the address, DNS, test with curl against
//! the cache's CA — `method`), then the MSR registration and the users'
//! settings every method shares. Each step carries its argv, its shell text
//! and the output to expect.

use crate::manifest::Manifest;
use crate::shell::{Part, Script, ShellError, Word};
use crate::step::StepBuilder;
pub use crate::step::{
    EMPTY_CATALOG, Endpoint, FIELD_MANAGER, MSR_HOST_VAR, MSR_USER_VAR, Requirement, Step,
    StepContext,
};
use crate::validate::ValidSpec;
use serde::Serialize;

/// The endpoint URL as a word (the node port may be a variable).
fn endpoint_word(spec: &ValidSpec) -> Word {
    spec.exposure.get().endpoint(&spec.common)
}

/// The endpoint and its MSR registration body.
pub fn endpoint(spec: &ValidSpec) -> Endpoint {
    let word = endpoint_word(spec);
    Endpoint {
        url: word.display(),
        registration_body: registration_body(spec, &word).display(),
    }
}

/// `{"name": …, "host": …}` as a word, serialized by serde_json so names and
/// hosts are escaped, with the node-port variable spliced in where needed.
fn registration_body(spec: &ValidSpec, url: &Word) -> Word {
    const MARK: &str = "\u{1}VAR\u{1}";
    let mut template = String::new();
    let mut vars = Vec::new();
    for part in &url.0 {
        match part {
            Part::Lit(s) => template.push_str(s),
            Part::Var(v) => {
                template.push_str(MARK);
                vars.push(*v);
            }
        }
    }
    #[derive(Serialize)]
    struct Registration<'a> {
        name: &'a str,
        host: &'a str,
    }
    let json = serde_json::to_string(&Registration {
        name: &spec.name,
        host: &template,
    })
    .unwrap_or_default();
    let escaped_mark = "\\u0001VAR\\u0001";
    let mut parts = Vec::new();
    for (i, piece) in json.split(escaped_mark).enumerate() {
        if i > 0
            && let Some(v) = vars.get(i - 1)
        {
            parts.push(Part::Var(v));
        }
        parts.push(Part::Lit(piece.to_string()));
    }
    Word(parts)
}

/// All steps for a valid spec, in order.
pub fn steps(spec: &ValidSpec, manifest: &Manifest) -> Result<Vec<Step>, ShellError> {
    let url = endpoint_word(spec);
    let cx = StepContext {
        spec: &spec.common,
        manifest,
        url: url.clone(),
    };
    let mut out = spec.exposure.get().steps(&cx)?;
    out.push(registration_step(spec, &url)?);
    // Registering and pointing users follow the TLS check: they depend on
    // the certificate as it does.
    out.push(
        StepBuilder::new(
            "Point users at the cache",
            format!(
                "Pulls go through the cache only for users whose MSR settings name it. In the MSR web UI: your Account, the Settings tab, Content Cache: choose {}. For many users at once MSR documents the endpoint /api/v0/accounts/{{username}}/settings; its request body is in MSR's interactive API docs (API docs in the web UI's top-right menu).",
                spec.name
            ),
        )
        .expect(format!("pulls by those users are served by {}", url.display()))
        .needs_tls()
        .build()?,
    );
    Ok(out)
}

/// The MSR registration step and its JSON body for a known endpoint URL
/// (such as the one `msr-expose up` has just verified).
pub fn registration(spec: &ValidSpec, url: &str) -> Result<(Step, String), ShellError> {
    let url = Word::lit(url);
    Ok((
        registration_step(spec, &url)?,
        registration_body(spec, &url).display(),
    ))
}

fn registration_step(spec: &ValidSpec, url: &Word) -> Result<Step, ShellError> {
    let body = registration_body(spec, url);
    StepBuilder::new(
        "Register the cache with MSR",
        format!(
            "Tell MSR about the cache at {}; `host` must be exactly the endpoint tested above. curl asks for the password (or access token) of {MSR_USER_VAR}, so no secret lands in your shell history.",
            url.display()
        ),
    )
    .needs_tls()
    .requires(MSR_HOST_VAR, "the MSR host name, such as msr.example.com")
    .requires(MSR_USER_VAR, "the user name of an MSR administrator")
    .cmd([
        "curl",
        "--fail",
        "--silent",
        "--show-error",
        "--user",
    ])
    .word(Word(vec![Part::Var(MSR_USER_VAR)]))
    .cmd([
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "--data",
    ])
    .word(body)
    .word(Word(vec![
        Part::Lit("https://".into()),
        Part::Var(MSR_HOST_VAR),
        Part::Lit("/api/v0/content_caches".into()),
    ]))
    .expect(format!(
        "a JSON object describing the cache, with \"name\":\"{}\" and \"host\":\"{}\"",
        spec.name,
        url.display()
    ))
    .build()
}

/// The steps as one POSIX shell script, manual steps as comments, every
/// line written through the shell module (its contract: `crate::shell`).
pub fn script(title: &str, steps: &[Step]) -> Result<String, ShellError> {
    let mut s = Script::new(&format!(
        "{title}\nWritten by msr-expose. Run it from the directory holding the manifest and the CA file."
    ));
    for (i, step) in steps.iter().enumerate() {
        s.blank();
        s.comment(&format!("{}. {}", i + 1, step.title));
        for line in wrap(&step.description, 76) {
            s.comment(&format!("   {line}"));
        }
        if let Some(e) = &step.expected {
            s.comment(&format!("   Expected: {e}"));
        }
        for r in step.requires.iter().filter(|_| step.withheld.is_none()) {
            s.require(r.var, &format!("set {} to {}", r.var, r.meaning));
        }
        match (&step.withheld, &step.shell) {
            (Some(why), _) => {
                for line in wrap(&format!("Withheld: {why}"), 76) {
                    s.comment(&format!("   {line}"));
                }
            }
            (None, Some(line)) => {
                s.step(line, &step.argv, step.sets);
            }
            (None, None) => {
                s.comment("   (manual step)");
            }
        }
    }
    s.finish().map(Script::into_text)
}
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}
