//! The registry of exposure methods. Each method is one module below this
//! one and owns everything about itself: its fields and their findings
//! (`validate`), its objects, its steps, its endpoint, which objects already
//! in the cluster count as "another exposure" of the cache, what the page
//! shows for it (`Page`) and what `apply` lists and waits for (`Apply`). The
//! shared building blocks sit below the methods (`common`, `object`, `step`,
//! `fqdn`, and `kind`: the traits a method implements); above them,
//! `validate`, `steps`, `exposures`, the page and the CLI only iterate the
//! registry. Adding a method is one module and one row of the list in
//! `registry`.

pub mod gateway;
pub mod ingress;
pub mod istio;
pub mod kind;
pub mod loadbalancer;
pub mod nodeport;
pub mod openshift;
pub mod traefik;

pub use crate::registry::{Method, names};
pub use kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Input, Listed, MethodKind, Page,
    SERVICES,
};

use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::spec::Spec;

/// Declares the registry from `registry`'s one list: the [`Exposure`]
/// enum and the dispatch from a [`Method`] to its module.
macro_rules! registry {
    ($($variant:ident = $name:literal, $module:ident :: $ty:ident;)*) => {
        impl Method {
            /// The registry's entry: one static table, read by every build
            /// (a const read in several places is laid out, its texts kept,
            /// once per place).
            pub fn about(self) -> &'static About {
                static ABOUT: &[About] = &[$(<$module::$ty as MethodKind>::ABOUT),*];
                &ABOUT[self as usize]
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

crate::registry::methods!(registry);

/// The method a spec that sets only the shared `externalFqdn` means: the
/// one it meant before the other passthrough methods existed.
pub const EXTERNAL_FQDN_ALONE: Method = Method::Ingress;

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

/// The method-owned fields a spec sets, in declaration order.
pub fn set_fields(spec: &Spec) -> Vec<SpecField> {
    SpecField::ALL
        .iter()
        .copied()
        .filter(|f| owners(*f).next().is_some() && spec.is_set(*f))
        .collect()
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
