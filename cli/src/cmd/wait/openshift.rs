//! OpenShift: the router admits the Route (`status.ingress[].conditions`,
//! type `Admitted`) and names its canonical host name, where DNS must
//! point; a Route the router rejects (another Route already claims the
//! host) fails at once with the router's reason.

use super::reached::Reached;
use crate::cmd::cluster::{Refusal, resource, watch_failed};
use futures::StreamExt;
use kube::api::DynamicObject;
use kube::runtime::watcher::watch_object;
use kube::{Api, Client};
use msr_expose_core::method::openshift::{ROUTES, Route};
use msr_expose_core::{Code, ValidSpec};
use serde_json::Value;
use std::time::Duration;

/// Where a Route stands with its routers.
#[derive(Debug, PartialEq, Eq)]
pub enum Admission {
    /// Admitted; the router's canonical host name, when it says one.
    Admitted(Option<String>),
    /// Not yet, with what is missing.
    Waiting(String),
    /// Rejected: the router's reason and message.
    Rejected(String),
}

/// Reads a Route's status.
pub fn admission(route: &Value) -> Admission {
    let ingress = route["status"]["ingress"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if ingress.is_empty() {
        return Admission::Waiting(
            "the Route has no status from a router yet: no router has seen it (oc get pods -n openshift-ingress)".into(),
        );
    }
    for i in &ingress {
        let admitted = i["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["type"] == "Admitted");
        match admitted {
            Some(c) if c["status"] == "True" => {
                return Admission::Admitted(
                    i["routerCanonicalHostname"].as_str().map(str::to_string),
                );
            }
            Some(c) if c["status"] == "False" => {
                return Admission::Rejected(format!(
                    "the router {} rejected the Route ({}: {})",
                    i["routerName"].as_str().unwrap_or("default"),
                    c["reason"].as_str().unwrap_or_default(),
                    c["message"].as_str().unwrap_or_default()
                ));
            }
            _ => {}
        }
    }
    Admission::Waiting("the Route is not Admitted by a router yet".into())
}

/// Waits for the router to admit the Route.
pub async fn wait(
    client: &Client,
    spec: &ValidSpec,
    route: &Route,
    pending: &mut String,
) -> Result<Reached, Refusal> {
    let ns = spec.namespace.as_str();
    let r = resource(
        &format!("{}/{}", ROUTES.group, ROUTES.version),
        ROUTES.kind,
        ROUTES.plural,
    );
    let api = Api::<DynamicObject>::namespaced_with(client.clone(), ns, &r);
    let mut changes = watch_object(api, &spec.name).boxed();
    while let Some(seen) = changes.next().await {
        let seen = seen.map_err(|e| watch_failed(e, "the Route", ns))?;
        let data = seen
            .map(|o| serde_json::to_value(&o).unwrap_or_default())
            .unwrap_or_default();
        match admission(&data) {
            Admission::Admitted(router) => {
                let mut reached = super::reached::passthrough(&route.host, router, &spec.ca_file);
                if let Some(router) = &reached.address {
                    reached.next = format!(
                        "a name under the cluster's apps domain resolves already; otherwise add the DNS record {} CNAME {router}; then: {}",
                        route.host,
                        super::reached::verify(&route.host, &spec.ca_file)
                    );
                }
                return Ok(reached);
            }
            Admission::Waiting(why) => *pending = why,
            Admission::Rejected(why) => {
                return Err(Refusal::new(
                    Code::RouteNotAdmitted,
                    why,
                    format!(
                        "another Route may already claim {} (the oldest wins): kubectl get routes -A | grep {}; or the router's namespace or route selectors exclude this one",
                        route.host, route.host
                    ),
                ));
            }
        }
    }
    Err(Refusal::new(
        Code::ClusterApiError,
        "the watch on the Route ended",
        "run msr-expose apply again to wait for it (it converges)",
    ))
}

/// What a timeout says.
pub fn timed_out(ns: &str, name: &str, timeout: Duration, pending: &str) -> (String, String) {
    (
        format!("after {timeout:?}: {pending}"),
        format!(
            "check the router and the Route: {}",
            crate::cmd::cluster::command(&["kubectl", "-n", ns, "describe", "route", name])
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (Route status, expected, reason)
    #[test]
    fn admission_table() {
        let cases = [
            (json!({}), "waiting", "no router has written status"),
            (
                json!({"status": {"ingress": [{"routerName": "default", "conditions": [{"type": "Admitted", "status": "True"}], "routerCanonicalHostname": "router-default.apps.example.com"}]}}),
                "admitted",
                "the default router admitted it",
            ),
            (
                json!({"status": {"ingress": [{"routerName": "default", "conditions": [{"type": "Admitted", "status": "False", "reason": "HostAlreadyClaimed", "message": "route x already exposes cache.apps.example.com"}]}]}}),
                "rejected",
                "another Route claims the host",
            ),
            (
                json!({"status": {"ingress": [{"routerName": "sharded", "conditions": []}]}}),
                "waiting",
                "a router without a verdict yet",
            ),
        ];
        for (route, expected, why) in cases {
            let got = match admission(&route) {
                Admission::Admitted(_) => "admitted",
                Admission::Waiting(_) => "waiting",
                Admission::Rejected(_) => "rejected",
            };
            assert_eq!(got, expected, "{why}");
        }
        assert_eq!(
            admission(
                &json!({"status": {"ingress": [{"conditions": [{"type": "Admitted", "status": "True"}], "routerCanonicalHostname": "r.apps.example.com"}]}})
            ),
            Admission::Admitted(Some("r.apps.example.com".into()))
        );
    }
}
