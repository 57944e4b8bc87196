//! What a method is to the rest of the core: the traits its module
//! implements on its validated exposure ([`MethodKind`], [`Exposed`],
//! [`Drawn`]), the registry's entries ([`About`], [`Page`], [`Apply`]) and
//! the building blocks several methods share (the external FQDN check, the
//! Service detection, the picture's hops). It sits below the method modules
//! and the registry (`method`), which only iterates; nothing here names a
//! method.

use crate::codes::Code;
use crate::common::Common;
use crate::field::SpecField;
use crate::finding::Finding;
use crate::fqdn::{Fqdn, Host, HostRole};
use crate::object::Object;
use crate::shell::{ShellError, Word};
use crate::spec::Spec;
use crate::step::{Step, StepContext};
use serde_json::Value;

/// How the page shows one input of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A line of text (numbers and lists included: the core parses them).
    Text,
    /// A checkbox (a boolean field).
    Checkbox,
}

/// One input of a method's form: the spec field it sets and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormField {
    /// The spec field it sets.
    pub field: SpecField,
    /// Its label.
    pub label: &'static str,
    /// The line of help under it.
    pub help: &'static str,
    /// The placeholder (what an empty input means).
    pub placeholder: &'static str,
    /// Text or checkbox.
    pub input: Input,
}

impl FormField {
    /// A text input.
    pub const fn text(
        field: SpecField,
        label: &'static str,
        help: &'static str,
        placeholder: &'static str,
    ) -> Self {
        FormField {
            field,
            label,
            help,
            placeholder,
            input: Input::Text,
        }
    }

    /// A checkbox.
    pub const fn checkbox(field: SpecField, label: &'static str) -> Self {
        FormField {
            field,
            label,
            help: "",
            placeholder: "",
            input: Input::Checkbox,
        }
    }
}

/// A kind of object that `apply` lists in the cache's namespace to find
/// other exposures of the cache (where the kind is installed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    /// The API group (empty for the core group).
    pub group: &'static str,
    /// The version to read it at when the cluster does not say (core kinds).
    pub version: &'static str,
    /// The kind.
    pub kind: &'static str,
    /// Its plural (REST path).
    pub plural: &'static str,
}

/// A Service (`v1`).
pub const SERVICES: Listed = Listed {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
};

/// What the registry and the docs know of a method: what every build of
/// the core needs (the page's and `apply`'s own parts are [`Page`] and
/// [`Apply`], kept apart so that a build links only the parts it uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// Its name in a sentence ("a LoadBalancer Service").
    pub title: &'static str,
    /// What clients connect to and where TLS ends.
    pub summary: &'static str,
    /// The manifest file name.
    pub file: &'static str,
    /// The field naming the host clients connect to, and how it is checked.
    pub host: (SpecField, HostRole),
    /// The spec fields it owns (the shared ones aside); a field no method
    /// being used owns is an error.
    pub fields: &'static [SpecField],
    /// Whether it routes to the cache's own ClusterIP Service (passthrough)
    /// rather than making that Service external.
    pub routes_to_service: bool,
}

/// What the page shows of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Its name on the page's picker ("LoadBalancer Service").
    pub label: &'static str,
    /// When to pick it, for the page's picker.
    pub when: &'static str,
    /// The page's inputs for it, in order.
    pub form: &'static [FormField],
}

/// What `apply` knows of a method beyond its objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Apply {
    /// The kinds `apply` lists to find other exposures through it.
    pub lists: &'static [Listed],
    /// What `apply` waits for, for its messages.
    pub waits_for: &'static str,
}

/// An object already in the cluster, as the API server returned it.
#[derive(Debug, Clone, Copy)]
pub struct ClusterObject<'a> {
    /// Its kind (`Service`, `TLSRoute`, …).
    pub kind: &'a str,
    /// Its JSON.
    pub data: &'a Value,
}

/// One hop of the path a registry client takes to the cache, for the
/// page's picture: a title and a line or two of detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// What the hop is ("Gateway shared", "worker node").
    pub title: String,
    /// The names and ports there.
    pub lines: Vec<String>,
}

impl Hop {
    /// A hop titled `title` with `lines`.
    pub fn new<const N: usize>(title: impl Into<String>, lines: [String; N]) -> Hop {
        Hop {
            title: title.into(),
            lines: lines.into(),
        }
    }

    /// The DNS hop of a name pointed at the address behind it.
    pub fn dns(host: &Fqdn) -> Hop {
        Hop::new("DNS", [host.to_string(), "→ the address below".into()])
    }

