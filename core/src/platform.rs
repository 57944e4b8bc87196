//! Platform profiles: what a platform runs, version by version — its
//! Envoy Gateway, the Gateway API release and channel of its CRDs, the
//! TLSRoute version its controller watches, its k0s and containerd — each
//! fact with its source, and the values it fills into a spec before it is
//! validated. A profile is a fill-in, not a method: the output is the same
//! Gateway and TLSRoute the gateway method writes, at the version the
//! platform's controller reads; a value no source gives is said, never
//! guessed.
//!
//! The sources (each profile's `sources` names its own):
//! - MKE 3.9 (Operations Guide, "Envoy Gateway Controller"): Envoy Gateway
//!   takes the place of the NGINX Ingress Controller; the default
//!   GatewayClass is `envoy-gatewayingress`, its controller
//!   `gateway.envoyproxy.io/mke-gatewayclass-controller`; it runs once
//!   `[cluster_config.gateway_controller] enabled = true` is set in the MKE
//!   configuration (or Admin Settings > Gateway). The bundled NGINX Ingress
//!   reached end of life on 2026-04-01, support ending 2026-12-31. MKE
//!   3.9.0's release notes ("major component versions"): Envoy Gateway 1.7.
//! - MKE 4k 4.1.3 and later (Configuration > Ingress > Gateway API): Envoy
//!   Gateway always runs — it serves MKE's own management ingress and cannot
//!   be disabled; NGINX Ingress exists only on clusters upgraded with it.
//!   The pages read name no GatewayClass for workloads. Release notes of
//!   4.1.3 to 4.1.5 ("major component versions"): Envoy Gateway 1.6.1.
//! - MKE 4.2.0-rc: k0s 1.35, which bundles containerd 1.7; its Envoy
//!   Gateway version is not in what was read, so it is asked for.
//! - Envoy Gateway (envoyproxy/gateway, `internal/provider/kubernetes/
//!   controller.go` and go.mod at each tag): 1.6.x and 1.7.x are built on
//!   Gateway API 1.4.1 and check for and watch TLSRoute `v1alpha3` only
//!   (`gwapiv1a3`); 1.8 (Gateway API 1.5.1) and later watch `v1`.
//! - Gateway API: 1.4.1 ships TLSRoute only in the experimental channel,
//!   serving `v1alpha2` and `v1alpha3`; from 1.5 the standard channel
//!   serves `v1` (tests/integration/profiles.rs reads the CRDs themselves).
//! - k0s: up to 1.35 it bundles containerd 1.7 (configuration `version =
//!   2`, `io.containerd.grpc.v1.cri`); 1.36 bundles containerd 2.3, whose
//!   pre-flight check refuses a drop-in in the old format.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::method::Method;
pub use crate::spec::Platform;
use crate::spec::Spec;

/// A Gateway API channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The standard channel.
    Standard,
    /// The experimental channel.
    Experimental,
}

/// The Gateway API release a platform's CRDs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayApi {
    /// Its version, such as `1.4.1`.
    pub version: &'static str,
    /// Its channel.
    pub channel: Channel,
}

/// What one platform runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The platform.
    pub platform: Platform,
    /// Its Envoy Gateway, where a source gives it.
    pub envoy_gateway: Option<&'static str>,
    /// The Gateway API its controller is built on, where known.
    pub gateway_api: Option<GatewayApi>,
    /// The TLSRoute versions its controller watches; empty where no
    /// source says.
    pub tlsroute_watched: &'static [&'static str],
    /// The GatewayClass it installs for workloads, where documented.
    pub gateway_class: Option<&'static str>,
    /// Its k0s, on k0s-based platforms (`1.35`; `..1.35` for "1.35 or
    /// older"), where known.
    pub k0s: Option<&'static str>,
    /// The containerd its nodes run, where known (`1.7`, `2.3`).
    pub containerd: Option<&'static str>,
    /// Where these facts come from.
    pub sources: &'static str,
}

const EG_BEFORE_1_8: GatewayApi = GatewayApi {
    version: "1.4.1",
    channel: Channel::Experimental,
};
const EG_SOURCE: &str =
    "envoyproxy/gateway internal/provider/kubernetes/controller.go and go.mod at the release's tag";

