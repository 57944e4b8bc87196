//! `msr-expose apply`: put the one exposure on the cluster with server-side
//! apply under the field manager `msr-expose`, refusing a second interface,
//! then wait (bounded) for what clients need: the node port, the load
//! balancer's or the controller's address, the Gateway programmed and the
//! route accepted. Custom resources (Gateway API, Traefik) go through
//! `apply_custom`.

use super::cluster::{Refusal, explain};
use super::spec_input::{SpecInput, spec_from_args};
use crate::args::{ApplyArgs, CheckFormat, ClusterArgs};
use crate::output::print_findings;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use k8s_openapi::api::core::v1::{Namespace, Service};
use k8s_openapi::api::networking::v1::Ingress;
use kube::api::{DeleteParams, ListParams, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Api, Client, Config};
use msr_expose_core::Code;
use msr_expose_core::duration::parse_duration;
use msr_expose_core::steps::FIELD_MANAGER;
use msr_expose_core::{Spec, ValidSpec, validate};
use serde::Serialize;
use std::io::IsTerminal;
use std::time::Duration;

/// What apply did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    /// `created`, `configured`, `unchanged`, or `validated` (dry run).
    pub result: String,
    /// `Service/msr/msr-cache` or `Ingress/msr/msr-cache`.
    pub object: String,
    /// Other exposures removed with --replace.
    pub replaced: Vec<String>,
    /// The endpoint clients use, once known.
    pub endpoint: Option<String>,
    /// The allocated or pinned node port (NodePort).
    pub node_port: Option<u16>,
    /// The controller's address (Ingress).
    pub address: Option<String>,
    /// What to do next.
    pub next: String,
    /// What apply chose from what the cluster says (such as the TLSRoute
    /// version its controller reads).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Runs `apply`.
pub fn run(args: ApplyArgs) -> anyhow::Result<u8> {
    let Some(valid) = valid_spec(&args.spec)? else {
        return Ok(EXIT_FINDINGS);
    };
    let timeout = parse_duration(&args.timeout).map_err(|e| anyhow::anyhow!("--timeout: {e}"))?;
    let rt = runtime()?;
    match rt.block_on(apply(
        &valid,
        &args.cluster,
        timeout,
        args.output == CheckFormat::Text,
    ))? {
        Ok(report) => {
            match args.output {
                CheckFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                CheckFormat::Text => print!("{}", render(&report)),
            }
            Ok(EXIT_OK)
        }
        Err(refusal) => {
            eprintln!("{}", refusal.0);
            Ok(refusal.exit_status())
        }
    }
}

/// A current-thread runtime for the cluster calls.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// The spec, validated; `None` (findings printed) when it has errors.
pub fn valid_spec(a: &crate::args::SpecArgs) -> anyhow::Result<Option<ValidSpec>> {
    let spec: Spec = match spec_from_args(a)? {
        SpecInput::Spec(s) => *s,
        SpecInput::Invalid(f) => {
            print_findings(&[f], false);
            return Ok(None);
        }
    };
    let (mut valid, findings) = validate(&spec);
    print_findings(&findings, true);
    if let Some(v) = &mut valid {
        super::wait::mark_given(v, &spec);
    }
    Ok(valid)
}

/// Renders the report for people.
pub fn render(r: &ApplyReport) -> String {
    let mut s = format!("{} {}\n", r.object, r.result);
    for n in &r.notes {
        s.push_str(&format!("note: {n}\n"));
    }
    for x in &r.replaced {
        s.push_str(&format!("removed the other exposure {x}\n"));
    }
    if let Some(e) = &r.endpoint {
        s.push_str(&format!("endpoint: {e}\n"));
    }
    s.push_str(&format!("next: {}\n", r.next));
    s
}

