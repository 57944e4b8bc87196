//! Gateway API TLS passthrough, the successor of ingress-nginx's
//! ssl-passthrough: a TLSRoute (`gateway.networking.k8s.io/v1`, standard
//! channel since Gateway API 1.5) for the external FQDN, attached either to a
//! Gateway msr-expose creates — one listener, protocol TLS on 443, the FQDN as
//! its hostname, `tls.mode: Passthrough` written out because Terminate is the
//! default — or to an existing Gateway's listener.

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Listed, MethodKind, Page,
};
use crate::codes::Code;
use crate::common::Common;
use crate::crd::gateway::{
    AllowedRoutes, BackendRef, FromNamespaces, GatewaySpec, GroupKind, Listener, ListenerTls,
    ParentReference, Protocol, RouteNamespaces, TlsMode, TlsRouteRule, TlsRouteSpec,
};
use crate::crd::{CustomKind, CustomResource};
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::k8s_names::{NameRule, check_name};
use crate::object::Object;
use crate::shell::{Part, ShellError, Word};
use crate::spec::Spec;
use crate::step::{Step, StepBuilder, StepContext};

/// The manifest file name.
pub const FILE: &str = "msrcachetlsroute.yaml";
/// The API group.
pub use crate::crd::gateway::GROUP;
/// The listener msr-expose creates.
pub const LISTENER: &str = "tls-passthrough";
/// Shell variable holding the Gateway's address.
pub const ADDRESS_VAR: &str = "GATEWAY_ADDRESS";
/// The TLSRoute versions msr-expose writes, newest first.
pub const VERSIONS: &[&str] = &["v1", "v1alpha3", "v1alpha2"];
/// The group of the experimental ListenerSet before Gateway API 1.5
/// (`XListenerSet`).
pub const X_GROUP: &str = "gateway.networking.x-k8s.io";
/// Where a ListenerSet is served: its group, kind, plural and version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListenerSetKind {
    /// The API group.
    pub group: &'static str,
    /// The kind.
    pub kind: &'static str,
    /// The resource's plural.
    pub plural: &'static str,
    /// The version served.
    pub version: &'static str,
}

/// The ListenerSet of the Gateway API a TLSRoute version belongs to: the
/// standard `ListenerSet` v1 from Gateway API 1.5 (TLSRoute v1), the
/// experimental `XListenerSet` of `gateway.networking.x-k8s.io` before it
/// (the alpha TLSRoutes; Gateway API 1.4.1's
/// `gateway.networking.x-k8s.io_xlistenersets.yaml`).
pub fn listener_set(route_version: &str) -> ListenerSetKind {
    if route_version == "v1" {
        ListenerSetKind {
            group: GROUP,
            kind: "ListenerSet",
            plural: "listenersets",
            version: "v1",
        }
    } else {
        ListenerSetKind {
            group: X_GROUP,
            kind: "XListenerSet",
            plural: "xlistenersets",
            version: "v1alpha1",
        }
    }
}

/// Shell variable holding a ListenerSet's Gateway.
pub const PARENT_VAR: &str = "GATEWAY_NAME";

/// Where the route attaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parent {
    /// A Gateway msr-expose creates, of this class, named like the cache
    /// Service, in the cache's namespace.
    Create {
        /// `gatewayClassName`.
        class: String,
    },
    /// An existing Gateway or ListenerSet.
    Existing {
        /// `Gateway` or `ListenerSet`.
        kind: &'static str,
        /// Its name.
        name: String,
        /// Its namespace, when not the route's.
        namespace: Option<String>,
        /// Its listener (`sectionName`), when named.
        listener: Option<String>,
    },
}

/// A validated Gateway API exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayRoute {
    /// The external FQDN (a TLSRoute hostname cannot be an address).
    pub host: Fqdn,
    /// Where the route attaches.
    pub parent: Parent,
    /// The TLSRoute's version: `v1`, `v1alpha3` or `v1alpha2`.
    pub route_version: &'static str,
    /// Whether the spec names the version (`gatewayApiVersion`) rather than
    /// taking the default or a profile's: `apply` keeps a named version,
    /// and may take another that the cluster serves and its controller
    /// watches for one not named.
    pub version_given: bool,
}

/// TLSRoutes (`gateway.networking.k8s.io`).
pub const TLS_ROUTES: Listed = Listed {
    group: GROUP,
    version: "v1",
    kind: "TLSRoute",
    plural: "tlsroutes",
};

