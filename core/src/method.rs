//! The exposure methods, one module each. A method owns its spec fields and
//! their checks (`validate`), its objects (`manifest`), its steps between
//! "apply" and the MSR registration (`steps`) and its endpoint. Everything
//! else — validation of the common fields, serialization, the shared steps,
//! the page's method picker, `apply` — goes through the few functions here,
//! so that adding a method is one module and one arm in each of them.
//! NodePort and ingress-nginx predate the split and keep their code in
//! `validate`, `manifest` and `steps`; they are dispatched from here too.

pub mod gateway;
pub mod loadbalancer;
pub mod traefik;

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::shell::{ShellError, Word};
use crate::spec::{Method, Spec};
use crate::steps::{Step, StepContext};
use crate::validate::{Exposure, ValidSpec};

/// What the page and the docs say about a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// The method.
    pub method: Method,
    /// Its name in a sentence ("a LoadBalancer Service").
    pub title: &'static str,
    /// What clients connect to and where TLS ends.
    pub summary: &'static str,
    /// The manifest file name.
    pub file: &'static str,
}

/// Every method, in `Method::ALL` order.
pub const ABOUT: [About; 5] = [
    About {
        method: Method::Nodeport,
        title: "a NodePort Service",
        summary: "clients connect to https://<worker node>:<node port>; TLS ends at the cache",
        file: crate::manifest::SERVICE_FILE,
    },
    About {
        method: Method::Loadbalancer,
        title: "a LoadBalancer Service",
        summary: "clients connect to https://<external FQDN or address>; the load balancer forwards TCP, TLS ends at the cache",
        file: loadbalancer::FILE,
    },
    About {
        method: Method::Gateway,
        title: "a Gateway API TLSRoute (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; the Gateway routes by SNI and passes TLS through to the cache",
        file: gateway::FILE,
    },
    About {
        method: Method::Traefik,
        title: "a Traefik IngressRouteTCP (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; Traefik routes by SNI and passes TLS through to the cache",
        file: traefik::FILE,
    },
    About {
        method: Method::Ingress,
        title: "an ingress-nginx Ingress (ssl-passthrough)",
        summary: "clients connect to https://<external FQDN>; ingress-nginx passes TLS through to the cache (retired in March 2026)",
        file: crate::manifest::INGRESS_FILE,
    },
];

/// What the page and the docs say about `m`.
pub fn about(m: Method) -> &'static About {
    ABOUT.iter().find(|a| a.method == m).unwrap_or(&ABOUT[0])
}

/// The external FQDN of a passthrough method, which routes by SNI and so
/// needs a DNS name: the finding `missing_code` (saying `who` needs it) when
/// it is absent, the name checks otherwise.
pub(crate) fn external_name(
    spec: &Spec,
    missing_code: Code,
    who: &str,
    f: &mut Vec<Finding>,
) -> Option<crate::fqdn::Fqdn> {
    let Some(input) = spec.external_fqdn.as_deref() else {
        f.push(Finding::error(
            missing_code,
            SpecField::ExternalFqdn,
            format!("{who} needs the cache's external FQDN"),
            "set externalFqdn to the name clients use, a SAN of the cache certificate, such as cache.example.com",
        ));
        return None;
    };
    let c = crate::fqdn::check_host(
        input,
        SpecField::ExternalFqdn.key(),
        crate::fqdn::HostRole::IngressHost,
    );
    f.extend(c.findings);
    match c.host {
        Some(crate::fqdn::Host::Name(n)) => Some(n),
        _ => None,
    }
}

/// The method's own fields, checked; `None` when any is an error.
pub fn validate(m: Method, spec: &Spec, f: &mut Vec<Finding>) -> Option<Exposure> {
    match m {
        Method::Nodeport => crate::validate::nodeport(spec, f),
        Method::Ingress => crate::validate::ingress(spec, f),
        Method::Loadbalancer => loadbalancer::validate(spec, f).map(Exposure::LoadBalancer),
        Method::Gateway => gateway::validate(spec, f).map(Exposure::Gateway),
        Method::Traefik => traefik::validate(spec, f).map(Exposure::Traefik),
    }
}

/// The objects of a method that has its own module.
pub fn manifest(spec: &ValidSpec) -> Option<Manifest> {
    match &spec.exposure {
        Exposure::LoadBalancer(lb) => Some(Manifest::Service(loadbalancer::service(spec, lb))),
        Exposure::Gateway(g) => Some(Manifest::Custom(gateway::objects(spec, g))),
        Exposure::Traefik(t) => Some(Manifest::Custom(vec![traefik::route(spec, t)])),
        Exposure::NodePort { .. } | Exposure::Ingress { .. } => None,
    }
}

/// The endpoint URL of a method that has its own module.
pub fn endpoint(spec: &ValidSpec) -> Option<Word> {
    match &spec.exposure {
        Exposure::LoadBalancer(lb) => Some(loadbalancer::endpoint(spec, lb)),
        Exposure::Gateway(g) => Some(Word::lit(format!("https://{}", g.host))),
        Exposure::Traefik(t) => Some(Word::lit(format!("https://{}", t.host))),
        Exposure::NodePort { .. } | Exposure::Ingress { .. } => None,
    }
}

/// The steps of a method that has its own module, apply included.
pub fn steps(cx: &StepContext<'_>) -> Option<Result<Vec<Step>, ShellError>> {
    match &cx.spec.exposure {
        Exposure::LoadBalancer(lb) => Some(loadbalancer::steps(cx, lb)),
        Exposure::Gateway(g) => Some(gateway::steps(cx, g)),
        Exposure::Traefik(t) => Some(traefik::steps(cx, t)),
        Exposure::NodePort { .. } | Exposure::Ingress { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::spec::Spec;
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

    #[test]
    fn every_method_has_an_about_entry() {
        for m in crate::spec::Method::ALL {
            assert_eq!(super::about(m).method, m);
        }
    }
}