/// Every platform's profile, in [`Platform::ALL`]'s order.
pub const PROFILES: &[Profile] = &[
    Profile {
        platform: Platform::Mke4k,
        envoy_gateway: Some("1.6.1"),
        gateway_api: Some(EG_BEFORE_1_8),
        tlsroute_watched: &["v1alpha3"],
        gateway_class: None,
        // MKE 4.2.0-rc runs k0s 1.35, and 4.1 came before it.
        k0s: Some("..1.35"),
        containerd: Some("1.7"),
        sources: "MKE 4k 4.1.3-4.1.5 release notes (major component versions: Envoy Gateway 1.6.1); MKE 4k docs, Configuration > Ingress > Gateway API; k0s before 1.36 bundles containerd 1.7",
    },
    Profile {
        platform: Platform::Mke42,
        envoy_gateway: None,
        gateway_api: None,
        tlsroute_watched: &[],
        gateway_class: None,
        k0s: Some("1.35"),
        containerd: Some("1.7"),
        sources: "MKE 4.2.0-rc release notes (k0s 1.35); k0s 1.35 bundles containerd 1.7",
    },
    Profile {
        platform: Platform::Mke3,
        envoy_gateway: Some("1.7"),
        gateway_api: Some(EG_BEFORE_1_8),
        tlsroute_watched: &["v1alpha3"],
        gateway_class: Some(MKE3_GATEWAY_CLASS),
        k0s: None,
        containerd: None,
        sources: "MKE 3.9.0 release notes (major component versions: Envoy Gateway 1.7); MKE 3.9 Operations Guide, Envoy Gateway Controller",
    },
    Profile {
        platform: Platform::EnvoyGateway16,
        envoy_gateway: Some("1.6"),
        gateway_api: Some(EG_BEFORE_1_8),
        tlsroute_watched: &["v1alpha3"],
        gateway_class: None,
        k0s: None,
        containerd: None,
        sources: EG_SOURCE,
    },
    Profile {
        platform: Platform::EnvoyGateway17,
        envoy_gateway: Some("1.7"),
        gateway_api: Some(EG_BEFORE_1_8),
        tlsroute_watched: &["v1alpha3"],
        gateway_class: None,
        k0s: None,
        containerd: None,
        sources: EG_SOURCE,
    },
    Profile {
        platform: Platform::EnvoyGateway18,
        envoy_gateway: Some("1.8"),
        gateway_api: Some(GatewayApi {
            version: "1.5.1",
            channel: Channel::Standard,
        }),
        tlsroute_watched: &["v1"],
        gateway_class: None,
        k0s: None,
        containerd: None,
        sources: EG_SOURCE,
    },
    Profile {
        platform: Platform::EnvoyGateway19,
        envoy_gateway: Some("1.9"),
        gateway_api: None,
        tlsroute_watched: &["v1"],
        gateway_class: None,
        k0s: None,
        containerd: None,
        sources: EG_SOURCE,
    },
];

/// The default controller name of Envoy Gateway (its `EnvoyGateway`
/// configuration's `gateway.controllerName` when unset).
pub const ENVOY_GATEWAY_CONTROLLER: &str = "gateway.envoyproxy.io/gatewayclass-controller";

/// The TLSRoute versions an Envoy Gateway release watches, from its version
/// (`v1.7.0`, `1.7`, as its image is tagged): `v1alpha3` for 1.6 and 1.7
/// (built on Gateway API 1.4.1), `v1` from 1.8; `None` for a version the
/// sources do not cover (before 1.6) or that does not read as one.
pub fn envoy_gateway_watches(version: &str) -> Option<&'static [&'static str]> {
    let v = version.trim().trim_start_matches('v');
    let mut parts = v.split(['.', '-']);
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    match (major, minor) {
        (1, 6 | 7) => Some(&["v1alpha3"]),
        (1, 8..) | (2.., _) => Some(&["v1"]),
        _ => None,
    }
}

/// The profile of `platform`.
pub fn profile(platform: Platform) -> &'static Profile {
    PROFILES
        .iter()
        .find(|p| p.platform == platform)
        .unwrap_or(&PROFILES[0])
}

/// What runs the routes, for findings: "Envoy Gateway 1.7 (MKE 3.9.x)".
fn controller_label(p: &Profile) -> String {
    let eg = match p.envoy_gateway {
        Some(v) => format!("Envoy Gateway {v}"),
        None => "its Envoy Gateway".to_string(),
    };
    if p.platform.is_mke() {
        format!("{eg} ({})", p.platform.label())
    } else {
        eg
    }
}

/// The GatewayClass MKE 3.9 installs for its Envoy Gateway.
pub const MKE3_GATEWAY_CLASS: &str = "envoy-gatewayingress";
/// Its controller.
pub const MKE3_CONTROLLER: &str = "gateway.envoyproxy.io/mke-gatewayclass-controller";