async fn client(c: &ClusterArgs, timeout: Duration) -> anyhow::Result<Client> {
    let options = KubeConfigOptions {
        context: c.context.clone(),
        ..KubeConfigOptions::default()
    };
    let config = match &c.kubeconfig {
        Some(path) => {
            let kc = Kubeconfig::read_from(path)
                .with_context(|| format!("--kubeconfig {}", path.display()))?;
            Config::from_custom_kubeconfig(kc, &options).await
        }
        None => Config::from_kubeconfig(&options).await,
    }
    .context("cannot load the kubeconfig (KUBECONFIG, --kubeconfig or ~/.kube/config)")?;
    let mut config = config;
    if let Some(why) = client_certificate_expired(&config) {
        anyhow::bail!(
            "{why}; nothing was applied. Get a fresh kubeconfig (on MKE: download a new client bundle), or choose another --context"
        );
    }
    // Every request is bounded by --timeout: a slow or silent API server
    // is said as such instead of holding the command.
    config.connect_timeout = Some(timeout);
    config.read_timeout = Some(timeout);
    config.write_timeout = Some(timeout);
    Client::try_from(config).map_err(client_error)
}

/// The kubeconfig user's client certificate, when it has expired (or is not
/// yet valid): the API server would refuse it with a bare 401.
fn client_certificate_expired(config: &Config) -> Option<String> {
    use base64::Engine;
    let a = &config.auth_info;
    let pem = match (&a.client_certificate_data, &a.client_certificate) {
        (Some(data), _) => base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .ok()?,
        (None, Some(path)) => std::fs::read(path).ok()?,
        (None, None) => return None,
    };
    let decoded = msr_expose_core::cert::pem::decode(&pem, "kubeconfig");
    let der = decoded
        .blocks
        .iter()
        .find(|b| b.label.contains("CERTIFICATE") || b.label == "DER")?;
    let cert = msr_expose_core::cert::parsed::Cert::parse(&der.der).ok()?;
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let when = |t: i64| msr_expose_core::cert::rfc3339(t);
    if cert.not_after < now {
        Some(format!(
            "the kubeconfig's client certificate ({}) expired on {}",
            cert.subject,
            when(cert.not_after)
        ))
    } else if cert.not_before > now {
        Some(format!(
            "the kubeconfig's client certificate ({}) is not valid before {} (check this machine's clock)",
            cert.subject,
            when(cert.not_before)
        ))
    } else {
        None
    }
}

/// Why no client could be made, before anything was sent: the exec
/// credential plugin of the kubeconfig is the usual cause, and kube's own
/// text for it is a Rust debug dump.
fn client_error(e: kube::Error) -> anyhow::Error {
    use kube::client::AuthError;
    match e {
        kube::Error::Auth(AuthError::AuthExecRun { out, .. }) => {
            let said: String = String::from_utf8_lossy(&out.stderr)
                .trim()
                .chars()
                .take(500)
                .collect();
            anyhow::anyhow!(
                "the kubeconfig's exec credential plugin failed ({}){}; nothing was applied. \
                 Run it yourself (kubectl get namespaces runs it too) to log in again, or choose another --context",
                out.status,
                if said.is_empty() {
                    String::new()
                } else {
                    format!(" and said: {said}")
                }
            )
        }
        kube::Error::Auth(AuthError::AuthExecStart(io)) => anyhow::anyhow!(
            "cannot run the kubeconfig's exec credential plugin ({io}); nothing was applied. \
             Install it (it is named under users[].user.exec.command), or choose another --context"
        ),
        other => anyhow::Error::new(other)
            .context("cannot build a Kubernetes client; nothing was applied"),
    }
}

/// Another exposure of the cache (the core's judgement), and the API
/// resource to delete it through when it is a custom kind.
type Other = (
    msr_expose_core::exposures::Other,
    Option<kube::api::ApiResource>,
);

