//! A NodePort Service: clients connect to `https://<worker node>:<node
//! port>` and TLS ends at the cache. The node is named by FQDN (or address,
//! with an IP SAN); the port is pinned inside the cluster's node port range
//! or allocated by the API server.

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, MethodKind, Page, SERVICES,
};
use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Host, HostRole, check_host};
use crate::object::{Object, PORT_NAME, service};
use crate::shell::{Part, ShellError, Word};
use crate::spec::{DEFAULT_NODE_PORT_RANGE, Spec};
use crate::step::{Step, StepBuilder, StepContext};
use k8s_openapi::api::core::v1::ServiceSpec;
use std::collections::BTreeMap;
use std::ops::RangeInclusive;

/// The manifest file name (vendor doc).
pub const FILE: &str = "msrcacheservice.yaml";
/// Shell variable holding the allocated node port.
pub const NODE_PORT_VAR: &str = "NODE_PORT";

/// A validated NodePort exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodePort {
    /// The worker node clients connect to.
    pub node: Host,
    /// A pinned node port; `None` lets the API server allocate one.
    pub node_port: Option<u16>,
}

impl MethodKind for NodePort {
    const ABOUT: About = About {
        title: "a NodePort Service",
        summary: "clients connect to https://<worker node>:<node port>; TLS ends at the cache",
        file: FILE,
        host: (SpecField::NodeFqdn, HostRole::Node),
        fields: &[
            SpecField::NodeFqdn,
            SpecField::NodePort,
            SpecField::NodePortRange,
        ],
        routes_to_service: false,
    };
    const PAGE: Page = Page {
        label: "NodePort",
        when: "Clients reach a worker node at https://<node-fqdn>:<nodePort>. Pick it when the certificate names a worker node and no load balancer or controller is at hand.",
        form: &[
            FormField::text(
                SpecField::NodeFqdn,
                "Worker node FQDN",
                "A worker node's name that is a SAN of the cache certificate (an IP needs an IP SAN).",
                "worker1.example.com",
            ),
            FormField::text(
                SpecField::NodePort,
                "Node port (optional)",
                "Leave empty to let Kubernetes allocate one (30000-32767).",
                "allocated",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[SERVICES],
        waits_for: "the node port",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        check(spec, f)
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        super::kind::external_service(o, common, "NodePort")
    }
}

impl Exposed for NodePort {
    fn host(&self) -> Host {
        self.node.clone()
    }

    fn client_port(&self, _common: &Common) -> Result<Option<u16>, Finding> {
        match self.node_port {
            Some(p) => Ok(Some(p)),
            None => Err(Finding::error(
                Code::ClientsPortUnknown,
                SpecField::NodePort,
                "the node port is allocated by the cluster, so the clients' certs.d directory name (host:port) is not known yet",
                "pin nodePort (or give --node-port with the port apply reported) to write the client files",
            )),
        }
    }

    fn endpoint(&self, _common: &Common) -> Word {
        match self.node_port {
            Some(p) => Word::lit(format!("https://{}:{p}", self.node.url_host())),
            None => Word(vec![
                Part::Lit(format!("https://{}:", self.node.url_host())),
                Part::Var(NODE_PORT_VAR),
            ]),
        }
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        vec![service(
            common,
            "NodePort",
            self.node_port,
            BTreeMap::new(),
            ServiceSpec::default(),
        )]
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        let spec = cx.spec;
        let (ns, name) = (spec.namespace.as_str(), spec.name.as_str());
        let (node, node_port) = (&self.node, self.node_port);
        let mut out = vec![cx.apply().build()?];
        let port_column = match node_port {
            Some(p) => format!("{}:{p}/TCP", spec.port),
            None => format!("{}:<nodePort>/TCP", spec.port),
        };
        out.push(
            StepBuilder::new(
                "List the Services",
                format!("The {name} Service is of type NodePort; the PORT(S) column shows the node port after the colon."),
            )
            .cmd(["kubectl", "-n", ns, "get", "services"])
            .expect(format!("{name}   NodePort   …   {port_column}   …"))
            .build()?,
        );
        if node_port.is_none() {
            out.push(
                StepBuilder::new(
                    "Read the allocated node port",
                    format!("Kubernetes allocated the node port; keep it in {NODE_PORT_VAR} for the next steps."),
                )
                .cmd([
                    "kubectl",
                    "-n",
                    ns,
                    "get",
                    "service",
                    name,
                    "-o",
                    &format!("jsonpath={{.spec.ports[?(@.name==\"{PORT_NAME}\")].nodePort}}"),
                ])
                .sets(NODE_PORT_VAR)
                .expect("a port from the node port range, such as 31234")
                .build()?,
            );
        }
        let reach = match node {
            Host::Name(n) => {
                format!("{n} must resolve from the client and be a SAN of the cache certificate")
            }
            Host::Ip(ip) => format!("the cache certificate must carry the IP SAN {ip}"),
        };
        out.push(cx.curl(
            "Test the endpoint",
            format!(
                "Ask the cache for its catalog through the node port, trusting only {}; {reach}. Without --cacert curl would not know the cache's CA; never use -k.",
                spec.ca_file
            ),
        )?);
        Ok(out)
    }
}

impl Drawn for NodePort {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        let np = self
            .node_port
            .map_or_else(|| ":<allocated>".into(), |p| format!(":{p}"));
        vec![
            Hop::new(
                "worker node",
                [self.node.to_string(), format!("node port {np}")],
            ),
            Hop::new(
                format!("Service {}", common.name),
                ["type NodePort".into(), format!(":{}", common.port)],
            ),
        ]
    }

    fn requires(&self, _common: &Common) -> Vec<String> {
        vec!["a worker node clients reach at the node FQDN, with the node port open in the firewalls between".into()]
    }
}

fn check(spec: &Spec, f: &mut Vec<Finding>) -> Option<NodePort> {
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
    Some(NodePort { node, node_port })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Method;
    use crate::validate::validate;

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
