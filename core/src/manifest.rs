//! The objects that expose the cache, as one manifest: the method's objects
//! in apply order and the file they are written to. YAML and JSON are
//! serialized here, in exactly one place each, from the objects' JSON values
//! (`object`).

pub use crate::metadata::MetadataView;
pub use crate::object::{CoreKind, Object, PORT_NAME, cluster_ip_service};

/// The objects that expose the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    objects: Vec<Object>,
    file: &'static str,
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
    /// A manifest of `objects` (in apply order), written to `file`.
    pub fn new(objects: Vec<Object>, file: &'static str) -> Manifest {
        Manifest { objects, file }
    }

    /// The objects, in apply order.
    pub fn items(&self) -> &[Object] {
        &self.objects
    }

    /// The kind of the object that routes to the cache (the last one).
    pub fn kind(&self) -> &'static str {
        self.objects.last().map_or("List", |o| o.kind)
    }

    /// The objects' kinds and names, in apply order (`Gateway/msr-cache`).
    pub fn objects(&self) -> Vec<String> {
        self.objects
            .iter()
            .map(|o| format!("{}/{}", o.kind, o.name))
            .collect()
    }

    /// The default file name (the vendor doc's for NodePort and Ingress).
    pub fn file_name(&self) -> &'static str {
        self.file
    }

    /// The object as a JSON value: the one serialization of the typed
    /// objects, from which both texts are written (k8s-openapi writes fields
    /// in alphabetical order, which the value's sorted maps keep). Several
    /// objects are a `List`.
    fn value(&self) -> Result<serde_json::Value, SerializeError> {
        if let Some(o) = self.objects.iter().find(|o| o.body.is_null()) {
            return Err(SerializeError::Failed {
                kind: o.kind,
                format: "json",
                reason: "the typed object could not be turned into JSON".into(),
            });
        }
        Ok(match self.objects.as_slice() {
            [one] => one.body.clone(),
            many => serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": many.iter().map(|o| o.body.clone()).collect::<Vec<_>>(),
            }),
        })
    }

    /// The manifest as YAML, one document per object. The only place YAML is written.
    pub fn to_yaml(&self) -> Result<String, SerializeError> {
        let value = self.value()?;
        if self.objects.len() > 1 {
            return Ok(self
                .objects
                .iter()
                .map(|o| crate::yaml::to_string(&o.body))
                .collect::<Vec<_>>()
                .join("---\n"));
        }
        Ok(crate::yaml::to_string(&value))
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
