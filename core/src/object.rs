//! One Kubernetes object as the core builds it — typed first (k8s-openapi's
//! types for the core kinds, the core's own structs for custom resources in
//! `crd`), turned once into its JSON value (sorted keys, as k8s-openapi
//! writes them) — and the shared builders every method uses: the cache's
//! metadata and its Service. Methods sit above this module; the manifest
//! (all of a method's objects, serialized) above them.
//!
//! A core kind's metadata is written through [`MetadataView`] (`metadata`),
//! its spec by k8s-openapi; the tests below hold the two equal to
//! k8s-openapi's own serialization, and tests/integration/roundtrip.rs
//! parses every manifest back into k8s-openapi's types.

use crate::common::Common;
use crate::crd::{CustomKind, CustomResource};
use crate::metadata::MetadataView;
use k8s_openapi::api::core::v1::{Service, ServicePort, ServiceSpec};
use k8s_openapi::api::networking::v1::{Ingress, IngressSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;
use std::collections::BTreeMap;

/// Name of the Service port the cache serves HTTPS on.
pub const PORT_NAME: &str = "https";

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

/// The cache Service as a plain `ClusterIP` Service: what a NodePort
/// exposure of the same name turns back into when the cache moves to a
/// passthrough route, which routes to this Service.
pub fn cluster_ip_service(common: &Common) -> Object {
    service(
        common,
        "ClusterIP",
        None,
        BTreeMap::new(),
        ServiceSpec::default(),
    )
}

/// Name and namespace of the cache's object, with annotations when any.
pub fn metadata(common: &Common, annotations: BTreeMap<String, String>) -> ObjectMeta {
    ObjectMeta {
        name: Some(common.name.clone()),
        namespace: Some(common.namespace.clone()),
        annotations: (!annotations.is_empty()).then_some(annotations),
        ..ObjectMeta::default()
    }
}

/// A Service of `type_` selecting the cache pods, port → targetPort; `extra`
/// carries the other `spec` fields (LoadBalancer's), its own type, selector
/// and ports replaced.
pub fn service(
    common: &Common,
    type_: &str,
    node_port: Option<u16>,
    annotations: BTreeMap<String, String>,
    extra: ServiceSpec,
) -> Object {
    let port = ServicePort {
        name: Some(PORT_NAME.to_string()),
        protocol: Some("TCP".to_string()),
        port: i32::from(common.port),
        target_port: Some(IntOrString::Int(i32::from(common.target_port))),
        node_port: node_port.map(i32::from),
        ..ServicePort::default()
    };
    Object::core(&Service {
        metadata: metadata(common, annotations),
        spec: Some(ServiceSpec {
            type_: Some(type_.to_string()),
            selector: Some(common.selector.clone()),
            ports: Some(vec![port]),
            ..extra
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
            crate::manifest::Manifest::new(vec![o], "x.yaml").to_yaml(),
            Err(crate::manifest::SerializeError::Failed {
                kind: "Service",
                ..
            })
        ));
    }
}
