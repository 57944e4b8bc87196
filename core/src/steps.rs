//! The ready-to-run steps for one exposure: apply the manifest, find the
//! endpoint, test it with curl against the cache's CA (never `-k`), and
//! register the cache with MSR. Each step carries its argv, its shell text and
//! the output to expect.

use crate::fqdn::Host;
use crate::manifest::{Manifest, PORT_NAME};
use crate::shell::{self, Part, ShellError, Word};
use crate::validate::{Exposure, ValidSpec};
use serde::Serialize;

/// The field manager msr-expose applies under, with kubectl and with its own apply.
pub const FIELD_MANAGER: &str = "msr-expose";
/// Shell variable holding the allocated node port.
pub const NODE_PORT_VAR: &str = "NODE_PORT";
/// Shell variable holding the ingress controller's address.
pub const CONTROLLER_VAR: &str = "CONTROLLER_ADDRESS";
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
    /// POSIX shell text of the command (with `VAR="$(…)"` when it sets a variable); `None` for a manual step.
    pub shell: Option<String>,
    /// The variable this step sets from the command's output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sets: Option<&'static str>,
    /// Variables the operator must set before this step.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Requirement>,
    /// What the command prints when all is well, where known.
    pub expected: Option<String>,
}

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
pub(crate) struct StepBuilder {
    title: String,
    description: String,
    words: Vec<Word>,
    sets: Option<&'static str>,
    requires: Vec<Requirement>,
    expected: Option<String>,
}

impl StepBuilder {
    pub(crate) fn new(title: &str, description: impl Into<String>) -> Self {
        StepBuilder {
            title: title.into(),
            description: description.into(),
            words: Vec::new(),
            sets: None,
            requires: Vec::new(),
            expected: None,
        }
    }
    pub(crate) fn cmd<I, S>(mut self, lits: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.words.extend(lits.into_iter().map(Word::lit));
        self
    }
    pub(crate) fn word(mut self, w: Word) -> Self {
        self.words.push(w);
        self
    }
    pub(crate) fn sets(mut self, var: &'static str) -> Self {
        self.sets = Some(var);
        self
    }
    pub(crate) fn requires(mut self, var: &'static str, meaning: &'static str) -> Self {
        self.requires.push(Requirement { var, meaning });
        self
    }
    pub(crate) fn expect(mut self, e: impl Into<String>) -> Self {
        self.expected = Some(e.into());
        self
    }
    pub(crate) fn build(self) -> Result<Step, ShellError> {
        let (argv, shell) = if self.words.is_empty() {
            (Vec::new(), None)
        } else {
            let line = shell::join(&self.words)?;
            let line = match self.sets {
                Some(var) => format!("{var}=\"$({line})\""),
                None => line,
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
        })
    }
}

/// What a method's steps are built from.
pub struct StepContext<'a> {
    /// The spec.
    pub spec: &'a ValidSpec,
    /// Its objects.
    pub manifest: &'a Manifest,
    /// The endpoint URL.
    pub url: Word,
}

