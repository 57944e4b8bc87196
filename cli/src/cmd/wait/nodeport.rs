//! NodePort: the Service's node port, allocated or pinned.

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, watch_failed};
use k8s_openapi::api::core::v1::Service;
use kube::runtime::wait::await_condition;
use kube::{Api, Client};
use msr_expose_core::ValidSpec;
use msr_expose_core::method::nodeport::NodePort;
use std::time::Duration;

/// Waits for the node port.
pub async fn wait(client: &Client, spec: &ValidSpec, np: &NodePort) -> Result<Reached, Refusal> {
    let ns = spec.namespace.as_str();
    let services = Api::<Service>::namespaced(client.clone(), ns);
    let svc = await_condition(services, &spec.name, |o: Option<&Service>| {
        o.and_then(node_port_of).is_some()
    })
    .await
    .map_err(|e| watch_failed(e, "the Service", ns))?;
    let mut r = Reached::default();
    if let Some(p) = svc.as_ref().and_then(node_port_of) {
        let url = format!("https://{}:{p}", np.node.url_host());
        r.node_port = Some(p);
        r.next = crate::cmd::cluster::verify_command(&url, &spec.ca_file, None);
        r.endpoint = Some(url);
    }
    Ok(r)
}

/// What a timeout says.
pub fn timed_out(ns: &str, name: &str, timeout: Duration) -> (String, String) {
    (
        format!("the Service has no node port after {timeout:?}"),
        format!(
            "check {}",
            crate::cmd::cluster::command(&["kubectl", "-n", ns, "describe", "service", name])
        ),
    )
}

/// The allocated node port of the cache's port.
fn node_port_of(svc: &Service) -> Option<u16> {
    svc.spec
        .as_ref()?
        .ports
        .iter()
        .flatten()
        .find(|p| p.name.as_deref() == Some(msr_expose_core::manifest::PORT_NAME))
        .and_then(|p| p.node_port)
        .and_then(|p| u16::try_from(p).ok())
}
