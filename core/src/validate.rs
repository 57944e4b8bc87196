//! From a [`Spec`] as typed to a [`ValidSpec`] that carries proof: every field
//! checked, every problem a finding, and the vendor page's traps (non-root
//! path under ssl-passthrough, `secure-backends`) caught instead of copied.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::{Finding, has_errors};
use crate::fqdn::{Fqdn, Host, HostRole, check_host};
use crate::k8s_names::{NameRule, check_label_key, check_label_value, check_name};
use crate::spec::{
    DEFAULT_INGRESS_CLASS, DEFAULT_NODE_PORT_RANGE, DEFAULT_PATH, METHOD_FIELDS, Method, Spec,
};
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// A spec that passed validation: every value is usable as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSpec {
    /// Namespace (RFC 1123 label).
    pub namespace: String,
    /// Service and Ingress name (RFC 1035 label).
    pub name: String,
    /// Pod selector (valid label keys and values, not empty).
    pub selector: BTreeMap<String, String>,
    /// Service port.
    pub port: u16,
    /// Container port.
    pub target_port: u16,
    /// CA file name for the curl steps.
    pub ca_file: String,
    /// The one external interface.
    pub exposure: Exposure,
}

/// The one external interface, with the fields that belong to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// A NodePort Service.
    NodePort {
        /// The worker node clients connect to.
        node: Host,
        /// A pinned node port; `None` lets the API server allocate one.
        node_port: Option<u16>,
    },
    /// An Ingress with TLS passthrough.
    Ingress {
        /// The external FQDN.
        host: Fqdn,
        /// The ingress class.
        class: String,
        /// The path (normally `/`).
        path: String,
        /// Also emit the legacy `secure-backends` annotation.
        legacy_secure_backends: bool,
    },
    /// A LoadBalancer Service.
    LoadBalancer(crate::method::loadbalancer::LoadBalancer),
    /// A Gateway API TLSRoute (and the Gateway, when msr-expose creates it).
    Gateway(crate::method::gateway::GatewayRoute),
    /// A Traefik IngressRouteTCP.
    Traefik(crate::method::traefik::RouteTcp),
}

impl ValidSpec {
    /// Which method this is.
    pub fn method(&self) -> Method {
        Self::method_of(&self.exposure)
    }

    /// The method of an exposure.
    pub fn method_of(exposure: &Exposure) -> Method {
        match exposure {
            Exposure::NodePort { .. } => Method::Nodeport,
            Exposure::Ingress { .. } => Method::Ingress,
            Exposure::LoadBalancer(_) => Method::Loadbalancer,
            Exposure::Gateway(_) => Method::Gateway,
            Exposure::Traefik(_) => Method::Traefik,
        }
    }
}

/// Validates a spec: all findings, and the valid spec when none is an error.
pub fn validate(spec: &Spec) -> (Option<ValidSpec>, Vec<Finding>) {
    let mut f = Vec::new();

    if let Some(x) = check_name(
        &spec.namespace,
        NameRule::Rfc1123Label,
        SpecField::Namespace.key(),
    ) {
        f.push(x);
    }
    if let Some(x) = check_name(&spec.name, NameRule::Rfc1035Label, SpecField::Name.key()) {
        f.push(x);
    }
    check_selector(&spec.selector, &mut f);
    let port = check_port(spec.port, SpecField::Port.key(), &mut f);
    let target_port = check_port(spec.target_port, SpecField::TargetPort.key(), &mut f);
    check_ca_file(&spec.ca_file, &mut f);

    let method = resolve_method(spec, &mut f);
    let exposure = method.and_then(|m| crate::method::validate(m, spec, &mut f));

    let valid = match (exposure, port, target_port) {
        (Some(exposure), Some(port), Some(target_port)) if !has_errors(&f) => Some(ValidSpec {
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            selector: spec.selector.clone(),
            port,
            target_port,
            ca_file: spec.ca_file.clone(),
            exposure,
        }),
        _ => None,
    };
    (valid, f)
}

/// The host clients will connect to, when the spec names one that parses;
/// used to check a certificate while other fields still have errors.
pub fn expected_host(spec: &Spec) -> Option<Host> {
    let mut ignored = Vec::new();
    let method = resolve_method(spec, &mut ignored)?;
    let (input, role) = match method {
        Method::Nodeport => (spec.node_fqdn.as_deref()?, HostRole::Node),
        // A LoadBalancer endpoint may be the address itself.
        Method::Loadbalancer => (spec.external_fqdn.as_deref()?, HostRole::Node),
        Method::Ingress | Method::Gateway | Method::Traefik => {
            (spec.external_fqdn.as_deref()?, HostRole::IngressHost)
        }
    };
    check_host(input, "", role).host
}

