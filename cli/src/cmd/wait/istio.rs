//! Istio: a VirtualService has no status to wait for (Istio writes none
//! unless its status feature is on); the ingress gateway's Service says
//! where DNS must point, and the wait watches the Services with its labels
//! until one has an address.

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, watch_failed};
use kube::Client;
use msr_expose_core::ValidSpec;
use msr_expose_core::method::istio::IstioRoute;

/// Waits for the ingress gateway's address.
pub async fn wait(
    client: &Client,
    spec: &ValidSpec,
    i: &IstioRoute,
    pending: &mut String,
) -> Result<Reached, Refusal> {
    let labels = i.gateway_labels();
    use futures::StreamExt;
    use k8s_openapi::api::core::v1::Service;
    use kube::Api;
    use kube::runtime::{WatchStreamExt, watcher};
    *pending = format!(
        "no Service of the ingress gateway (labelled {labels}) has an address: is Istio's ingress gateway installed, and does its Service have an EXTERNAL-IP?"
    );
    let services: Api<Service> = Api::all(client.clone());
    let mut changes = watcher(services, watcher::Config::default().labels(&labels))
        .applied_objects()
        .boxed();
    while let Some(svc) = changes.next().await {
        let svc = svc.map_err(|e| watch_failed(e, "the ingress gateway's Services", ""))?;
        let i2 = svc
            .status
            .and_then(|s| s.load_balancer)
            .and_then(|l| l.ingress);
        if let Some(a) = i2.into_iter().flatten().find_map(|a| a.ip.or(a.hostname)) {
            return Ok(super::reached::passthrough(&i.host, Some(a), &spec.ca_file));
        }
    }
    Err(Refusal::new(
        msr_expose_core::Code::ClusterApiError,
        "the watch on the ingress gateway's Services ended",
        "run msr-expose apply again to wait for the address (it converges)",
    ))
}
