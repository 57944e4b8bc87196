//! The exposure spec: the one input type shared by the CLI's `--config`, the
//! CLI flags, the web page's permalink and the JS API. Defaults follow the
//! vendor documentation; unknown fields are rejected so typos never pass.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::registry::Method;

/// A platform whose documented values fill a spec in (`platform`): a value
/// of the spec, as [`Method`] is; what it fills in, and the versions each
/// runs, are `crate::platform`'s profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Platform {
    /// MKE 4k 4.1.x (4.1.3 to 4.1.5): Envoy Gateway 1.6.1.
    #[serde(rename = "mke4k", alias = "mke4k-4.1")]
    Mke4k,
    /// MKE 3.9.x: Envoy Gateway 1.7, and the NGINX Ingress past its end of life.
    #[serde(rename = "mke3", alias = "mke-3.9")]
    Mke3,
    /// MKE 4.2.x: k0s 1.35 (containerd 1.7).
    #[serde(rename = "mke-4.2")]
    Mke42,
    /// Envoy Gateway 1.6 (Gateway API 1.4.1).
    #[serde(rename = "envoy-gateway-1.6")]
    EnvoyGateway16,
    /// Envoy Gateway 1.7 (Gateway API 1.4.1).
    #[serde(rename = "envoy-gateway-1.7")]
    EnvoyGateway17,
    /// Envoy Gateway 1.8 (Gateway API 1.5.1).
    #[serde(rename = "envoy-gateway-1.8")]
    EnvoyGateway18,
    /// Envoy Gateway 1.9.
    #[serde(rename = "envoy-gateway-1.9")]
    EnvoyGateway19,
}

impl Platform {
    /// Every platform, in the order the page lists them.
    pub const ALL: &[Platform] = &[
        Platform::Mke4k,
        Platform::Mke42,
        Platform::Mke3,
        Platform::EnvoyGateway16,
        Platform::EnvoyGateway17,
        Platform::EnvoyGateway18,
        Platform::EnvoyGateway19,
    ];

    /// The name in the spec's `platform:` and in `--platform`.
    pub const fn name(self) -> &'static str {
        match self {
            Platform::Mke4k => "mke4k",
            Platform::Mke3 => "mke3",
            Platform::Mke42 => "mke-4.2",
            Platform::EnvoyGateway16 => "envoy-gateway-1.6",
            Platform::EnvoyGateway17 => "envoy-gateway-1.7",
            Platform::EnvoyGateway18 => "envoy-gateway-1.8",
            Platform::EnvoyGateway19 => "envoy-gateway-1.9",
        }
    }

    /// Other names it is known by (its version spelt out).
    pub const fn aliases(self) -> &'static [&'static str] {
        match self {
            Platform::Mke4k => &["mke4k-4.1"],
            Platform::Mke3 => &["mke-3.9"],
            _ => &[],
        }
    }

    /// Its name on the page and in findings.
    pub const fn label(self) -> &'static str {
        match self {
            Platform::Mke4k => "MKE 4k 4.1.x (4.1.3 and later)",
            Platform::Mke3 => "MKE 3.9.x",
            Platform::Mke42 => "MKE 4.2.x",
            Platform::EnvoyGateway16 => "Envoy Gateway 1.6",
            Platform::EnvoyGateway17 => "Envoy Gateway 1.7",
            Platform::EnvoyGateway18 => "Envoy Gateway 1.8",
            Platform::EnvoyGateway19 => "Envoy Gateway 1.9",
        }
    }

    /// Whether it is a Mirantis Kubernetes Engine release.
    pub const fn is_mke(self) -> bool {
        matches!(self, Platform::Mke4k | Platform::Mke3 | Platform::Mke42)
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        Platform::ALL
            .iter()
            .copied()
            .find(|p| p.name() == s || p.aliases().contains(&s.as_str()))
            .ok_or_else(|| {
                let names: Vec<&str> = Platform::ALL.iter().map(|p| p.name()).collect();
                format!("unknown platform `{s}`: use one of {}", names.join(", "))
            })
    }
}

/// Default namespace of the cache (vendor doc).
pub const DEFAULT_NAMESPACE: &str = "msr";
/// Default Service/Ingress name (vendor doc).
pub const DEFAULT_NAME: &str = "msr-cache";
/// Default ingress class.
pub const DEFAULT_INGRESS_CLASS: &str = "nginx";
/// Default Ingress path: the only one ingress-nginx honours under ssl-passthrough.
pub const DEFAULT_PATH: &str = "/";
/// Default file name of the CA certificate clients trust, as in the vendor doc.
pub const DEFAULT_CA_FILE: &str = "msr.cert.pem";
/// Default Service port and target port.
pub const DEFAULT_PORT: i64 = 443;
/// Kubernetes' default `--service-node-port-range`.
pub const DEFAULT_NODE_PORT_RANGE: &str = "30000-32767";

