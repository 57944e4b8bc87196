//! Named specs covering both methods and their options, shared by the golden,
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
];

/// The parsed spec of a named case.
pub fn spec(yaml: &str) -> Spec {
    Spec::from_text(yaml).unwrap_or_else(|f| panic!("fixture spec invalid: {f}"))
}
