//! The Kubernetes objects that expose the cache, built once as JSON values
//! (fields in the API's names, sorted as k8s-openapi writes them) and
//! serialized in exactly one place each for YAML and JSON. Where a typed
//! k8s-openapi object is needed — the CLI's apply, the tests — it is parsed
//! from that value (`Object::typed`), which also proves the value is a valid
//! object of its kind; the browser build never links k8s-openapi's serde
//! code (or jiff, behind its `Time`), which was 38 KB of the page, gzipped.

use crate::validate::{Exposure, ValidSpec};
use serde_json::{Value, json};
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
    Service(Object),
    /// Ingress: an Ingress routing the external FQDN to the cache Service.
    Ingress(Object),
    /// Custom resources (Gateway API, Traefik), in apply order.
    Custom(Vec<Object>),
}

/// One object, built as JSON: what `apply` needs to address it, and the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
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

impl Object {
    /// The object as a typed value (a k8s-openapi type for the core kinds):
    /// for the CLI's apply and the tests, never the browser build.
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.body.clone())
    }
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
                Manifest::Service(nodeport_service(spec, *node_port))
            }
            Exposure::Ingress {
                host,
                class,
                path,
                legacy_secure_backends,
            } => Manifest::Ingress(ingress(
                spec,
                host.as_str(),
                class,
                path,
                *legacy_secure_backends,
            )),
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
            Manifest::Service(o) | Manifest::Ingress(o) => vec![format!("{}/{}", o.kind, o.name)],
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
                let lb = s.body["spec"]["type"] == "LoadBalancer";
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
            Manifest::Service(o) | Manifest::Ingress(o) => {
                Ok::<_, serde_json::Error>(o.body.clone())
            }
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
        match self {
            Manifest::Custom(objects) if objects.len() > 1 => Ok(objects
                .iter()
                .map(|o| crate::yaml::to_string(&o.body))
                .collect::<Vec<_>>()
                .join("---\n")),
            _ => Ok(crate::yaml::to_string(&self.value()?)),
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
pub fn cluster_ip_service(spec: &ValidSpec) -> Object {
    service(spec, "ClusterIP", None, BTreeMap::new(), None)
}

fn object(
    kind: &'static str,
    api_version: &str,
    plural: &'static str,
    spec: &ValidSpec,
    body: Value,
) -> Object {
    Object {
        api_version: api_version.to_string(),
        kind,
        plural,
        name: spec.name.clone(),
        namespace: spec.namespace.clone(),
        body,
    }
}

/// Name and namespace of the cache's object, with annotations when any.
pub(crate) fn metadata(spec: &ValidSpec, annotations: BTreeMap<String, String>) -> Value {
    let mut m = json!({ "name": spec.name, "namespace": spec.namespace });
    if !annotations.is_empty() {
        m["annotations"] = json!(annotations);
    }
    m
}

/// A Service of `type_` selecting the cache pods, port → targetPort, with
/// extra `spec` fields (LoadBalancer's) merged in.
pub(crate) fn service(
    spec: &ValidSpec,
    type_: &str,
    node_port: Option<u16>,
    annotations: BTreeMap<String, String>,
    extra: Option<Value>,
) -> Object {
    let mut port = json!({
        "name": PORT_NAME,
        "protocol": "TCP",
        "port": spec.port,
        "targetPort": spec.target_port,
    });
    if let Some(np) = node_port {
        port["nodePort"] = json!(np);
    }
    let mut service_spec = json!({
        "type": type_,
        "selector": spec.selector,
        "ports": [port],
    });
    if let (Some(Value::Object(extra)), Some(target)) = (extra, service_spec.as_object_mut()) {
        target.extend(extra);
    }
    object(
        "Service",
        "v1",
        "services",
        spec,
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": metadata(spec, annotations),
            "spec": service_spec,
        }),
    )
}

fn nodeport_service(spec: &ValidSpec, node_port: Option<u16>) -> Object {
    service(spec, "NodePort", node_port, BTreeMap::new(), None)
}

fn ingress(spec: &ValidSpec, host: &str, class: &str, path: &str, legacy: bool) -> Object {
    let mut annotations = BTreeMap::from([(SSL_PASSTHROUGH.to_string(), "true".to_string())]);
    if legacy {
        annotations.insert(SECURE_BACKENDS.to_string(), "true".to_string());
    }
    object(
        "Ingress",
        "networking.k8s.io/v1",
        "ingresses",
        spec,
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": metadata(spec, annotations),
            "spec": {
                "ingressClassName": class,
                "tls": [{ "hosts": [host] }],
                "rules": [{
                    "host": host,
                    "http": { "paths": [{
                        "path": path,
                        "pathType": "Prefix",
                        "backend": { "service": { "name": spec.name, "port": { "number": spec.port } } }
                    }] }
                }]
            }
        }),
    )
}