impl MethodKind for GatewayRoute {
    const ABOUT: About = About {
        title: "a Gateway API TLSRoute (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; the Gateway routes by SNI and passes TLS through to the cache",
        file: FILE,
        host: (SpecField::ExternalFqdn, HostRole::IngressHost),
        fields: &[
            SpecField::ExternalFqdn,
            SpecField::GatewayClassName,
            SpecField::GatewayName,
            SpecField::ListenerSetName,
            SpecField::GatewayNamespace,
            SpecField::ListenerName,
            SpecField::GatewayApiVersion,
        ],
        routes_to_service: true,
    };
    const PAGE: Page = Page {
        label: "Gateway API (TLS passthrough)",
        when: "Clients reach https://<external-fqdn> through a Gateway that routes by SNI and passes TLS through (TLSRoute, the successor of ingress-nginx's passthrough). Pick it when a Gateway controller runs: MKE 4k and MKE 3.9 ship Envoy Gateway.",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN",
                "The TLSRoute hostname clients use; a DNS record points it at the Gateway, and it is a SAN of the certificate.",
                "cache.example.com",
            ),
            FormField::text(
                SpecField::GatewayClassName,
                "Gateway class (to create a Gateway)",
                "A GatewayClass of your controller (kubectl get gatewayclass); msr-expose creates a Gateway with a TLS passthrough listener. Leave empty to attach to an existing Gateway.",
                "cilium",
            ),
            FormField::text(
                SpecField::GatewayName,
                "Existing Gateway (to attach to)",
                "The name of a Gateway whose listener is TLS with tls.mode Passthrough.",
                "shared-gateway",
            ),
            FormField::text(
                SpecField::ListenerSetName,
                "Existing ListenerSet (to attach to, instead)",
                "A ListenerSet that adds a TLS passthrough listener to a Gateway.",
                "cache-listeners",
            ),
            FormField::text(
                SpecField::GatewayNamespace,
                "Existing Gateway's namespace (optional)",
                "When it is not the cache's namespace; its listener must admit routes from there.",
                "the cache's namespace",
            ),
            FormField::text(
                SpecField::ListenerName,
                "Listener (optional)",
                "The existing Gateway's listener (sectionName).",
                "any matching listener",
            ),
            FormField::text(
                SpecField::GatewayApiVersion,
                "TLSRoute version (optional)",
                "v1 (Gateway API 1.5 and later, standard channel), v1alpha3 (Envoy Gateway 1.6 and 1.7) or v1alpha2. A platform profile chooses it.",
                "v1",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[TLS_ROUTES],
        waits_for: "the Gateway and the TLSRoute to be accepted",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        validate(spec, f)
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        o.kind == "TLSRoute"
            && super::kind::items(&o.data["spec"]["rules"])
                .flat_map(|r| super::kind::items(&r["backendRefs"]))
                .any(|b| {
                    b["name"] == common.name.as_str()
                        && b["kind"].as_str().is_none_or(|k| k == "Service")
                })
    }
}

impl Exposed for GatewayRoute {
    fn host(&self) -> Host {
        Host::Name(self.host.clone())
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        objects(common, self)
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        steps(cx, self)
    }
}

impl Drawn for GatewayRoute {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        let gw = match &self.parent {
            Parent::Create { .. } => format!("Gateway {}", common.name),
            Parent::Existing { kind, name, .. } => format!("{kind} {name}"),
        };
        vec![
            Hop::dns(&self.host),
            Hop::new(
                gw,
                ["TLS listener :443".into(), "Passthrough (by SNI)".into()],
            ),
            Hop::new(
                format!("TLSRoute {}", common.name),
                [self.host.to_string(), "passes TLS on".into()],
            ),
            Hop::cluster_ip(common),
        ]
    }

    fn requires(&self, common: &Common) -> Vec<String> {
        let parent = match &self.parent {
            Parent::Create { class } => format!(
                "the GatewayClass {class}, whose controller supports TLSRoute and TLS passthrough"
            ),
            Parent::Existing {
                kind: "ListenerSet",
                name,
                ..
            } => format!("the ListenerSet {name}, with a TLS Passthrough listener"),
            Parent::Existing {
                kind,
                name,
                namespace,
                ..
            } => format!(
                "the {kind} {}/{name}, with a TLS listener in Passthrough mode that admits TLSRoutes from {}",
                namespace.as_deref().unwrap_or(&common.namespace),
                common.namespace
            ),
        };
        vec![super::kind::needs_service(common), parent]
    }
}

