//! The spec as a form holds it: every field a string, as typed. Turning it
//! into a [`Spec`] is core logic so the page and any other form-based front
//! end read numbers and selectors the same way, with findings instead of
//! panics for anything a person can type.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::spec::{Method, Spec, parse_selector};

/// Form fields as typed. Empty optional fields mean "not set".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The chosen interface.
    pub method: Method,
    /// Namespace.
    pub namespace: String,
    /// Service/route name.
    pub name: String,
    /// Selector as `key=value[,key=value]`.
    pub selector: String,
    /// Service port.
    pub port: String,
    /// Container port.
    pub target_port: String,
    /// CA file name for the curl steps.
    pub ca_file: String,
    /// The platform preset (`mke4k`, `mke3`; empty: none).
    pub platform: String,
    /// The nodes' containerd and k0s versions (empty: the profile's).
    pub node_versions: (String, String),
    /// Every method's own inputs as typed (a checkbox: `true` or empty),
    /// by the spec field they set; kept when the method changes, so a name
    /// typed for one method is there for the next.
    pub fields: FieldValues,
}

/// Text by spec field: one slot per [`SpecField`], indexed by its position
/// (a map's code is several KB of the page for a key set known in advance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldValues(Vec<String>);

impl Default for FieldValues {
    fn default() -> Self {
        FieldValues(vec![String::new(); SpecField::COUNT])
    }
}

impl FieldValues {
    /// The text of `field` (empty when untouched).
    pub fn get(&self, field: SpecField) -> &str {
        self.0.get(field.index()).map_or("", String::as_str)
    }

    /// Sets the text of `field`.
    pub fn set(&mut self, field: SpecField, text: String) {
        if let Some(slot) = self.0.get_mut(field.index()) {
            *slot = text;
        }
    }
}

impl<const N: usize> From<[(SpecField, &str); N]> for FieldValues {
    fn from(pairs: [(SpecField, &str); N]) -> Self {
        let mut v = FieldValues::default();
        for (f, t) in pairs {
            v.set(f, t.to_string());
        }
        v
    }
}

impl Default for Form {
    fn default() -> Self {
        Form::from_spec(&Spec::default())
    }
}

impl Form {
    /// The form showing a spec. Without a method, the one its fields
    /// belong to (the first in the registry's order), else NodePort.
    pub fn from_spec(spec: &Spec) -> Form {
        let set = crate::method::set_fields(spec);
        // A platform preset may decide the method (MKE: the Gateway API).
        let preset = crate::platform::fill(spec, &mut Vec::new()).method;
        let method = spec.method.or(preset).unwrap_or_else(|| {
            let owns_all = |m: &&Method| set.iter().all(|f| m.about().fields.contains(f));
            match Method::ALL
                .iter()
                .filter(owns_all)
                .collect::<Vec<_>>()
                .as_slice()
            {
                _ if set.is_empty() => Method::ALL[0],
                [] => Method::ALL[0],
                [one] => **one,
                many if many.contains(&&crate::method::EXTERNAL_FQDN_ALONE) => {
                    crate::method::EXTERNAL_FQDN_ALONE
                }
                many => *many[0],
            }
        });
        let text = |f: SpecField| spec.text(f).unwrap_or_default();
        Form {
            method,
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            selector: text(SpecField::Selector),
            port: spec.port.to_string(),
            target_port: spec.target_port.to_string(),
            ca_file: spec.ca_file.clone(),
            platform: text(SpecField::Platform),
            node_versions: (
                text(SpecField::ContainerdVersion),
                text(SpecField::K0sVersion),
            ),
            fields: {
                let mut values = FieldValues::default();
                for f in set {
                    let v = text(f);
                    // An unchecked box is an empty one.
                    if v != "false" {
                        values.set(f, v);
                    }
                }
                values
            },
        }
    }

    /// What the input for `field` holds (empty when untouched).
    pub fn value(&self, field: SpecField) -> &str {
        self.fields.get(field)
    }

