//! LoadBalancer: the address a load-balancer provider publishes.

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, dns_then_verify, watch_failed};
use k8s_openapi::api::core::v1::Service;
use kube::runtime::wait::await_condition;
use kube::{Api, Client};
use msr_expose_core::method::loadbalancer::LoadBalancer;
use msr_expose_core::{Host, ValidSpec};
use std::time::Duration;

/// Waits for the load balancer's address.
pub async fn wait(
    client: &Client,
    spec: &ValidSpec,
    lb: &LoadBalancer,
) -> Result<Reached, Refusal> {
    let ns = spec.namespace.as_str();
    let services = Api::<Service>::namespaced(client.clone(), ns);
    let svc = await_condition(services, &spec.name, |o: Option<&Service>| {
        o.and_then(load_balancer_address).is_some()
    })
    .await
    .map_err(|e| watch_failed(e, "the Service", ns))?;
    let mut r = Reached::default();
    if let Some(a) = svc.as_ref().and_then(load_balancer_address) {
        let url = msr_expose_core::steps::endpoint(spec).url;
        r.next = match &lb.host {
            Host::Name(h) => dns_then_verify(h, spec.port, &url, &a, &spec.ca_file),
            Host::Ip(_) => crate::cmd::cluster::verify_command(&url, &spec.ca_file, None),
        };
        r.endpoint = Some(url);
        r.address = Some(a);
    }
    Ok(r)
}

/// What a timeout says.
pub fn timed_out(ns: &str, name: &str, timeout: Duration) -> (String, String) {
    (
        format!(
            "the Service's EXTERNAL-IP is still <pending> after {timeout:?}: no load-balancer provider has given it an address"
        ),
        format!(
            "install or configure one (a cloud controller, MetalLB with an address pool, kube-vip), or check its events: {}",
            crate::cmd::cluster::command(&["kubectl", "-n", ns, "describe", "service", name])
        ),
    )
}

/// The first address a load-balancer provider published.
fn load_balancer_address(svc: &Service) -> Option<String> {
    let i = svc
        .status
        .as_ref()?
        .load_balancer
        .as_ref()?
        .ingress
        .as_ref()?
        .first()?;
    i.ip.clone().or_else(|| i.hostname.clone())
}
