//! An ingress-nginx Ingress with `ssl-passthrough`: clients connect to
//! `https://<external FQDN>`, the controller routes by SNI and passes TLS
//! through to the cache Service. ingress-nginx was retired in March 2026;
//! this is for clusters that still run it (MKE 3 upgraded with it). The
//! vendor page's traps are caught: a non-root path is ignored under
//! passthrough, `secure-backends` was removed in 0.21.

use super::kind::{
    About, Apply, ClusterObject, Drawn, Exposed, FormField, Hop, Listed, MethodKind, Page,
};
use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::k8s_names::{NameRule, check_name};
use crate::object::{Object, metadata};
use crate::shell::ShellError;
use crate::spec::{DEFAULT_INGRESS_CLASS, DEFAULT_PATH, Spec};
use crate::step::{Step, StepBuilder, StepContext};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// The manifest file name (vendor doc).
pub const FILE: &str = "msrcacheingress.yaml";
/// The annotation that makes ingress-nginx pass TLS through by SNI.
pub const SSL_PASSTHROUGH: &str = "nginx.ingress.kubernetes.io/ssl-passthrough";
/// The vendor's annotation, removed in ingress-nginx 0.21.
pub const SECURE_BACKENDS: &str = "nginx.ingress.kubernetes.io/secure-backends";
/// Shell variable holding the ingress controller's address.
pub const CONTROLLER_VAR: &str = "CONTROLLER_ADDRESS";

/// Ingresses (`networking.k8s.io/v1`).
pub const INGRESSES: Listed = Listed {
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    plural: "ingresses",
};

/// A validated ingress-nginx exposure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressNginx {
    /// The external FQDN.
    pub host: Fqdn,
    /// The ingress class.
    pub class: String,
    /// The path (normally `/`).
    pub path: String,
    /// Also emit the legacy `secure-backends` annotation.
    pub legacy_secure_backends: bool,
}

impl MethodKind for IngressNginx {
    const ABOUT: About = About {
        title: "an ingress-nginx Ingress (ssl-passthrough)",
        summary: "clients connect to https://<external FQDN>; ingress-nginx passes TLS through to the cache (retired in March 2026)",
        file: FILE,
        host: (SpecField::ExternalFqdn, HostRole::IngressHost),
        fields: &[
            SpecField::ExternalFqdn,
            SpecField::IngressClassName,
            SpecField::Path,
            SpecField::LegacySecureBackends,
        ],
        routes_to_service: true,
    };
    const PAGE: Page = Page {
        label: "Ingress (TLS passthrough)",
        when: "Clients reach https://<external-fqdn> through ingress-nginx, which passes TLS through. ingress-nginx was retired in March 2026: for clusters that still run it (MKE 3 clusters upgraded with it).",
        form: &[
            FormField::text(
                SpecField::ExternalFqdn,
                "External cache FQDN",
                "The name clients use; a DNS record points it at the ingress controller, and it is a SAN of the certificate.",
                "cache.example.com",
            ),
            FormField::text(
                SpecField::IngressClassName,
                "Ingress class",
                "ingress-nginx by default; another controller must pass TLS through.",
                "nginx",
            ),
            FormField::text(
                SpecField::Path,
                "Path",
                "Keep / : other paths are ignored under ssl-passthrough.",
                "/",
            ),
            FormField::checkbox(
                SpecField::LegacySecureBackends,
                "Add the legacy secure-backends annotation (ingress-nginx older than 0.21 only)",
            ),
        ],
    };
    const APPLY: Apply = Apply {
        lists: &[INGRESSES],
        waits_for: "the ingress controller's address",
    };

    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self> {
        check(spec, f)
    }

    fn exposes(o: &ClusterObject<'_>, common: &Common) -> bool {
        let spec = &o.data["spec"];
        let names = |b: &Value| b["service"]["name"].as_str() == Some(common.name.as_str());
        let paths = super::kind::items(&spec["rules"])
            .flat_map(|r| super::kind::items(&r["http"]["paths"]))
            .any(|p| names(&p["backend"]));
        o.kind == "Ingress" && (names(&spec["defaultBackend"]) || paths)
    }
}

impl Exposed for IngressNginx {
    fn host(&self) -> Host {
        Host::Name(self.host.clone())
    }

