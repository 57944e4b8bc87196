//! From `--config` and flags to the core's `Spec`: the file is read first,
//! then every flag given overrides its field.

use crate::args::SpecArgs;
use anyhow::Context;
use msr_expose_core::spec::parse_selector;
use msr_expose_core::{Finding, Spec};

/// The spec, or a finding when the file or a flag cannot be turned into one.
pub enum SpecInput {
    /// A spec to validate.
    Spec(Box<Spec>),
    /// The spec file or a flag is malformed.
    Invalid(Finding),
}

/// Reads `--config` (if any) and applies the flags.
pub fn spec_from_args(a: &SpecArgs) -> anyhow::Result<SpecInput> {
    let mut spec = match &a.config {
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("cannot read spec file {}", path.display()))?;
            match Spec::from_bytes(&bytes) {
                Ok(s) => s,
                Err(mut f) => {
                    f.field = path.display().to_string();
                    return Ok(SpecInput::Invalid(f));
                }
            }
        }
        None => Spec::default(),
    };
    if let Some(m) = &a.method {
        match m.parse() {
            Ok(m) => spec.method = Some(m),
            Err(e) => anyhow::bail!("--method: {e}"),
        }
    }
    if let Some(v) = &a.namespace {
        spec.namespace = v.clone();
    }
    if let Some(v) = &a.name {
        spec.name = v.clone();
    }
    if let Some(v) = &a.selector {
        spec.selector = parse_selector(v).map_err(|e| anyhow::anyhow!("--selector: {e}"))?;
    }
    if let Some(v) = a.port {
        spec.port = v;
    }
    if let Some(v) = a.target_port {
        spec.target_port = v;
    }
    if let Some(v) = &a.ca_file {
        spec.ca_file = v.clone();
    }
    if let Some(p) = &a.platform {
        match p.parse() {
            Ok(p) => spec.platform = Some(p),
            Err(e) => anyhow::bail!("--platform: {e}"),
        }
    }
    set(&mut spec.containerd_version, &a.containerd_version);
    set(&mut spec.k0s_version, &a.k0s_version);
    set(&mut spec.node_fqdn, &a.node_fqdn);
    set(&mut spec.node_port, &a.node_port);
    set(&mut spec.node_port_range, &a.node_port_range);
    set(&mut spec.external_fqdn, &a.external_fqdn);
    set(&mut spec.ingress_class_name, &a.ingress_class);
    set(&mut spec.path, &a.path);
    if a.legacy_secure_backends {
        spec.legacy_secure_backends = Some(true);
    }
    set(&mut spec.load_balancer_ip, &a.load_balancer_ip);
    if a.legacy_load_balancer_ip {
        spec.legacy_load_balancer_ip = Some(true);
    }
    set(&mut spec.load_balancer_class, &a.load_balancer_class);
    set(
        &mut spec.external_traffic_policy,
        &a.external_traffic_policy,
    );
    set(&mut spec.gateway_class_name, &a.gateway_class);
    set(&mut spec.gateway_name, &a.gateway_name);
    set(&mut spec.listener_set_name, &a.listener_set_name);
    set(&mut spec.gateway_namespace, &a.gateway_namespace);
    set(&mut spec.listener_name, &a.listener_name);
    set(&mut spec.gateway_api_version, &a.gateway_api_version);
    set(&mut spec.entry_points, &a.entry_points);
    set(
        &mut spec.insecure_edge_termination_policy,
        &a.insecure_edge_termination_policy,
    );
    set(&mut spec.istio_gateway, &a.istio_gateway);
    if let Some(v) = &a.istio_selector {
        spec.istio_selector =
            Some(parse_selector(v).map_err(|e| anyhow::anyhow!("--istio-selector: {e}"))?);
    }
    Ok(SpecInput::Spec(Box::new(spec)))
}

fn set<T: Clone>(field: &mut Option<T>, flag: &Option<T>) {
    if flag.is_some() {
        field.clone_from(flag);
    }
}