/// The method a platform implies where nothing else chose one: every
/// profile is an Envoy Gateway's, so the Gateway API's.
pub fn implied_method(_platform: Platform) -> Method {
    Method::Gateway
}

/// The spec with the platform's values filled in, and findings saying what
/// was filled, from where, and what the documentation leaves open. Without
/// a platform the spec is returned as it is.
pub fn fill(spec: &Spec, f: &mut Vec<Finding>) -> Spec {
    let mut out = spec.clone();
    let Some(platform) = spec.platform else {
        return out;
    };
    // The nodes' containerd, for the trust files' format, where the
    // profile knows it and the spec says nothing of the nodes.
    if out.containerd_version.is_none() && out.k0s_version.is_none() {
        out.containerd_version = profile(platform).containerd.map(str::to_string);
    }
    // No method named, and nothing set but what a Gateway takes: MKE's
    // ingress is Envoy Gateway, so the method is the Gateway API's.
    if out.method.is_none()
        && crate::method::set_fields(&out)
            .iter()
            .all(|x| Method::Gateway.about().fields.contains(x))
    {
        out.method = Some(implied_method(platform));
    }
    match out.method {
        Some(Method::Gateway) => gateway(platform, &mut out, f),
        Some(Method::Ingress) if platform.is_mke() => ingress(platform, f),
        Some(m @ (Method::Openshift | Method::Istio)) if platform.is_mke() => {
            f.push(Finding::warning(
                Code::PlatformMethodForeign,
                SpecField::Method,
                format!("{} does not install what {m} needs", platform.label()),
                format!(
                    "on {} use the gateway method (Envoy Gateway), or install {} yourself",
                    platform.label(),
                    if m == Method::Istio {
                        "Istio"
                    } else {
                        "an OpenShift router"
                    }
                ),
            ))
        }
        _ => {}
    }
    out
}

/// The Gateway API path: the GatewayClass the platform documents, when it
/// names one, and the TLSRoute version its controller watches.
fn gateway(platform: Platform, spec: &mut Spec, f: &mut Vec<Finding>) {
    let p = profile(platform);
    let parent_given = spec.gateway_class_name.is_some()
        || spec.gateway_name.is_some()
        || spec.listener_set_name.is_some();
    match (p.gateway_class, parent_given, platform.is_mke()) {
        (_, true, _) | (None, false, false) => {}
        (Some(class), false, _) => {
            spec.gateway_class_name = Some(class.to_string());
            f.push(Finding::info(
                Code::PlatformFilled,
                SpecField::GatewayClassName,
                format!("gatewayClassName {class}: the GatewayClass {} installs for its Envoy Gateway (controller {MKE3_CONTROLLER})", platform.label()),
                "set gatewayClassName (or gatewayName) to use another",
            ));
        }
        (None, false, true) => f.push(Finding::error(
            Code::PlatformUndocumented,
            SpecField::GatewayClassName,
            format!("{}'s documentation does not name the GatewayClass of its Envoy Gateway for workloads, so msr-expose does not guess one", platform.label()),
            "kubectl get gatewayclass lists it (its controller is Envoy Gateway's, gateway.envoyproxy.io/…): set gatewayClassName (--gateway-class) to it, or attach to an existing Gateway with gatewayName",
        )),
    }
    route_version(p, spec, f);
    match platform {
        Platform::Mke3 => f.push(Finding::info(
            Code::PlatformEnableGateway,
            SpecField::Platform,
            "MKE 3.9 runs Envoy Gateway only once it is enabled; TLS passthrough then needs nothing more (a TLS listener in Passthrough mode is Envoy Gateway's own)",
            "set [cluster_config.gateway_controller] enabled = true in the MKE configuration file (or Admin Settings > Gateway in the web UI); kubectl get gatewayclass envoy-gatewayingress shows it Accepted",
        )),
        Platform::Mke4k | Platform::Mke42 => f.push(Finding::info(
            Code::PlatformEnableGateway,
            SpecField::Platform,
            format!("{} always runs Envoy Gateway (it serves MKE's management ingress and cannot be disabled); TLS passthrough needs nothing more than a TLS listener in Passthrough mode", platform.label()),
            "kubectl get gatewayclass shows Envoy Gateway's class Accepted",
        )),
        _ => {}
    }
}