/// Checks the Gateway fields.
pub fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<GatewayRoute> {
    let errors_before = f.iter().filter(|x| x.is_error()).count();
    let host = match spec.external_fqdn.as_deref() {
        Some(input) if input.trim().parse::<std::net::IpAddr>().is_ok() => {
            f.push(Finding::error(
                Code::GatewayIpHostname,
                SpecField::ExternalFqdn,
                format!("`{}` is an IP address; a TLSRoute's hostnames must be DNS names", input.trim()),
                "routing by SNI needs a name: use an FQDN with a DNS record pointing at the Gateway's address, or expose the cache through a LoadBalancer Service for an address",
            ));
            None
        }
        _ => super::kind::external_name(
            spec,
            Code::GatewayExternalFqdnMissing,
            "A Gateway API exposure",
            f,
        ),
    };
    let name_ok = |value: &str, field: &str, rule: NameRule, f: &mut Vec<Finding>| {
        check_name(value, rule, field).map(|x| f.push(x)).is_none()
    };
    let attach = match (&spec.gateway_name, &spec.listener_set_name) {
        (Some(_), Some(_)) => {
            f.push(Finding::error(
                Code::GatewayCreateOrAttach,
                SpecField::ListenerSetName,
                "both gatewayName and listenerSetName are set",
                "attach the route to one parent: the Gateway, or the ListenerSet that adds listeners to it",
            ));
            None
        }
        (Some(n), None) => Some(("Gateway", n)),
        (None, Some(n)) => Some(("ListenerSet", n)),
        (None, None) => None,
    };
    let both_set = spec.gateway_name.is_some() && spec.listener_set_name.is_some();
    let parent = match (&spec.gateway_class_name, attach) {
        _ if both_set => None,
        (Some(_), Some(_)) => {
            f.push(Finding::error(
                Code::GatewayCreateOrAttach,
                SpecField::GatewayName,
                "both gatewayClassName (create a Gateway) and gatewayName or listenerSetName (attach to an existing one) are set",
                "choose one: gatewayClassName to have msr-expose create a Gateway with a TLS passthrough listener, or gatewayName / listenerSetName (with gatewayNamespace and listenerName) to attach the route to one you have",
            ));
            None
        }
        (None, None) => {
            f.push(Finding::error(
                Code::GatewayParentMissing,
                SpecField::GatewayClassName,
                "no Gateway is named: the TLSRoute needs a parent",
                "set gatewayClassName to create a Gateway of that class (kubectl get gatewayclass lists them), or gatewayName (or listenerSetName) to attach to an existing one",
            ));
            None
        }
        (Some(class), None) => {
            for field in [SpecField::GatewayNamespace, SpecField::ListenerName] {
                let set = match field {
                    SpecField::GatewayNamespace => spec.gateway_namespace.is_some(),
                    _ => spec.listener_name.is_some(),
                };
                if set {
                    f.push(Finding::error(
                        Code::GatewayFieldNeedsExisting,
                        field,
                        format!("{field} names a part of an existing Gateway, but gatewayClassName asks msr-expose to create one"),
                        "drop it, or use gatewayName instead of gatewayClassName",
                    ));
                }
            }
            name_ok(class, SpecField::GatewayClassName.key(), NameRule::DnsSubdomain, f).then(|| {
                f.push(Finding::info(
                    Code::GatewayControllerNeeded,
                    SpecField::GatewayClassName,
                    format!("the Gateway is handled by the controller of the GatewayClass {class}, which must support TLSRoute and TLS passthrough"),
                    "kubectl get gatewayclass shows the classes and their controllers; msr-expose apply checks that the class exists and waits for the Gateway to be Programmed",
                ));
                Parent::Create { class: class.clone() }
            })
        }
        (None, Some((kind, name))) => {
            let ns = spec.gateway_namespace.clone();
            let field = if kind == "Gateway" {
                SpecField::GatewayName.key()
            } else {
                SpecField::ListenerSetName.key()
            };
            let ok = name_ok(name, field, NameRule::DnsSubdomain, f)
                & ns.as_deref().is_none_or(|n| {
                    name_ok(
                        n,
                        SpecField::GatewayNamespace.key(),
                        NameRule::Rfc1123Label,
                        f,
                    )
                })
                & spec.listener_name.as_deref().is_none_or(|l| {
                    name_ok(l, SpecField::ListenerName.key(), NameRule::DnsSubdomain, f)
                });
            let other_ns = ns.as_deref().filter(|n| *n != spec.namespace);
            f.push(Finding::warning(
                Code::GatewayListenerRequirements,
                SpecField::GatewayName,
                format!(
                    "the listener of {} must be protocol TLS with tls.mode Passthrough (Terminate is the default), and its hostname must be empty or cover {}",
                    name,
                    spec.external_fqdn.as_deref().unwrap_or("the external FQDN")
                ),
                "kubectl get gateway -o yaml shows the listeners; msr-expose apply reads the route's status and explains NotAllowedByListeners or NoMatchingListenerHostname",
            ));
            if let Some(gw_ns) = other_ns {
                f.push(Finding::warning(
                    Code::GatewayAllowedRoutes,
                    SpecField::GatewayNamespace,
                    format!("the Gateway is in {gw_ns}, the route in {}: the listener must admit routes from {}", spec.namespace, spec.namespace),
                    format!("its allowedRoutes.namespaces.from must be All, or Selector matching {}; the default, Same, admits only routes in {gw_ns}", spec.namespace),
                ));
            }
            ok.then(|| Parent::Existing {
                kind,
                name: name.clone(),
                namespace: other_ns.map(str::to_string),
                listener: spec.listener_name.clone(),
            })
        }
    };
    let route_version = match spec.gateway_api_version.as_deref().map(str::trim) {
        None | Some("v1") => "v1",
        Some(v @ ("v1alpha3" | "v1alpha2")) => {
            f.push(Finding::info(
                Code::GatewayApiVersionAlpha,
                SpecField::GatewayApiVersion,
                format!("the TLSRoute is written as {v}, for clusters whose controller watches that version and whose experimental CRDs serve it (Gateway API before 1.5; Envoy Gateway 1.6 and 1.7 watch v1alpha3)"),
                "check with kubectl get crd tlsroutes.gateway.networking.k8s.io -o jsonpath='{.spec.versions[*].name}'; msr-expose apply reads what is served and what the controller watches",
            ));
            if v == "v1alpha3" {
                "v1alpha3"
            } else {
                "v1alpha2"
            }
        }
        Some(other) => {
            f.push(Finding::error(
                Code::GatewayApiVersionInvalid,
                SpecField::GatewayApiVersion,
                format!("`{}` is not a TLSRoute version", other.escape_debug()),
                "use v1 (Gateway API 1.5 and later, standard channel), v1alpha3 (Envoy Gateway 1.6 and 1.7, Gateway API 1.4 experimental) or v1alpha2 (older experimental channel)",
            ));
            return None;
        }
    };
    if f.iter().filter(|x| x.is_error()).count() > errors_before {
        return None;
    }
    Some(GatewayRoute {
        host: host?,
        parent: parent?,
        route_version,
        version_given: spec.gateway_api_version.is_some(),
    })
}

