//! OpenShift: a Route (`route.openshift.io/v1`) with
//! `tls.termination: passthrough`. The router (HAProxy) matches the host by
//! SNI and hands the TLS session to the cache Service untouched, so the
//! certificate clients see is the cache's own. A passthrough Route carries no
//! certificate and no path; `insecureEdgeTerminationPolicy` may only be
//! `None` or `Redirect`; the router admits hosts of two labels or more.

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Listed, MethodKind, Page,
};
use crate::codes::Code;
use crate::common::Common;
use crate::crd::CustomResource;
use crate::crd::openshift::{
    InsecurePolicy, RoutePort, RouteSpec, RouteTargetReference, Termination, TlsConfig,
    WildcardPolicy,
};
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::object::{Object, metadata};
use crate::shell::{Part, ShellError, Word};
use crate::spec::Spec;
use crate::step::{Step, StepBuilder, StepContext, curl_base};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The manifest file name.
pub const FILE: &str = "msrcacheroute.yaml";
/// Shell variable holding the router's canonical host name.
pub const ROUTER_VAR: &str = "ROUTER_HOST";

/// Routes (`route.openshift.io/v1`).
pub const ROUTES: Listed = Listed {
    group: "route.openshift.io",
    version: "v1",
    kind: "Route",
    plural: "routes",
};

/// A validated OpenShift Route exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The Route's host.
    pub host: Fqdn,
    /// `tls.insecureEdgeTerminationPolicy`, when set.
    pub insecure: Option<InsecurePolicy>,
}

impl MethodKind for Route {
    const ABOUT: About = About {
        title: "an OpenShift Route (TLS passthrough)",
        summary: "clients connect to https://<external FQDN>; the OpenShift router routes by SNI and passes TLS through to the cache",
        file: FILE,
        host: (SpecField::ExternalFqdn, HostRole::IngressHost),
        fields: &[
            SpecField::ExternalFqdn,
            SpecField::InsecureEdgeTerminationPolicy,
        ],
        routes_to_service: true,
    };
    const PAGE: Page = Page {
        label: "OpenShift Route (TLS passthrough)",
        when: "Clients reach https://<external-fqdn> through the OpenShift router, which routes by SNI and passes TLS through (Route, tls.termination: passthrough). Pick it on OpenShift.",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN",
                "The Route's host: clients send it as SNI and it is a SAN of the certificate. A name under the cluster's apps domain resolves to the router already.",
                "cache.apps.example.com",
            ),
            FormField::text(
                SpecField::InsecureEdgeTerminationPolicy,
                "Plain HTTP (optional)",
                "None (the default) refuses http://; Redirect sends it to https://. Passthrough allows no other.",
                "None",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[ROUTES],
        waits_for: "the router to admit the Route",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        let host = super::kind::external_name(
            spec,
            Code::OpenshiftExternalFqdnMissing,
            "An OpenShift Route",
            f,
        );
        if let Some(h) = &host
            && !h.as_str().contains('.')
        {
            f.push(Finding::error(
                Code::OpenshiftHostOneLabel,
                SpecField::ExternalFqdn,
                format!("the Route host `{h}` has one label; the router admits hosts of two labels or more"),
                "use the full name clients resolve, such as cache.apps.example.com",
            ));
            return None;
        }
        let insecure = match spec.insecure_edge_termination_policy.as_deref() {
            None => None,
            Some("None") => Some(InsecurePolicy::None),
            Some("Redirect") => {
                f.push(Finding::info(
                    Code::OpenshiftInsecureRedirect,
                    SpecField::InsecureEdgeTerminationPolicy,
                    "plain http:// requests to the host are redirected to https://",
                    "registry clients speak HTTPS only; None refuses plain HTTP outright",
                ));
                Some(InsecurePolicy::Redirect)
            }
            Some(other) => {
                f.push(Finding::error(
                    Code::OpenshiftInsecurePolicyInvalid,
                    SpecField::InsecureEdgeTerminationPolicy,
                    format!(
                        "`{}` is not allowed on a passthrough Route",
                        other.escape_debug()
                    ),
                    "use None (plain HTTP refused) or Redirect; the API refuses Allow under passthrough, and the values are case-sensitive",
                ));
                return None;
            }
        };
        f.push(Finding::info(
            Code::OpenshiftRouterPassthrough,
            SpecField::ExternalFqdn,
            "the OpenShift router passes TLS through by SNI: clients connect to the router on 443, and the certificate they see is the cache's own",
            "the host must resolve to the router (a name under the cluster's apps domain does, through its wildcard record; another needs a DNS record pointing at the router's canonical host name)",
        ));
        Some(Route {
            host: host?,
            insecure,
        })
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        let spec = &o.data["spec"];
        let to_cache = |t: &serde_json::Value| {
            t["name"].as_str() == Some(common.name.as_str())
                && t["kind"].as_str().is_none_or(|k| k == "Service")
        };
        o.kind == "Route"
            && (to_cache(&spec["to"])
                || super::kind::items(&spec["alternateBackends"]).any(to_cache))
    }
}

