//! A `type: LoadBalancer` Service: a cloud load balancer or MetalLB gives the
//! cache an external address and forwards TCP to it, so TLS ends at the cache.
//! Clients use the external FQDN (a DNS record to the address) or the address
//! itself (then the certificate needs an IP SAN).

use super::kind::{About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, MethodKind, Page};
use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Host, HostRole, check_host};
use crate::k8s_names::check_label_key;
use crate::object::Object;
use crate::shell::ShellError;
use crate::spec::Spec;
use crate::step::{Step, StepBuilder, StepContext};
use k8s_openapi::api::core::v1::ServiceSpec;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The manifest file name.
pub const FILE: &str = "msrcacheloadbalancer.yaml";
/// MetalLB's annotation for a fixed address (`spec.loadBalancerIP` is deprecated).
pub const METALLB_IPS: &str = "metallb.io/loadBalancerIPs";
/// Shell variable holding the load balancer's address.
pub const ADDRESS_VAR: &str = "LB_ADDRESS";

/// A validated LoadBalancer exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancer {
    /// What clients connect to: the external FQDN or the address itself.
    pub host: Host,
    /// A fixed address, when asked for.
    pub address: Option<IpAddr>,
    /// Also set the deprecated `spec.loadBalancerIP`.
    pub legacy_ip_field: bool,
    /// `spec.loadBalancerClass`.
    pub class: Option<String>,
    /// `spec.externalTrafficPolicy` (`Cluster` or `Local`), when set.
    pub traffic_policy: Option<String>,
}

impl MethodKind for LoadBalancer {
    const ABOUT: About = About {
        title: "a LoadBalancer Service",
        summary: "clients connect to https://<external FQDN or address>; the load balancer forwards TCP, TLS ends at the cache",
        file: FILE,
        // The endpoint may be the address itself.
        host: (SpecField::ExternalFqdn, HostRole::Node),
        fields: &[
            SpecField::ExternalFqdn,
            SpecField::LoadBalancerIp,
            SpecField::LegacyLoadBalancerIp,
            SpecField::LoadBalancerClass,
            SpecField::ExternalTrafficPolicy,
        ],
        routes_to_service: false,
    };
    const PAGE: Page = Page {
        label: "LoadBalancer Service",
        when: "Clients reach https://<external-fqdn or address> on a load balancer's address (cloud, MetalLB). Pick it when the cluster has a load-balancer provider; TLS still ends at the cache.",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN or address",
                "The name clients use (a DNS record points it at the load balancer), or the address itself (the certificate then needs an IP SAN).",
                "cache.example.com",
            ),
            FormField::text(
                SpecField::LoadBalancerIp,
                "Fixed address (optional)",
                "An address from the provider's pool (MetalLB's metallb.io/loadBalancerIPs); empty: assigned.",
                "assigned",
            ),
            FormField::text(
                SpecField::LoadBalancerClass,
                "Load balancer class (optional)",
                "spec.loadBalancerClass, to pick one of several providers.",
                "default provider",
            ),
            FormField::text(
                SpecField::ExternalTrafficPolicy,
                "External traffic policy (optional)",
                "Cluster (default) or Local (keeps client addresses; nodes without a cache pod drop traffic).",
                "Cluster",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[super::kind::SERVICES],
        waits_for: "the load balancer's address",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        validate(spec, f)
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        super::kind::external_service(o, common, "LoadBalancer")
    }
}

impl Exposed for LoadBalancer {
    fn host(&self) -> Host {
        self.host.clone()
    }

    fn client_port(&self, common: &Common) -> Result<Option<u16>, Finding> {
        Ok(Some(common.port).filter(|p| *p != 443))
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        vec![service(common, self)]
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        steps(cx, self)
    }
}

impl Drawn for LoadBalancer {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        let port = format!(":{}", common.port);
        let mut out = Vec::new();
        if let Host::Name(n) = &self.host {
            out.push(Hop::dns(n));
        }
        out.push(Hop::new(
            "load balancer",
            [
                self.address
                    .map_or_else(|| "the provider's address".into(), |a| a.to_string()),
                port.clone(),
            ],
        ));
        out.push(Hop::new(
            format!("Service {}", common.name),
            ["type LoadBalancer".into(), port],
        ));
        out
    }

    fn requires(&self, _common: &Common) -> Vec<String> {
        vec![
            "a load-balancer provider (a cloud controller, MetalLB with an address pool, kube-vip)"
                .into(),
        ]
    }
}

