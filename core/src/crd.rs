//! The custom resources the core emits, as typed Rust structs: a field name
//! is checked by the compiler, as k8s-openapi checks the core kinds'. Only
//! the fields msr-expose writes are declared (serialization only: the core
//! builds these objects, it never reads them back); each module names the
//! CRD schema its fields come from, and the tests validate every object
//! written against that official schema (tests/e2e/crd-schemas.test.mjs).

pub mod cert_manager;
pub mod gateway;
pub mod istio;
pub mod openshift;
pub mod traefik;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

/// What a custom resource's spec type says of its kind.
pub trait CustomKind: Serialize {
    /// The API group (`gateway.networking.k8s.io`).
    const GROUP: &'static str;
    /// The kind (`TLSRoute`).
    const KIND: &'static str;
    /// The resource's plural name, its REST path segment (`tlsroutes`).
    const PLURAL: &'static str;
}

/// One custom resource: `apiVersion` and `kind` come from its spec's type,
/// so they cannot be misspelt either; only the version is chosen (a
/// TLSRoute is written as `v1` or `v1alpha2`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomResource<S: CustomKind> {
    api_version: String,
    kind: &'static str,
    /// Name, namespace, annotations: k8s-openapi's ObjectMeta, written
    /// through the core's view of it (`metadata::MetadataView`).
    #[serde(serialize_with = "crate::metadata::MetadataView::serialize")]
    pub metadata: ObjectMeta,
    /// The kind's spec.
    pub spec: S,
}

impl<S: CustomKind> CustomResource<S> {
    /// The resource of `S`'s kind at `version` of its group.
    pub fn new(version: &str, metadata: ObjectMeta, spec: S) -> Self {
        CustomResource {
            api_version: format!("{}/{version}", S::GROUP),
            kind: S::KIND,
            metadata,
            spec,
        }
    }

    /// `group/version`.
    pub fn api_version(&self) -> &str {
        &self.api_version
    }
}
