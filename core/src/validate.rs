//! From a [`Spec`] as typed to a [`ValidSpec`] that carries proof: the
//! shared fields checked (`common`), the method resolved — named, or
//! inferred from the fields set — and its own fields checked by its module
//! through the registry (`method`), after a platform preset filled in what
//! its vendor documents (`platform`). Every problem is a finding.

use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::{Finding, has_errors};
use crate::fqdn::{Host, check_host};
use crate::manifest::Manifest;
use crate::method::Exposure;
use crate::spec::{Method, Spec};
use std::ops::Deref;

/// A spec that passed validation: every value is usable as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSpec {
    /// The shared fields.
    pub common: Common,
    /// The one external interface.
    pub exposure: Exposure,
}

/// A valid spec is its shared fields plus its exposure: `spec.namespace`
/// reads the shared field.
impl Deref for ValidSpec {
    type Target = Common;
    fn deref(&self) -> &Common {
        &self.common
    }
}

impl ValidSpec {
    /// Which method this is.
    pub fn method(&self) -> Method {
        self.exposure.method()
    }

    /// The objects that expose the cache: its method's, and its file.
    pub fn manifest(&self) -> Manifest {
        Manifest::new(
            self.exposure.get().objects(&self.common),
            self.method().about().file,
        )
    }

    /// The host clients connect to: what the certificate must carry.
    pub fn host(&self) -> Host {
        self.exposure.get().host()
    }
}

/// Validates a spec: all findings, and the valid spec when none is an error.
pub fn validate(spec: &Spec) -> (Option<ValidSpec>, Vec<Finding>) {
    let mut f = Vec::new();
    let filled = crate::platform::fill(spec, &mut f);
    let spec = &filled;
    let common = crate::common::check(spec, &mut f);
    let method = resolve_method(spec, &mut f);
    let exposure = method.and_then(|m| m.validate(spec, &mut f));
    let valid = match (common, exposure) {
        (Some(common), Some(exposure)) if !has_errors(&f) => Some(ValidSpec { common, exposure }),
        _ => None,
    };
    (valid, f)
}

/// The host clients will connect to, when the spec names one that parses;
/// used to check a certificate while other fields still have errors.
pub fn expected_host(spec: &Spec) -> Option<Host> {
    let mut ignored = Vec::new();
    let spec = &crate::platform::fill(spec, &mut ignored);
    let method = resolve_method(spec, &mut ignored)?;
    let (field, role) = method.about().host;
    // A method's host is one of the two host fields.
    let input = match field {
        SpecField::NodeFqdn => spec.node_fqdn.as_deref(),
        SpecField::ExternalFqdn => spec.external_fqdn.as_deref(),
        _ => None,
    }?;
    check_host(input, "", role).host
}

/// The method named, or the one the set fields belong to; and a finding for
/// every field of another method.
fn resolve_method(spec: &Spec, f: &mut Vec<Finding>) -> Option<Method> {
    let set = crate::method::set_fields(spec);
    let owns = |m: Method, field: SpecField| m.about().fields.contains(&field);
    let method = match spec.method {
        Some(m) => m,
        None => {
            // Methods that own every set field; the shared externalFqdn alone
            // means ingress, as before the other passthrough methods existed.
            let candidates: Vec<Method> = Method::ALL
                .iter()
                .copied()
                .filter(|m| set.iter().all(|field| owns(*m, *field)))
                .collect();
            match (set.is_empty(), candidates.as_slice()) {
                (true, _) => {
                    f.push(Finding::error(
                        Code::SpecMethodMissing,
                        SpecField::Method,
                        "no exposure method is given",
                        format!(
                            "choose exactly one: {} (nodeport takes nodeFqdn, the others externalFqdn)",
                            crate::method::names()
                        ),
                    ));
                    return None;
                }
                (false, [one]) => *one,
                (false, many) if many.contains(&crate::method::EXTERNAL_FQDN_ALONE) => {
                    crate::method::EXTERNAL_FQDN_ALONE
                }
                _ => {
                    f.push(Finding::error(
                        Code::SpecOneInterface,
                        SpecField::Method,
                        format!(
                            "the fields set ({}) belong to different methods and no method is named",
                            set.iter().map(|f| f.key()).collect::<Vec<_>>().join(", ")
                        ),
                        "expose the cache through exactly one interface, the one its certificate was made for: set `method` and remove the other methods' fields",
                    ));
                    return None;
                }
            }
        }
    };
    for field in set.into_iter().filter(|field| !owns(method, *field)) {
        f.push(Finding::error(
            Code::SpecForeignField,
            field,
            format!("`{field}` belongs to another method, not to {method}"),
            format!(
                "remove `{field}`: the cache is exposed through exactly one interface, here {method}"
            ),
        ));
    }
    Some(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(spec: &Spec) -> Vec<&'static str> {
        validate(spec).1.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn foreign_fields_are_errors() {
        let spec = Spec {
            method: Some(Method::Nodeport),
            node_fqdn: Some("w1.example.com".into()),
            external_fqdn: Some("cache.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(codes(&spec), ["spec.foreign_field"]);
        assert!(validate(&spec).0.is_none());
    }

    #[test]
    fn method_is_inferred_from_the_one_fqdn() {
        let spec = Spec {
            node_fqdn: Some("w1.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(
            validate(&spec).0.map(|v| v.method()),
            Some(Method::Nodeport)
        );
        let both = Spec {
            node_fqdn: Some("w1.example.com".into()),
            external_fqdn: Some("cache.example.com".into()),
            ..Spec::default()
        };
        assert_eq!(codes(&both), ["spec.one_interface"]);
        assert_eq!(codes(&Spec::default()), ["spec.method_missing"]);
    }
}