/// The method named, or the one the set fields belong to; and a finding for
/// every field of another method.
fn resolve_method(spec: &Spec, f: &mut Vec<Finding>) -> Option<Method> {
    let set = spec.set_method_fields();
    let owners = |field: &str| {
        METHOD_FIELDS
            .iter()
            .find(|(n, _)| *n == field)
            .map(|(_, m)| *m)
            .unwrap_or_default()
    };
    let method = match spec.method {
        Some(m) => m,
        None => {
            // Methods that own every set field; the shared externalFqdn alone
            // means ingress, as before the other passthrough methods existed.
            let candidates: Vec<Method> = Method::ALL
                .into_iter()
                .filter(|m| set.iter().all(|field| owners(field).contains(m)))
                .collect();
            match (set.is_empty(), candidates.as_slice()) {
                (true, _) => {
                    f.push(Finding::error(
                        Code::SpecMethodMissing,
                        SpecField::Method,
                        "no exposure method is given",
                        format!(
                            "choose exactly one: {} (nodeport takes nodeFqdn, the others externalFqdn)",
                            Method::ALL.map(Method::name).join(", ")
                        ),
                    ));
                    return None;
                }
                (false, [one]) => *one,
                (false, many) if many.contains(&Method::Ingress) => Method::Ingress,
                _ => {
                    f.push(Finding::error(
                        Code::SpecOneInterface,
                        SpecField::Method,
                        format!(
                            "the fields set ({}) belong to different methods and no method is named",
                            set.join(", ")
                        ),
                        "expose the cache through exactly one interface, the one its certificate was made for: set `method` and remove the other methods' fields",
                    ));
                    return None;
                }
            }
        }
    };
    for field in set
        .into_iter()
        .filter(|field| !owners(field).contains(&method))
    {
        f.push(Finding::error(
            Code::SpecForeignField,
            field,
            format!("`{field}` belongs to another method, not to {method}"),
            format!(
                "remove `{field}`: the cache is exposed through exactly one interface, here {method}"
            ),
        ));
    }
    Some(method)
}

fn check_selector(selector: &BTreeMap<String, String>, f: &mut Vec<Finding>) {
    if selector.is_empty() {
        f.push(Finding::error(
            Code::SelectorEmpty,
            SpecField::Selector,
            "the selector is empty; the Service would select no pods",
            "select the cache pods, such as app: msr-cache",
        ));
    }
    for (k, v) in selector {
        f.extend(check_label_key(k, "selector"));
        f.extend(check_label_value(k, v, "selector"));
    }
}

fn check_port(value: i64, field: &str, f: &mut Vec<Finding>) -> Option<u16> {
    match u16::try_from(value) {
        Ok(p) if p > 0 => Some(p),
        _ => {
            f.push(Finding::error(
                Code::PortOutOfRange,
                field,
                format!("{value} is not a TCP port"),
                "use a port from 1 to 65535; the MSR cache listens on 443",
            ));
            None
        }
    }
}

fn check_ca_file(ca_file: &str, f: &mut Vec<Finding>) {
    if ca_file.trim().is_empty() || ca_file.chars().any(char::is_control) {
        f.push(Finding::error(
            Code::SpecCaFileInvalid,
            SpecField::CaFile,
            format!("`{}` is not a usable file name", ca_file.escape_debug()),
            "name the file holding the CA certificate clients trust, such as msr.cert.pem",
        ));
    }
}

pub(crate) fn nodeport(spec: &Spec, f: &mut Vec<Finding>) -> Option<Exposure> {
    let node = match spec.node_fqdn.as_deref() {
        None => {
            f.push(Finding::error(
                Code::NodeportNodeFqdnMissing,
                SpecField::NodeFqdn,
                "NodePort needs the worker node's FQDN",
                "set nodeFqdn to the worker node name that is a SAN of the cache certificate, such as worker1.example.com",
            ));
            None
        }
        Some(input) => {
            let c = check_host(input, SpecField::NodeFqdn.key(), HostRole::Node);
            f.extend(c.findings);
            c.host
        }
    };
    let range = match spec.node_port_range.as_deref() {
        None => Some(30000..=32767),
        Some(text) => {
            let r = parse_port_range(text);
            if r.is_none() {
                f.push(Finding::error(
                    Code::NodeportRangeInvalid,
                    SpecField::NodePortRange,
                    format!("`{text}` is not a port range"),
                    format!("write the API server's --service-node-port-range, such as {DEFAULT_NODE_PORT_RANGE}"),
                ));
            }
            r
        }
    };
    let node_port = match (spec.node_port, range) {
        (None, _) => None,
        (Some(p), Some(range)) => check_node_port(p, &range, f),
        (Some(_), None) => None,
    };
    let node = node?;
    Some(Exposure::NodePort { node, node_port })
}

