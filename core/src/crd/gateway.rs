//! Gateway API objects (`gateway.networking.k8s.io`, v1.6 standard channel):
//! a Gateway with one TLS passthrough listener, and a TLSRoute. Fields as
//! in the Gateway API's CRDs (gateway.networking.k8s.io_gateways.yaml,
//! _tlsroutes.yaml).

use super::CustomKind;
use serde::Serialize;

/// The Gateway API's group.
pub const GROUP: &str = "gateway.networking.k8s.io";

/// `Gateway.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySpec {
    /// The GatewayClass whose controller runs the Gateway.
    pub gateway_class_name: String,
    /// Its listeners.
    pub listeners: Vec<Listener>,
}

impl CustomKind for GatewaySpec {
    const GROUP: &'static str = GROUP;
    const KIND: &'static str = "Gateway";
    const PLURAL: &'static str = "gateways";
}

/// A listener: where the Gateway accepts connections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listener {
    /// Its name, the routes' `sectionName`.
    pub name: String,
    /// `TLS` for SNI routing.
    pub protocol: Protocol,
    /// The port.
    pub port: u16,
    /// The host name it accepts (SNI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// TLS settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<ListenerTls>,
    /// Which routes may attach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_routes: Option<AllowedRoutes>,
}

/// `Listener.protocol`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Protocol {
    /// TLS, routed by SNI (TLSRoute).
    #[serde(rename = "TLS")]
    Tls,
}

/// `Listener.tls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListenerTls {
    /// Passthrough: the Gateway does not terminate TLS.
    pub mode: TlsMode,
}

/// `Listener.tls.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TlsMode {
    /// The backend terminates TLS; written out, as Terminate is the default.
    Passthrough,
}

/// `Listener.allowedRoutes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowedRoutes {
    /// From which namespaces.
    pub namespaces: RouteNamespaces,
    /// Of which kinds.
    pub kinds: Vec<GroupKind>,
}

/// `allowedRoutes.namespaces`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteNamespaces {
    /// `Same`: the Gateway's own namespace.
    pub from: FromNamespaces,
}

/// `allowedRoutes.namespaces.from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FromNamespaces {
    /// Only routes in the Gateway's namespace.
    Same,
}

/// A group and kind (`allowedRoutes.kinds[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupKind {
    /// The group.
    pub group: String,
    /// The kind.
    pub kind: String,
}

/// `TLSRoute.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsRouteSpec {
    /// The Gateway (or ListenerSet) it attaches to.
    pub parent_refs: Vec<ParentReference>,
    /// The SNI host names it routes (required in v1).
    pub hostnames: Vec<String>,
    /// Where the connections go.
    pub rules: Vec<TlsRouteRule>,
}

impl CustomKind for TlsRouteSpec {
    const GROUP: &'static str = GROUP;
    const KIND: &'static str = "TLSRoute";
    const PLURAL: &'static str = "tlsroutes";
}

/// `parentRefs[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParentReference {
    /// The parent's group.
    pub group: String,
    /// `Gateway` or `ListenerSet`.
    pub kind: String,
    /// Its name.
    pub name: String,
    /// Its namespace, when not the route's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Its listener.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_name: Option<String>,
}

/// `rules[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TlsRouteRule {
    /// The backends.
    pub backend_refs: Vec<BackendRef>,
}

/// `backendRefs[]`: a Service and its port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackendRef {
    /// The Service's name.
    pub name: String,
    /// Its port.
    pub port: u16,
}
