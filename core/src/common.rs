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
    /// The containerd the nodes run, where known: the format of the trust
    /// files' containerd snippet and k0s drop-in.
    pub containerd: Option<ContainerdLine>,
}

/// The two configuration formats of containerd: what a node's trust files
/// must be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerdLine {
    /// containerd 1.x: `version = 2`, the CRI plugin
    /// `io.containerd.grpc.v1.cri` (k0s up to 1.35 bundles 1.7).
    V1,
    /// containerd 2.x: `version = 3`, the CRI images plugin
    /// `io.containerd.cri.v1.images` (k0s from 1.36 bundles 2.3, whose
    /// pre-flight check refuses a drop-in in the old format).
    V2,
}

impl ContainerdLine {
    /// Both, in order.
    pub const ALL: [ContainerdLine; 2] = [ContainerdLine::V1, ContainerdLine::V2];
}

/// `MAJOR.MINOR[.PATCH]` (a leading `v` allowed) as numbers.
fn version(text: &str) -> Option<(u32, u32)> {
    let t = text.trim().trim_start_matches('v');
    let mut parts = t.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    match parts.next() {
        None => Some((major, minor)),
        Some(p) if parts.next().is_none() && p.parse::<u32>().is_ok() => Some((major, minor)),
        Some(_) => None,
    }
}

/// The nodes' containerd line: from `containerdVersion` (which a platform
/// profile fills in where it knows it), else from `k0sVersion` (the
/// containerd k0s bundles); `None` when nothing says (the trust files then
/// carry both formats, each named).
fn check_containerd(spec: &Spec, f: &mut Vec<Finding>) -> Option<ContainerdLine> {
    let from_containerd = spec.containerd_version.as_deref().map(|v| match version(v) {
        Some((1, m)) if m >= 5 => Some(ContainerdLine::V1),
        Some((2, _)) => Some(ContainerdLine::V2),
        _ => {
            f.push(Finding::error(
                Code::NodesContainerdVersionInvalid,
                SpecField::ContainerdVersion,
                format!("`{}` is not a containerd version msr-expose writes for", v.escape_debug()),
                "give the nodes' containerd as MAJOR.MINOR, 1.5 to 2.x (containerd --version shows it), or leave it empty for both formats",
            ));
            None
        }
    });
    let from_k0s = spec.k0s_version.as_deref().map(|v| match version(v) {
        Some((1, m)) if m <= 35 => Some(ContainerdLine::V1),
        Some((1, _)) => Some(ContainerdLine::V2),
        _ => {
            f.push(Finding::error(
                Code::NodesK0sVersionInvalid,
                SpecField::K0sVersion,
                format!("`{}` is not a k0s version", v.escape_debug()),
                "give the nodes' k0s as 1.MINOR, such as 1.35 (k0s version shows it), or leave it empty",
            ));
            None
        }
    });
    if let (Some(Some(c)), Some(Some(k))) = (from_containerd, from_k0s)
        && c != k
    {
        f.push(Finding::error(
            Code::NodesK0sVersionInvalid,
            SpecField::K0sVersion,
            "k0s up to 1.35 bundles containerd 1.7 and k0s 1.36 and later containerd 2.3: the two versions given do not go together",
            "give the one the nodes run (on k0s nodes, k0sVersion alone)",
        ));
    }
    from_containerd.flatten().or(from_k0s.flatten())
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
    let containerd = check_containerd(spec, f);
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
        containerd,
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