/// The TLSRoute version the platform's controller watches: filled in when
/// the spec names none, an error when the spec names one it never reads,
/// and asked for when no source says.
fn route_version(p: &Profile, spec: &mut Spec, f: &mut Vec<Finding>) {
    let given = spec
        .gateway_api_version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let watched = p.tlsroute_watched;
    let ctl = controller_label(p);
    match (given, watched.first()) {
        (None, None) => f.push(Finding::error(
            Code::PlatformUndocumented,
            SpecField::GatewayApiVersion,
            format!("the sources read for {} name no Envoy Gateway version, so the TLSRoute version its controller watches is not known, and msr-expose does not guess it", p.platform.label()),
            "read the controller's version (the image tag of the Deployment behind its GatewayClass: kubectl get deployment -A -l app.kubernetes.io/name=envoy-gateway -o wide); Envoy Gateway 1.6 and 1.7 watch v1alpha3, 1.8 and later v1: set gatewayApiVersion (--gateway-api-version)",
        )),
        (None, Some(w)) => {
            spec.gateway_api_version = Some(w.to_string());
            f.push(Finding::info(
                Code::PlatformFilled,
                SpecField::GatewayApiVersion,
                format!("gatewayApiVersion {w}: the TLSRoute version {ctl} watches"),
                "set gatewayApiVersion only for a cluster whose controller was upgraded",
            ));
        }
        (Some(v), Some(_)) if !watched.contains(&v) && crate::method::gateway::VERSIONS.contains(&v) => {
            f.push(Finding::error(
                Code::GatewayApiVersionUnwatched,
                SpecField::GatewayApiVersion,
                format!("{ctl} watches TLSRoute {} only: a TLSRoute {v} would never be read by it", watched.join(", ")),
                format!("remove gatewayApiVersion ({} is written), or upgrade Envoy Gateway to one that watches {v} (1.8 and later watch v1) and choose its profile", watched[0]),
            ));
        }
        _ => {}
    }
}

/// ingress-nginx on MKE: past its end of life, or only where kept.
fn ingress(platform: Platform, f: &mut Vec<Finding>) {
    let (message, fix) = match platform {
        Platform::Mke3 => (
            "MKE 3's NGINX Ingress Controller reached end of life on 2026-04-01; its support ends on 2026-12-31",
            "move to the gateway method with --platform mke3 (Envoy Gateway, MKE 3.9); until then passthrough needs ingress_extra_args.enable_ssl_passthrough = true in the MKE configuration",
        ),
        _ => (
            "MKE 4k has an NGINX Ingress Controller only on clusters upgraded with it (from MKE 3, or from MKE 4k before 4.1.3 with the ingress-nginx addon kept); fresh installs of 4.1.3 and later have none",
            "use the gateway method with the platform's profile (Envoy Gateway always runs there)",
        ),
    };
    f.push(Finding::warning(
        Code::PlatformIngressNginx,
        SpecField::Platform,
        message,
        fix,
    ));
}

#[cfg(test)]
mod tests {
    use crate::spec::Spec;
    use crate::validate::validate;

