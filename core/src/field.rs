//! The spec's fields as one enum, from one table: the key in YAML, JSON,
//! the permalink and the JS API (`nodeFqdn`), and the CLI flag that sets it
//! (`--node-fqdn`). The core names findings' fields with it, the page maps
//! its inputs to it, and tests hold serde's keys, clap's flags and the JS
//! API's TypeScript `Spec` to it.

use std::fmt;

/// Declares [`SpecField`] from `Variant = "key", "--flag";` rows.
macro_rules! fields {
    ($($variant:ident = $key:literal, $flag:literal;)*) => {
        /// A field of the spec.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SpecField {
            $(
                #[doc = concat!("`", $key, "` (`", $flag, "`)")]
                $variant,
            )*
        }

        impl SpecField {
            /// Every field, in the spec's declaration order.
            pub const ALL: &[SpecField] = &[$(SpecField::$variant),*];

            /// Every key, in the same order.
            pub const KEYS: &[&str] = &[$($key),*];

            /// How many fields there are.
            pub const COUNT: usize = SpecField::ALL.len();

            /// Its position in [`SpecField::ALL`].
            pub const fn index(self) -> usize {
                self as usize
            }

            /// The key in YAML, JSON and the JS API (camelCase).
            pub const fn key(self) -> &'static str {
                match self {
                    $(SpecField::$variant => $key,)*
                }
            }

            /// The CLI flag that sets it.
            pub const fn flag(self) -> &'static str {
                match self {
                    $(SpecField::$variant => $flag,)*
                }
            }
        }
    };
}

fields! {
    Method = "method", "--method";
    Namespace = "namespace", "--namespace";
    Name = "name", "--name";
    Selector = "selector", "--selector";
    Port = "port", "--port";
    TargetPort = "targetPort", "--target-port";
    CaFile = "caFile", "--ca-file";
    Platform = "platform", "--platform";
    ContainerdVersion = "containerdVersion", "--containerd-version";
    K0sVersion = "k0sVersion", "--k0s-version";
    NodeFqdn = "nodeFqdn", "--node-fqdn";
    NodePort = "nodePort", "--node-port";
    NodePortRange = "nodePortRange", "--node-port-range";
    ExternalFqdn = "externalFqdn", "--external-fqdn";
    IngressClassName = "ingressClassName", "--ingress-class";
    Path = "path", "--path";
    LegacySecureBackends = "legacySecureBackends", "--legacy-secure-backends";
    LoadBalancerIp = "loadBalancerIp", "--load-balancer-ip";
    LegacyLoadBalancerIp = "legacyLoadBalancerIp", "--legacy-load-balancer-ip";
    LoadBalancerClass = "loadBalancerClass", "--load-balancer-class";
    ExternalTrafficPolicy = "externalTrafficPolicy", "--external-traffic-policy";
    GatewayClassName = "gatewayClassName", "--gateway-class";
    GatewayName = "gatewayName", "--gateway-name";
    ListenerSetName = "listenerSetName", "--listener-set-name";
    GatewayNamespace = "gatewayNamespace", "--gateway-namespace";
    ListenerName = "listenerName", "--listener-name";
    GatewayApiVersion = "gatewayApiVersion", "--gateway-api-version";
    EntryPoints = "entryPoints", "--entry-points";
    InsecureEdgeTerminationPolicy = "insecureEdgeTerminationPolicy", "--insecure-edge-termination-policy";
    IstioGateway = "istioGateway", "--istio-gateway";
    IstioSelector = "istioSelector", "--istio-selector";
}

impl fmt::Display for SpecField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A finding's `field` names the spec field by its key.
impl From<SpecField> for String {
    fn from(f: SpecField) -> String {
        f.key().to_string()
    }
}

impl SpecField {
    /// The field with this key.
    pub fn from_key(key: &str) -> Option<SpecField> {
        SpecField::ALL.iter().copied().find(|f| f.key() == key)
    }
}
