//! The metadata of the objects the core builds, serialized as k8s-openapi
//! serializes ObjectMeta — but only the fields the core sets: ObjectMeta's
//! own serializer links k8s-openapi's `Time` formatting (jiff's strftime,
//! 65 KB of the page) for timestamps the core never sets. The view refuses
//! metadata with any other field rather than drop it. Core kinds
//! (`object`) and custom resources (`crd`) are both written through it;
//! the tests in `object` hold it equal to k8s-openapi's serialization.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::BTreeMap;

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