impl StepContext<'_> {
    /// `<url>/v2/_catalog`.
    fn catalog(&self) -> Word {
        append(&self.url, "/v2/_catalog")
    }

    /// The server-side apply of the manifest file.
    pub(crate) fn apply(&self) -> StepBuilder {
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
    pub(crate) fn dns_record(
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
    pub(crate) fn curl(&self, title: &str, description: String) -> Result<Step, ShellError> {
        let mut c = curl_base(self.spec)
            .word(self.catalog())
            .expect(EMPTY_CATALOG);
        c.title = title.into();
        c.description = description;
        c.build()
    }

    /// The same, with `host:port` resolved to the address in `var`.
    pub(crate) fn curl_resolve(
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
}

/// The endpoint URL as a word (the node port may be a variable).
fn endpoint_word(spec: &ValidSpec) -> Word {
    if let Some(w) = crate::method::endpoint(spec) {
        return w;
    }
    match &spec.exposure {
        Exposure::NodePort {
            node,
            node_port: Some(p),
        } => Word::lit(format!("https://{}:{p}", node.url_host())),
        Exposure::NodePort {
            node,
            node_port: None,
        } => Word(vec![
            Part::Lit(format!("https://{}:", node.url_host())),
            Part::Var(NODE_PORT_VAR),
        ]),
        Exposure::Ingress { host, .. } => Word::lit(format!("https://{host}")),
        // Their own modules answer (above).
        Exposure::LoadBalancer(_) | Exposure::Gateway(_) | Exposure::Traefik(_) => Word::lit(""),
    }
}

fn append(word: &Word, suffix: &str) -> Word {
    let mut parts = word.0.clone();
    parts.push(Part::Lit(suffix.into()));
    Word(parts)
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

fn curl_base(spec: &ValidSpec) -> StepBuilder {
    StepBuilder::new("", "").cmd([
        "curl",
        "--fail",
        "--silent",
        "--show-error",
        "--cacert",
        spec.ca_file.as_str(),
    ])
}

/// All steps for a valid spec, in order.
pub fn steps(spec: &ValidSpec, manifest: &Manifest) -> Result<Vec<Step>, ShellError> {
    let ns = spec.namespace.as_str();
    let name = spec.name.as_str();
    let url = endpoint_word(spec);
    let catalog = append(&url, "/v2/_catalog");
    let cx = StepContext {
        spec,
        manifest,
        url: url.clone(),
    };
    let mut out = Vec::new();
    // Passthrough routes send TLS to the cache's own ClusterIP Service,
    // which must already be there: checked first, before anything is applied.
    if matches!(
        spec.exposure,
        Exposure::Ingress { .. } | Exposure::Gateway(_) | Exposure::Traefik(_)
    ) {
        out.push(
            StepBuilder::new(
                "Check the cache's Service",
                format!(
                    "The route sends TLS to the Service {name}, which must already exist (type ClusterIP, port {}) and select the cache's pods; msr-expose does not create it. NotFound: deploy the cache first, or set name to its Service.",
                    spec.port
                ),
            )
            .cmd(["kubectl", "-n", ns, "get", "service", name])
            .expect(format!("{name}   ClusterIP   …   {}/TCP   …", spec.port))
            .build()?,
        );
    }
    if let Some(method_steps) = crate::method::steps(&cx) {
        out.extend(method_steps?);
    }
    let apply = cx.apply();
    match &spec.exposure {
        Exposure::LoadBalancer(_) | Exposure::Gateway(_) | Exposure::Traefik(_) => {}
        Exposure::NodePort { node, node_port } => {
            out.push(apply.build()?);
            let port_column = match node_port {
                Some(p) => format!("{}:{p}/TCP", spec.port),
                None => format!("{}:<nodePort>/TCP", spec.port),
            };
            out.push(
                StepBuilder::new(
                    "List the Services",
                    format!("The {name} Service is of type NodePort; the PORT(S) column shows the node port after the colon."),
                )
                .cmd(["kubectl", "-n", ns, "get", "services"])
                .expect(format!("{name}   NodePort   …   {port_column}   …"))
                .build()?,
            );
            if node_port.is_none() {
                out.push(
                    StepBuilder::new(
                        "Read the allocated node port",
                        format!("Kubernetes allocated the node port; keep it in {NODE_PORT_VAR} for the next steps."),
                    )
                    .cmd([
                        "kubectl",
                        "-n",
                        ns,
                        "get",
                        "service",
                        name,
                        "-o",
                        &format!("jsonpath={{.spec.ports[?(@.name==\"{PORT_NAME}\")].nodePort}}"),
                    ])
                    .sets(NODE_PORT_VAR)
                    .expect("a port from the node port range, such as 31234")
                    .build()?,
                );
            }
            let reach = match node {
                Host::Name(n) => format!(
                    "{n} must resolve from the client and be a SAN of the cache certificate"
                ),
                Host::Ip(ip) => format!("the cache certificate must carry the IP SAN {ip}"),
            };
            let mut curl = curl_base(spec).word(catalog).expect(EMPTY_CATALOG);
            curl.title = "Test the endpoint".into();
            curl.description = format!(
                "Ask the cache for its catalog through the node port, trusting only {}; {reach}. Without --cacert curl would not know the cache's CA; never use -k.",
                spec.ca_file
            );
            out.push(curl.build()?);
        }
        Exposure::Ingress { host, .. } => {
            out.push(
                StepBuilder::new(
                    "Find the ingress controller's address",
                    "The EXTERNAL-IP of the controller's Service is where the DNS record must point (for a controller exposed on node ports or host ports, use a node's address).",
                )
                .cmd([
                    "kubectl",
                    "get",
                    "services",
                    "--all-namespaces",
                    "-l",
                    "app.kubernetes.io/component=controller",
                    "-o",
                    "wide",
                ])
                .expect("ingress-nginx-controller   LoadBalancer   …   <controller address>   80:…/TCP,443:…/TCP")
                .build()?,
            );
            out.push(
                StepBuilder::new(
                    "Create the DNS record",
                    format!(
                        "In your DNS, point {host} at the controller's address: an A (or AAAA) record for an IP, a CNAME for a load balancer name. {host} must also be a SAN of the cache certificate."
                    ),
                )
                .expect(format!("{host}.  300  IN  A  <controller address>"))
                .build()?,
            );
            out.push(apply.build()?);
            out.push(
                StepBuilder::new(
                    "Check the Ingress",
                    "The ADDRESS column fills in once the controller has picked the Ingress up.",
                )
                .cmd(["kubectl", "-n", ns, "get", "ingress", name])
                .expect(format!(
                    "{name}   <class>   {host}   <controller address>   80, 443   …"
                ))
                .build()?,
            );
            out.push(
                StepBuilder::new(
                    "Read the controller's address from the Ingress",
                    format!(
                        "For testing before the DNS record exists; keep it in {CONTROLLER_VAR}."
                    ),
                )
                .cmd([
                    "kubectl",
                    "-n",
                    ns,
                    "get",
                    "ingress",
                    name,
                    "-o",
                    "jsonpath={.status.loadBalancer.ingress[0].ip}",
                ])
                .sets(CONTROLLER_VAR)
                .expect("the controller's IP address")
                .build()?,
            );
            let mut resolve = curl_base(spec)
                .cmd(["--resolve"])
                .word(Word(vec![
                    Part::Lit(format!("{host}:443:")),
                    Part::Var(CONTROLLER_VAR),
                ]))
                .word(catalog.clone())
                .expect(EMPTY_CATALOG);
            resolve.title = "Test the endpoint before DNS exists".into();
            resolve.description = format!(
                "The same test, sending {host} to the controller's address without DNS; the name still goes out as SNI, which is what passthrough routes on."
            );
            out.push(resolve.build()?);
            let mut curl = curl_base(spec).word(catalog).expect(EMPTY_CATALOG);
            curl.title = "Test the endpoint".into();
            curl.description = format!(
                "Ask the cache for its catalog through the ingress controller, trusting only {}. The TLS session goes through to the cache untouched (ssl-passthrough), so the certificate seen is the cache's own.",
                spec.ca_file
            );
            out.push(curl.build()?);
        }
    }
    out.push(registration_step(spec, &url)?);
    out.push(
        StepBuilder::new(
            "Point users at the cache",
            format!(
                "Pulls go through the cache only for users whose MSR settings name it. In the MSR web UI: your Account, the Settings tab, Content Cache: choose {}. For many users at once MSR documents the endpoint /api/v0/accounts/{{username}}/settings; its request body is in MSR's interactive API docs (API docs in the web UI's top-right menu).",
                spec.name
            ),
        )
        .expect(format!("pulls by those users are served by {}", url.display()))
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
    .requires(MSR_HOST_VAR, "the MSR host name, such as msr.example.com")
    .requires(MSR_USER_VAR, "an MSR administrator's user name")
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

/// The steps as one POSIX shell script, manual steps as comments.
pub fn script(title: &str, steps: &[Step]) -> String {
    let mut s = String::from("#!/bin/sh\n");
    for line in title.lines() {
        s.push_str("# ");
        s.push_str(line);
        s.push('\n');
    }
    s.push_str("# Written by msr-expose. Run it from the directory holding the manifest and the CA file.\nset -eu\n");
    for (i, step) in steps.iter().enumerate() {
        s.push_str(&format!("\n# {}. {}\n", i + 1, step.title));
        for line in wrap(&step.description, 76) {
            s.push_str("#    ");
            s.push_str(&line);
            s.push('\n');
        }
        if let Some(e) = &step.expected {
            s.push_str(&format!("#    Expected: {e}\n"));
        }
        for r in &step.requires {
            s.push_str(&format!(
                ": \"${{{}:?set {} to {}}}\"\n",
                r.var, r.var, r.meaning
            ));
        }
        match &step.shell {
            Some(line) => {
                s.push_str(line);
                s.push('\n');
                if let Some(var) = step.sets {
                    s.push_str(&format!("echo \"{var}=${{{var}}}\"\n"));
                }
            }
            None => s.push_str("#    (manual step)\n"),
        }
    }
    s
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
