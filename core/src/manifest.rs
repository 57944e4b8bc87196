//! The Kubernetes objects that expose the cache, built as typed values —
//! k8s-openapi's for the core kinds (Service, Ingress), the core's own
//! structs for custom resources (`crd`) — so that a misspelt field does not
//! compile; each is turned once into its JSON value (sorted keys, as
//! k8s-openapi writes them), from which YAML and JSON are serialized in
//! exactly one place each. The CLI's apply reads the value back into
//! k8s-openapi's types (`Object::typed`).
//!
//! A core kind's metadata is written through [`MetadataView`], its spec by
//! k8s-openapi: ObjectMeta's own serializer links k8s-openapi's `Time`
//! formatting (jiff's strftime, 65 KB of the page) for timestamps the core
//! never sets. The view writes the fields the core sets and refuses any
//! other; the tests below hold it equal to k8s-openapi's own serialization,
//! and tests/integration/roundtrip.rs parses every manifest back into
//! k8s-openapi's types.

use crate::crd::{CustomKind, CustomResource};
use crate::validate::{Exposure, ValidSpec};
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
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

/// A core kind the core emits: a k8s-openapi resource with a spec.
pub trait CoreKind: k8s_openapi::Resource + k8s_openapi::Metadata<Ty = ObjectMeta> {
    /// Its spec type.
    type Spec: serde::Serialize;
    /// Its spec.
    fn spec(&self) -> Option<&Self::Spec>;
}

impl CoreKind for Service {
    type Spec = ServiceSpec;
    fn spec(&self) -> Option<&ServiceSpec> {
        self.spec.as_ref()
    }
}

impl CoreKind for Ingress {
    type Spec = IngressSpec;
    fn spec(&self) -> Option<&IngressSpec> {
        self.spec.as_ref()
    }
}

/// The ObjectMeta fields the core sets, serialized as k8s-openapi does
/// (see the module's documentation).
#[derive(serde::Serialize)]
pub struct MetadataView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: &'a Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: &'a Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    namespace: &'a Option<String>,
}

impl<'a> MetadataView<'a> {
    /// The view of `meta`.
    fn of(meta: &'a ObjectMeta) -> Self {
        MetadataView {
            annotations: &meta.annotations,
            labels: &meta.labels,
            name: &meta.name,
            namespace: &meta.namespace,
        }
    }

    /// Serializes `meta` through the view (for `serialize_with`); refuses
    /// metadata with a field the view does not write, rather than drop it.
    pub fn serialize<S: serde::Serializer>(
        meta: &ObjectMeta,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let covered = ObjectMeta {
            annotations: meta.annotations.clone(),
            labels: meta.labels.clone(),
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            ..ObjectMeta::default()
        };
        if covered != *meta {
            return Err(serde::ser::Error::custom(
                "metadata sets a field the core's metadata view does not write",
            ));
        }
        serde::Serialize::serialize(&MetadataView::of(meta), serializer)
    }
}

/// A core object as the API server takes it: apiVersion, kind, metadata
/// (through the view) and spec (k8s-openapi's serializer); a built object
/// has no status.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct CoreBody<'a, S: serde::Serialize> {
    api_version: &'static str,
    kind: &'static str,
    #[serde(serialize_with = "MetadataView::serialize")]
    metadata: &'a ObjectMeta,
    #[serde(skip_serializing_if = "Option::is_none")]
    spec: Option<&'a S>,
}

impl Object {
    /// A core kind's object from its k8s-openapi value.
    pub fn core<K: CoreKind>(object: &K) -> Object {
        let meta = object.metadata();
        Object {
            api_version: K::API_VERSION.to_string(),
            kind: K::KIND,
            plural: K::URL_PATH_SEGMENT,
            name: meta.name.clone().unwrap_or_default(),
            namespace: meta.namespace.clone().unwrap_or_default(),
            body: body(&CoreBody {
                api_version: K::API_VERSION,
                kind: K::KIND,
                metadata: meta,
                spec: object.spec(),
            }),
        }
    }

    /// A custom resource's object.
    pub fn custom<S: CustomKind>(object: &CustomResource<S>) -> Object {
        Object {
            api_version: object.api_version().to_string(),
            kind: S::KIND,
            plural: S::PLURAL,
            name: object.metadata.name.clone().unwrap_or_default(),
            namespace: object.metadata.namespace.clone().unwrap_or_default(),
            body: body(object),
        }
    }

    /// The object as a typed value (a k8s-openapi type for the core kinds):
    /// for the CLI's apply and the tests, never the browser build.
    pub fn typed<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.body.clone())
    }
}