fn check_node_port(p: i64, range: &RangeInclusive<u16>, f: &mut Vec<Finding>) -> Option<u16> {
    let (lo, hi) = (*range.start(), *range.end());
    let Some(port) = u16::try_from(p).ok().filter(|p| range.contains(p)) else {
        f.push(Finding::error(
            Code::NodeportOutOfRange,
            SpecField::NodePort,
            format!("nodePort {p} is outside the node port range {lo}-{hi}"),
            format!("pick a port from {lo} to {hi}, or leave nodePort out and let Kubernetes allocate one (set nodePortRange if your cluster uses another --service-node-port-range)"),
        ));
        return None;
    };
    let band = static_band(range);
    if !band.contains(&port) {
        f.push(Finding::info(
            Code::NodeportDynamicBand,
            SpecField::NodePort,
            format!(
                "nodePort {port} lies outside the static band {}-{}",
                band.start(),
                band.end()
            ),
            format!(
                "the API server allocates random ports above {} first, so a pinned port there may already be taken; one in {}-{} rarely collides",
                band.end(),
                band.start(),
                band.end()
            ),
        ));
    }
    Some(port)
}

/// The lower band of a node port range that random allocation avoids until
/// the rest is used up (KEP-3668): size `min(max(16, size/32), 128)`.
pub fn static_band(range: &RangeInclusive<u16>) -> RangeInclusive<u16> {
    let size = u32::from(*range.end()) - u32::from(*range.start()) + 1;
    let band = (size / 32).clamp(16, 128).min(size);
    let end = u32::from(*range.start()) + band - 1;
    *range.start()..=u16::try_from(end).unwrap_or(*range.end())
}

/// Parses `lo-hi` (as in `--service-node-port-range`).
pub fn parse_port_range(text: &str) -> Option<RangeInclusive<u16>> {
    let (lo, hi) = text.trim().split_once('-')?;
    let lo: u16 = lo.trim().parse().ok()?;
    let hi: u16 = hi.trim().parse().ok()?;
    (lo > 0 && lo <= hi).then_some(lo..=hi)
}