/// The Gateway (when created) and the TLSRoute, in apply order.
pub fn objects(spec: &Common, g: &GatewayRoute) -> Vec<Object> {
    let (name, host) = (spec.name.as_str(), g.host.as_str());
    let meta = || crate::object::metadata(spec, Default::default());
    let mut out = Vec::new();
    let parent = match &g.parent {
        Parent::Create { class } => {
            out.push(Object::custom(&CustomResource::new(
                "v1",
                meta(),
                GatewaySpec {
                    gateway_class_name: class.clone(),
                    listeners: vec![Listener {
                        name: LISTENER.to_string(),
                        protocol: Protocol::Tls,
                        port: 443,
                        hostname: Some(host.to_string()),
                        tls: Some(ListenerTls {
                            mode: TlsMode::Passthrough,
                        }),
                        allowed_routes: Some(AllowedRoutes {
                            namespaces: RouteNamespaces {
                                from: FromNamespaces::Same,
                            },
                            kinds: vec![GroupKind {
                                group: GROUP.to_string(),
                                kind: TlsRouteSpec::KIND.to_string(),
                            }],
                        }),
                    }],
                },
            )));
            ParentReference {
                group: GROUP.to_string(),
                kind: GatewaySpec::KIND.to_string(),
                name: name.to_string(),
                namespace: None,
                section_name: Some(LISTENER.to_string()),
            }
        }
        Parent::Existing {
            kind,
            name: gw,
            namespace,
            listener,
        } => {
            let (group, kind) = match *kind {
                "ListenerSet" => {
                    let l = listener_set(g.route_version);
                    (l.group, l.kind)
                }
                k => (GROUP, k),
            };
            ParentReference {
                group: group.to_string(),
                kind: kind.to_string(),
                name: gw.clone(),
                namespace: namespace.clone(),
                section_name: listener.clone(),
            }
        }
    };
    out.push(Object::custom(&CustomResource::new(
        g.route_version,
        meta(),
        TlsRouteSpec {
            parent_refs: vec![parent],
            hostnames: vec![host.to_string()],
            rules: vec![TlsRouteRule {
                backend_refs: vec![BackendRef {
                    name: name.to_string(),
                    port: spec.port,
                }],
            }],
        },
    )));
    out
}

