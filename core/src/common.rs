//! The fields every method shares — namespace, name, selector, ports, the CA
//! file the curl steps trust — checked once. Methods build on [`Common`]; it
//! sits below them so that no method reaches up into `validate`.

use crate::codes::Code;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::k8s_names::{NameRule, check_label_key, check_label_value, check_name};
use crate::spec::Spec;
use std::collections::BTreeMap;

/// The shared fields of a spec that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// Namespace (RFC 1123 label).
    pub namespace: String,
    /// Service and route name (RFC 1035 label).
    pub name: String,
    /// Pod selector (valid label keys and values, not empty).
    pub selector: BTreeMap<String, String>,
    /// Service port.
    pub port: u16,
    /// Container port.
    pub target_port: u16,
    /// CA file name for the curl steps.
    pub ca_file: String,
}

/// Checks the shared fields: findings into `f`, the fields when none of them
/// is an error.
pub fn check(spec: &Spec, f: &mut Vec<Finding>) -> Option<Common> {
    let before = f.len();
    f.extend(check_name(
        &spec.namespace,
        NameRule::Rfc1123Label,
        SpecField::Namespace.key(),
    ));
    f.extend(check_name(
        &spec.name,
        NameRule::Rfc1035Label,
        SpecField::Name.key(),
    ));
    check_selector(&spec.selector, f);
    let port = check_port(spec.port, SpecField::Port.key(), f);
    let target_port = check_port(spec.target_port, SpecField::TargetPort.key(), f);
    check_ca_file(&spec.ca_file, f);
    if f[before..].iter().any(Finding::is_error) {
        return None;
    }
    Some(Common {
        namespace: spec.namespace.clone(),
        name: spec.name.clone(),
        selector: spec.selector.clone(),
        port: port?,
        target_port: target_port?,
        ca_file: spec.ca_file.clone(),
    })
}

fn check_selector(selector: &BTreeMap<String, String>, f: &mut Vec<Finding>) {
    if selector.is_empty() {
        f.push(Finding::error(
            Code::SelectorEmpty,
            SpecField::Selector,
            "the selector is empty; the Service would select no pods",
            "select the cache pods, such as app: msr-cache",
        ));
    }
    for (k, v) in selector {
        f.extend(check_label_key(k, "selector"));
        f.extend(check_label_value(k, v, "selector"));
    }
}

/// A TCP port from the spec, or a finding on `field`.
pub(crate) fn check_port(value: i64, field: &str, f: &mut Vec<Finding>) -> Option<u16> {
    match u16::try_from(value) {
        Ok(p) if p > 0 => Some(p),
        _ => {
            f.push(Finding::error(
                Code::PortOutOfRange,
                field,
                format!("{value} is not a TCP port"),
                "use a port from 1 to 65535; the MSR cache listens on 443",
            ));
            None
        }
    }
}

/// The CA file's name reaches curl, openssl and the lab plan's `mkdir` as
/// one argument (`crate::shell`): it must name a file — not a directory
/// (`.`, `..`, a trailing `/`) — and carry no control character, which no
/// shell text carries safely.
fn check_ca_file(ca_file: &str, f: &mut Vec<Finding>) {
    let last = ca_file.rsplit('/').next().unwrap_or_default();
    let why = if ca_file.trim().is_empty() {
        Some("it is empty")
    } else if crate::shell::check(ca_file).is_err() {
        Some("it has a control character, which no command can carry safely")
    } else if matches!(last, "" | "." | "..") {
        Some("it names a directory, not a file")
    } else {
        None
    };
    if let Some(why) = why {
        f.push(Finding::error(
            Code::SpecCaFileInvalid,
            SpecField::CaFile,
            format!(
                "`{}` is not a usable file name: {why}",
                ca_file.escape_debug()
            ),
            "name the file holding the CA certificate clients trust, such as msr.cert.pem",
        ));
    }
}
