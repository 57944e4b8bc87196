//! The one list of exposure methods: a row per method — its variant, its
//! name in specs and flags, and its module's validated type — in the order
//! the page and the docs list them. Everything that knows every method is
//! made from this list: the [`Method`] names here, at the bottom of the
//! crate (the spec holds a `Method`); the [`Exposure`](crate::method::Exposure)
//! enum and the dispatch in `method`, above the method modules. Adding a
//! method is one row here and its module under `method/`.

use std::fmt;
use std::str::FromStr;

/// Hands the list to `$then!` — the one place a method is named.
macro_rules! methods {
    ($then:ident) => {
        $then! {
            Nodeport = "nodeport", nodeport::NodePort;
            Loadbalancer = "loadbalancer", loadbalancer::LoadBalancer;
            Gateway = "gateway", gateway::GatewayRoute;
            Traefik = "traefik", traefik::RouteTcp;
            Openshift = "openshift", openshift::Route;
            Istio = "istio", istio::IstioRoute;
            Ingress = "ingress", ingress::IngressNginx;
        }
    };
}
pub(crate) use methods;

/// Declares [`Method`] from the list (the module paths are not read here).
macro_rules! names {
    ($($variant:ident = $name:literal, $module:ident :: $ty:ident;)*) => {
        /// The external interface the cache is exposed through. Exactly one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Method {
            $(
                #[doc = concat!("`", $name, "` (`method::", stringify!($module), "`).")]
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
        }
    };
}

methods!(names);

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

/// Every method's name, comma-separated, in the list's order.
pub fn names() -> String {
    Method::ALL
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}
