//! Istio: the mesh's ingress gateway passes TLS through by SNI. An Istio
//! `Gateway` (`networking.istio.io/v1`) with one server on 443, protocol
//! TLS, `tls.mode: PASSTHROUGH`, bound by label to the ingress gateway's
//! pods (`istio: ingressgateway` by default) — or an existing Gateway — and
//! a `VirtualService` matching the external FQDN in `tls[].match[].sniHosts`
//! and routing to the cache Service's port.

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Listed, MethodKind, Page,
};
use crate::codes::Code;
use crate::common::Common;
use crate::crd::CustomResource;
use crate::crd::istio::{
    Destination, GatewaySpec, PortSelector, RouteDestination, Server, ServerPort, ServerTls,
    ServerTlsMode, TlsMatch, TlsRoute, VirtualServiceSpec,
};
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::k8s_names::{NameRule, check_label_key, check_label_value, check_name};
use crate::object::{Object, metadata};
use crate::shell::ShellError;
use crate::spec::Spec;
use crate::step::{Step, StepBuilder, StepContext};
use serde_json::Value;
use std::collections::BTreeMap;

/// The manifest file name.
pub const FILE: &str = "msrcacheistio.yaml";
/// Shell variable holding the ingress gateway's address.
pub const ADDRESS_VAR: &str = "ISTIO_GATEWAY_ADDRESS";
/// The label of Istio's default ingress gateway pods.
pub const DEFAULT_SELECTOR: (&str, &str) = ("istio", "ingressgateway");

/// VirtualServices (`networking.istio.io`).
pub const VIRTUAL_SERVICES: Listed = Listed {
    group: crate::crd::istio::GROUP,
    version: "v1",
    kind: "VirtualService",
    plural: "virtualservices",
};

/// Which Istio Gateway serves the route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IstioParent {
    /// A Gateway msr-expose creates, named like the cache Service, bound to
    /// the ingress gateway pods with these labels.
    Create {
        /// `Gateway.spec.selector`.
        selector: BTreeMap<String, String>,
    },
    /// An existing Gateway: `namespace/name` or `name` (the cache's namespace).
    Existing {
        /// As the VirtualService names it.
        reference: String,
    },
}

/// A validated Istio exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IstioRoute {
    /// The external FQDN (SNI).
    pub host: Fqdn,
    /// The Gateway.
    pub parent: IstioParent,
}

impl MethodKind for IstioRoute {
    const ABOUT: About = About {
        title: "an Istio Gateway and VirtualService (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; Istio's ingress gateway routes by SNI and passes TLS through to the cache",
        file: FILE,
        host: (SpecField::ExternalFqdn, HostRole::IngressHost),
        fields: &[
            SpecField::ExternalFqdn,
            SpecField::IstioGateway,
            SpecField::IstioSelector,
        ],
        routes_to_service: true,
    };
    const PAGE: Page = Page {
        label: "Istio (TLS passthrough)",
        when: "Clients reach https://<external-fqdn> through Istio's ingress gateway, which routes by SNI and passes TLS through (Gateway tls.mode PASSTHROUGH, VirtualService sniHosts). Pick it in an Istio mesh.",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN",
                "Matched as SNI; a DNS record points it at the ingress gateway, and it is a SAN of the certificate.",
                "cache.example.com",
            ),
            FormField::text(
                SpecField::IstioSelector,
                "Ingress gateway pods (to create a Gateway)",
                "Labels of the ingress gateway pods, as key=value[,key=value]; istio=ingressgateway by default.",
                "istio=ingressgateway",
            ),
            FormField::text(
                SpecField::IstioGateway,
                "Existing Istio Gateway (to attach to, instead)",
                "namespace/name of a Gateway with a TLS PASSTHROUGH server on 443 for this host.",
                "istio-system/shared-gateway",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[VIRTUAL_SERVICES],
        waits_for: "the ingress gateway's address",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        let host = super::kind::external_name(spec, Code::IstioExternalFqdnMissing, "Istio", f);
        let parent = match (&spec.istio_gateway, &spec.istio_selector) {
            (Some(_), Some(_)) => {
                f.push(Finding::error(
                    Code::IstioCreateOrAttach,
                    SpecField::IstioGateway,
                    "both istioGateway (attach to an existing Gateway) and istioSelector (create one) are set",
                    "keep istioGateway to attach to that Gateway, or istioSelector to create a Gateway for those ingress gateway pods",
                ));
                return None;
            }
            (Some(reference), None) => existing(reference, f)?,
            (None, selector) => created(selector.as_ref(), f)?,
        };
        Some(IstioRoute {
            host: host?,
            parent,
        })
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        let service = common.name.as_str();
        let in_ns = format!("{service}.{}", common.namespace);
        let names_cache = |d: &Value| {
            d["destination"]["host"].as_str().is_some_and(|h| {
                h == service || h == in_ns || h.starts_with(&format!("{in_ns}.svc"))
            })
        };
        let spec = &o.data["spec"];
        o.kind == "VirtualService"
            && ["tls", "tcp", "http"].iter().any(|section| {
                super::kind::items(&spec[*section])
                    .flat_map(|r| super::kind::items(&r["route"]))
                    .any(names_cache)
            })
    }
}

