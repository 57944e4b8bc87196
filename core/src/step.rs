//! One step for the operator, and the steps every method shares: apply the
//! manifest, point DNS at an address, check the cache's own Service, ask the
//! cache for its catalog with curl trusting only its CA (never `-k`). Each
//! step carries its argv, its shell text and the output to expect. Methods
//! build their steps from these; `steps` puts them in order.

use crate::common::Common;
use crate::manifest::Manifest;
use crate::shell::{self, Part, ShellError, Word};
use serde::Serialize;

/// The field manager msr-expose applies under, with kubectl and with its own apply.
pub const FIELD_MANAGER: &str = "msr-expose";
/// Shell variable for the MSR host name (operator-supplied).
pub const MSR_HOST_VAR: &str = "MSR_HOST";
/// Shell variable for the MSR user name (operator-supplied); curl asks for the password.
pub const MSR_USER_VAR: &str = "MSR_USER";
/// What a healthy, empty cache answers on `/v2/_catalog`.
pub const EMPTY_CATALOG: &str = r#"{"repositories":[]}"#;

/// One step for the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Short imperative title.
    pub title: String,
    /// What the step does and why, in a sentence or two.
    pub description: String,
    /// The command's arguments (`${VAR}` where a variable is used); empty for a manual step.
    pub argv: Vec<String>,
    /// POSIX shell text of the command (`VAR=$(…)` when it sets a variable); `None` for a manual step.
    pub shell: Option<String>,
    /// The variable this step sets from the command's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sets: Option<&'static str>,
    /// Variables the operator must set before this step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// What the command prints when all is well, where known.
    pub expected: Option<String>,
    /// The inputs it depends on besides the spec: [`TLS_INPUTS`] for a step
    /// that talks TLS to the cache (or registers what such a step tested);
    /// empty for one that does not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<&'static str>,
    /// Why it is withheld: an error stands on an input it needs. The step
    /// is still described (its command too), but not run by `steps.sh`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<String>,
}

/// The TLS material's fields (the finding fields of the certificate, the
/// key and the CA): what a step that talks TLS to the cache depends on.
pub const TLS_INPUTS: [&str; 3] = ["cert", "key", "ca"];

/// A variable the operator sets before a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Variable name.
    pub var: &'static str,
    /// What to put in it.
    pub meaning: &'static str,
}

/// The endpoint clients use and the request that registers it with MSR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The URL, with `${NODE_PORT}` when the port is allocated by the cluster.
    pub url: String,
    /// The JSON body of `POST /api/v0/content_caches`.
    pub registration_body: String,
}

/// Builds one step: its words are quoted by the shell module, once.
pub struct StepBuilder {
    title: String,
    description: String,
    words: Vec<Word>,
    sets: Option<&'static str>,
    requires: Vec<Requirement>,
    expected: Option<String>,
    tls: bool,
}

impl StepBuilder {
    /// A step titled `title`, described by `description`.
    pub fn new(title: &str, description: impl Into<String>) -> Self {
        StepBuilder {
            title: title.into(),
            description: description.into(),
            words: Vec::new(),
            sets: None,
            requires: Vec::new(),
            expected: None,
            tls: false,
        }
    }
    /// The same builder under another title and description.
    pub fn titled(mut self, title: &str, description: impl Into<String>) -> Self {
        self.title = title.into();
        self.description = description.into();
        self
    }
    /// Literal words of the command.
    pub fn cmd<I, S>(mut self, lits: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.words.extend(lits.into_iter().map(Word::lit));
        self
    }
    /// One word of the command (variables expanded by the shell).
    pub fn word(mut self, w: Word) -> Self {
        self.words.push(w);
        self
    }
    /// The command's output sets `var`.
    pub fn sets(mut self, var: &'static str) -> Self {
        self.sets = Some(var);
        self
    }
    /// The operator sets `var` before this step.
    pub fn requires(mut self, var: &'static str, meaning: &'static str) -> Self {
        self.requires.push(Requirement { var, meaning });
        self
    }
    /// What the command prints when all is well.
    pub fn expect(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    /// The step depends on the TLS material ([`TLS_INPUTS`]).
    pub fn needs_tls(mut self) -> Self {
        self.tls = true;
        self
    }
    /// The step, its words quoted once.
    pub fn build(self) -> Result<Step, ShellError> {
        let (argv, shell) = if self.words.is_empty() {
            (Vec::new(), None)
        } else {
            let line = match self.sets {
                Some(var) => shell::assign(var, &self.words)?,
                None => shell::join(&self.words)?,
            };
            (self.words.iter().map(Word::display).collect(), Some(line))
        };
        Ok(Step {
            title: self.title,
            description: self.description,
            argv,
            shell,
            sets: self.sets,
            requires: self.requires,
            expected: self.expected,
            needs: if self.tls {
                TLS_INPUTS.to_vec()
            } else {
                Vec::new()
            },
            withheld: None,
        })
    }
}

/// What a method's steps are built from.
pub struct StepContext<'a> {
    /// The shared fields of the spec.
    pub spec: &'a Common,
    /// Its objects.
    pub manifest: &'a Manifest,
    /// The endpoint URL.
    pub url: Word,
}