    /// The cache's own Service, as a passthrough route reaches it.
    pub fn cluster_ip(common: &Common) -> Hop {
        Hop::new(
            format!("Service {}", common.name),
            ["ClusterIP".into(), format!(":{}", common.port)],
        )
    }
}

/// What a passthrough route needs first: the cache's own Service.
pub(crate) fn needs_service(common: &Common) -> String {
    format!(
        "the cache's Service {} (ClusterIP, port {})",
        common.name, common.port
    )
}

/// A validated exposure of one method: what the rest of the core asks of it.
pub trait Exposed {
    /// The host clients connect to: what the certificate must carry as a SAN.
    fn host(&self) -> Host;
    /// The port clients connect to when it is not 443 (`Ok(None)`: 443); an
    /// error when it is not known before apply (an allocated node port).
    fn client_port(&self, _common: &Common) -> Result<Option<u16>, Finding> {
        Ok(None)
    }
    /// The endpoint URL (the node port may be a variable).
    fn endpoint(&self, common: &Common) -> Word {
        let host = self.host().url_host();
        match self.client_port(common) {
            Ok(Some(p)) => Word::lit(format!("https://{host}:{p}")),
            _ => Word::lit(format!("https://{host}")),
        }
    }
    /// Its objects, in apply order.
    fn objects(&self, common: &Common) -> Vec<Object>;
    /// Its steps, from "check the Service" to the last curl test; the
    /// registration and the users' settings follow (`steps`).
    fn steps(&self, cx: &StepContext<'_>) -> Result<Vec<Step>, ShellError>;
}

/// What the page draws of a validated exposure. Dispatched statically by
/// [`Exposure::hops`] and [`Exposure::requires`], not through
/// [`Exposed`]'s vtable, so that a build that never draws (the JS API)
/// links none of it.
pub trait Drawn {
    /// The hops between the client and the cache's pods, in the order a
    /// connection takes them (the page's picture of the path).
    fn hops(&self, common: &Common) -> Vec<Hop>;
    /// What must already be in the cluster, beyond the namespace and the
    /// cache's pods, before it is applied.
    fn requires(&self, common: &Common) -> Vec<String>;
}

/// A method's module implements this on its validated exposure.
pub trait MethodKind: Exposed + Drawn + Sized {
    /// The registry's entry.
    const ABOUT: About;
    /// What the page shows.
    const PAGE: Page;
    /// What `apply` knows.
    const APPLY: Apply;
    /// Its fields checked; `None` when any is an error.
    fn validate(spec: &Spec, f: &mut Vec<Finding>) -> Option<Self>;
    /// Whether `object` (of one of the kinds in `ABOUT.lists`) exposes the
    /// cache through this method.
    fn exposes(object: &ClusterObject<'_>, common: &Common) -> bool;
}

/// The external FQDN of a passthrough method, which routes by SNI and so
/// needs a DNS name: the finding `missing_code` (saying `who` needs it) when
/// it is absent, the name checks otherwise.
pub(crate) fn external_name(
    spec: &Spec,
    missing_code: Code,
    who: &str,
    f: &mut Vec<Finding>,
) -> Option<Fqdn> {
    let Some(input) = spec.external_fqdn.as_deref() else {
        f.push(Finding::error(
            missing_code,
            SpecField::ExternalFqdn,
            format!("{who} needs the cache's external FQDN"),
            "set externalFqdn to the name clients use, a SAN of the cache certificate, such as cache.example.com",
        ));
        return None;
    };
    let c = crate::fqdn::check_host(input, SpecField::ExternalFqdn.key(), HostRole::IngressHost);
    f.extend(c.findings);
    match c.host {
        Some(Host::Name(n)) => Some(n),
        _ => None,
    }
}

/// The items of the JSON array at `v` (none when it is not an array).
pub(crate) fn items(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

/// A NodePort or LoadBalancer Service of `type_` whose selector picks the
/// cache's pods (every pair of its selector is in the spec's).
pub(crate) fn external_service(o: &ClusterObject<'_>, common: &Common, type_: &str) -> bool {
    let data = o.data;
    let selects_cache = data["spec"]["selector"].as_object().is_some_and(|sel| {
        !sel.is_empty()
            && sel.iter().all(|(k, v)| {
                v.as_str()
                    .is_some_and(|v| common.selector.get(k).map(String::as_str) == Some(v))
            })
    });
    o.kind == "Service" && data["spec"]["type"].as_str() == Some(type_) && selects_cache
}
