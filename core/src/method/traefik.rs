//! Traefik (k3s's default controller): an IngressRouteTCP
//! (`traefik.io/v1alpha1`) that matches the external FQDN by SNI
//! (`HostSNI`) on the `websecure` entry point and passes TLS through to the
//! cache Service untouched (`tls.passthrough: true`).

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Listed, MethodKind, Page,
};
use crate::codes::Code;
use crate::common::Common;
use crate::crd::CustomResource;
use crate::crd::traefik::{self as crd, IngressRouteTcpSpec};
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::object::Object;
use crate::shell::ShellError;
use crate::spec::Spec;
use crate::step::{Step, StepBuilder, StepContext};

/// The manifest file name.
pub const FILE: &str = "msrcacheingressroutetcp.yaml";
/// The entry point Traefik serves HTTPS on by default.
pub const DEFAULT_ENTRY_POINT: &str = "websecure";
/// Shell variable holding Traefik's address.
pub const ADDRESS_VAR: &str = "TRAEFIK_ADDRESS";

/// A validated Traefik exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteTcp {
    /// The external FQDN.
    pub host: Fqdn,
    /// The entry points.
    pub entry_points: Vec<String>,
}

/// IngressRouteTCPs (`traefik.io`).
pub const INGRESS_ROUTE_TCPS: Listed = Listed {
    group: "traefik.io",
    version: "v1alpha1",
    kind: "IngressRouteTCP",
    plural: "ingressroutetcps",
};

impl MethodKind for RouteTcp {
    const ABOUT: About = About {
        title: "a Traefik IngressRouteTCP (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; Traefik routes by SNI and passes TLS through to the cache",
        file: FILE,
        host: (SpecField::ExternalFqdn, HostRole::IngressHost),
        fields: &[SpecField::ExternalFqdn, SpecField::EntryPoints],
        routes_to_service: true,
    };
    const PAGE: Page = Page {
        label: "Traefik (TLS passthrough)",
        when: "Clients reach https://<external-fqdn> through Traefik (k3s), which routes by SNI and passes TLS through (IngressRouteTCP).",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN",
                "Matched by HostSNI; a DNS record points it at Traefik, and it is a SAN of the certificate.",
                "cache.example.com",
            ),
            FormField::text(
                SpecField::EntryPoints,
                "Entry points (optional)",
                "Comma-separated; websecure (port 443) by default.",
                "websecure",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[INGRESS_ROUTE_TCPS],
        waits_for: "Traefik's address",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        validate(spec, f)
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        o.kind == "IngressRouteTCP"
            && super::kind::items(&o.data["spec"]["routes"])
                .flat_map(|r| super::kind::items(&r["services"]))
                .any(|s| s["name"] == common.name.as_str())
    }
}

impl Exposed for RouteTcp {
    fn host(&self) -> Host {
        Host::Name(self.host.clone())
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        vec![route(common, self)]
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        steps(cx, self)
    }
}

impl Drawn for RouteTcp {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        vec![
            Hop::dns(&self.host),
            Hop::new(
                "Traefik",
                [
                    format!("entry point {}", self.entry_points.join(",")),
                    "HostSNI, passthrough".into(),
                ],
            ),
            Hop::cluster_ip(common),
        ]
    }

    fn requires(&self, common: &Common) -> Vec<String> {
        vec![
            super::kind::needs_service(common),
            "Traefik, with its IngressRouteTCP kind (traefik.io) installed".into(),
        ]
    }
}

/// Checks the Traefik fields.
pub fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<RouteTcp> {
    let host = super::kind::external_name(
        spec,
        Code::TraefikExternalFqdnMissing,
        "A Traefik exposure",
        f,
    );
    let entry_points = spec
        .entry_points
        .clone()
        .unwrap_or_else(|| vec![DEFAULT_ENTRY_POINT.to_string()]);
    let mut ok = true;
    if entry_points.is_empty() {
        ok = false;
        f.push(Finding::error(
            Code::TraefikEntryPointsEmpty,
            SpecField::EntryPoints,
            "no entry point is given; the route would listen nowhere",
            "leave entryPoints out for websecure (port 443 in Traefik's default configuration), or name the entry point that listens on 443",
        ));
    }
    for e in &entry_points {
        if e.is_empty()
            || !e
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            ok = false;
            f.push(Finding::error(
                Code::TraefikEntryPointInvalid,
                SpecField::EntryPoints,
                format!("`{}` is not an entry point name", e.escape_debug()),
                "use the name of a Traefik entry point, such as websecure",
            ));
        }
    }
    f.push(Finding::info(
        Code::TraefikEntryPointPort,
        SpecField::EntryPoints,
        format!(
            "the route listens on {}: clients reach the cache on that entry point's port, 443 for websecure in Traefik's default configuration",
            entry_points.join(", ")
        ),
        "kubectl get service -A -l app.kubernetes.io/name=traefik shows the ports; with another port, clients need https://<host>:<port>",
    ));
    if !ok {
        return None;
    }
    Some(RouteTcp {
        host: host?,
        entry_points,
    })
}

/// The IngressRouteTCP.
pub fn route(spec: &Common, t: &RouteTcp) -> Object {
    Object::custom(&CustomResource::new(
        "v1alpha1",
        crate::object::metadata(spec, Default::default()),
        IngressRouteTcpSpec {
            entry_points: t.entry_points.clone(),
            routes: vec![crd::RouteTcp {
                match_: format!("HostSNI(`{}`)", t.host),
                services: vec![crd::Service {
                    name: spec.name.clone(),
                    port: spec.port,
                }],
            }],
            tls: crd::Tls { passthrough: true },
        },
    ))
}

/// Traefik's address, DNS, apply, check, test.
pub fn steps(cx: &StepContext<'_>, t: &RouteTcp) -> Result<Vec<Step>, ShellError> {
    let (ns, name) = (cx.spec.namespace.as_str(), cx.spec.name.as_str());
    let host = t.host.as_str();
    let mut out = vec![
        cx.check_service()?,
        StepBuilder::new(
            "Read Traefik's address",
            format!("The EXTERNAL-IP of Traefik's Service is where the DNS record must point (on k3s, ServiceLB gives it a node's address); keep it in {ADDRESS_VAR}."),
        )
        .cmd([
            "kubectl",
            "get",
            "services",
            "--all-namespaces",
            "-l",
            "app.kubernetes.io/name=traefik",
            "-o",
            "jsonpath={.items[0].status.loadBalancer.ingress[0].ip}",
        ])
        .sets(ADDRESS_VAR)
        .expect("Traefik's address, such as 192.0.2.70")
        .build()?,
        cx.dns_record(host, ADDRESS_VAR, "traefik")?,
        cx.apply().build()?,
        StepBuilder::new(
            "Check the route",
            "Traefik lists the IngressRouteTCP once its CRDs are installed; an error about the kind means they are not (k3s ships them).",
        )
        .cmd(["kubectl", "-n", ns, "get", "ingressroutetcp", name])
        .expect(format!("{name}   …"))
        .build()?,
    ];
    out.push(cx.curl_resolve(
        (host, 443),
        ADDRESS_VAR,
        "Test the endpoint before DNS exists",
        format!("The same test, sending {host} to Traefik's address without DNS; HostSNI matches the name sent as SNI."),
    )?);
    out.push(cx.curl(
        "Test the endpoint",
        format!(
            "Ask the cache for its catalog through Traefik, trusting only {}. With tls.passthrough Traefik does not terminate TLS, so the certificate seen is the cache's own.",
            cx.spec.ca_file
        ),
    )?);
    Ok(out)
}