impl StepContext<'_> {
    /// `<url>/v2/_catalog`.
    pub fn catalog(&self) -> Word {
        append(&self.url, "/v2/_catalog")
    }

    /// The server-side apply of the manifest file.
    pub fn apply(&self) -> StepBuilder {
        let file = self.manifest.file_name();
        let objects = self.manifest.objects();
        StepBuilder::new(
            &format!("Apply {file}"),
            format!(
                "Create or update {} with server-side apply, under the field manager {FIELD_MANAGER}, so msr-expose recognises it later.",
                objects.join(" and ")
            ),
        )
        .cmd([
            "kubectl",
            "apply",
            "--server-side",
            "--field-manager",
            FIELD_MANAGER,
            "-f",
            file,
        ])
        .expect(
            objects
                .iter()
                .map(|o| {
                    let (kind, name) = o.split_once('/').unwrap_or((o, ""));
                    format!("{}/{name} serverside-applied", kind.to_ascii_lowercase())
                })
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// The DNS record pointing `host` at the address in `var` (`what`: whose
    /// address, such as "gateway").
    pub fn dns_record(
        &self,
        host: &str,
        var: &'static str,
        what: &str,
    ) -> Result<Step, ShellError> {
        StepBuilder::new(
            "Create the DNS record",
            format!(
                "In your DNS, point {host} at ${var}: an A (or AAAA) record for an IP, a CNAME for a host name. {host} must also be a SAN of the cache certificate."
            ),
        )
        .expect(format!("{host}.  300  IN  A  <{what} address>"))
        .build()
    }

    /// The catalog request against the endpoint, trusting only the CA file.
    pub fn curl(&self, title: &str, description: String) -> Result<Step, ShellError> {
        let mut c = curl_base(self.spec)
            .word(self.catalog())
            .expect(EMPTY_CATALOG);
        c.title = title.into();
        c.description = description;
        c.build()
    }

    /// The same, with `host:port` resolved to the address in `var`.
    pub fn curl_resolve(
        &self,
        (host, port): (&str, u16),
        var: &'static str,
        title: &str,
        description: String,
    ) -> Result<Step, ShellError> {
        let mut c = curl_base(self.spec)
            .cmd(["--resolve"])
            .word(Word(vec![
                Part::Lit(format!("{host}:{port}:")),
                Part::Var(var),
            ]))
            .word(self.catalog())
            .expect(EMPTY_CATALOG);
        c.title = title.into();
        c.description = description;
        c.build()
    }

    /// Passthrough routes send TLS to the cache's own ClusterIP Service,
    /// which must already be there: checked first, before anything is applied.
    pub fn check_service(&self) -> Result<Step, ShellError> {
        let (ns, name) = (self.spec.namespace.as_str(), self.spec.name.as_str());
        StepBuilder::new(
            "Check the cache's Service",
            format!(
                "The route sends TLS to the Service {name}, which must already exist (type ClusterIP, port {}) and select the cache's pods; msr-expose does not create it. NotFound: deploy the cache first, or set name to its Service.",
                self.spec.port
            ),
        )
        .cmd(["kubectl", "-n", ns, "get", "service", name])
        .expect(format!("{name}   ClusterIP   …   {}/TCP   …", self.spec.port))
        .build()
    }
}

/// `word` with `suffix` appended.
pub fn append(word: &Word, suffix: &str) -> Word {
    let mut parts = word.0.clone();
    parts.push(Part::Lit(suffix.into()));
    Word(parts)
}

/// `curl --fail --silent --show-error --cacert <CA file>`, the start of
/// every catalog request.
pub fn curl_base(spec: &Common) -> StepBuilder {
    StepBuilder::new("", "").needs_tls().cmd([
        "curl",
        "--fail",
        "--silent",
        "--show-error",
        "--cacert",
        spec.ca_file.as_str(),
    ])
}