impl Exposed for Route {
    fn host(&self) -> Host {
        Host::Name(self.host.clone())
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        vec![Object::custom(&CustomResource::new(
            "v1",
            metadata(common, Default::default()),
            RouteSpec {
                host: self.host.to_string(),
                to: RouteTargetReference {
                    kind: "Service",
                    name: common.name.clone(),
                    weight: 100,
                },
                port: RoutePort {
                    target_port: IntOrString::Int(i32::from(common.target_port)),
                },
                tls: TlsConfig {
                    termination: Termination::Passthrough,
                    insecure_edge_termination_policy: self.insecure,
                },
                wildcard_policy: WildcardPolicy::None,
            },
        ))]
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        let (ns, name) = (cx.spec.namespace.as_str(), cx.spec.name.as_str());
        let host = self.host.as_str();
        let mut out = vec![cx.check_service()?, cx.apply().build()?];
        out.push(
            StepBuilder::new(
                "Check that the router admitted the Route",
                format!("The router admits the Route when no other Route claims {host} (the oldest Route of a host wins); oc -n {ns} describe route {name} says why not."),
            )
            .cmd(get_route(ns, name, "{.status.ingress[0].conditions[?(@.type==\"Admitted\")].status}"))
            .expect("True")
            .build()?,
        );
        out.push(
            StepBuilder::new(
                "Read the router's host name",
                format!("The router's canonical host name is where {host} must resolve; keep it in {ROUTER_VAR}."),
            )
            .cmd(get_route(ns, name, "{.status.ingress[0].routerCanonicalHostname}"))
            .sets(ROUTER_VAR)
            .expect("router-default.apps.<cluster domain>")
            .build()?,
        );
        out.push(
            StepBuilder::new(
                "Create the DNS record",
                format!(
                    "A name under the cluster's apps domain already resolves to the router through its wildcard record; for another, point {host} at ${ROUTER_VAR} with a CNAME record. {host} must also be a SAN of the cache certificate."
                ),
            )
            .expect(format!("{host}.  300  IN  CNAME  <router host name>."))
            .build()?,
        );
        out.push(
            curl_base(cx.spec)
                .titled(
                    "Test the endpoint before DNS exists",
                    format!("The same test, connecting to the router by its host name without a record for {host}; the name still goes out as SNI, which the router routes on."),
                )
                .cmd(["--connect-to"])
                .word(Word(vec![
                    Part::Lit(format!("{host}:443:")),
                    Part::Var(ROUTER_VAR),
                    Part::Lit(":443".into()),
                ]))
                .word(cx.catalog())
                .expect(crate::step::EMPTY_CATALOG)
                .build()?,
        );
        out.push(cx.curl(
            "Test the endpoint",
            format!(
                "Ask the cache for its catalog through the OpenShift router, trusting only {}. Under passthrough the router does not terminate TLS, so the certificate seen is the cache's own.",
                cx.spec.ca_file
            ),
        )?);
        Ok(out)
    }
}

/// `kubectl -n NS get route NAME -o jsonpath=PATH`.
fn get_route(ns: &str, name: &str, path: &str) -> [String; 8] {
    [
        "kubectl",
        "-n",
        ns,
        "get",
        "route",
        name,
        "-o",
        &format!("jsonpath={path}"),
    ]
    .map(String::from)
}

impl Drawn for Route {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        vec![
            Hop::dns(&self.host),
            Hop::new(
                "OpenShift router",
                [":443".into(), "passthrough (by SNI)".into()],
            ),
            Hop::new(
                format!("Route {}", common.name),
                [self.host.to_string(), "passes TLS on".into()],
            ),
            Hop::cluster_ip(common),
        ]
    }

    fn requires(&self, common: &Common) -> Vec<String> {
        vec![
            super::kind::needs_service(common),
            "OpenShift's router (route.openshift.io/v1 Routes), which passes TLS through by SNI"
                .into(),
        ]
    }
}