/// Checks the LoadBalancer fields.
pub fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<LoadBalancer> {
    let host = match spec.external_fqdn.as_deref() {
        None => {
            f.push(Finding::error(
                Code::LoadbalancerHostMissing,
                SpecField::ExternalFqdn,
                "a LoadBalancer exposure needs the name (or address) clients use",
                "set externalFqdn to the FQDN a DNS record points at the load balancer's address, such as cache.example.com, or to the fixed address itself (the certificate then needs an IP SAN)",
            ));
            None
        }
        Some(input) => {
            let c = check_host(input, SpecField::ExternalFqdn.key(), HostRole::Node);
            f.extend(
                c.findings
                    .into_iter()
                    .filter(|x| x.code != Code::FqdnIpAddress),
            );
            c.host
        }
    };
    let address = match spec.load_balancer_ip.as_deref().map(str::trim) {
        None => None,
        Some(text) => match text.parse::<IpAddr>() {
            Ok(ip) => Some(ip),
            Err(_) => {
                f.push(Finding::error(
                    Code::LoadbalancerAddressInvalid,
                    SpecField::LoadBalancerIp,
                    format!("`{}` is not an IP address", text.escape_debug()),
                    "give one address from your load balancer's pool, such as 192.0.2.50, or leave loadBalancerIp out to get one assigned",
                ));
                return None;
            }
        },
    };
    if let (Some(Host::Ip(h)), Some(a)) = (&host, address)
        && *h != a
    {
        f.push(Finding::error(
            Code::LoadbalancerAddressMismatch,
            SpecField::LoadBalancerIp,
            format!("clients would connect to {h}, but the Service asks for the address {a}"),
            "use the same address in externalFqdn and loadBalancerIp, or a DNS name in externalFqdn",
        ));
    }
    let legacy_ip_field = spec.legacy_load_balancer_ip.unwrap_or(false);
    if legacy_ip_field {
        if address.is_none() {
            f.push(Finding::error(
                Code::LoadbalancerLegacyIpWithoutAddress,
                SpecField::LegacyLoadBalancerIp,
                "legacyLoadBalancerIp is set but no loadBalancerIp is given",
                "set loadBalancerIp to the address, or drop legacyLoadBalancerIp",
            ));
        }
        f.push(Finding::warning(
            Code::LoadbalancerIpFieldDeprecated,
            SpecField::LegacyLoadBalancerIp,
            "spec.loadBalancerIP is deprecated since Kubernetes 1.24 and ignored by some providers",
            "keep it only for a provider that reads nothing else; MetalLB reads the metallb.io/loadBalancerIPs annotation, which is always emitted with loadBalancerIp",
        ));
    }
    let class = spec.load_balancer_class.clone();
    if let Some(c) = &class
        && let Some(x) = check_label_key(c, SpecField::LoadBalancerClass.key())
    {
        f.push(Finding {
            code: Code::LoadbalancerClassInvalid,
            ..x
        });
    }
    let traffic_policy = spec.external_traffic_policy.clone();
    match traffic_policy.as_deref() {
        None | Some("Cluster") => {}
        Some("Local") => f.push(Finding::warning(
            Code::LoadbalancerLocalTraffic,
            SpecField::ExternalTrafficPolicy,
            "with externalTrafficPolicy Local, nodes without a cache pod drop the load balancer's traffic, and Kubernetes allocates a health-check node port",
            "keep Local only to preserve client addresses and when the provider health-checks nodes (cloud load balancers, MetalLB in BGP mode); otherwise use Cluster",
        )),
        Some(other) => f.push(Finding::error(
            Code::LoadbalancerTrafficPolicyInvalid,
            SpecField::ExternalTrafficPolicy,
            format!("`{}` is not an externalTrafficPolicy", other.escape_debug()),
            "use Cluster (the default) or Local",
        )),
    }
    f.push(Finding::info(
        Code::LoadbalancerProviderNeeded,
        SpecField::Method,
        "a LoadBalancer Service gets an address only from a load-balancer provider (a cloud controller, MetalLB, kube-vip)",
        "without one, EXTERNAL-IP stays <pending>: check with kubectl -n <namespace> get service, and install or configure the provider",
    ));
    if f.iter().any(Finding::is_error) {
        return None;
    }
    Some(LoadBalancer {
        host: host?,
        address,
        legacy_ip_field,
        class,
        traffic_policy,
    })
}

/// The Service.
pub fn service(spec: &Common, lb: &LoadBalancer) -> Object {
    let annotations: BTreeMap<String, String> = lb
        .address
        .map(|a| (METALLB_IPS.to_string(), a.to_string()))
        .into_iter()
        .collect();
    let extra = ServiceSpec {
        load_balancer_class: lb.class.clone(),
        load_balancer_ip: lb
            .address
            .filter(|_| lb.legacy_ip_field)
            .map(|a| a.to_string()),
        external_traffic_policy: lb.traffic_policy.clone(),
        ..ServiceSpec::default()
    };
    crate::object::service(spec, "LoadBalancer", None, annotations, extra)
}

/// Apply, wait for the address, DNS, test, in order.
pub fn steps(cx: &StepContext<'_>, lb: &LoadBalancer) -> Result<Vec<Step>, ShellError> {
    let (ns, name) = (cx.spec.namespace.as_str(), cx.spec.name.as_str());
    let mut out = vec![cx.apply().build()?];
    out.push(
        StepBuilder::new(
            "Wait for the load balancer's address",
            format!(
                "The provider assigns the address; keep it in {ADDRESS_VAR}. Empty output (EXTERNAL-IP <pending> in kubectl get service) means no load-balancer provider has picked the Service up."
            ),
        )
        .cmd([
            "kubectl",
            "-n",
            ns,
            "get",
            "service",
            name,
            "-o",
            "jsonpath={.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}",
        ])
        .sets(ADDRESS_VAR)
        .expect(match lb.address {
            Some(a) => a.to_string(),
            None => "the load balancer's address, such as 192.0.2.50".into(),
        })
        .build()?,
    );
    if let Host::Name(host) = &lb.host {
        out.push(cx.dns_record(host.as_str(), ADDRESS_VAR, "load balancer")?);
        out.push(cx.curl_resolve(
            (host.as_str(), cx.spec.port),
            ADDRESS_VAR,
            "Test the endpoint before DNS exists",
            format!("The same test, sending {host} to the load balancer's address without DNS."),
        )?);
    }
    out.push(cx.curl(
        "Test the endpoint",
        format!(
            "Ask the cache for its catalog through the load balancer, trusting only {}; the load balancer forwards TCP, so the certificate seen is the cache's own{}.",
            cx.spec.ca_file,
            match &lb.host {
                Host::Ip(ip) => format!(" and must carry the IP SAN {ip}"),
                Host::Name(_) => String::new(),
            }
        ),
    )?);
    Ok(out)
}
