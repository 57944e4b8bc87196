//! OpenShift's Route (`route.openshift.io/v1`) with TLS passthrough: the
//! router (HAProxy) routes by SNI and hands the TLS session to the Service
//! untouched. Fields as in OpenShift's API (openshift/api route/v1
//! `RouteSpec`); only those a passthrough Route may carry are declared —
//! no certificate fields and no path, which the API refuses under
//! passthrough.

use super::CustomKind;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;

/// `Route.spec`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteSpec {
    /// The host clients connect to (and send as SNI).
    pub host: String,
    /// The Service it routes to.
    pub to: RouteTargetReference,
    /// Which port of the Service's endpoints.
    pub port: RoutePort,
    /// TLS: passed through.
    pub tls: TlsConfig,
    /// `None`: the Route serves its one host, no wildcard.
    pub wildcard_policy: WildcardPolicy,
}

impl CustomKind for RouteSpec {
    const GROUP: &'static str = "route.openshift.io";
    const KIND: &'static str = "Route";
    const PLURAL: &'static str = "routes";
}

/// `spec.to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteTargetReference {
    /// `Service`.
    pub kind: &'static str,
    /// The Service's name.
    pub name: String,
    /// Its share of the traffic (100: all of it).
    pub weight: i32,
}

/// `spec.port`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePort {
    /// The endpoints' port (a number, or a port's name).
    pub target_port: IntOrString,
}

/// `spec.tls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsConfig {
    /// `passthrough`: the router does not terminate TLS.
    pub termination: Termination,
    /// What the router does with plain HTTP on port 80.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insecure_edge_termination_policy: Option<InsecurePolicy>,
}

/// `tls.termination`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Termination {
    /// The router passes TLS through to the endpoints.
    Passthrough,
}

/// `tls.insecureEdgeTerminationPolicy`: the values passthrough allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InsecurePolicy {
    /// Plain HTTP is refused.
    None,
    /// Plain HTTP is redirected to HTTPS.
    Redirect,
}

/// `spec.wildcardPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WildcardPolicy {
    /// The route serves exactly its host.
    None,
}
