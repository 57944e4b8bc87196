//! Traefik's IngressRouteTCP (`traefik.io/v1alpha1`) with TLS passthrough.
//! Fields as in Traefik's CRD (traefik.io_ingressroutetcps.yaml).

use super::CustomKind;
use serde::Serialize;

/// `IngressRouteTCP.spec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressRouteTcpSpec {
    /// The entry points it listens on (`websecure`).
    pub entry_points: Vec<String>,
    /// The routes.
    pub routes: Vec<RouteTcp>,
    /// TLS: passed through.
    pub tls: Tls,
}

impl CustomKind for IngressRouteTcpSpec {
    const GROUP: &'static str = "traefik.io";
    const KIND: &'static str = "IngressRouteTCP";
    const PLURAL: &'static str = "ingressroutetcps";
}

/// `routes[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteTcp {
    /// The rule (`HostSNI(\`host\`)`).
    #[serde(rename = "match")]
    pub match_: String,
    /// The Services it sends to.
    pub services: Vec<Service>,
}

/// `routes[].services[]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// The Service's name.
    pub name: String,
    /// Its port.
    pub port: u16,
}

/// `spec.tls`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tls {
    /// The backend terminates TLS.
    pub passthrough: bool,
}
