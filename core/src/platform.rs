//! Platform presets: what Mirantis Kubernetes Engine installs, filled into a
//! spec before it is validated. A preset is a fill-in, not a method: the
//! output is the same Gateway and TLSRoute the gateway method writes, with
//! the values MKE's documentation gives; a value it does not give is said,
//! never guessed.
//!
//! What the documentation says (Mirantis, read for this module):
//! - MKE 3.9 (Operations Guide, "Envoy Gateway Controller"): Envoy Gateway
//!   takes the place of the NGINX Ingress Controller; the default
//!   GatewayClass is `envoy-gatewayingress`, its controller
//!   `gateway.envoyproxy.io/mke-gatewayclass-controller`; it runs once
//!   `[cluster_config.gateway_controller] enabled = true` is set in the MKE
//!   configuration (or Admin Settings > Gateway). The bundled NGINX Ingress
//!   reached end of life on 2026-04-01, support ending 2026-12-31.
//! - MKE 4k 4.1.3 and later (Configuration > Ingress > Gateway API): Envoy
//!   Gateway always runs — it serves MKE's own management ingress and cannot
//!   be disabled; NGINX Ingress exists only on clusters upgraded with it.
//!   The pages read name no GatewayClass for workloads.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::method::Method;
pub use crate::spec::Platform;
use crate::spec::Spec;

/// The GatewayClass MKE 3.9 installs for its Envoy Gateway.
pub const MKE3_GATEWAY_CLASS: &str = "envoy-gatewayingress";
/// Its controller.
pub const MKE3_CONTROLLER: &str = "gateway.envoyproxy.io/mke-gatewayclass-controller";

/// The spec with the platform's values filled in, and findings saying what
/// was filled, from where, and what the documentation leaves open. Without
/// a platform the spec is returned as it is.
pub fn fill(spec: &Spec, f: &mut Vec<Finding>) -> Spec {
    let mut out = spec.clone();
    let Some(platform) = spec.platform else {
        return out;
    };
    // No method named, and nothing set but what a Gateway takes: MKE's
    // ingress is Envoy Gateway, so the method is the Gateway API's.
    if out.method.is_none()
        && crate::method::set_fields(&out)
            .iter()
            .all(|x| Method::Gateway.about().fields.contains(x))
    {
        out.method = Some(Method::Gateway);
    }
    match out.method {
        Some(Method::Gateway) => gateway(platform, &mut out, f),
        Some(Method::Ingress) => ingress(platform, f),
        Some(m @ (Method::Openshift | Method::Istio)) => f.push(Finding::warning(
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
        )),
        _ => {}
    }
    out
}

/// The Gateway API path: the GatewayClass MKE documents, when it names one.
fn gateway(platform: Platform, spec: &mut Spec, f: &mut Vec<Finding>) {
    let parent_given = spec.gateway_class_name.is_some()
        || spec.gateway_name.is_some()
        || spec.listener_set_name.is_some();
    match platform {
        Platform::Mke3 => {
            if !parent_given {
                spec.gateway_class_name = Some(MKE3_GATEWAY_CLASS.to_string());
                f.push(Finding::info(
                    Code::PlatformFilled,
                    SpecField::GatewayClassName,
                    format!("gatewayClassName {MKE3_GATEWAY_CLASS}: the GatewayClass MKE 3.9 installs for its Envoy Gateway (controller {MKE3_CONTROLLER})"),
                    "set gatewayClassName (or gatewayName) to use another",
                ));
            }
            f.push(Finding::info(
                Code::PlatformEnableGateway,
                SpecField::Platform,
                "MKE 3.9 runs Envoy Gateway only once it is enabled; TLS passthrough then needs nothing more (a TLS listener in Passthrough mode is Envoy Gateway's own)",
                "set [cluster_config.gateway_controller] enabled = true in the MKE configuration file (or Admin Settings > Gateway in the web UI); kubectl get gatewayclass envoy-gatewayingress shows it Accepted",
            ));
        }
        Platform::Mke4k => {
            if !parent_given {
                f.push(Finding::error(
                    Code::PlatformUndocumented,
                    SpecField::GatewayClassName,
                    "MKE 4k's documentation does not name the GatewayClass of its Envoy Gateway for workloads, so msr-expose does not guess one",
                    "kubectl get gatewayclass lists it (its controller is Envoy Gateway's, gateway.envoyproxy.io/…): set gatewayClassName (--gateway-class) to it, or attach to an existing Gateway with gatewayName",
                ));
            }
            f.push(Finding::info(
                Code::PlatformEnableGateway,
                SpecField::Platform,
                "MKE 4k always runs Envoy Gateway (it serves MKE's management ingress and cannot be disabled); TLS passthrough needs nothing more than a TLS listener in Passthrough mode",
                "kubectl get gatewayclass shows Envoy Gateway's class Accepted; TLSRoute v1 needs the Gateway API's standard CRDs of 1.5 or later (gatewayApiVersion v1alpha2 for older ones)",
            ));
        }
    }
}

/// ingress-nginx on MKE: past its end of life, or only where kept.
fn ingress(platform: Platform, f: &mut Vec<Finding>) {
    let (message, fix) = match platform {
        Platform::Mke3 => (
            "MKE 3's NGINX Ingress Controller reached end of life on 2026-04-01; its support ends on 2026-12-31",
            "move to the gateway method with --platform mke3 (Envoy Gateway, MKE 3.9); until then passthrough needs ingress_extra_args.enable_ssl_passthrough = true in the MKE configuration",
        ),
        Platform::Mke4k => (
            "MKE 4k has an NGINX Ingress Controller only on clusters upgraded with it (from MKE 3, or from MKE 4k before 4.1.3 with the ingress-nginx addon kept); fresh installs of 4.1.3 and later have none",
            "use the gateway method with --platform mke4k (Envoy Gateway always runs there)",
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
    ];

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
    /// byte, with the documented class.
    #[test]
    fn the_preset_writes_what_the_gateway_method_writes() {
        let preset =
            Spec::from_text("platform: mke3\nexternalFqdn: cache.example.com\n").expect("spec");
        let explicit = Spec::from_text(&format!(
            "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: {}\n",
            super::MKE3_GATEWAY_CLASS
        ))
        .expect("spec");
        let a = crate::generate(&preset).output.expect("output");
        let b = crate::generate(&explicit).output.expect("output");
        assert_eq!(a.yaml, b.yaml);
    }
}
