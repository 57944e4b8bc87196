//! What `apply` waits for once the objects are applied, one module per
//! method (`wait/`): the node port, a load balancer's or a controller's
//! address, the Gateway programmed and the route accepted, the Route
//! admitted by the OpenShift router. Each waits by watching (kube's
//! runtime helpers), never by polling, and says what is missing when the
//! wait times out. The one dispatch on the method is [`wait_for`] and
//! [`timed_out`]; below it nothing matches on the method.

mod gateway;
mod ingress;
mod istio;
mod loadbalancer;
mod nodeport;
mod openshift;
mod reached;
mod traefik;
mod truth;

pub use reached::Reached;

use super::cluster::Refusal;
use kube::Client;
use msr_expose_core::{Code, Exposure, ValidSpec};
use std::time::Duration;

/// Waits (unbounded: the caller bounds it) for what clients need; `pending`
/// holds what is still missing, for the message if the caller times out.
pub async fn wait_for(
    client: &Client,
    spec: &ValidSpec,
    pending: &mut String,
) -> Result<Reached, Refusal> {
    match &spec.exposure {
        Exposure::Nodeport(x) => nodeport::wait(client, spec, x).await,
        Exposure::Loadbalancer(x) => loadbalancer::wait(client, spec, x).await,
        Exposure::Gateway(x) => gateway::wait(client, spec, x, pending).await,
        Exposure::Traefik(x) => traefik::wait(client, spec, x).await,
        Exposure::Openshift(x) => openshift::wait(client, spec, x, pending).await,
        Exposure::Istio(x) => istio::wait(client, spec, x, pending).await,
        Exposure::Ingress(x) => ingress::wait(client, spec, x).await,
    }
}

/// What a method checks before anything is applied, beyond the kinds its
/// objects need (`apply_custom::preflight`).
pub async fn preflight(client: &Client, spec: &ValidSpec) -> Result<(), Refusal> {
    match &spec.exposure {
        Exposure::Gateway(g) => gateway::preflight(client, spec, g).await,
        _ => Ok(()),
    }
}

/// The refusal when the wait ran out of time.
pub fn timed_out(spec: &ValidSpec, timeout: Duration, pending: &str) -> Refusal {
    let (ns, name) = (spec.namespace.as_str(), spec.name.as_str());
    let (message, fix) = match &spec.exposure {
        Exposure::Nodeport(_) => nodeport::timed_out(ns, name, timeout),
        Exposure::Loadbalancer(_) => loadbalancer::timed_out(ns, name, timeout),
        Exposure::Ingress(_) => ingress::timed_out(ns, name, timeout),
        Exposure::Openshift(_) => openshift::timed_out(ns, name, timeout, pending),
        Exposure::Gateway(_) | Exposure::Traefik(_) | Exposure::Istio(_) => (
            format!("after {timeout:?}: {pending}"),
            "check the controller's status on the objects (kubectl describe), or raise --timeout"
                .to_string(),
        ),
    };
    Refusal::new(Code::ApplyTimeout, message, fix)
}
