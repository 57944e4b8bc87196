//! What a wait finds out, and the helpers several methods' waits share:
//! the next step once a passthrough route's address is known, and the
//! address of a Service found by its labels. Below the waits of `wait/`.

use kube::Client;

/// What the wait found out: where clients connect and what to do next.
#[derive(Debug, Default)]
pub struct Reached {
    /// The endpoint clients use.
    pub endpoint: Option<String>,
    /// The allocated or pinned node port (NodePort).
    pub node_port: Option<u16>,
    /// The address DNS must point at (or the router's host name).
    pub address: Option<String>,
    /// What to do next.
    pub next: String,
}

/// `https://<host>` and the next step for a passthrough method once the
/// address its DNS record points at is known.
pub fn passthrough(
    host: &msr_expose_core::Fqdn,
    address: Option<String>,
    ca_file: &str,
) -> Reached {
    let url = format!("https://{host}");
    Reached {
        next: match &address {
            Some(a) => crate::cmd::cluster::dns_then_verify(host, 443, &url, a, ca_file),
            None => format!(
                "point DNS {host} at the controller's address, then: {}",
                verify(host, ca_file)
            ),
        },
        endpoint: Some(url),
        address,
        node_port: None,
    }
}

/// `msr-expose verify --url https://<host> --ca <CA file>`, quoted: the
/// last step of every passthrough method once DNS points at its address.
pub fn verify(host: &msr_expose_core::Fqdn, ca_file: &str) -> String {
    crate::cmd::cluster::verify_command(&format!("https://{host}"), ca_file, None)
}

/// The address of the first Service labelled `labels` in any namespace
/// (best effort: `None` when none is found or it has no address yet).
pub async fn labelled_service_address(client: &Client, labels: &str) -> Option<String> {
    use k8s_openapi::api::core::v1::Service;
    use kube::Api;
    use kube::api::ListParams;
    let services: Api<Service> = Api::all(client.clone());
    let list = services
        .list(&ListParams::default().labels(labels))
        .await
        .ok()?;
    list.items.into_iter().find_map(|s| {
        let i = s.status?.load_balancer?.ingress?.into_iter().next()?;
        i.ip.or(i.hostname)
    })
}
