//! Istio's networking objects (`networking.istio.io/v1`) for TLS
//! passthrough: a Gateway with one server on 443, protocol TLS,
//! `tls.mode: PASSTHROUGH`, bound to the ingress gateway's pods by label,
//! and a VirtualService that matches the external FQDN by SNI
//! (`tls[].match[].sniHosts`) and routes to the cache Service. Fields as in
//! Istio's CRDs (networking.istio.io Gateway and VirtualService).

use super::CustomKind;
use serde::Serialize;
use std::collections::BTreeMap;

/// Istio's networking group.
pub const GROUP: &str = "networking.istio.io";

/// `Gateway.spec` (Istio's, not the Gateway API's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GatewaySpec {
    /// The labels of the ingress gateway pods that serve it.
    pub selector: BTreeMap<String, String>,
    /// Its servers.
    pub servers: Vec<Server>,
}

impl CustomKind for GatewaySpec {
    const GROUP: &'static str = GROUP;
    const KIND: &'static str = "Gateway";
    const PLURAL: &'static str = "gateways";
}

/// `servers[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    /// The port it listens on.
    pub port: ServerPort,
    /// The hosts it serves (SNI).
    pub hosts: Vec<String>,
    /// TLS: passed through.
    pub tls: ServerTls,
}

/// `servers[].port`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerPort {
    /// The port number.
    pub number: u16,
    /// Its name (unique in the Gateway).
    pub name: String,
    /// `TLS`: routed by SNI.
    pub protocol: &'static str,
}

/// `servers[].tls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerTls {
    /// `PASSTHROUGH`: the gateway does not terminate TLS.
    pub mode: ServerTlsMode,
}

/// `servers[].tls.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ServerTlsMode {
    /// Route by SNI, pass the TLS session through.
    Passthrough,
}

/// `VirtualService.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VirtualServiceSpec {
    /// The hosts it applies to.
    pub hosts: Vec<String>,
    /// The Gateways it is bound to (`name` or `namespace/name`).
    pub gateways: Vec<String>,
    /// Its TLS routes.
    pub tls: Vec<TlsRoute>,
}

impl CustomKind for VirtualServiceSpec {
    const GROUP: &'static str = GROUP;
    const KIND: &'static str = "VirtualService";
    const PLURAL: &'static str = "virtualservices";
}

/// `tls[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlsRoute {
    /// What it matches.
    #[serde(rename = "match")]
    pub match_: Vec<TlsMatch>,
    /// Where it sends the connection.
    pub route: Vec<RouteDestination>,
}

/// `tls[].match[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsMatch {
    /// The gateway port.
    pub port: u16,
    /// The SNI names.
    pub sni_hosts: Vec<String>,
}

/// `tls[].route[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteDestination {
    /// The destination.
    pub destination: Destination,
}

/// `tls[].route[].destination`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    /// The Service (a short name is read in the VirtualService's namespace).
    pub host: String,
    /// Its port.
    pub port: PortSelector,
}

/// `destination.port`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortSelector {
    /// The Service port.
    pub number: u16,
}