/// How to expose one MSR cache. Field names are camelCase in YAML and JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Spec {
    /// `nodeport` or `ingress`. When absent it is inferred from which of
    /// `nodeFqdn` / `externalFqdn` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Namespace of the cache pods.
    #[serde(default = "default_namespace")]
    pub namespace: String,
    /// Name of the Service (and of the Ingress).
    #[serde(default = "default_name")]
    pub name: String,
    /// Labels selecting the cache pods.
    #[serde(default = "default_selector")]
    pub selector: BTreeMap<String, String>,
    /// Service port.
    #[serde(default = "default_port")]
    pub port: i64,
    /// Container port of the cache.
    #[serde(default = "default_port")]
    pub target_port: i64,
    /// File name of the CA certificate clients trust, used in the curl steps.
    #[serde(default = "default_ca_file")]
    pub ca_file: String,
    /// The platform whose documented values fill the spec in (`mke4k`,
    /// `mke3`): a preset, not a method (`platform`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
    /// The containerd the nodes run (`1.7`, `2.2`): the format of the
    /// trust files' containerd snippet and k0s drop-in; the platform
    /// profile's when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub containerd_version: Option<String>,
    /// The k0s the nodes run (`1.35`, `1.36`), which decides the containerd
    /// it bundles (1.7 up to 1.35, 2.3 from 1.36).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k0s_version: Option<String>,
    /// NodePort: the worker node's FQDN (or IP) clients connect to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_fqdn: Option<String>,
    /// NodePort: a fixed node port; allocated by the API server when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i64>,
    /// NodePort: the cluster's `--service-node-port-range`, `30000-32767` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port_range: Option<String>,
    /// Ingress: the external FQDN clients use; a DNS record points it at the controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_fqdn: Option<String>,
    /// Ingress: the ingress class, `nginx` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress_class_name: Option<String>,
    /// Ingress: the path, `/` by default (others are ignored under ssl-passthrough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Ingress: also emit the vendor's `secure-backends` annotation, for
    /// ingress-nginx older than 0.21 only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_secure_backends: Option<bool>,
    /// LoadBalancer: a fixed address for the Service (MetalLB's
    /// `metallb.io/loadBalancerIPs` annotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_ip: Option<String>,
    /// LoadBalancer: also set the deprecated `spec.loadBalancerIP` field to
    /// that address, for providers that still read only it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_load_balancer_ip: Option<bool>,
    /// LoadBalancer: `spec.loadBalancerClass`, to pick one of several providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    /// LoadBalancer: `Cluster` (default) or `Local`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_traffic_policy: Option<String>,
    /// Gateway: create a Gateway of this class with a TLS passthrough listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_class_name: Option<String>,
    /// Gateway: attach the TLSRoute to this existing Gateway instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_name: Option<String>,
    /// Gateway: attach the TLSRoute to this existing ListenerSet instead
    /// (listeners added to a Gateway from another namespace or team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_set_name: Option<String>,
    /// Gateway: the existing Gateway's (or ListenerSet's) namespace (the route's by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_namespace: Option<String>,
    /// Gateway: the existing Gateway's listener (`sectionName`) to attach to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listener_name: Option<String>,
    /// Gateway: the TLSRoute's API version, `v1` (standard channel since
    /// Gateway API 1.5) or `v1alpha2` for clusters whose CRDs serve only that.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_api_version: Option<String>,
    /// Traefik: the entry points of the IngressRouteTCP, `websecure` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_points: Option<Vec<String>>,
    /// OpenShift: the Route's `tls.insecureEdgeTerminationPolicy` — `None`
    /// (the default) or `Redirect`, the only ones passthrough allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure_edge_termination_policy: Option<String>,
    /// Istio: attach the VirtualService to this existing Istio Gateway
    /// (`namespace/name`, or `name` in the cache's namespace) instead of
    /// creating one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub istio_gateway: Option<String>,
    /// Istio: the labels of the ingress gateway pods the created Gateway
    /// binds to, `istio: ingressgateway` by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub istio_selector: Option<BTreeMap<String, String>>,
}

