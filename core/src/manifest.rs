//! The Kubernetes objects that expose the cache, built as typed k8s-openapi
//! values and serialized in exactly one place each for YAML and JSON.

use crate::validate::{Exposure, ValidSpec};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// File name of the NodePort Service manifest (vendor doc).
pub const SERVICE_FILE: &str = "msrcacheservice.yaml";
/// File name of the Ingress manifest (vendor doc).
pub const INGRESS_FILE: &str = "msrcacheingress.yaml";
/// Name of the Service port the cache serves HTTPS on.
pub const PORT_NAME: &str = "https";
/// The annotation that makes ingress-nginx pass TLS through by SNI.
pub const SSL_PASSTHROUGH: &str = "nginx.ingress.kubernetes.io/ssl-passthrough";
/// The vendor's annotation, removed in ingress-nginx 0.21.
pub const SECURE_BACKENDS: &str = "nginx.ingress.kubernetes.io/secure-backends";

/// The objects that expose the cache.
#[derive(Debug, Clone, PartialEq)]
pub enum Manifest {
    /// NodePort and LoadBalancer: the Service.
    Service(Box<Service>),
    /// Ingress: an Ingress routing the external FQDN to the cache Service.
    Ingress(Box<Ingress>),
    /// Custom resources (Gateway API, Traefik), in apply order.
    Custom(Vec<CustomObject>),
}

/// An object of a custom resource kind, built as JSON (its CRD is not among
/// k8s-openapi's types): what `apply` needs to address it, and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomObject {
    /// `group/version`.
    pub api_version: String,
    /// The kind.
    pub kind: &'static str,
    /// The resource's plural name (its REST path).
    pub plural: &'static str,
    /// The object's name.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
    /// The whole object.
    pub body: serde_json::Value,
}

/// Why a manifest could not be serialized. Not expected for built objects;
/// surfaced rather than hidden.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SerializeError {
    /// The YAML or JSON serializer refused the object.
    #[error("cannot serialize {kind} to {format}: {reason}")]
    Failed {
        /// The object kind.
        kind: &'static str,
        /// `yaml` or `json`.
        format: &'static str,
        /// The serializer's message.
        reason: String,
    },
}

impl Manifest {
    /// Builds the object for a valid spec.
    pub fn build(spec: &ValidSpec) -> Manifest {
        if let Some(m) = crate::method::manifest(spec) {
            return m;
        }
        match &spec.exposure {
            Exposure::NodePort { node_port, .. } => {
                Manifest::Service(Box::new(nodeport_service(spec, *node_port)))
            }
            Exposure::Ingress {
                host,
                class,
                path,
                legacy_secure_backends,
            } => Manifest::Ingress(Box::new(ingress(
                spec,
                host.as_str(),
                class,
                path,
                *legacy_secure_backends,
            ))),
            // Built by their own modules (above).
            Exposure::LoadBalancer(_) | Exposure::Gateway(_) | Exposure::Traefik(_) => {
                Manifest::Custom(Vec::new())
            }
        }
    }