    /// (spec, codes that must appear, method of the valid spec or "" when
    /// withheld, reason)
    #[rustfmt::skip]
    const CASES: &[(&str, &[&str], &str, &str)] = &[
        ("platform: mke3\nexternalFqdn: cache.example.com\n", &["platform.filled", "platform.enable_gateway"], "gateway", "MKE 3.9: Envoy Gateway's documented class"),
        ("platform: mke3\nexternalFqdn: cache.example.com\ngatewayName: shared\n", &["platform.enable_gateway"], "gateway", "an existing Gateway: nothing filled"),
        ("platform: mke4k\nexternalFqdn: cache.example.com\n", &["platform.undocumented"], "", "MKE 4k names no class: said, not guessed"),
        ("platform: mke4k\nexternalFqdn: cache.example.com\ngatewayClassName: eg\n", &["platform.enable_gateway"], "gateway", "the operator's class"),
        ("platform: mke3\nmethod: ingress\nexternalFqdn: cache.example.com\n", &["platform.ingress_nginx"], "ingress", "NGINX Ingress past its end of life"),
        ("platform: mke4k\nmethod: ingress\nexternalFqdn: cache.example.com\n", &["platform.ingress_nginx"], "ingress", "only on upgraded clusters"),
        ("platform: mke4k\nnodeFqdn: w1.example.com\n", &[], "nodeport", "NodePort needs no preset"),
        ("platform: mke3\nmethod: istio\nexternalFqdn: cache.example.com\n", &["platform.method_foreign"], "istio", "MKE ships no Istio"),
        ("platform: mke3\nexternalFqdn: cache.example.com\ngatewayApiVersion: v1\n", &["gateway.api_version_unwatched"], "", "Envoy Gateway 1.7 never reads a v1 TLSRoute"),
        ("platform: mke-3.9\nexternalFqdn: cache.example.com\ngatewayApiVersion: v1alpha3\n", &["platform.filled"], "gateway", "the versioned name; the watched version given"),
        ("platform: mke4k-4.1\nexternalFqdn: cache.example.com\ngatewayClassName: eg\ngatewayApiVersion: v1alpha2\n", &["gateway.api_version_unwatched"], "", "served by 1.4.1's experimental CRDs, but Envoy Gateway 1.6.1 watches v1alpha3"),
        ("platform: mke-4.2\nexternalFqdn: cache.example.com\ngatewayClassName: eg\n", &["platform.undocumented"], "", "MKE 4.2's Envoy Gateway version is not in the sources: asked for"),
        ("platform: mke-4.2\nexternalFqdn: cache.example.com\ngatewayClassName: eg\ngatewayApiVersion: v1\n", &["platform.enable_gateway"], "gateway", "the operator read it from the cluster"),
        ("platform: envoy-gateway-1.6\nexternalFqdn: cache.example.com\ngatewayClassName: eg\n", &["platform.filled"], "gateway", "Envoy Gateway 1.6: v1alpha3 filled"),
        ("platform: envoy-gateway-1.8\nexternalFqdn: cache.example.com\ngatewayClassName: eg\ngatewayApiVersion: v1alpha3\n", &["gateway.api_version_unwatched"], "", "Envoy Gateway 1.8 watches v1"),
        ("platform: envoy-gateway-1.9\nexternalFqdn: cache.example.com\n", &["gateway.parent_missing"], "", "no class is documented for plain Envoy Gateway: the method asks"),
        ("platform: envoy-gateway-1.7\nmethod: ingress\nexternalFqdn: cache.example.com\n", &[], "ingress", "no MKE notes outside MKE"),
    ];

    #[test]
    fn envoy_gateway_versions_table() {
        // (image tag, watched, reason)
        let cases: &[(&str, Option<&[&str]>, &str)] = &[
            (
                "v1.6.1",
                Some(&["v1alpha3"]),
                "MKE 4k 4.1's, on Gateway API 1.4.1",
            ),
            ("v1.7.0", Some(&["v1alpha3"]), "MKE 3.9's"),
            ("1.8.0", Some(&["v1"]), "Gateway API 1.5.1: v1"),
            ("v1.9.2-rc.1", Some(&["v1"]), "a pre-release of 1.9"),
            ("v1.5.0", None, "before the sources: not guessed"),
            ("latest", None, "not a version"),
        ];
        for (tag, want, why) in cases {
            assert_eq!(super::envoy_gateway_watches(tag), *want, "{why}");
        }
        // Each profile's watched versions are its Envoy Gateway's.
        for p in super::PROFILES {
            if let Some(v) = p.envoy_gateway {
                assert_eq!(
                    super::envoy_gateway_watches(v),
                    Some(p.tlsroute_watched),
                    "{}",
                    p.platform
                );
            }
        }
    }

    #[test]
    fn presets_table() {
        for (yaml, must, method, why) in CASES {
            let spec = Spec::from_text(yaml).expect("spec");
            let (valid, findings) = validate(&spec);
            let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
            for c in *must {
                assert!(codes.contains(c), "{why}: {c} missing from {codes:?}");
            }
            let got = valid.map(|v| v.method().name()).unwrap_or_default();
            assert_eq!(got, *method, "{why}: {codes:?}");
        }
    }

    /// A preset is a fill-in: its output is the gateway method's, byte for
    /// byte, with the documented class and the watched TLSRoute version.
    #[test]
    fn the_preset_writes_what_the_gateway_method_writes() {
        let preset =
            Spec::from_text("platform: mke3\nexternalFqdn: cache.example.com\n").expect("spec");
        let explicit = Spec::from_text(&format!(
            "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: {}\ngatewayApiVersion: v1alpha3\n",
            super::MKE3_GATEWAY_CLASS
        ))
        .expect("spec");
        let a = crate::generate(&preset).output.expect("output");
        let b = crate::generate(&explicit).output.expect("output");
        assert_eq!(a.yaml, b.yaml);
    }
}
