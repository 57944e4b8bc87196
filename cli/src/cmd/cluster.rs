//! Talking to the cluster, below every command that does: why a command
//! stopped (a [`Refusal`], a finding with a code), the API server's errors
//! in words that say what to do, watches that failed, and the API resources
//! of the kinds msr-expose reads and writes.

use kube::api::{ApiResource, DynamicObject};
use kube::{Api, Client};
use msr_expose_core::{Code, Finding};

/// Why apply (or up, or the registration) stopped: a finding with a code
/// listed in `msr-expose codes`, shown to the operator; exit status 1.
#[derive(Debug)]
pub struct Refusal(pub Finding);

impl Refusal {
    /// A refusal: what happened, and what to do about it.
    pub fn new(code: Code, message: impl Into<String>, fix: impl Into<String>) -> Self {
        Refusal(Finding::error(code, "cluster", message, fix))
    }

    /// The same refusal, saying what was and was not applied when it came.
    pub fn and(mut self, state: &str) -> Self {
        self.0.message = format!("{}; {state}", self.0.message);
        self
    }

    /// The exit status: 130 when interrupted (as a shell reports Ctrl-C),
    /// else 1.
    pub fn exit_status(&self) -> u8 {
        if self.0.code == Code::ApplyInterrupted {
            crate::EXIT_INTERRUPTED
        } else {
            crate::EXIT_FINDINGS
        }
    }
}

/// Turns an API error into a sentence that says what to do.
pub fn explain(e: kube::Error, doing: &str, ns: &str) -> Refusal {
    match e {
        kube::Error::Api(s) => match s.code {
            403 => Refusal::new(
                Code::ClusterForbidden,
                format!("{doing}: forbidden by RBAC ({})", s.message),
                format!(
                    "ask for a Role in namespace {ns} allowing get, list, patch (and delete for --replace) on the objects msr-expose manages, or use another --context"
                ),
            ),
            404 => Refusal::new(
                Code::ClusterNotFound,
                format!("{doing}: not found ({})", s.message),
                "check the namespace and --context",
            ),
            409 => Refusal::new(
                Code::ClusterConflict,
                format!("{doing}: conflict ({})", s.message),
                "another field manager owns these fields; settle it with that owner, or re-apply with kubectl apply --server-side --force-conflicts --field-manager msr-expose",
            ),
            422 => Refusal::new(
                Code::ClusterRejected,
                format!(
                    "{doing}: the API server rejected the object ({})",
                    s.message
                ),
                if s.message.contains("already allocated") || s.message.contains("port is already")
                {
                    "the node port is taken: pin another one (in the static band) or leave nodePort out"
                } else {
                    "fix the field it names"
                },
            ),
            code => Refusal::new(
                Code::ClusterApiError,
                format!(
                    "{doing}: the API server answered {code} {} ({})",
                    s.reason, s.message
                ),
                "check the API server's health and your --context",
            ),
        },
        other => Refusal::new(
            Code::ClusterUnreachable,
            format!("{doing}: {}", transport_failure(&other)),
            "check the kubeconfig's server address, the network, and that the cluster is up (a slow one: raise --timeout)",
        ),
    }
}

/// What went wrong on the way to the API server, in words: no answer in
/// time, a connection closed before the answer, or the causes' own text
/// (kube's top-level text is a bare "client error (SendRequest)").
fn transport_failure(e: &kube::Error) -> String {
    let mut causes = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return "the API server did not answer within --timeout".into();
        }
        if let Some(h) = err.downcast_ref::<hyper::Error>() {
            if h.is_timeout() {
                return "the API server did not answer within --timeout".into();
            }
            if h.is_incomplete_message() || h.is_canceled() {
                return "the connection to the API server closed before its answer came".into();
            }
        }
        let text = err.to_string();
        if !causes.iter().any(|c: &String| c.contains(&text)) {
            causes.push(text);
        }
        source = err.source();
    }
    format!("cannot reach the API server: {}", causes.join(": "))
}

/// The API resource of a custom object.
pub fn resource(api_version: &str, kind: &str, plural: &str) -> ApiResource {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    ApiResource {
        group: group.into(),
        version: version.into(),
        api_version: api_version.into(),
        kind: kind.into(),
        plural: plural.into(),
    }
}

/// The CRD of `plural.group`: its served versions, or `None` when it is not installed.
pub async fn served_versions(
    client: &Client,
    plural: &str,
    group: &str,
) -> Result<Option<Vec<String>>, Refusal> {
    let crds = resource(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
    );
    let api: Api<DynamicObject> = Api::all_with(client.clone(), &crds);
    let name = format!("{plural}.{group}");
    let crd = api
        .get_opt(&name)
        .await
        .map_err(|e| explain(e, &format!("reading the CRD {name}"), ""))?;
    Ok(crd.map(|c| {
        c.data["spec"]["versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v["served"].as_bool().unwrap_or(false))
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect()
    }))
}

/// A watch that failed, as a refusal: the API server's own error when it
/// gave one.
pub fn watch_failed(e: impl Into<WatchError>, what: &str, ns: &str) -> Refusal {
    use kube::runtime::watcher::Error as W;
    let doing = format!("watching {what}");
    match e.into().0 {
        W::InitialListFailed(k) | W::WatchStartFailed(k) | W::WatchFailed(k) => {
            explain(k, &doing, ns)
        }
        other => Refusal::new(
            Code::ClusterApiError,
            format!("{doing}: {other}"),
            "check the API server's health and your --context",
        ),
    }
}

/// A watcher error, from `await_condition` or a watch stream.
pub struct WatchError(kube::runtime::watcher::Error);

impl From<kube::runtime::watcher::Error> for WatchError {
    fn from(e: kube::runtime::watcher::Error) -> Self {
        WatchError(e)
    }
}

impl From<kube::runtime::wait::Error> for WatchError {
    fn from(e: kube::runtime::wait::Error) -> Self {
        match e {
            kube::runtime::wait::Error::ProbeFailed(w) => WatchError(w),
        }
    }
}
/// A command of literal words, quoted by the core's shell module, for a
/// hint (`kubectl -n NS describe service NAME`).
pub fn command(words: &[&str]) -> String {
    msr_expose_core::shell::command(words)
        // Names reaching hints are checked Kubernetes names; should one
        // not be printable, say so rather than print another command.
        .unwrap_or_else(|e| format!("(a command not printable: {e})"))
}

/// `msr-expose verify --url URL --ca CA [--resolve HOST:PORT:ADDRESS]` as
/// shell text, every word quoted by the core's shell module.
pub fn verify_command(url: &str, ca_file: &str, resolve: Option<String>) -> String {
    let mut words = vec!["msr-expose", "verify", "--url", url, "--ca", ca_file];
    if let Some(r) = &resolve {
        words.extend(["--resolve", r]);
    }
    msr_expose_core::shell::command(&words)
        // The spec's checks refuse what cannot be quoted; should one slip
        // through, say so rather than print a command that is not it.
        .unwrap_or_else(|e| format!("msr-expose verify (not printable as a command: {e})"))
}

/// The next step once an address is known: the DNS record, then verify
/// (with `--resolve` for the time before the record exists).
pub fn dns_then_verify(
    host: &msr_expose_core::Fqdn,
    port: u16,
    url: &str,
    address: &str,
    ca_file: &str,
) -> String {
    format!(
        "point DNS {host} at {address}, then: {} (before DNS: {})",
        verify_command(url, ca_file, None),
        verify_command(url, ca_file, Some(format!("{host}:{port}:{address}"))),
    )
}
