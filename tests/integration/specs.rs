//! Named specs covering every method and its options, shared by the golden,
//! round-trip and schema tests.

use msr_expose_core::Spec;

/// `(name, spec as YAML)`; names become snapshot names.
pub const SPECS: &[(&str, &str)] = &[
    (
        "nodeport_default",
        "method: nodeport\nnodeFqdn: worker1.example.com\n",
    ),
    (
        "nodeport_pinned",
        "method: nodeport\nnodeFqdn: worker1.example.com\nnodePort: 30443\n",
    ),
    (
        "nodeport_ipv4",
        "method: nodeport\nnodeFqdn: 192.0.2.10\nnodePort: 32443\n",
    ),
    (
        "nodeport_ipv6",
        "method: nodeport\nnodeFqdn: 2001:db8::10\n",
    ),
    (
        "nodeport_custom",
        "method: nodeport\nnamespace: registry-edge\nname: cache-eu1\nselector:\n  app.kubernetes.io/name: msr-cache\n  tier: edge\nport: 8443\ntargetPort: 443\ncaFile: certs/ca.pem\nnodeFqdn: Worker-7.DC1.example.net.\nnodePortRange: 20000-22767\nnodePort: 20100\n",
    ),
    (
        "ingress_default",
        "method: ingress\nexternalFqdn: cache.example.com\n",
    ),
    (
        "ingress_vendor_path_legacy",
        "method: ingress\nexternalFqdn: cache.example.com\npath: /cache\nlegacySecureBackends: true\n",
    ),
    (
        "ingress_idn_class",
        "method: ingress\nexternalFqdn: bücher.example\ningressClassName: haproxy\n",
    ),
    (
        "ingress_inferred",
        "externalFqdn: cache.example.com\nnamespace: msr-edge\n",
    ),
    (
        "loadbalancer_default",
        "method: loadbalancer\nexternalFqdn: cache.example.com\n",
    ),
    (
        "loadbalancer_fixed_address",
        "method: loadbalancer\nexternalFqdn: 192.0.2.50\nloadBalancerIp: 192.0.2.50\nlegacyLoadBalancerIp: true\nloadBalancerClass: example.com/internal\nexternalTrafficPolicy: Local\nport: 8443\n",
    ),
    (
        "gateway_create",
        "method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: cilium\n",
    ),
    (
        "gateway_attach_v1alpha2",
        "externalFqdn: cache.example.com\ngatewayName: shared-gateway\ngatewayNamespace: infra\nlistenerName: tls\ngatewayApiVersion: v1alpha2\n",
    ),
    (
        "gateway_listener_set",
        "method: gateway\nexternalFqdn: cache.example.com\nlistenerSetName: cache-listeners\nlistenerName: tls\n",
    ),
    (
        "traefik_default",
        "method: traefik\nexternalFqdn: cache.example.com\n",
    ),
    (
        "traefik_entry_points",
        "method: traefik\nexternalFqdn: cache.example.com\nentryPoints: [tls, websecure]\nnamespace: registry\n",
    ),
    (
        "openshift_default",
        "method: openshift\nexternalFqdn: cache.apps.ocp.example.com\n",
    ),
    (
        "openshift_redirect_custom",
        "insecureEdgeTerminationPolicy: Redirect\nexternalFqdn: Cache.Apps.OCP.example.com.\nnamespace: registry-edge\nname: cache-eu1\nport: 8443\ntargetPort: 5443\n",
    ),
    (
        "istio_default",
        "method: istio\nexternalFqdn: cache.example.com\n",
    ),
    (
        "istio_selector",
        "method: istio\nexternalFqdn: cache.example.com\nistioSelector:\n  istio: eu-ingressgateway\n  app: istio-ingressgateway\nnamespace: registry\n",
    ),
    (
        "preset_mke3",
        "platform: mke3\nexternalFqdn: cache.example.com\n",
    ),
    (
        "preset_mke4k_class",
        "platform: mke4k\nexternalFqdn: cache.example.com\ngatewayClassName: envoy-gateway\n",
    ),
    (
        "preset_mke3_ingress",
        "platform: mke3\nmethod: ingress\nexternalFqdn: cache.example.com\n",
    ),
    (
        "istio_existing_gateway",
        "istioGateway: istio-system/shared-gateway\nexternalFqdn: bücher.example\n",
    ),
];

/// Whether a named case's objects are core Kubernetes kinds (validated by
/// kubernetes-validate) rather than custom resources (validated against
/// their CRDs' schemas in tests/e2e/crd-schemas.test.mjs).
pub fn core_kinds(name: &str) -> bool {
    name.starts_with("nodeport")
        || name.starts_with("ingress")
        || name.starts_with("loadbalancer")
        || name == "preset_mke3_ingress"
}

/// The parsed spec of a named case.
pub fn spec(yaml: &str) -> Spec {
    Spec::from_text(yaml).unwrap_or_else(|f| panic!("fixture spec invalid: {f}"))
}
