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

/// Records which choices the operator made in `raw` (the spec before a
/// platform profile filled it in), so that apply keeps those and may choose
/// the others from what the cluster says: the TLSRoute version.
pub fn mark_given(spec: &mut ValidSpec, raw: &msr_expose_core::Spec) {
    if let Exposure::Gateway(g) = &mut spec.exposure {
        g.version_given = raw.gateway_api_version.is_some();
    }
}

/// The spec as apply writes it to this cluster: for the Gateway API, the
/// TLSRoute version the cluster serves and its controller watches, when
/// the spec named none and the default or the profile's is not read there
/// (`None`: the spec as it is). A note says what was chosen and why.
pub async fn for_cluster(
    client: &Client,
    spec: &ValidSpec,
) -> Result<Option<(ValidSpec, String)>, Refusal> {
    match &spec.exposure {
        Exposure::Gateway(g) if !g.version_given => {
            let truth = truth::route_truth(client, spec, g).await?;
            Ok(truth.pick(g.route_version).map(|v| {
                let mut picked = spec.clone();
                if let Exposure::Gateway(p) = &mut picked.exposure {
                    p.route_version = v;
                }
                (
                    picked,
                    format!(
                        "TLSRoute {v} written instead of {}: the spec names no version, and the cluster's controller reads {v} ({})",
                        g.route_version,
                        truth.describe()
                    ),
                )
            }))
        }
        _ => Ok(None),
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