/// An existing Gateway: `namespace/name` or `name`.
fn existing(reference: &str, f: &mut Vec<Finding>) -> Option<IstioParent> {
    let parts: Vec<&str> = reference.split('/').collect();
    let bad = |f: &mut Vec<Finding>| {
        f.push(Finding::error(
            Code::IstioGatewayInvalid,
            SpecField::IstioGateway,
            format!(
                "`{}` is not an Istio Gateway reference",
                reference.escape_debug()
            ),
            "write namespace/name (such as istio-system/shared-gateway), or name for a Gateway in the cache's namespace",
        ));
    };
    let names_ok = match parts.as_slice() {
        [name] => check_name(name, NameRule::DnsSubdomain, SpecField::IstioGateway.key()).is_none(),
        [ns, name] => {
            check_name(ns, NameRule::Rfc1123Label, SpecField::IstioGateway.key()).is_none()
                && check_name(name, NameRule::DnsSubdomain, SpecField::IstioGateway.key()).is_none()
        }
        _ => false,
    };
    if !names_ok {
        bad(f);
        return None;
    }
    f.push(Finding::warning(
        Code::IstioExistingGateway,
        SpecField::IstioGateway,
        format!("the VirtualService attaches to the existing Gateway {reference}, which msr-expose does not check"),
        "that Gateway needs a server on port 443 with protocol TLS, tls.mode PASSTHROUGH and this host (or */host) in its hosts; kubectl get gateways.networking.istio.io -A shows it",
    ));
    Some(IstioParent::Existing {
        reference: reference.to_string(),
    })
}

/// A Gateway to create, bound to the ingress gateway pods by `selector`.
fn created(
    selector: Option<&BTreeMap<String, String>>,
    f: &mut Vec<Finding>,
) -> Option<IstioParent> {
    let selector = selector.cloned().unwrap_or_else(|| {
        BTreeMap::from([(
            DEFAULT_SELECTOR.0.to_string(),
            DEFAULT_SELECTOR.1.to_string(),
        )])
    });
    if selector.is_empty() {
        f.push(Finding::error(
            Code::IstioSelectorEmpty,
            SpecField::IstioSelector,
            "the ingress gateway selector is empty",
            "name the ingress gateway pods' labels, such as istio=ingressgateway (leave istioSelector out for that default)",
        ));
        return None;
    }
    let before = f.len();
    for (k, v) in &selector {
        f.extend(check_label_key(k, SpecField::IstioSelector.key()));
        f.extend(check_label_value(k, v, SpecField::IstioSelector.key()));
    }
    if f[before..].iter().any(Finding::is_error) {
        return None;
    }
    f.push(Finding::info(
        Code::IstioIngressGateway,
        SpecField::IstioSelector,
        format!(
            "the Gateway is served by the ingress gateway pods labelled {}",
            label_selector(&selector)
        ),
        "their Service must publish 443 (kubectl get services -A -l <those labels>); other labels: set istioSelector; with PILOT_SCOPE_GATEWAY_TO_NAMESPACE, attach to a Gateway in the gateway pods' namespace (istioGateway)",
    ));
    Some(IstioParent::Create { selector })
}

/// `k=v,k2=v2`, as kubectl's `-l` takes it.
fn label_selector(selector: &BTreeMap<String, String>) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

impl IstioRoute {
    /// The labels to find the ingress gateway's Service by (`k=v,k2=v2`;
    /// Istio's default for an existing Gateway, whose selector is not read).
    pub fn gateway_labels(&self) -> String {
        match &self.parent {
            IstioParent::Create { selector } => label_selector(selector),
            IstioParent::Existing { .. } => {
                format!("{}={}", DEFAULT_SELECTOR.0, DEFAULT_SELECTOR.1)
            }
        }
    }
}