fn default_namespace() -> String {
    DEFAULT_NAMESPACE.into()
}
fn default_name() -> String {
    DEFAULT_NAME.into()
}
fn default_selector() -> BTreeMap<String, String> {
    BTreeMap::from([("app".to_string(), DEFAULT_NAME.to_string())])
}
fn default_port() -> i64 {
    DEFAULT_PORT
}
fn default_ca_file() -> String {
    DEFAULT_CA_FILE.into()
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            method: None,
            namespace: default_namespace(),
            name: default_name(),
            selector: default_selector(),
            port: DEFAULT_PORT,
            target_port: DEFAULT_PORT,
            ca_file: default_ca_file(),
            platform: None,
            containerd_version: None,
            k0s_version: None,
            node_fqdn: None,
            node_port: None,
            node_port_range: None,
            external_fqdn: None,
            ingress_class_name: None,
            path: None,
            legacy_secure_backends: None,
            load_balancer_ip: None,
            legacy_load_balancer_ip: None,
            load_balancer_class: None,
            external_traffic_policy: None,
            gateway_class_name: None,
            gateway_name: None,
            listener_set_name: None,
            gateway_namespace: None,
            listener_name: None,
            gateway_api_version: None,
            entry_points: None,
            insecure_edge_termination_policy: None,
            istio_gateway: None,
            istio_selector: None,
        }
    }
}

impl Spec {
    /// Parses a spec from YAML or JSON (JSON is YAML). Any problem, an
    /// unknown field included, is one error finding on field `spec`.
    pub fn from_text(text: &str) -> Result<Spec, Finding> {
        if text.trim().is_empty() {
            return Err(empty_finding());
        }
        within_limits(text)?;
        serde_yaml::from_str::<Spec>(text).map_err(|e| parse_finding(e.to_string()))
    }

    /// Parses a spec file's bytes: UTF-8 text (a byte-order mark allowed),
    /// YAML or JSON. Text in another encoding is one error finding that
    /// names the encoding and the offending byte.
    pub fn from_bytes(bytes: &[u8]) -> Result<Spec, Finding> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Spec::from_text(text.strip_prefix('\u{feff}').unwrap_or(text)),
            Err(e) => {
                let at = e.valid_up_to();
                let what = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                    "UTF-16 text (what some editors call Unicode)".to_string()
                } else {
                    format!("not UTF-8 text: byte 0x{:02x} at offset {at}", bytes[at])
                };
                Err(parse_finding(format!(
                    "the spec is {what}; save it as UTF-8"
                )))
            }
        }
    }

    /// Parses a spec from JSON only. The browser build uses this so that it
    /// carries no YAML parser (the YAML emitter for manifests stays).
    pub fn from_json(text: &str) -> Result<Spec, Finding> {
        if text.trim().is_empty() {
            return Err(empty_finding());
        }
        within_limits(text)?;
        serde_json::from_str::<Spec>(text).map_err(|e| parse_finding(e.to_string()))
    }

    /// The spec as JSON, compact, fields in declaration order.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The largest spec read: a real one is a few hundred bytes.
pub const MAX_SPEC_BYTES: usize = 1 << 20;

/// The deepest nesting of flow collections (`[`, `{`) read: a spec nests
/// two deep. libyaml's scanner is quadratic in this depth (100 000 nested
/// `[` took 17 s), so a pathological spec is refused before it is parsed.
pub const MAX_SPEC_DEPTH: usize = 32;

/// Refuses a spec too large or too deeply nested to be one, before parsing.
pub(crate) fn within_limits(text: &str) -> Result<(), Finding> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(parse_finding(format!(
            "the spec is {} bytes; a spec is a few hundred, and at most {MAX_SPEC_BYTES} are read",
            text.len()
        )));
    }
    let depth = flow_depth(text);
    if depth > MAX_SPEC_DEPTH {
        return Err(parse_finding(format!(
            "the spec nests [ or {{ {depth} deep; a spec nests at most 2, and more than {MAX_SPEC_DEPTH} is not read"
        )));
    }
    Ok(())
}

