//! Traefik: an IngressRouteTCP has no status to wait for; Traefik's own
//! Service says where DNS must point.

use super::reached::Reached;
use crate::cmd::cluster::Refusal;
use kube::Client;
use msr_expose_core::ValidSpec;
use msr_expose_core::method::traefik::RouteTcp;

/// Reads Traefik's address (best effort).
pub async fn wait(client: &Client, spec: &ValidSpec, t: &RouteTcp) -> Result<Reached, Refusal> {
    let address =
        super::reached::labelled_service_address(client, "app.kubernetes.io/name=traefik").await;
    let mut r = super::reached::passthrough(&t.host, address, &spec.ca_file);
    if r.address.is_none() {
        r.next = format!(
            "point DNS {} at Traefik's address (kubectl get service -A -l app.kubernetes.io/name=traefik), then: {}",
            t.host,
            super::reached::verify(&t.host, &spec.ca_file)
        );
    }
    Ok(r)
}