    /// The spec for the chosen method, and findings for fields that are not
    /// numbers or selectors. Only the chosen method's fields are carried
    /// over, so switching method never leaves a foreign field behind.
    pub fn to_spec(&self) -> (Spec, Vec<Finding>) {
        let mut f = Vec::new();
        let mut spec = Spec {
            method: Some(self.method),
            namespace: self.namespace.trim().to_string(),
            name: self.name.trim().to_string(),
            ca_file: self.ca_file.trim().to_string(),
            // The page offers only the platforms there are: a stale value reads as none.
            platform: self.platform.parse().ok(),
            containerd_version: Some(self.node_versions.0.trim().to_string())
                .filter(|v| !v.is_empty()),
            k0s_version: Some(self.node_versions.1.trim().to_string()).filter(|v| !v.is_empty()),
            ..Spec::default()
        };
        match parse_selector(&self.selector) {
            Ok(s) => spec.selector = s,
            Err(e) => f.push(Finding::error(
                Code::FormSelectorSyntax,
                SpecField::Selector,
                e,
                "write the selector as key=value, several separated by commas, such as app=msr-cache",
            )),
        }
        if let Some(p) = number(&self.port, SpecField::Port.key(), &mut f) {
            spec.port = p;
        }
        if let Some(p) = number(&self.target_port, SpecField::TargetPort.key(), &mut f) {
            spec.target_port = p;
        }
        for input in self.method.page().form {
            let field = input.field;
            let value = self.value(field);
            if let Err(e) = spec.set_text(field, value) {
                f.push(match field {
                    SpecField::NodePort => Finding::error(
                        Code::FormNotANumber,
                        field,
                        format!("`{}` is not a number", value.trim()),
                        "type a port number such as 443 (or leave nodePort empty to let Kubernetes choose)",
                    ),
                    _ => Finding::error(
                        Code::FormSelectorSyntax,
                        field,
                        e,
                        "write the labels as key=value, several separated by commas, such as istio=ingressgateway",
                    ),
                });
            }
        }
        (spec, f)
    }
}

fn number(s: &str, field: &str, f: &mut Vec<Finding>) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            f.push(Finding::error(
                Code::FormNotANumber,
                field,
                format!("`{t}` is not a number"),
                "type a port number such as 443 (or leave nodePort empty to let Kubernetes choose)",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_the_form() {
        let spec = Spec::from_text(
            "method: ingress\nexternalFqdn: cache.example.com\npath: /\nselector:\n  app: msr-cache\n  tier: edge\n",
        )
        .expect("valid");
        let (back, f) = Form::from_spec(&spec).to_spec();
        assert!(f.is_empty());
        assert_eq!(back, spec);
    }

    #[test]
    fn garbage_numbers_are_findings() {
        let form = Form {
            port: "44x".into(),
            fields: FieldValues::from([(SpecField::NodePort, "-")]),
            ..Form::default()
        };
        let (_, f) = form.to_spec();
        let codes: Vec<_> = f
            .iter()
            .map(|x| (x.code.as_str(), x.field.as_str()))
            .collect();
        assert_eq!(
            codes,
            [
                ("form.not_a_number", "port"),
                ("form.not_a_number", "nodePort")
            ]
        );
    }

    #[test]
    fn switching_method_drops_the_other_fields() {
        let form = Form {
            method: Method::Ingress,
            fields: FieldValues::from([
                (SpecField::NodeFqdn, "w1.example.com"),
                (SpecField::ExternalFqdn, "cache.example.com"),
            ]),
            ..Form::default()
        };
        let (spec, _) = form.to_spec();
        assert_eq!(spec.node_fqdn, None);
    }

    /// Every method's form round-trips a spec that sets each of its inputs.
    #[test]
    fn every_method_round_trips_through_its_form() {
        let samples = [
            (SpecField::NodeFqdn, "w1.example.com"),
            (SpecField::NodePort, "30443"),
            (SpecField::ExternalFqdn, "cache.example.com"),
            (SpecField::IstioSelector, "istio=ingressgateway"),
            (SpecField::InsecureEdgeTerminationPolicy, "Redirect"),
            (SpecField::LegacySecureBackends, "true"),
            (SpecField::EntryPoints, "websecure,tls"),
        ];
        for m in Method::ALL {
            let mut spec = Spec {
                method: Some(*m),
                ..Spec::default()
            };
            for input in m.page().form {
                let v = samples
                    .iter()
                    .find(|(f, _)| *f == input.field)
                    .map_or("x-1", |(_, v)| *v);
                spec.set_text(input.field, v).expect("sample parses");
            }
            let (back, f) = Form::from_spec(&spec).to_spec();
            assert!(f.is_empty(), "{m}: {f:?}");
            assert_eq!(back, spec, "{m}");
        }
    }
}