/// Other exposures of the cache in the namespace: the objects listed here,
/// judged by the core (`msr_expose_core::exposures`).
async fn other_exposures(client: &Client, spec: &ValidSpec) -> Result<Vec<Other>, Refusal> {
    use msr_expose_core::exposures::{Object, other_exposures};
    let ns = spec.namespace.as_str();
    let services: Api<Service> = Api::namespaced(client.clone(), ns);
    let ingresses: Api<Ingress> = Api::namespaced(client.clone(), ns);
    let svc_list = services
        .list(&ListParams::default())
        .await
        .map_err(|e| explain(e, "listing services", ns))?;
    let ing_list = ingresses
        .list(&ListParams::default())
        .await
        .map_err(|e| explain(e, "listing ingresses", ns))?;
    let mut listed: Vec<(
        &'static str,
        serde_json::Value,
        Option<kube::api::ApiResource>,
    )> = Vec::new();
    listed.extend(svc_list.items.iter().map(|s| ("Service", to_json(s), None)));
    listed.extend(ing_list.items.iter().map(|i| ("Ingress", to_json(i), None)));
    listed.extend(
        super::apply_custom::route_objects(client, spec)
            .await?
            .into_iter()
            .map(|(kind, data, r)| (kind, data, Some(r))),
    );
    let objects: Vec<Object<'_>> = listed
        .iter()
        .map(|(kind, data, _)| Object { kind, data })
        .collect();
    Ok(other_exposures(spec, &objects)
        .into_iter()
        .map(|o| {
            let resource = listed
                .iter()
                .find(|(k, d, _)| *k == o.kind && d["metadata"]["name"] == o.name.as_str())
                .and_then(|(_, _, r)| r.clone());
            (o, resource)
        })
        .collect())
}

/// An object as JSON, for the core's judgement.
fn to_json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// What a refusal before any change says.
const NOTHING_APPLIED: &str = "nothing was applied";

/// What apply changed on the cluster, whether or not it then stopped: for
/// reports that say, per cache, what was and was not applied (`fleet up`).
#[derive(Debug, Clone, Default)]
pub struct Changed {
    /// Other exposures removed (or turned back into a ClusterIP Service) with --replace.
    pub removed: Vec<String>,
    /// The exposure's apply request was sent.
    pub sent: bool,
    /// The exposure's objects, applied: `Service/msr/msr-cache created`.
    pub applied: Option<String>,
}

/// Applies the spec; `Ok(Err(…))` is a refusal to show (exit 1).
pub async fn apply(
    spec: &ValidSpec,
    c: &ClusterArgs,
    timeout: Duration,
    progress: bool,
) -> anyhow::Result<Result<ApplyReport, Refusal>> {
    apply_tracked(spec, c, timeout, progress, &mut Changed::default()).await
}

/// [`apply`], recording in `changed` what it changed on the cluster.
pub async fn apply_tracked(
    spec: &ValidSpec,
    c: &ClusterArgs,
    timeout: Duration,
    progress: bool,
    changed: &mut Changed,
) -> anyhow::Result<Result<ApplyReport, Refusal>> {
    let client = client(c, timeout).await?;
    Ok(apply_with(&client, spec, c, timeout, progress, changed).await)
}