    fn objects(&self, common: &Common) -> Vec<Object> {
        vec![ingress(
            common,
            self.host.as_str(),
            &self.class,
            &self.path,
            self.legacy_secure_backends,
        )]
    }

    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError> {
        let spec = cx.spec;
        let (ns, name) = (spec.namespace.as_str(), spec.name.as_str());
        let host = &self.host;
        let mut out = vec![cx.check_service()?];
        out.push(
            StepBuilder::new(
                "Find the ingress controller's address",
                "The EXTERNAL-IP of the controller's Service is where the DNS record must point (for a controller exposed on node ports or host ports, use a node's address).",
            )
            .cmd([
                "kubectl",
                "get",
                "services",
                "--all-namespaces",
                "-l",
                "app.kubernetes.io/component=controller",
                "-o",
                "wide",
            ])
            .expect("ingress-nginx-controller   LoadBalancer   …   <controller address>   80:…/TCP,443:…/TCP")
            .build()?,
        );
        out.push(
            StepBuilder::new(
                "Create the DNS record",
                format!(
                    "In your DNS, point {host} at the controller's address: an A (or AAAA) record for an IP, a CNAME for a load balancer name. {host} must also be a SAN of the cache certificate."
                ),
            )
            .expect(format!("{host}.  300  IN  A  <controller address>"))
            .build()?,
        );
        out.push(cx.apply().build()?);
        out.push(
            StepBuilder::new(
                "Check the Ingress",
                "The ADDRESS column fills in once the controller has picked the Ingress up.",
            )
            .cmd(["kubectl", "-n", ns, "get", "ingress", name])
            .expect(format!(
                "{name}   <class>   {host}   <controller address>   80, 443   …"
            ))
            .build()?,
        );
        out.push(
            StepBuilder::new(
                "Read the controller's address from the Ingress",
                format!("For testing before the DNS record exists; keep it in {CONTROLLER_VAR}."),
            )
            .cmd([
                "kubectl",
                "-n",
                ns,
                "get",
                "ingress",
                name,
                "-o",
                "jsonpath={.status.loadBalancer.ingress[0].ip}",
            ])
            .sets(CONTROLLER_VAR)
            .expect("the controller's IP address")
            .build()?,
        );
        out.push(cx.curl_resolve(
            (host.as_str(), 443),
            CONTROLLER_VAR,
            "Test the endpoint before DNS exists",
            format!(
                "The same test, sending {host} to the controller's address without DNS; the name still goes out as SNI, which is what passthrough routes on."
            ),
        )?);
        out.push(cx.curl(
            "Test the endpoint",
            format!(
                "Ask the cache for its catalog through the ingress controller, trusting only {}. The TLS session goes through to the cache untouched (ssl-passthrough), so the certificate seen is the cache's own.",
                spec.ca_file
            ),
        )?);
        Ok(out)
    }
}

impl Drawn for IngressNginx {
    fn hops(&self, common: &Common) -> Vec<Hop> {
        vec![
            Hop::dns(&self.host),
            Hop::new(
                "ingress controller",
                [":443".into(), "ssl-passthrough (by SNI)".into()],
            ),
            Hop::cluster_ip(common),
        ]
    }

    fn requires(&self, common: &Common) -> Vec<String> {
        vec![
            super::kind::needs_service(common),
            format!(
                "the ingress controller of class {}, running with --enable-ssl-passthrough",
                self.class
            ),
        ]
    }
}

fn check(spec: &Spec, f: &mut Vec<Finding>) -> Option<IngressNginx> {
    let host = super::kind::external_name(spec, Code::IngressExternalFqdnMissing, "Ingress", f);

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

    Some(IngressNginx {
        host: host?,
        class,
        path,
        legacy_secure_backends: legacy,
    })
}

fn ingress(spec: &Common, host: &str, class: &str, path: &str, legacy: bool) -> Object {
    let mut annotations = BTreeMap::from([(SSL_PASSTHROUGH.to_string(), "true".to_string())]);
    if legacy {
        annotations.insert(SECURE_BACKENDS.to_string(), "true".to_string());
    }
    let backend = IngressBackend {
        service: Some(IngressServiceBackend {
            name: spec.name.clone(),
            port: Some(ServiceBackendPort {
                number: Some(i32::from(spec.port)),
                name: None,
            }),
        }),
        resource: None,
    };
    Object::core(&Ingress {
        metadata: metadata(spec, annotations),
        spec: Some(IngressSpec {
            ingress_class_name: Some(class.to_string()),
            tls: Some(vec![IngressTLS {
                hosts: Some(vec![host.to_string()]),
                secret_name: None,
            }]),
            rules: Some(vec![IngressRule {
                host: Some(host.to_string()),
                http: Some(HTTPIngressRuleValue {
                    paths: vec![HTTPIngressPath {
                        path: Some(path.to_string()),
                        path_type: "Prefix".to_string(),
                        backend,
                    }],
                }),
            }]),
            default_backend: None,
        }),
        status: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::spec::{Method, Spec};
    use crate::validate::validate;

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
}
