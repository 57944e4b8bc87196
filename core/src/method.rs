//! The registry of exposure methods. Each method is one module below this
//! one and owns everything about itself: its fields and their findings
//! (`validate`), its objects, its steps, its endpoint, which objects already
//! in the cluster count as "another exposure" of the cache, what the page
//! shows for it and what `apply` lists and waits for. The shared building
//! blocks sit below the methods (`common`, `object`, `step`, `fqdn`); above
//! them, `validate`, `steps`, `exposures`, the page and the CLI only iterate
//! the registry. Adding a method is one module and one line of
//! [`methods!`](crate::method) below.

pub mod gateway;
pub mod ingress;
pub mod istio;
pub mod loadbalancer;
pub mod nodeport;
pub mod openshift;
pub mod traefik;

use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::object::Object;
use crate::shell::{ShellError, Word};
use crate::spec::Spec;
use crate::step::{Step, StepContext};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// How the page shows one input of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A line of text (numbers and lists included: the core parses them).
    Text,
    /// A checkbox (a boolean field).
    Checkbox,
}

/// One input of a method's form: the spec field it sets and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The spec field it sets.
    pub field: SpecField,
    /// Its label.
    pub label: &'static str,
    /// The line of help under it.
    pub help: &'static str,
    /// The placeholder (what an empty input means).
    pub placeholder: &'static str,
    /// Text or checkbox.
    pub input: Input,
}

impl FormField {
    /// A text input.
    pub const fn text(
        field: SpecField,
        label: &'static str,
        help: &'static str,
        placeholder: &'static str,
    ) -> Self {
        FormField {
            field,
            label,
            help,
            placeholder,
            input: Input::Text,
        }
    }

    /// A checkbox.
    pub const fn checkbox(field: SpecField, label: &'static str) -> Self {
        FormField {
            field,
            label,
            help: "",
            placeholder: "",
            input: Input::Checkbox,
        }
    }
}

/// A kind of object that `apply` lists in the cache's namespace to find
/// other exposures of the cache (where the kind is installed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    /// The API group (empty for the core group).
    pub group: &'static str,
    /// The version to read it at when the cluster does not say (core kinds).
    pub version: &'static str,
    /// The kind.
    pub kind: &'static str,
    /// Its plural (REST path).
    pub plural: &'static str,
}

/// A Service (`v1`).
pub const SERVICES: Listed = Listed {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
};

/// What the registry and the docs know of a method: what every build of
/// the core needs (the page's and `apply`'s own parts are [`Page`] and
/// [`Apply`], kept apart so that a build links only the parts it uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// Its name in a sentence ("a LoadBalancer Service").
    pub title: &'static str,
    /// What clients connect to and where TLS ends.
    pub summary: &'static str,
    /// The manifest file name.
    pub file: &'static str,
    /// The field naming the host clients connect to, and how it is checked.
    pub host: (SpecField, HostRole),
    /// The spec fields it owns (the shared ones aside); a field no method
    /// being used owns is an error.
    pub fields: &'static [SpecField],
    /// Whether it routes to the cache's own ClusterIP Service (passthrough)
    /// rather than making that Service external.
    pub routes_to_service: bool,
}

/// What the page shows of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Its name on the page's picker ("LoadBalancer Service").
    pub label: &'static str,
    /// When to pick it, for the page's picker.
    pub when: &'static str,
    /// The page's inputs for it, in order.
    pub form: &'static [FormField],
}

/// What `apply` knows of a method beyond its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Apply {
    /// The kinds `apply` lists to find other exposures through it.
    pub lists: &'static [Listed],
    /// What `apply` waits for, for its messages.
    pub waits_for: &'static str,
}

/// An object already in the cluster, as the API server returned it.
#[derive(Debug, Clone, Copy)]
pub struct ClusterObject<'a> {
    /// Its kind (`Service`, `TLSRoute`, …).
    pub kind: &'a str,
    /// Its JSON.
    pub data: &'a Value,
}

/// One hop of the path a registry client takes to the cache, for the
/// page's picture: a title and a line or two of detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// What the hop is ("Gateway shared", "worker node").
    pub title: String,
    /// The names and ports there.
    pub lines: Vec<String>,
}

