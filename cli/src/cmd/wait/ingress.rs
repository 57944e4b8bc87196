//! ingress-nginx: the address the controller publishes on the Ingress.

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, watch_failed};
use k8s_openapi::api::networking::v1::Ingress;
use kube::runtime::wait::await_condition;
use kube::{Api, Client};
use msr_expose_core::ValidSpec;
use msr_expose_core::method::ingress::IngressNginx;
use std::time::Duration;

/// Waits for the controller's address.
pub async fn wait(client: &Client, spec: &ValidSpec, i: &IngressNginx) -> Result<Reached, Refusal> {
    let ns = spec.namespace.as_str();
    let ingresses = Api::<Ingress>::namespaced(client.clone(), ns);
    let ing = await_condition(ingresses, &spec.name, |o: Option<&Ingress>| {
        o.and_then(ingress_address).is_some()
    })
    .await
    .map_err(|e| watch_failed(e, "the Ingress", ns))?;
    Ok(match ing.as_ref().and_then(ingress_address) {
        Some(a) => super::reached::passthrough(&i.host, Some(a), &spec.ca_file),
        None => Reached::default(),
    })
}

/// What a timeout says.
pub fn timed_out(ns: &str, name: &str, timeout: Duration) -> (String, String) {
    (
        format!(
            "the Ingress has no address after {timeout:?}: the controller has not picked it up"
        ),
        format!(
            "check the ingress class and that the controller runs (kubectl get ingressclass; {})",
            crate::cmd::cluster::command(&["kubectl", "-n", ns, "describe", "ingress", name])
        ),
    )
}

/// The first address the ingress controller published.
fn ingress_address(ing: &Ingress) -> Option<String> {
    let i = ing
        .status
        .as_ref()?
        .load_balancer
        .as_ref()?
        .ingress
        .as_ref()?
        .first()?;
    i.ip.clone().or_else(|| i.hostname.clone())
}