impl Exposed for IstioRoute {
    fn host(&self) -> Host {
        Host::Name(self.host.clone())
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        let host = self.host.to_string();
        let meta = || metadata(common, Default::default());
        let mut out = Vec::new();
        let gateway = match &self.parent {
            IstioParent::Create { selector } => {
                out.push(Object::custom(&CustomResource::new(
                    "v1",
                    meta(),
                    GatewaySpec {
                        selector: selector.clone(),
                        servers: vec![Server {
                            port: ServerPort {
                                number: 443,
                                name: format!("tls-{}", common.name),
                                protocol: "TLS",
                            },
                            hosts: vec![host.clone()],
                            tls: ServerTls {
                                mode: ServerTlsMode::Passthrough,
                            },
                        }],
                    },
                )));
                common.name.clone()
            }
            IstioParent::Existing { reference } => reference.clone(),
        };
        out.push(Object::custom(&CustomResource::new(
            "v1",
            meta(),
            VirtualServiceSpec {
                hosts: vec![host.clone()],
                gateways: vec![gateway],
                tls: vec![TlsRoute {
                    match_: vec![TlsMatch {
                        port: 443,
                        sni_hosts: vec![host],
                    }],
                    route: vec![RouteDestination {
                        destination: Destination {
                            host: common.name.clone(),
                            port: PortSelector {
                                number: common.port,
                            },
                        },
                    }],
                }],
            },
        )));
        out
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        let (ns, name) = (cx.spec.namespace.as_str(), cx.spec.name.as_str());
        let host = self.host.as_str();
        let labels = self.gateway_labels();
        let mut out = vec![cx.check_service()?];
        out.push(
            StepBuilder::new(
                "Read the ingress gateway's address",
                format!("The EXTERNAL-IP of the ingress gateway's Service (pods labelled {labels}) is where the DNS record must point; keep it in {ADDRESS_VAR}."),
            )
            .cmd([
                "kubectl",
                "get",
                "services",
                "--all-namespaces",
                "-l",
                &labels,
                "-o",
                "jsonpath={.items[0].status.loadBalancer.ingress[0].ip}",
            ])
            .sets(ADDRESS_VAR)
            .expect("the ingress gateway's address, such as 192.0.2.80")
            .build()?,
        );
        out.push(cx.dns_record(host, ADDRESS_VAR, "ingress gateway")?);
        out.push(cx.apply().build()?);
        out.push(
            StepBuilder::new(
                "Check the VirtualService",
                "Istio lists the VirtualService once its CRDs are installed; istioctl analyze, where installed, reports a Gateway or host that does not match.",
            )
            .cmd(["kubectl", "-n", ns, "get", "virtualservice", name])
            .expect(format!("{name}   [{}]   [{host}]   …", match &self.parent {
                IstioParent::Create { .. } => name.to_string(),
                IstioParent::Existing { reference } => reference.clone(),
            }))
            .build()?,
        );
        out.push(cx.curl_resolve(
            (host, 443),
            ADDRESS_VAR,
            "Test the endpoint before DNS exists",
            format!("The same test, sending {host} to the ingress gateway's address without DNS; the name still goes out as SNI, which the Gateway routes on."),
        )?);
        out.push(cx.curl(
            "Test the endpoint",
            format!(
                "Ask the cache for its catalog through Istio's ingress gateway, trusting only {}. In PASSTHROUGH mode the gateway does not terminate TLS, so the certificate seen is the cache's own.",
                cx.spec.ca_file
            ),
        )?);
        Ok(out)
    }
}

impl Drawn for IstioRoute {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        let gw = match &self.parent {
            IstioParent::Create { .. } => format!("Gateway {}", common.name),
            IstioParent::Existing { reference } => reference.clone(),
        };
        vec![
            Hop::dns(&self.host),
            Hop::new("Istio ingress gateway", [gw, "TLS :443 PASSTHROUGH".into()]),
            Hop::new(
                format!("VirtualService {}", common.name),
                [format!("sniHosts {}", self.host), "passes TLS on".into()],
            ),
            Hop::cluster_ip(common),
        ]
    }

    fn requires(&self, common: &Common) -> Vec<String> {
        vec![
            super::kind::needs_service(common),
            match &self.parent {
                IstioParent::Existing { reference } => format!(
                    "the Istio Gateway {reference}, with a TLS PASSTHROUGH server on 443 for this host"
                ),
                IstioParent::Create { .. } => format!(
                    "Istio's ingress gateway (pods labelled {}), its Service publishing 443, and the networking.istio.io CRDs",
                    self.gateway_labels()
                ),
            },
        ]
    }
}