impl Hop {
    /// A hop titled `title` with `lines`.
    pub fn new<const N: usize>(title: impl Into<String>, lines: [String; N]) -> Hop {
        Hop {
            title: title.into(),
            lines: lines.into(),
        }
    }

    /// The DNS hop of a name pointed at the address behind it.
    pub fn dns(host: &Fqdn) -> Hop {
        Hop::new("DNS", [host.to_string(), "→ the address below".into()])
    }

    /// The cache's own Service, as a passthrough route reaches it.
    pub fn cluster_ip(common: &Common) -> Hop {
        Hop::new(
            format!("Service {}", common.name),
            ["ClusterIP".into(), format!(":{}", common.port)],
        )
    }
}

/// What a passthrough route needs first: the cache's own Service.
pub(crate) fn needs_service(common: &Common) -> String {
    format!(
        "the cache's Service {} (ClusterIP, port {})",
        common.name, common.port
    )
}

/// A validated exposure of one method: what the rest of the core asks of it.
pub trait Exposed {
    /// The host clients connect to: what the certificate must carry as a SAN.
    fn host(&self) -> Host;
    /// The port clients connect to when it is not 443 (`Ok(None)`: 443); an
    /// error when it is not known before apply (an allocated node port).
    fn client_port(&self, _common: &Common) -> Result<Option<u16>, Finding> {
        Ok(None)
    }
    /// The endpoint URL (the node port may be a variable).
    fn endpoint(&self, common: &Common) -> Word {
        let host = self.host().url_host();
        match self.client_port(common) {
            Ok(Some(p)) => Word::lit(format!("https://{host}:{p}")),
            _ => Word::lit(format!("https://{host}")),
        }
    }
    /// Its objects, in apply order.
    fn objects(&self, common: &Common) -> Vec<Object>;
    /// Its steps, from "check the Service" to the last curl test; the
    /// registration and the users' settings follow (`steps`).
    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError>;
}

/// What the page draws of a validated exposure. Dispatched statically by
/// [`Exposure::hops`] and [`Exposure::requires`], not through
/// [`Exposed`]'s vtable, so that a build that never draws (the JS API)
/// links none of it.
pub trait Drawn {
    /// The hops between the client and the cache's pods, in the order a
    /// connection takes them (the page's picture of the path).
    fn hops(&self, common: &Common) -> Vec<Hop>;
    /// What must already be in the cluster, beyond the namespace and the
    /// cache's pods, before it is applied.
    fn requires(&self, common: &Common) -> Vec<String>;
}

/// A method's module implements this on its validated exposure.
pub trait MethodKind: Exposed + Drawn + Sized {
    /// The registry's entry.
    const ABOUT: About;
    /// What the page shows.
    const PAGE: Page;
    /// What `apply` knows.
    const APPLY: Apply;
    /// Its fields checked; `None` when any is an error.
    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self>;
    /// Whether `object` (of one of the kinds in `ABOUT.lists`) exposes the
    /// cache through this method.
    fn exposes(object: &ClusterObject<'_>, common: &Common) -> bool;
}

/// Declares the registry: the [`Method`] enum, the [`Exposure`] enum and
/// the dispatch from one to the other's module — one row per method, in the
/// order the page and the docs list them.
macro_rules! methods {
    ($($variant:ident = $name:literal, $module:ident :: $ty:ident;)*) => {
        /// The external interface the cache is exposed through. Exactly one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Method {
            $(
                #[doc = concat!("`", $name, "`: see [`", stringify!($module), "`].")]
                $variant,
            )*
        }

        impl Method {
            /// Every method, in the order the page and the docs list them.
            pub const ALL: &[Method] = &[$(Method::$variant),*];

            /// The name in the spec's `method:` and in `--method`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Method::$variant => $name,)*
                }
            }