/// The parent the route attaches to: (kind, namespace, name).
pub fn parent_of(spec: &Common, g: &GatewayRoute) -> (&'static str, String, String) {
    match &g.parent {
        Parent::Create { .. } => ("Gateway", spec.namespace.clone(), spec.name.clone()),
        Parent::Existing {
            kind,
            name,
            namespace,
            ..
        } => (
            kind,
            namespace.clone().unwrap_or_else(|| spec.namespace.clone()),
            name.clone(),
        ),
    }
}

/// Apply, check the Gateway and the route, the address, DNS, test.
pub fn steps(cx: &StepContext<'_>, g: &GatewayRoute) -> Result<Vec<Step>, ShellError> {
    let (ns, name) = (cx.spec.namespace.as_str(), cx.spec.name.as_str());
    let (kind, gw_ns, gw) = parent_of(cx.spec, g);
    let resource = kind.to_ascii_lowercase();
    let host = g.host.as_str();
    let mut out = vec![cx.check_service()?, cx.apply().build()?];
    out.push(
        StepBuilder::new(
            &format!("Check the {kind}"),
            format!("The {kind} {gw} must be Programmed by its controller; PROGRAMMED False or empty means no controller handles its class or the listener is not valid."),
        )
        .cmd(["kubectl", "-n", &gw_ns, "get", &resource, &gw])
        .expect(format!("{gw}   …   True   …"))
        .build()?,
    );
    out.push(
        StepBuilder::new(
            "Check that the route is accepted",
            "The route's status lists each parent with an Accepted condition; no status at all means no controller handles the route (a class without TLSRoute support).",
        )
        .cmd([
            "kubectl",
            "-n",
            ns,
            "get",
            "tlsroute",
            name,
            "-o",
            "jsonpath={.status.parents[*].conditions[?(@.type==\"Accepted\")].status}",
        ])
        .expect("True")
        .build()?,
    );
    // A ListenerSet's listeners live on its parent Gateway's addresses.
    let address_of = if kind == "ListenerSet" {
        out.push(
            StepBuilder::new(
                "Find the ListenerSet's Gateway",
                format!(
                    "The ListenerSet adds listeners to a Gateway; keep its name in {PARENT_VAR}."
                ),
            )
            .cmd([
                "kubectl",
                "-n",
                &gw_ns,
                "get",
                "listenerset",
                &gw,
                "-o",
                "jsonpath={.spec.parentRef.name}",
            ])
            .sets(PARENT_VAR)
            .expect("the Gateway's name")
            .build()?,
        );
        Word(vec![Part::Var(PARENT_VAR)])
    } else {
        Word::lit(gw.clone())
    };
    out.push(
        StepBuilder::new(
            "Read the Gateway's address",
            format!("Where the DNS record must point; keep it in {ADDRESS_VAR}."),
        )
        .cmd(["kubectl", "-n", &gw_ns, "get", "gateway"])
        .word(address_of)
        .cmd(["-o", "jsonpath={.status.addresses[0].value}"])
        .sets(ADDRESS_VAR)
        .expect("the Gateway's address, such as 192.0.2.60")
        .build()?,
    );
    out.push(cx.dns_record(host, ADDRESS_VAR, "gateway")?);
    out.push(cx.curl_resolve(
        (host, 443),
        ADDRESS_VAR,
        "Test the endpoint before DNS exists",
        format!("The same test, sending {host} to the Gateway's address without DNS; the name goes out as SNI, which the TLSRoute matches."),
    )?);
    out.push(cx.curl(
        "Test the endpoint",
        format!(
            "Ask the cache for its catalog through the Gateway, trusting only {}. The listener passes TLS through, so the certificate seen is the cache's own.",
            cx.spec.ca_file
        ),
    )?);
    Ok(out)
}