    /// The kind of the object that routes to the cache (the last one).
    pub fn kind(&self) -> &'static str {
        match self {
            Manifest::Service(_) => "Service",
            Manifest::Ingress(_) => "Ingress",
            Manifest::Custom(objects) => objects.last().map_or("List", |o| o.kind),
        }
    }

    /// The objects' kinds and names, in apply order (`Gateway/msr-cache`).
    pub fn objects(&self) -> Vec<String> {
        match self {
            Manifest::Service(s) => vec![format!(
                "Service/{}",
                s.metadata.name.clone().unwrap_or_default()
            )],
            Manifest::Ingress(i) => vec![format!(
                "Ingress/{}",
                i.metadata.name.clone().unwrap_or_default()
            )],
            Manifest::Custom(objects) => objects
                .iter()
                .map(|o| format!("{}/{}", o.kind, o.name))
                .collect(),
        }
    }

    /// The default file name (the vendor doc's for NodePort and Ingress).
    pub fn file_name(&self) -> &'static str {
        match self {
            Manifest::Service(s) => {
                let lb = s.spec.as_ref().and_then(|x| x.type_.as_deref()) == Some("LoadBalancer");
                if lb {
                    crate::method::loadbalancer::FILE
                } else {
                    SERVICE_FILE
                }
            }
            Manifest::Ingress(_) => INGRESS_FILE,
            Manifest::Custom(objects) => match objects.last().map(|o| o.kind) {
                Some("IngressRouteTCP") => crate::method::traefik::FILE,
                _ => crate::method::gateway::FILE,
            },
        }
    }

    /// The object as a JSON value: the one serialization of the typed
    /// object, from which both texts are written (k8s-openapi writes fields
    /// in alphabetical order, which the value's sorted maps keep).
    fn value(&self) -> Result<serde_json::Value, SerializeError> {
        let result = match self {
            Manifest::Service(s) => serde_json::to_value(s),
            Manifest::Ingress(i) => serde_json::to_value(i),
            Manifest::Custom(objects) => Ok(match objects.as_slice() {
                [one] => one.body.clone(),
                many => serde_json::json!({
                    "apiVersion": "v1",
                    "kind": "List",
                    "items": many.iter().map(|o| o.body.clone()).collect::<Vec<_>>(),
                }),
            }),
        };
        result.map_err(|e| SerializeError::Failed {
            kind: self.kind(),
            format: "json",
            reason: e.to_string(),
        })
    }

    /// The manifest as YAML, one document per object. The only place YAML is written.
    pub fn to_yaml(&self) -> Result<String, SerializeError> {
        let yaml = |v: &serde_json::Value| {
            serde_yaml::to_string(v).map_err(|e| SerializeError::Failed {
                kind: self.kind(),
                format: "yaml",
                reason: e.to_string(),
            })
        };
        match self {
            Manifest::Custom(objects) if objects.len() > 1 => Ok(objects
                .iter()
                .map(|o| yaml(&o.body))
                .collect::<Result<Vec<_>, _>>()?
                .join("---\n")),
            _ => yaml(&self.value()?),
        }
    }

    /// The manifest as pretty JSON with a final newline. The only place JSON is written.
    pub fn to_json(&self) -> Result<String, SerializeError> {
        serde_json::to_string_pretty(&self.value()?)
            .map(|mut s| {
                s.push('\n');
                s
            })
            .map_err(|e| SerializeError::Failed {
                kind: self.kind(),
                format: "json",
                reason: e.to_string(),
            })
    }
}

/// The cache Service as a plain `ClusterIP` Service: what a NodePort
/// exposure of the same name turns back into when the cache moves to an
/// Ingress, which routes to this Service.
pub fn cluster_ip_service(spec: &ValidSpec) -> Service {
    let mut svc = nodeport_service(spec, None);
    if let Some(s) = svc.spec.as_mut() {
        s.type_ = Some("ClusterIP".into());
    }
    svc
}

/// Name and namespace of the cache's object, with annotations.
pub(crate) fn metadata(
    spec: &ValidSpec,
    annotations: Option<BTreeMap<String, String>>,
) -> ObjectMeta {
    ObjectMeta {
        name: Some(spec.name.clone()),
        namespace: Some(spec.namespace.clone()),
        annotations,
        ..ObjectMeta::default()
    }
}

fn nodeport_service(spec: &ValidSpec, node_port: Option<u16>) -> Service {
    Service {
        metadata: metadata(spec, None),
        spec: Some(ServiceSpec {
            type_: Some("NodePort".into()),
            selector: Some(spec.selector.clone()),
            ports: Some(vec![ServicePort {
                name: Some(PORT_NAME.into()),
                protocol: Some("TCP".into()),
                port: i32::from(spec.port),
                target_port: Some(IntOrString::Int(i32::from(spec.target_port))),
                node_port: node_port.map(i32::from),
                ..ServicePort::default()
            }]),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

fn ingress(spec: &ValidSpec, host: &str, class: &str, path: &str, legacy: bool) -> Ingress {
    let mut annotations = BTreeMap::from([(SSL_PASSTHROUGH.to_string(), "true".to_string())]);
    if legacy {
        annotations.insert(SECURE_BACKENDS.to_string(), "true".to_string());
    }
    Ingress {
        metadata: metadata(spec, Some(annotations)),
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
                        path_type: "Prefix".into(),
                        backend: IngressBackend {
                            service: Some(IngressServiceBackend {
                                name: spec.name.clone(),
                                port: Some(ServiceBackendPort {
                                    number: Some(i32::from(spec.port)),
                                    name: None,
                                }),
                            }),
                            resource: None,
                        },
                    }],
                }),
            }]),
            default_backend: None,
        }),
        status: None,
    }
}
