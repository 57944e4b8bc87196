//! The spec as a form holds it: every field a string, as typed. Turning it
//! into a [`Spec`] is core logic so the page and any other form-based front
//! end read numbers and selectors the same way, with findings instead of
//! panics for anything a person can type.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::spec::{Method, Spec, parse_selector};
use serde::{Deserialize, Serialize};

/// Form fields as typed. Empty optional fields mean "not set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Form {
    /// The chosen interface.
    pub method: Method,
    /// Namespace.
    pub namespace: String,
    /// Service/Ingress name.
    pub name: String,
    /// Selector as `key=value[,key=value]`.
    pub selector: String,
    /// Service port.
    pub port: String,
    /// Container port.
    pub target_port: String,
    /// CA file name for the curl steps.
    pub ca_file: String,
    /// NodePort: worker node FQDN.
    pub node_fqdn: String,
    /// NodePort: pinned port (empty: allocated).
    pub node_port: String,
    /// Ingress: external FQDN.
    pub external_fqdn: String,
    /// Ingress: class.
    pub ingress_class_name: String,
    /// Ingress: path.
    pub path: String,
    /// Ingress: legacy annotation.
    pub legacy_secure_backends: bool,
    /// LoadBalancer: fixed address.
    pub load_balancer_ip: String,
    /// LoadBalancer: also the deprecated spec.loadBalancerIP.
    pub legacy_load_balancer_ip: bool,
    /// LoadBalancer: class.
    pub load_balancer_class: String,
    /// LoadBalancer: externalTrafficPolicy.
    pub external_traffic_policy: String,
    /// Gateway: class of a Gateway to create.
    pub gateway_class_name: String,
    /// Gateway: existing Gateway.
    pub gateway_name: String,
    /// Gateway: existing ListenerSet.
    pub listener_set_name: String,
    /// Gateway: its namespace.
    pub gateway_namespace: String,
    /// Gateway: its listener.
    pub listener_name: String,
    /// Gateway: TLSRoute version.
    pub gateway_api_version: String,
    /// Traefik: entry points, comma-separated.
    pub entry_points: String,
}

impl Default for Form {
    fn default() -> Self {
        Form::from_spec(&Spec::default())
    }
}

impl Form {
    /// The form showing a spec (other method's fields left empty).
    pub fn from_spec(spec: &Spec) -> Form {
        let selector = spec
            .selector
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        let method = spec.method.unwrap_or(
            if spec.gateway_class_name.is_some()
                || spec.gateway_name.is_some()
                || spec.listener_set_name.is_some()
            {
                Method::Gateway
            } else if spec.entry_points.is_some() {
                Method::Traefik
            } else if spec.load_balancer_ip.is_some() || spec.load_balancer_class.is_some() {
                Method::Loadbalancer
            } else if spec.external_fqdn.is_some() {
                Method::Ingress
            } else {
                Method::Nodeport
            },
        );
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Form {
            method,
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            selector,
            port: spec.port.to_string(),
            target_port: spec.target_port.to_string(),
            ca_file: spec.ca_file.clone(),
            node_fqdn: spec.node_fqdn.clone().unwrap_or_default(),
            node_port: spec.node_port.map(|p| p.to_string()).unwrap_or_default(),
            external_fqdn: spec.external_fqdn.clone().unwrap_or_default(),
            ingress_class_name: spec.ingress_class_name.clone().unwrap_or_default(),
            path: spec.path.clone().unwrap_or_default(),
            legacy_secure_backends: spec.legacy_secure_backends.unwrap_or(false),
            load_balancer_ip: text(&spec.load_balancer_ip),
            legacy_load_balancer_ip: spec.legacy_load_balancer_ip.unwrap_or(false),
            load_balancer_class: text(&spec.load_balancer_class),
            external_traffic_policy: text(&spec.external_traffic_policy),
            gateway_class_name: text(&spec.gateway_class_name),
            gateway_name: text(&spec.gateway_name),
            listener_set_name: text(&spec.listener_set_name),
            gateway_namespace: text(&spec.gateway_namespace),
            listener_name: text(&spec.listener_name),
            gateway_api_version: text(&spec.gateway_api_version),
            entry_points: spec
                .entry_points
                .as_ref()
                .map(|e| e.join(","))
                .unwrap_or_default(),
        }
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
        match self.method {
            Method::Nodeport => {
                spec.node_fqdn = Some(self.node_fqdn.clone());
                spec.node_port = number(&self.node_port, SpecField::NodePort.key(), &mut f);
            }
            Method::Ingress => {
                spec.external_fqdn = Some(self.external_fqdn.clone());
                spec.ingress_class_name = non_empty(&self.ingress_class_name);
                spec.path = non_empty(&self.path);
                spec.legacy_secure_backends = self.legacy_secure_backends.then_some(true);
            }
            Method::Loadbalancer => {
                spec.external_fqdn = Some(self.external_fqdn.clone());
                spec.load_balancer_ip = non_empty(&self.load_balancer_ip);
                spec.legacy_load_balancer_ip = self.legacy_load_balancer_ip.then_some(true);
                spec.load_balancer_class = non_empty(&self.load_balancer_class);
                spec.external_traffic_policy = non_empty(&self.external_traffic_policy);
            }
            Method::Gateway => {
                spec.external_fqdn = Some(self.external_fqdn.clone());
                spec.gateway_class_name = non_empty(&self.gateway_class_name);
                spec.gateway_name = non_empty(&self.gateway_name);
                spec.listener_set_name = non_empty(&self.listener_set_name);
                spec.gateway_namespace = non_empty(&self.gateway_namespace);
                spec.listener_name = non_empty(&self.listener_name);
                spec.gateway_api_version = non_empty(&self.gateway_api_version);
            }
            Method::Traefik => {
                spec.external_fqdn = Some(self.external_fqdn.clone());
                spec.entry_points = non_empty(&self.entry_points)
                    .map(|e| e.split(',').map(|p| p.trim().to_string()).collect());
            }
        }
        (spec, f)
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
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
            node_port: "-".into(),
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
            node_fqdn: "w1.example.com".into(),
            external_fqdn: "cache.example.com".into(),
            ..Form::default()
        };
        let (spec, _) = form.to_spec();
        assert_eq!(spec.node_fqdn, None);
    }
}