            /// The registry's entry. A match on consts: where a build reads
            /// one field (the JS API reads the title and the file), the rest
            /// folds away.
            pub fn about(self) -> &'static About {
                match self {
                    $(Method::$variant => &<$module::$ty as MethodKind>::ABOUT,)*
                }
            }

            /// What the page shows of it.
            pub fn page(self) -> &'static Page {
                // One static table: the page reads it in several places, and
                // a const would be laid out (its texts kept) once per place.
                static PAGE: &[Page] = &[$(<$module::$ty as MethodKind>::PAGE),*];
                &PAGE[self as usize]
            }

            /// What `apply` knows of it.
            pub fn apply(self) -> &'static Apply {
                static APPLY: &[Apply] = &[$(<$module::$ty as MethodKind>::APPLY),*];
                &APPLY[self as usize]
            }

            /// Its fields checked; `None` when any is an error.
            pub fn validate(self, spec: &Spec, f: &mut Vec<Finding>) -> Option<Exposure> {
                match self {
                    $(Method::$variant => <$module::$ty as MethodKind>::validate(spec, f).map(Exposure::$variant),)*
                }
            }

            /// Whether `object` exposes the cache through this method.
            pub fn exposes(self, object: &ClusterObject<'_>, common: &Common) -> bool {
                match self {
                    $(Method::$variant => <$module::$ty as MethodKind>::exposes(object, common),)*
                }
            }
        }

        /// The one external interface, with the fields that belong to it.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Exposure {
            $(
                #[doc = concat!("Through [`", stringify!($module), "`].")]
                $variant($module::$ty),
            )*
        }

        impl Exposure {
            /// Its method.
            pub fn method(&self) -> Method {
                match self {
                    $(Exposure::$variant(_) => Method::$variant,)*
                }
            }

            /// What the rest of the core asks of it.
            pub fn get(&self) -> &dyn Exposed {
                match self {
                    $(Exposure::$variant(e) => e,)*
                }
            }

            /// The hops of the path between the client and the cache's pods.
            pub fn hops(&self, common: &Common) -> Vec<Hop> {
                match self {
                    $(Exposure::$variant(e) => e.hops(common),)*
                }
            }

            /// What must already be in the cluster before it is applied.
            pub fn requires(&self, common: &Common) -> Vec<String> {
                match self {
                    $(Exposure::$variant(e) => e.requires(common),)*
                }
            }
        }
    };
}

methods! {
    Nodeport = "nodeport", nodeport::NodePort;
    Loadbalancer = "loadbalancer", loadbalancer::LoadBalancer;
    Gateway = "gateway", gateway::GatewayRoute;
    Traefik = "traefik", traefik::RouteTcp;
    Openshift = "openshift", openshift::Route;
    Istio = "istio", istio::IstioRoute;
    Ingress = "ingress", ingress::IngressNginx;
}

/// The method a spec that sets only the shared `externalFqdn` means: the
/// one it meant before the other passthrough methods existed.
pub const EXTERNAL_FQDN_ALONE: Method = Method::Ingress;

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Method::ALL
            .iter()
            .copied()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown method `{s}`: use {}", names()))
    }
}

/// Every method's name, comma-separated, in registry order.
pub fn names() -> String {
    Method::ALL
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The methods that own `field` (none for a shared field).
pub fn owners(field: SpecField) -> impl Iterator<Item = Method> {
    Method::ALL
        .iter()
        .copied()
        .filter(move |m| m.about().fields.contains(&field))
}

/// Every kind some method lists, each once.
pub fn listed_kinds() -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    for m in Method::ALL {
        for l in m.apply().lists {
            if !out.iter().any(|o| o.kind == l.kind && o.group == l.group) {
                out.push(*l);
            }
        }
    }
    out
}

/// The external FQDN of a passthrough method, which routes by SNI and so
/// needs a DNS name: the finding `missing_code` (saying `who` needs it) when
/// it is absent, the name checks otherwise.
pub(crate) fn external_name(
    spec: &Spec,
    missing_code: Code,
    who: &str,
    f: &mut Vec<Finding>,
) -> Option<Fqdn> {
    let Some(input) = spec.external_fqdn.as_deref() else {
        f.push(Finding::error(
            missing_code,
            SpecField::ExternalFqdn,
            format!("{who} needs the cache's external FQDN"),
            "set externalFqdn to the name clients use, a SAN of the cache certificate, such as cache.example.com",
        ));
        return None;
    };
    let c = crate::fqdn::check_host(input, SpecField::ExternalFqdn.key(), HostRole::IngressHost);
    f.extend(c.findings);
    match c.host {
        Some(Host::Name(n)) => Some(n),
        _ => None,
    }
}