/// The deepest nesting of `[` and `{` outside quoted scalars and comments.
/// A quote or `#` counts only where YAML starts one (after a blank, a line
/// start or a flow indicator), so text like `don't` or `a#b` cannot hide
/// brackets: the count never falls below the real nesting.
fn flow_depth(text: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = '\n';
    for c in text.chars() {
        let at_start = prev.is_whitespace() || matches!(prev, '[' | '{' | ',' | ':');
        if comment {
            comment = c != '\n';
        } else if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '"' | '\'' if at_start => quote = Some(c),
                '#' if prev.is_whitespace() => comment = true,
                '[' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    deepest
}

fn empty_finding() -> Finding {
    Finding::error(
        Code::SpecEmpty,
        "spec",
        "the spec is empty",
        "write at least `method: nodeport` and `nodeFqdn: worker1.example.com`, or `method: ingress` and `externalFqdn: cache.example.com`",
    )
}

fn parse_finding(message: String) -> Finding {
    let hint = if message.contains("unknown field") {
        format!(
            "fields are camelCase; the known ones are {}",
            FIELDS.join(", ")
        )
    } else {
        "check the spec against the example in the README".to_string()
    };
    Finding::error(Code::SpecParse, "spec", message, hint)
}

/// Every field of [`Spec`], as spelled in YAML and JSON.
pub const FIELDS: &[&str] = SpecField::KEYS;

impl Spec {
    /// A field's value as text, as a form holds it and a flag takes it
    /// (numbers in decimal, lists and selectors comma-separated, booleans
    /// `true`/`false`); `None` when the field is not set.
    pub fn text(&self, field: SpecField) -> Option<String> {
        let map = |m: &BTreeMap<String, String>| {
            m.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        match field {
            SpecField::Method => self.method.map(|m| m.name().to_string()),
            SpecField::Namespace => Some(self.namespace.clone()),
            SpecField::Name => Some(self.name.clone()),
            SpecField::Selector => Some(map(&self.selector)),
            SpecField::Port => Some(self.port.to_string()),
            SpecField::TargetPort => Some(self.target_port.to_string()),
            SpecField::CaFile => Some(self.ca_file.clone()),
            SpecField::Platform => self.platform.map(|p| p.name().to_string()),
            SpecField::ContainerdVersion => self.containerd_version.clone(),
            SpecField::K0sVersion => self.k0s_version.clone(),
            SpecField::NodeFqdn => self.node_fqdn.clone(),
            SpecField::NodePort => self.node_port.map(|p| p.to_string()),
            SpecField::NodePortRange => self.node_port_range.clone(),
            SpecField::ExternalFqdn => self.external_fqdn.clone(),
            SpecField::IngressClassName => self.ingress_class_name.clone(),
            SpecField::Path => self.path.clone(),
            SpecField::LegacySecureBackends => self.legacy_secure_backends.map(|b| b.to_string()),
            SpecField::LoadBalancerIp => self.load_balancer_ip.clone(),
            SpecField::LegacyLoadBalancerIp => self.legacy_load_balancer_ip.map(|b| b.to_string()),
            SpecField::LoadBalancerClass => self.load_balancer_class.clone(),
            SpecField::ExternalTrafficPolicy => self.external_traffic_policy.clone(),
            SpecField::GatewayClassName => self.gateway_class_name.clone(),
            SpecField::GatewayName => self.gateway_name.clone(),
            SpecField::ListenerSetName => self.listener_set_name.clone(),
            SpecField::GatewayNamespace => self.gateway_namespace.clone(),
            SpecField::ListenerName => self.listener_name.clone(),
            SpecField::GatewayApiVersion => self.gateway_api_version.clone(),
            SpecField::EntryPoints => self.entry_points.as_ref().map(|e| e.join(",")),
            SpecField::InsecureEdgeTerminationPolicy => {
                self.insecure_edge_termination_policy.clone()
            }
            SpecField::IstioGateway => self.istio_gateway.clone(),
            SpecField::IstioSelector => self.istio_selector.as_ref().map(map),
        }
    }

    /// Sets a method's field from text as a form holds it (see
    /// [`Spec::text`]); empty text leaves an optional field unset, a
    /// checkbox's `false` too. A number or selector that does not parse is
    /// the error message. The shared fields are the form's own business.
    pub fn set_text(&mut self, field: SpecField, text: &str) -> Result<(), String> {
        let t = text.trim();
        let opt = || (!t.is_empty()).then(|| t.to_string());
        let flag = || (t == "true").then_some(true);
        match field {
            // An empty field is a name not given, as a flag left out: the
            // same finding on the page as on the command line. A name is
            // kept as typed, outer spaces and all, for its own findings.
            SpecField::NodeFqdn => self.node_fqdn = opt().map(|_| text.to_string()),
            SpecField::ExternalFqdn => self.external_fqdn = opt().map(|_| text.to_string()),
            SpecField::NodePort => {
                self.node_port = match opt() {
                    None => None,
                    Some(n) => Some(
                        n.parse()
                            .map_err(|_| format!("`{n}` is not a whole number"))?,
                    ),
                }
            }
            SpecField::NodePortRange => self.node_port_range = opt(),
            SpecField::IngressClassName => self.ingress_class_name = opt(),
            SpecField::Path => self.path = opt(),
            SpecField::LegacySecureBackends => self.legacy_secure_backends = flag(),
            SpecField::LoadBalancerIp => self.load_balancer_ip = opt(),
            SpecField::LegacyLoadBalancerIp => self.legacy_load_balancer_ip = flag(),
            SpecField::LoadBalancerClass => self.load_balancer_class = opt(),
            SpecField::ExternalTrafficPolicy => self.external_traffic_policy = opt(),
            SpecField::GatewayClassName => self.gateway_class_name = opt(),
            SpecField::GatewayName => self.gateway_name = opt(),
            SpecField::ListenerSetName => self.listener_set_name = opt(),
            SpecField::GatewayNamespace => self.gateway_namespace = opt(),
            SpecField::ListenerName => self.listener_name = opt(),
            SpecField::GatewayApiVersion => self.gateway_api_version = opt(),
            SpecField::EntryPoints => {
                self.entry_points =
                    opt().map(|e| e.split(',').map(|p| p.trim().to_string()).collect())
            }
            SpecField::InsecureEdgeTerminationPolicy => {
                self.insecure_edge_termination_policy = opt()
            }
            SpecField::IstioGateway => self.istio_gateway = opt(),
            SpecField::IstioSelector => {
                self.istio_selector = match opt() {
                    None => None,
                    Some(s) => Some(parse_selector(&s)?),
                }
            }
            SpecField::Method
            | SpecField::Namespace
            | SpecField::Name
            | SpecField::Selector
            | SpecField::Port
            | SpecField::TargetPort
            | SpecField::CaFile
            | SpecField::Platform
            | SpecField::ContainerdVersion
            | SpecField::K0sVersion => {
                return Err(format!("{field} is a shared field, not a method's"));
            }
        }
        Ok(())
    }

    /// Whether a method's field is set (present in the spec, whatever its
    /// value); the shared fields always are.
    pub fn is_set(&self, field: SpecField) -> bool {
        match field {
            SpecField::Method => self.method.is_some(),
            SpecField::Platform => self.platform.is_some(),
            SpecField::ContainerdVersion => self.containerd_version.is_some(),
            SpecField::K0sVersion => self.k0s_version.is_some(),
            SpecField::Namespace
            | SpecField::Name
            | SpecField::Selector
            | SpecField::Port
            | SpecField::TargetPort
            | SpecField::CaFile => true,
            SpecField::NodeFqdn => self.node_fqdn.is_some(),
            SpecField::NodePort => self.node_port.is_some(),
            SpecField::NodePortRange => self.node_port_range.is_some(),
            SpecField::ExternalFqdn => self.external_fqdn.is_some(),
            SpecField::IngressClassName => self.ingress_class_name.is_some(),
            SpecField::Path => self.path.is_some(),
            SpecField::LegacySecureBackends => self.legacy_secure_backends.is_some(),
            SpecField::LoadBalancerIp => self.load_balancer_ip.is_some(),
            SpecField::LegacyLoadBalancerIp => self.legacy_load_balancer_ip.is_some(),
            SpecField::LoadBalancerClass => self.load_balancer_class.is_some(),
            SpecField::ExternalTrafficPolicy => self.external_traffic_policy.is_some(),
            SpecField::GatewayClassName => self.gateway_class_name.is_some(),
            SpecField::GatewayName => self.gateway_name.is_some(),
            SpecField::ListenerSetName => self.listener_set_name.is_some(),
            SpecField::GatewayNamespace => self.gateway_namespace.is_some(),
            SpecField::ListenerName => self.listener_name.is_some(),
            SpecField::GatewayApiVersion => self.gateway_api_version.is_some(),
            SpecField::EntryPoints => self.entry_points.is_some(),
            SpecField::InsecureEdgeTerminationPolicy => {
                self.insecure_edge_termination_policy.is_some()
            }
            SpecField::IstioGateway => self.istio_gateway.is_some(),
            SpecField::IstioSelector => self.istio_selector.is_some(),
        }
    }
}

/// Parses a `key=value[,key=value…]` selector as kubectl writes it.
pub fn parse_selector(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not key=value, such as app=msr-cache"))?;
        if map
            .insert(k.trim().to_string(), v.trim().to_string())
            .is_some()
        {
            return Err(format!("label `{}` is given twice", k.trim()));
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pathological_specs_are_refused_before_parsing() {
        let deep = format!("selector: {}", "[".repeat(100_000));
        let f = Spec::from_text(&deep).expect_err("too deep");
        assert!(f.message.contains("nests"), "{f:?}");
        let hidden = format!("selector: [x'{}", "[".repeat(100));
        assert!(
            Spec::from_text(&hidden).is_err(),
            "a quote inside a plain scalar hides nothing"
        );
        let commented = format!("selector: [a#{}", "[".repeat(100));
        assert!(
            Spec::from_text(&commented).is_err(),
            "# without a blank is no comment"
        );
        let big = format!("nodeFqdn: {}", "a".repeat(MAX_SPEC_BYTES));
        assert!(
            Spec::from_text(&big)
                .expect_err("too big")
                .message
                .contains("bytes")
        );
        // Brackets in quoted text and comments are not nesting.
        let fine = format!(
            "method: nodeport\nnodeFqdn: w1.example.com # {}\ncaFile: \"{}\"\n",
            "[".repeat(100),
            "{".repeat(100)
        );
        assert_eq!(flow_depth(&fine), 0);
        assert!(Spec::from_text(&fine).is_ok());
    }

    use super::*;

    #[test]
    fn defaults_follow_the_vendor_doc() {
        let s = Spec::from_text("method: nodeport\nnodeFqdn: w1.example.com\n").expect("valid");
        assert_eq!(s.namespace, "msr");
        assert_eq!(s.name, "msr-cache");
        assert_eq!(s.selector.get("app").map(String::as_str), Some("msr-cache"));
        assert_eq!((s.port, s.target_port), (443, 443));
    }

    #[test]
    fn unknown_fields_are_errors() {
        let e = Spec::from_text("method: nodeport\nnodefqdn: w1.example.com\n")
            .expect_err("typo must not pass");
        assert_eq!(e.code, "spec.parse");
        assert!(e.message.contains("nodefqdn"), "{}", e.message);
        assert!(e.hint.contains("nodeFqdn"));
    }

    #[test]
    fn json_only_parsing_rejects_typos_too() {
        assert!(Spec::from_json(r#"{"method":"nodeport","nodeFqdn":"w1.example.com"}"#).is_ok());
        let e = Spec::from_json(r#"{"nodefqdn":"w1"}"#).expect_err("typo");
        assert_eq!(e.code, "spec.parse");
        assert!(
            Spec::from_json("method: nodeport").is_err(),
            "YAML is not JSON"
        );
    }

    #[test]
    fn json_is_accepted() {
        let s = Spec::from_text(r#"{"method":"ingress","externalFqdn":"cache.example.com"}"#)
            .expect("valid");
        assert_eq!(s.method, Some(Method::Ingress));
    }

    #[test]
    fn fields_list_matches_serde() {
        let full = Spec {
            method: Some(Method::Nodeport),
            platform: Some(Platform::Mke3),
            containerd_version: Some(String::new()),
            k0s_version: Some(String::new()),
            node_fqdn: Some(String::new()),
            node_port: Some(0),
            node_port_range: Some(String::new()),
            external_fqdn: Some(String::new()),
            ingress_class_name: Some(String::new()),
            path: Some(String::new()),
            legacy_secure_backends: Some(false),
            load_balancer_ip: Some(String::new()),
            legacy_load_balancer_ip: Some(false),
            load_balancer_class: Some(String::new()),
            external_traffic_policy: Some(String::new()),
            gateway_class_name: Some(String::new()),
            gateway_name: Some(String::new()),
            listener_set_name: Some(String::new()),
            gateway_namespace: Some(String::new()),
            listener_name: Some(String::new()),
            gateway_api_version: Some(String::new()),
            entry_points: Some(Vec::new()),
            insecure_edge_termination_policy: Some(String::new()),
            istio_gateway: Some(String::new()),
            istio_selector: Some(BTreeMap::new()),
            ..Spec::default()
        };
        let v: serde_json::Value = serde_json::from_str(&full.to_json()).expect("json");
        let keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = FIELDS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }

    #[test]
    fn selector_parsing() {
        assert_eq!(
            parse_selector("app=msr-cache, tier=edge")
                .expect("ok")
                .len(),
            2
        );
        assert!(parse_selector("app").is_err());
        assert!(parse_selector("a=1,a=2").is_err());
    }
}