async fn apply_with(
    client: &Client,
    spec: &ValidSpec,
    c: &ClusterArgs,
    timeout: Duration,
    progress: bool,
    changed: &mut Changed,
) -> Result<ApplyReport, Refusal> {
    let ns = spec.namespace.as_str();
    let namespaces: Api<Namespace> = Api::all(client.clone());
    match namespaces.get(ns).await {
        Ok(_) => {}
        Err(kube::Error::Api(s)) if s.code == 404 => {
            return Err(Refusal::new(
                Code::ClusterNamespaceMissing,
                format!("namespace {ns} does not exist; {NOTHING_APPLIED}"),
                "deploy the MSR cache first, or set the namespace it runs in (--namespace)",
            ));
        }
        Err(e) => {
            return Err(explain(e, &format!("reading namespace {ns}"), ns).and(NOTHING_APPLIED));
        }
    }

    // What this cluster reads, where the spec leaves it open.
    let picked = super::wait::for_cluster(client, spec)
        .await
        .map_err(|r| r.and(NOTHING_APPLIED))?;
    let (spec, note) = match &picked {
        Some((s, n)) => (s, Some(n.clone())),
        None => (spec, None),
    };

    // One interface, enforced.
    let others = other_exposures(client, spec)
        .await
        .map_err(|r| r.and(NOTHING_APPLIED))?;
    let replaced = &mut changed.removed;
    if !others.is_empty() {
        if !c.replace {
            let list: Vec<&str> = others.iter().map(|o| o.0.description.as_str()).collect();
            return Err(Refusal::new(
                Code::ApplyOtherExposure,
                format!(
                    "the cache is already exposed through {}: expose it through only one interface; {NOTHING_APPLIED}",
                    list.join(", ")
                ),
                "remove that exposure, or re-run with --replace if msr-expose manages it",
            ));
        }
        if let Some((foreign, _)) = others.iter().find(|o| !o.0.managed) {
            return Err(Refusal::new(
                Code::ApplyReplaceForeign,
                format!(
                    "--replace removes only exposures msr-expose manages; {} is managed by someone else (its managedFields have no {FIELD_MANAGER} apply); {NOTHING_APPLIED}",
                    foreign.description
                ),
                "remove it yourself if it should go",
            ));
        }
        let mut params = PatchParams::apply(FIELD_MANAGER);
        params.dry_run = c.dry_run;
        let so_far = |replaced: &[String]| {
            if replaced.is_empty() {
                NOTHING_APPLIED.to_string()
            } else {
                format!(
                    "removed so far: {}; the new exposure was not applied",
                    replaced.join(", ")
                )
            }
        };
        for (other, custom) in &others {
            let (desc, kind, name) = (&other.description, other.kind.as_str(), &other.name);
            if other.demote_to_cluster_ip {
                // The Ingress routes to this very Service: removing the exposure
                // means turning it back into a ClusterIP Service, not deleting it.
                let svc: Service = typed(&msr_expose_core::manifest::cluster_ip_service(spec))?;
                server_side_apply(client, spec, &params, &svc)
                    .await
                    .map_err(|r| r.and(&so_far(replaced)))?;
                replaced.push(format!("{desc} → ClusterIP"));
                continue;
            }
            if c.dry_run {
                replaced.push(format!("{desc} (would be removed)"));
                continue;
            }
            if let Some(r) = custom {
                super::apply_custom::delete(client, ns, name, r)
                    .await
                    .map_err(|r| r.and(&so_far(replaced)))?;
                replaced.push(desc.clone());
                continue;
            }
            let dp = DeleteParams::default();
            let result = match kind {
                "Service" => Api::<Service>::namespaced(client.clone(), ns)
                    .delete(name, &dp)
                    .await
                    .map(|_| ()),
                _ => Api::<Ingress>::namespaced(client.clone(), ns)
                    .delete(name, &dp)
                    .await
                    .map(|_| ()),
            };
            result
                .map_err(|e| explain(e, &format!("removing {desc}"), ns).and(&so_far(replaced)))?;
            replaced.push(desc.clone());
        }
    }

    let manifest = spec.manifest();
    let mut params = PatchParams::apply(FIELD_MANAGER);
    params.dry_run = c.dry_run;
    let object = format!("{}/{ns}/{}", manifest.kind(), spec.name);
    let removed = if replaced.is_empty() {
        String::new()
    } else {
        format!(" (removed before it: {})", replaced.join(", "))
    };
    // A refusal by the API server means the object was not applied; no
    // answer at all means it may or may not have been.
    let unapplied = |r: Refusal| {
        if r.0.code == Code::ClusterUnreachable {
            r.and(&format!(
                "with no answer, {object} may or may not have been applied{removed}: running msr-expose apply again is safe (server-side apply converges), or look with {}",
                crate::cmd::cluster::command(&[
                    "kubectl",
                    "-n",
                    ns,
                    "get",
                    &manifest.kind().to_ascii_lowercase(),
                    &spec.name
                ])
            ))
        } else {
            r.and(&format!("{object} was not applied{removed}"))
        }
    };
    let sent = &mut changed.sent;
    let (before, after) = match manifest.items() {
        [o] if o.kind == "Service" => {
            let svc = typed(o)?;
            *sent = true;
            server_side_apply::<Service>(client, spec, &params, &svc)
                .await
                .map_err(unapplied)?
        }
        [o] if o.kind == "Ingress" => {
            let ing = typed(o)?;
            *sent = true;
            server_side_apply::<Ingress>(client, spec, &params, &ing)
                .await
                .map_err(unapplied)?
        }
        objects => {
            let not_applied = |r: Refusal| r.and(&format!("{object} was not applied{removed}"));
            super::apply_custom::preflight(client, objects)
                .await
                .map_err(not_applied)?;
            super::wait::preflight(client, spec)
                .await
                .map_err(not_applied)?;
            *sent = true;
            super::apply_custom::apply(client, &params, objects)
                .await
                .map_err(unapplied)?
        }
    };
    let result = match (c.dry_run, &before, before == after) {
        (true, _, _) => "validated (dry run: nothing was persisted)",
        (false, None, _) => "created",
        (false, Some(_), true) => "unchanged",
        (false, Some(_), false) => "configured",
    };

    if !c.dry_run {
        changed.applied = Some(format!("{object} {result}"));
    }
    let mut report = ApplyReport {
        result: result.to_string(),
        object,
        replaced: changed.removed.clone(),
        endpoint: None,
        node_port: None,
        address: None,
        next: String::new(),
        notes: note.into_iter().collect(),
    };
    if c.dry_run {
        report.next = "run again without --dry-run to apply".into();
        return Ok(report);
    }
    let applied = format!("{} {}, and stays", report.object, report.result);
    wait(client, spec, timeout, progress, &mut report)
        .await
        .map_err(|r| r.and(&applied))?;
    Ok(report)
}