/// The items of the JSON array at `v` (none when it is not an array).
pub(crate) fn items(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// A NodePort or LoadBalancer Service of `type_` whose selector picks the
/// cache's pods (every pair of its selector is in the spec's).
pub(crate) fn external_service(o: &ClusterObject<'_>, common: &Common, type_: &str) -> bool {
    let data = o.data;
    let selects_cache = data["spec"]["selector"].as_object().is_some_and(|sel| {
        !sel.is_empty()
            && sel.iter().all(|(k, v)| {
                v.as_str()
                    .is_some_and(|v| common.selector.get(k).map(String::as_str) == Some(v))
            })
    });
    o.kind == "Service" && data["spec"]["type"].as_str() == Some(type_) && selects_cache
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate;

    /// (spec, codes that must appear, codes that must not, reason)
    #[rustfmt::skip]
    const CASES: &[(&str, &[&str], &[&str], &str)] = &[
        ("method: loadbalancer\nexternalFqdn: cache.example.com\n", &["loadbalancer.provider_needed"], &["fqdn.ip_address"], "a name and no address: fine, the provider assigns one"),
        ("method: loadbalancer\nexternalFqdn: 192.0.2.50\n", &[], &["fqdn.ip_not_allowed", "loadbalancer.host_missing"], "the address itself is a valid endpoint for a LoadBalancer"),
        ("method: loadbalancer\n", &["loadbalancer.host_missing"], &[], "clients need a name or an address"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\nloadBalancerIp: 300.1.1.1\n", &["loadbalancer.address_invalid"], &[], "not an IP"),
        ("method: loadbalancer\nexternalFqdn: 192.0.2.1\nloadBalancerIp: 192.0.2.2\n", &["loadbalancer.address_mismatch"], &[], "clients would use another address than the Service asks for"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\nlegacyLoadBalancerIp: true\n", &["loadbalancer.legacy_ip_without_address", "loadbalancer.ip_field_deprecated"], &[], "the deprecated field needs an address"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\nexternalTrafficPolicy: local\n", &["loadbalancer.traffic_policy_invalid"], &[], "the API server's values are case-sensitive"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\nexternalTrafficPolicy: Local\n", &["loadbalancer.local_traffic"], &[], "Local drops traffic on nodes without a pod"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\nloadBalancerClass: 'bad class'\n", &["loadbalancer.class_invalid"], &[], "a class is a qualified name"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: cilium\n", &["gateway.controller_needed"], &[], "create a Gateway of a class"),
        ("method: gateway\nexternalFqdn: 192.0.2.5\ngatewayClassName: cilium\n", &["gateway.ip_hostname"], &[], "TLSRoute hostnames cannot be addresses"),
        ("method: gateway\nexternalFqdn: cache.example.com\n", &["gateway.parent_missing"], &[], "a route needs a parent"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: a\ngatewayName: b\n", &["gateway.create_or_attach"], &[], "create or attach, not both"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: a\nlistenerName: tls\n", &["gateway.field_needs_existing"], &[], "a listener of a Gateway msr-expose creates is its own"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayName: shared\ngatewayNamespace: infra\n", &["gateway.allowed_routes", "gateway.listener_requirements"], &[], "another namespace: the listener must admit the route"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayName: shared\n", &["gateway.listener_requirements"], &["gateway.allowed_routes"], "same namespace: Same admits it"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: a\ngatewayApiVersion: v1beta1\n", &["gateway.api_version_invalid"], &[], "TLSRoute has no v1beta1"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: a\ngatewayApiVersion: v1alpha2\n", &["gateway.api_version_alpha"], &[], "older clusters"),
        ("method: traefik\nexternalFqdn: cache.example.com\n", &["traefik.entry_point_port"], &[], "websecure by default"),
        ("method: traefik\nexternalFqdn: cache.example.com\nentryPoints: []\n", &["traefik.entry_points_empty"], &[], "listens nowhere"),
        ("method: traefik\nexternalFqdn: cache.example.com\nentryPoints: ['web secure']\n", &["traefik.entry_point_invalid"], &[], "not a name"),
        ("method: traefik\nexternalFqdn: 192.0.2.5\n", &["fqdn.ip_not_allowed"], &[], "HostSNI needs a name"),
        ("method: traefik\nexternalFqdn: cache.example.com\ngatewayClassName: a\n", &["spec.foreign_field"], &[], "one interface: another method's field"),
        ("externalFqdn: cache.example.com\ngatewayClassName: cilium\n", &["gateway.controller_needed"], &["spec.method_missing"], "the method is inferred from its own field"),
        ("nodeFqdn: w1.example.com\nentryPoints: [websecure]\n", &["spec.one_interface"], &[], "fields of two methods, no method named"),
        ("method: nodeport\nnodeFqdn: w1.example.com\nloadBalancerIp: 192.0.2.1\n", &["spec.foreign_field"], &[], "a LoadBalancer field on NodePort"),
        ("method: openshift\nexternalFqdn: cache.apps.example.com\n", &["openshift.router_passthrough"], &[], "a Route: the router passes TLS through"),
        ("method: openshift\nexternalFqdn: cache\n", &["openshift.host_one_label"], &[], "the router admits only hosts of two labels or more"),
        ("method: openshift\nexternalFqdn: 192.0.2.5\n", &["fqdn.ip_not_allowed"], &[], "a Route host is a name: the router matches SNI"),
        ("method: openshift\nexternalFqdn: cache.apps.example.com\ninsecureEdgeTerminationPolicy: Allow\n", &["openshift.insecure_policy_invalid"], &[], "passthrough allows only None or Redirect"),
        ("method: openshift\nexternalFqdn: cache.apps.example.com\ninsecureEdgeTerminationPolicy: Redirect\n", &["openshift.insecure_redirect"], &["openshift.insecure_policy_invalid"], "Redirect is allowed, and said"),
        ("method: openshift\n", &["openshift.external_fqdn_missing"], &[], "a Route needs its host"),
        ("insecureEdgeTerminationPolicy: None\nexternalFqdn: cache.apps.example.com\n", &["openshift.router_passthrough"], &["spec.one_interface"], "the method is inferred from an OpenShift field"),
        ("method: istio\nexternalFqdn: cache.example.com\n", &["istio.ingress_gateway"], &[], "a Gateway for the default ingress gateway"),
        ("method: istio\nexternalFqdn: cache.example.com\nistioGateway: istio-system/shared\n", &["istio.existing_gateway"], &["istio.ingress_gateway"], "attach to an existing Istio Gateway"),
        ("method: istio\nexternalFqdn: cache.example.com\nistioGateway: istio-system/shared\nistioSelector: { istio: ingressgateway }\n", &["istio.create_or_attach"], &[], "create or attach, not both"),
        ("method: istio\nexternalFqdn: cache.example.com\nistioGateway: 'a/b/c'\n", &["istio.gateway_invalid"], &[], "namespace/name at most"),
        ("method: istio\nexternalFqdn: cache.example.com\nistioSelector: {}\n", &["istio.selector_empty"], &[], "an empty selector picks every gateway pod in the mesh"),
        ("method: istio\nexternalFqdn: '*.example.com'\n", &["fqdn.wildcard"], &[], "the cache has one name"),
        ("method: istio\nnodeFqdn: w1.example.com\nexternalFqdn: cache.example.com\n", &["spec.foreign_field"], &[], "a NodePort field on Istio"),
    ];

    #[test]
    fn method_findings_table() {
        let mut failures = Vec::new();
        for (yaml, must, must_not, why) in CASES {
            let spec = match Spec::from_text(yaml) {
                Ok(s) => s,
                Err(f) => {
                    failures.push(format!("{why}: spec did not parse: {f}"));
                    continue;
                }
            };
            let (valid, findings) = validate(&spec);
            let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
            let missing: Vec<&&str> = must.iter().filter(|c| !codes.contains(c)).collect();
            let present: Vec<&&str> = must_not.iter().filter(|c| codes.contains(c)).collect();
            if !missing.is_empty() || !present.is_empty() {
                failures.push(format!(
                    "{why}: missing {missing:?}, unexpected {present:?}; got {codes:?}"
                ));
            }
            let errors = findings.iter().any(|f| f.is_error());
            if valid.is_some() == errors {
                failures.push(format!(
                    "{why}: valid spec returned despite errors, or withheld without"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// (spec, the hops' titles between client and pods, the last requirement,
    /// reason): what the page draws and lists comes from the method.
    #[rustfmt::skip]
    const DRAWN: &[(&str, &[&str], &str, &str)] = &[
        ("method: nodeport\nnodeFqdn: 2001:db8::10\n", &["worker node", "Service msr-cache"], "a worker node clients reach at the node FQDN, with the node port open in the firewalls between", "NodePort: the node, then the Service itself"),
        ("method: loadbalancer\nexternalFqdn: 192.0.2.9\n", &["load balancer", "Service msr-cache"], "a load-balancer provider (a cloud controller, MetalLB with an address pool, kube-vip)", "an address needs no DNS hop"),
        ("method: loadbalancer\nexternalFqdn: cache.example.com\n", &["DNS", "load balancer", "Service msr-cache"], "a load-balancer provider (a cloud controller, MetalLB with an address pool, kube-vip)", "a name is looked up first"),
        ("method: gateway\nexternalFqdn: cache.example.com\ngatewayName: shared\ngatewayNamespace: infra\n", &["DNS", "Gateway shared", "TLSRoute msr-cache", "Service msr-cache"], "the Gateway infra/shared, with a TLS listener in Passthrough mode that admits TLSRoutes from msr", "an existing Gateway in another namespace"),
        ("method: traefik\nexternalFqdn: cache.example.com\n", &["DNS", "Traefik", "Service msr-cache"], "Traefik, with its IngressRouteTCP kind (traefik.io) installed", "Traefik routes to the ClusterIP Service"),
        ("method: openshift\nexternalFqdn: cache.apps.example.com\n", &["DNS", "OpenShift router", "Route msr-cache", "Service msr-cache"], "OpenShift's router (route.openshift.io/v1 Routes), which passes TLS through by SNI", "the router, then the Route"),
        ("method: istio\nexternalFqdn: cache.example.com\nistioGateway: istio-system/shared\n", &["DNS", "Istio ingress gateway", "VirtualService msr-cache", "Service msr-cache"], "the Istio Gateway istio-system/shared, with a TLS PASSTHROUGH server on 443 for this host", "an existing Istio Gateway"),
        ("method: ingress\nexternalFqdn: cache.example.com\ningressClassName: nginx-internal\n", &["DNS", "ingress controller", "Service msr-cache"], "the ingress controller of class nginx-internal, running with --enable-ssl-passthrough", "the class typed"),
    ];

    #[test]
    fn what_the_page_draws_comes_from_the_method() {
        for (yaml, titles, last, why) in DRAWN {
            let spec = Spec::from_text(yaml).expect("spec");
            let v = validate(&spec).0.unwrap_or_else(|| panic!("{why}: valid"));
            let got: Vec<String> = v
                .exposure
                .hops(&v.common)
                .into_iter()
                .map(|h| h.title)
                .collect();
            assert_eq!(got, *titles, "{why}");
            let req = v.exposure.requires(&v.common);
            assert_eq!(req.last().map(String::as_str), Some(*last), "{why}");
        }
    }

    /// Every method's entry is complete: a file, a form with its host field,
    /// owned fields that are spec fields of no shared kind, a kind to list.
    #[test]
    fn every_method_is_fully_registered() {
        for m in Method::ALL {
            let (a, page) = (m.about(), m.page());
            assert!(a.file.ends_with(".yaml"), "{m}: file");
            assert!(
                page.form.iter().any(|f| f.field == a.host.0),
                "{m}: the form asks for the host"
            );
            for f in page.form {
                assert!(
                    a.fields.contains(&f.field),
                    "{m}: form field {} is not one of its own",
                    f.field
                );
            }
            assert!(!m.apply().lists.is_empty(), "{m}: lists no kind");
            assert_eq!(m.name().parse::<Method>(), Ok(*m));
        }
    }
}