/// A typed object's JSON value. Serializing these types cannot fail (their
/// maps have string keys); were it ever to, the body is `null` and
/// `to_yaml`/`to_json` report it instead of writing a partial manifest.
fn body<T: serde::Serialize>(object: &T) -> Value {
    serde_json::to_value(object).unwrap_or(Value::Null)
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
        let objects: Vec<&Object> = match self {
            Manifest::Service(o) | Manifest::Ingress(o) => vec![o],
            Manifest::Custom(objects) => objects.iter().collect(),
        };
        if let Some(o) = objects.iter().find(|o| o.body.is_null()) {
            return Err(SerializeError::Failed {
                kind: o.kind,
                format: "json",
                reason: "the typed object could not be turned into JSON".into(),
            });
        }
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
        let value = self.value()?;
        match self {
            Manifest::Custom(objects) if objects.len() > 1 => Ok(objects
                .iter()
                .map(|o| crate::yaml::to_string(&o.body))
                .collect::<Vec<_>>()
                .join("---\n")),
            _ => Ok(crate::yaml::to_string(&value)),
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
    service(
        spec,
        "ClusterIP",
        None,
        BTreeMap::new(),
        ServiceSpec::default(),
    )
}

/// Name and namespace of the cache's object, with annotations when any.
pub(crate) fn metadata(spec: &ValidSpec, annotations: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(spec.name.clone()),
        namespace: Some(spec.namespace.clone()),
        annotations: (!annotations.is_empty()).then_some(annotations),
        ..ObjectMeta::default()
    }
}

/// A Service of `type_` selecting the cache pods, port → targetPort; `extra`
/// carries the other `spec` fields (LoadBalancer's), its own type, selector
/// and ports replaced.
pub(crate) fn service(
    spec: &ValidSpec,
    type_: &str,
    node_port: Option<u16>,
    annotations: BTreeMap<String, String>,
    extra: ServiceSpec,
) -> Object {
    let port = ServicePort {
        name: Some(PORT_NAME.to_string()),
        protocol: Some("TCP".to_string()),
        port: i32::from(spec.port),
        target_port: Some(IntOrString::Int(i32::from(spec.target_port))),
        node_port: node_port.map(i32::from),
        ..ServicePort::default()
    };
    Object::core(&Service {
        metadata: metadata(spec, annotations),
        spec: Some(ServiceSpec {
            type_: Some(type_.to_string()),
            selector: Some(spec.selector.clone()),
            ports: Some(vec![port]),
            ..extra
        }),
        status: None,
    })
}

fn nodeport_service(spec: &ValidSpec, node_port: Option<u16>) -> Object {
    service(
        spec,
        "NodePort",
        node_port,
        BTreeMap::new(),
        ServiceSpec::default(),
    )
}

fn ingress(spec: &ValidSpec, host: &str, class: &str, path: &str, legacy: bool) -> Object {
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
    use super::*;

    fn meta(annotations: bool, labels: bool) -> ObjectMeta {
        let map = |on: bool| on.then(|| BTreeMap::from([("a".to_string(), "b".to_string())]));
        ObjectMeta {
            name: Some("msr-cache".into()),
            namespace: Some("msr".into()),
            annotations: map(annotations),
            labels: map(labels),
            ..ObjectMeta::default()
        }
    }

    /// The view writes exactly what k8s-openapi's own serializer writes,
    /// for every combination of the fields it covers.
    #[test]
    fn the_metadata_view_writes_what_k8s_openapi_writes() {
        for (annotations, labels) in [(false, false), (true, false), (false, true), (true, true)] {
            let service = Service {
                metadata: meta(annotations, labels),
                spec: Some(ServiceSpec {
                    type_: Some("NodePort".into()),
                    ..ServiceSpec::default()
                }),
                status: None,
            };
            let ingress = Ingress {
                metadata: meta(annotations, labels),
                spec: Some(IngressSpec::default()),
                status: None,
            };
            assert_eq!(
                Object::core(&service).body,
                serde_json::to_value(&service).expect("k8s-openapi"),
                "Service, annotations {annotations}, labels {labels}"
            );
            assert_eq!(
                Object::core(&ingress).body,
                serde_json::to_value(&ingress).expect("k8s-openapi"),
                "Ingress, annotations {annotations}, labels {labels}"
            );
        }
    }

    /// Metadata the view would not write is refused, not silently dropped:
    /// the manifest then fails to serialize instead of losing the field.
    #[test]
    fn metadata_beyond_the_view_is_refused() {
        let mut m = meta(false, false);
        m.generate_name = Some("msr-".into());
        let o = Object::core(&Service {
            metadata: m,
            spec: None,
            status: None,
        });
        assert!(o.body.is_null());
        assert!(matches!(
            Manifest::Service(o).to_yaml(),
            Err(SerializeError::Failed {
                kind: "Service",
                ..
            })
        ));
    }
}