pub(crate) fn ingress(spec: &Spec, f: &mut Vec<Finding>) -> Option<Exposure> {
    let host = crate::method::external_name(spec, Code::IngressExternalFqdnMissing, "Ingress", f);

    let class = spec
        .ingress_class_name
        .clone()
        .unwrap_or_else(|| DEFAULT_INGRESS_CLASS.to_string());
    if let Some(x) = check_name(
        &class,
        NameRule::DnsSubdomain,
        SpecField::IngressClassName.key(),
    ) {
        f.push(x);
    } else if class != DEFAULT_INGRESS_CLASS {
        f.push(Finding::warning(
            Code::IngressClassNotNginx,
            SpecField::IngressClassName,
            format!("ingress class `{class}` may not be ingress-nginx; the ssl-passthrough annotation is an ingress-nginx annotation"),
            "make sure this controller passes TLS through to the cache untouched (for example Traefik's IngressRouteTCP with tls.passthrough, or HAProxy's ssl-passthrough annotation); otherwise the controller terminates TLS with its own certificate",
        ));
    }

    let path = spec
        .path
        .clone()
        .unwrap_or_else(|| DEFAULT_PATH.to_string());
    if !path.starts_with('/') {
        f.push(Finding::error(
            Code::IngressPathNotAbsolute,
            SpecField::Path,
            format!("path `{path}` does not start with /"),
            "use / (the only path honoured under ssl-passthrough)",
        ));
    } else if let Some(c) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.')))
    {
        f.push(Finding::error(
            Code::IngressPathInvalid,
            SpecField::Path,
            format!("path `{}` contains {c:?}", path.escape_debug()),
            "use / ; ingress-nginx accepts only letters, digits, '/', '-', '_' and '.' in a Prefix path",
        ));
    } else if path != "/" {
        f.push(Finding::warning(
            Code::IngressPathIgnored,
            SpecField::Path,
            format!("path `{path}` is ignored under ssl-passthrough"),
            "use / : with ssl-passthrough ingress-nginx routes by host name (SNI) before any HTTP is seen, so a non-root path such as the vendor page's /cache never matches and TLS goes to the default backend",
        ));
    }

    let legacy = spec.legacy_secure_backends.unwrap_or(false);
    f.push(Finding::info(
        Code::IngressSslPassthroughFlag,
        SpecField::IngressClassName,
        "TLS passthrough works only when the controller runs with --enable-ssl-passthrough",
        "check the controller's arguments: kubectl -n ingress-nginx get deployment ingress-nginx-controller -o yaml | grep enable-ssl-passthrough (with Helm: controller.extraArgs.enable-ssl-passthrough=\"\"); on MKE, set ingress_extra_args.enable_ssl_passthrough = true in the MKE configuration instead of editing the controller, which MKE would revert",
    ));
    if legacy {
        f.push(Finding::warning(
            Code::IngressSecureBackendsLegacy,
            SpecField::LegacySecureBackends,
            "the secure-backends annotation is emitted for ingress-nginx older than 0.21; newer controllers ignore it",
            "leave legacySecureBackends out unless your controller predates 0.21",
        ));
    } else {
        f.push(Finding::info(
            Code::IngressSecureBackendsRemoved,
            SpecField::LegacySecureBackends,
            "the vendor page's nginx.ingress.kubernetes.io/secure-backends annotation was removed in ingress-nginx 0.21 and is not emitted",
            "nothing to do: under ssl-passthrough the cache terminates TLS itself; set legacySecureBackends: true only for a controller older than 0.21",
        ));
    }
    if class == DEFAULT_INGRESS_CLASS {
        f.push(Finding::info(
            Code::IngressNginxRetired,
            SpecField::IngressClassName,
            "the ingress-nginx project was retired in March 2026 and gets no more fixes",
            "plan a move to a maintained controller that supports TLS passthrough; the Service and DNS set-up stay the same",
        ));
    }

    Some(Exposure::Ingress {
        host: host?,
        class,
        path,
        legacy_secure_backends: legacy,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Method;

    fn codes(spec: &Spec) -> Vec<&'static str> {
        validate(spec).1.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn static_band_matches_kubernetes() {
        assert_eq!(
            static_band(&(30000..=32767)),
            30000..=30085,
            "2768/32 = 86 ports"
        );
        assert_eq!(static_band(&(30000..=30099)), 30000..=30015, "at least 16");
        assert_eq!(static_band(&(20000..=32767)), 20000..=20127, "at most 128");
        assert_eq!(
            static_band(&(30000..=30004)),
            30000..=30004,
            "never past the range"
        );
    }

    #[test]
    fn foreign_fields_are_errors() {
        let spec = Spec {
            method: Some(Method::Nodeport),
            node_fqdn: Some("w1.example.com".into()),
            external_fqdn: Some("cache.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(codes(&spec), ["spec.foreign_field"]);
        assert!(validate(&spec).0.is_none());
    }

    #[test]
    fn method_is_inferred_from_the_one_fqdn() {
        let spec = Spec {
            node_fqdn: Some("w1.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(
            validate(&spec).0.map(|v| v.method()),
            Some(Method::Nodeport)
        );
        let both = Spec {
            node_fqdn: Some("w1.example.com".into()),
            external_fqdn: Some("cache.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(codes(&both), ["spec.one_interface"]);
        assert_eq!(codes(&Spec::default()), ["spec.method_missing"]);
    }

    #[test]
    fn vendor_cache_path_is_a_warning() {
        let spec = Spec {
            method: Some(Method::Ingress),
            external_fqdn: Some("cache.example.com".into()),
            path: Some("/cache".into()),
            ..Spec::default()
        };
        let (valid, findings) = validate(&spec);
        assert!(valid.is_some(), "a warning does not withhold output");
        assert!(findings.iter().any(|f| f.code == "ingress.path_ignored"));
    }

    #[test]
    fn node_port_checks() {
        let with = |p: i64| Spec {
            method: Some(Method::Nodeport),
            node_fqdn: Some("w1.example.com".into()),
            node_port: Some(p),
            ..Spec::default()
        };
        assert_eq!(
            codes(&with(30080)),
            Vec::<&str>::new(),
            "inside the static band"
        );
        assert_eq!(codes(&with(32443)), ["nodeport.dynamic_band"]);
        assert_eq!(codes(&with(443)), ["nodeport.out_of_range"]);
        assert_eq!(codes(&with(-1)), ["nodeport.out_of_range"]);
        let custom = Spec {
            node_port_range: Some("20000-22767".into()),
            ..with(20001)
        };
        assert_eq!(
            codes(&custom),
            Vec::<&str>::new(),
            "a custom range moves the band"
        );
    }
}