/// The typed k8s-openapi object of a manifest object (a parse of the JSON the
/// core built; it cannot fail for objects msr-expose builds, and says so if it does).
fn typed<T: serde::de::DeserializeOwned>(
    o: &msr_expose_core::manifest::Object,
) -> Result<T, Refusal> {
    o.typed().map_err(|e| {
        Refusal::new(
            Code::OutputInternal,
            format!(
                "msr-expose built a {} that is not a valid object ({e})",
                o.kind
            ),
            "this is a bug: please report it with the spec",
        )
    })
}

/// Server-side apply of one object; returns its resourceVersion before and after.
async fn server_side_apply<K>(
    client: &Client,
    spec: &ValidSpec,
    params: &PatchParams,
    obj: &K,
) -> Result<(Option<String>, Option<String>), Refusal>
where
    K: kube::Resource<Scope = kube::core::NamespaceResourceScope, DynamicType = ()>
        + Clone
        + std::fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    let ns = spec.namespace.as_str();
    let kind = K::kind(&());
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    let before = api
        .get_opt(&spec.name)
        .await
        .map_err(|e| explain(e, &format!("reading the {kind}"), ns))?;
    let after = api
        .patch(&spec.name, params, &Patch::Apply(obj))
        .await
        .map_err(|e| explain(e, &format!("applying the {kind}"), ns))?;
    Ok((
        before.and_then(|b| b.meta().resource_version.clone()),
        after.meta().resource_version.clone(),
    ))
}

/// Waits, bounded, for what clients need; Ctrl-C ends the wait with a
/// refusal that says what stays applied (the caller adds what).
async fn wait(
    client: &Client,
    spec: &ValidSpec,
    timeout: Duration,
    progress: bool,
    report: &mut ApplyReport,
) -> Result<(), Refusal> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).ok();
    let interrupted = async {
        match interrupt.as_mut() {
            Some(s) => {
                s.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    let what = spec.method().apply().waits_for;
    tokio::select! {
        waited = wait_for_address(client, spec, timeout, what, progress, report) => waited,
        () = interrupted => {
            eprintln!();
            Err(Refusal::new(
                Code::ApplyInterrupted,
                format!("interrupted (Ctrl-C) while waiting for {what}"),
                "run msr-expose apply again to wait for it (it converges), or remove what was applied with kubectl",
            ))
        }
    }
}

/// Waits, bounded by `timeout`, for what clients need (each method's
/// wait, `wait`), and writes what it found into the report.
async fn wait_for_address(
    client: &Client,
    spec: &ValidSpec,
    timeout: Duration,
    what: &str,
    progress: bool,
    report: &mut ApplyReport,
) -> Result<(), Refusal> {
    if progress && std::io::stderr().is_terminal() {
        eprintln!("waiting up to {timeout:?} for {what}…");
    }
    // What is still missing, for the message if the wait times out.
    let mut pending = String::new();
    let waited =
        tokio::time::timeout(timeout, super::wait::wait_for(client, spec, &mut pending)).await;
    let reached = match waited {
        Ok(outcome) => outcome?,
        Err(_) => return Err(super::wait::timed_out(spec, timeout, &pending)),
    };
    report.endpoint = reached.endpoint;
    report.node_port = reached.node_port;
    report.address = reached.address;
    report.next = reached.next;
    Ok(())
}
