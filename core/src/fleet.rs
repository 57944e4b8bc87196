//! A fleet file: every site's cache in one file. `defaults` holds what the
//! caches share (spec fields, and the kubeconfig `context` or the `ca` file
//! when all share them); each entry of `caches` is one cache — its `name` in
//! the fleet, optionally its `context`, its `cert`/`key`/`ca` files
//! (relative to the fleet file) and its MSR registration name `msrName`,
//! and the spec fields that differ from the defaults (the spec's `name`, the
//! Service's, is `serviceName` here: `name` names the cache). A spec field
//! set to `null` in a cache clears the default. Unknown fields are an
//! error, as in a spec; every finding names the cache and the field
//! (`caches[eu1].externalFqdn`).
//!
//! ```yaml
//! defaults:
//!   method: gateway
//!   gatewayClassName: envoy-gatewayingress
//!   ca: msr.cert.pem
//! caches:
//!   - name: eu1
//!     context: eu1-admin
//!     externalFqdn: cache-eu1.example.com
//!     cert: eu1/cache.cert.pem
//!   - name: us1
//!     externalFqdn: cache-us1.example.com
//! ```

use crate::codes::Code;
use crate::finding::Finding;
use crate::spec::Spec;
use serde_json::{Map, Value};

/// The most caches a fleet file holds.
pub const MAX_CACHES: usize = 1000;

/// The keys of a cache that are the fleet's, not the spec's.
const CACHE_KEYS: &[&str] = &["name", "context", "cert", "key", "ca", "msrName"];
/// The spec's `name` (the Service's), spelled so in a fleet because `name`
/// names the cache.
const SERVICE_NAME: &str = "serviceName";
/// The fleet's keys `defaults` may hold besides spec fields.
const DEFAULT_KEYS: &[&str] = &["context", "ca"];
/// The directory `fleet generate` writes the GitOps layout into, beside
/// the caches' own directories: no cache may be named so.
pub const GITOPS_DIR: &str = "gitops";

/// Where the GitOps engines find the output of `fleet generate`: the
/// fleet's `gitops` section.
///
/// ```yaml
/// gitops:
///   repoURL: https://git.example.com/ops/msr-caches.git
///   revision: main          # HEAD when left out
///   path: sites/caches      # where the output directory sits in the repository; its root when left out
///   fluxSource: flux-system # the Flux GitRepository that holds it; flux-system when left out
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Gitops {
    /// The clone URL Argo CD reads; without it no ApplicationSet is written.
    #[serde(rename = "repoURL")]
    pub repo_url: Option<String>,
    /// The branch, tag or commit Argo CD follows.
    pub revision: Option<String>,
    /// The output directory's path inside the repository.
    pub path: Option<String>,
    /// The name of Flux's GitRepository (in flux-system) that holds the repository.
    pub flux_source: Option<String>,
}

impl Gitops {
    /// The revision Argo CD follows (`HEAD` by default).
    pub fn revision(&self) -> &str {
        self.revision.as_deref().unwrap_or("HEAD")
    }

    /// The output directory inside the repository, without `./` or a final
    /// `/`; empty for the repository's root.
    pub fn path(&self) -> &str {
        let p = self.path.as_deref().unwrap_or("").trim_end_matches('/');
        let p = p.strip_prefix("./").unwrap_or(p);
        if p == "." { "" } else { p }
    }

    /// The Flux GitRepository's name (`flux-system` by default).
    pub fn flux_source(&self) -> &str {
        self.flux_source.as_deref().unwrap_or("flux-system")
    }

    /// The findings for fields no engine can use.
    fn check(&self) -> Vec<Finding> {
        let mut f = Vec::new();
        let mut bad = |field: &str, message: String| {
            f.push(Finding::error(
                Code::FleetGitopsInvalid,
                format!("gitops.{field}"),
                message,
                "give repoURL as the repository's clone URL (https://… or git@host:…), path relative to its root without `..`, and names without spaces",
            ));
        };
        let spaced =
            |s: &str| s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control());
        let url = self.repo_url.as_deref();
        if url.is_some_and(|u| spaced(u) || !(u.contains("://") || u.starts_with("git@"))) {
            bad(
                "repoURL",
                format!(
                    "`{}` is not a clone URL",
                    url.unwrap_or_default().escape_debug()
                ),
            );
        }
        let revision = self.revision.as_deref();
        if revision.is_some_and(spaced) {
            bad(
                "revision",
                format!(
                    "`{}` is not a branch, tag or commit",
                    revision.unwrap_or_default().escape_debug()
                ),
            );
        }
        let path = self.path.as_deref();
        if path.is_some_and(|p| {
            p.starts_with('/') || p.split('/').any(|s| s == "..") || p.chars().any(char::is_control)
        }) {
            bad(
                "path",
                format!(
                    "`{}` is not a path inside the repository",
                    path.unwrap_or_default().escape_debug()
                ),
            );
        }
        let source = self.flux_source.as_deref();
        if source.is_some_and(|s| {
            crate::k8s_names::check_name(s, crate::k8s_names::NameRule::DnsSubdomain, "fluxSource")
                .is_some()
        }) {
            bad(
                "fluxSource",
                format!(
                    "`{}` is not the name of a GitRepository",
                    source.unwrap_or_default().escape_debug()
                ),
            );
        }
        f
    }
}

/// One cache of the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// Its name in the fleet (a DNS label: it names its directory and rows).
    pub name: String,
    /// The kubeconfig context it lives in.
    pub context: Option<String>,
    /// Its certificate file (with intermediates), relative to the fleet file.
    pub cert: Option<String>,
    /// Its private key file.
    pub key: Option<String>,
    /// The CA file its clients trust.
    pub ca: Option<String>,
    /// The name MSR registers it under (`fleet up --register`; the cache's
    /// name in the fleet when not given, since every site's Service is
    /// usually named alike).
    pub msr_name: Option<String>,
    /// Its spec: the defaults with its own fields over them.
    pub spec: Spec,
}

impl Cache {
    /// The field of this cache, as findings name it (`caches[eu1].port`).
    pub fn field(&self, field: &str) -> String {
        field_of(&self.name, field)
    }
}

fn field_of(cache: &str, field: &str) -> String {
    if field.is_empty() || field == "spec" {
        format!("caches[{cache}]")
    } else {
        format!("caches[{cache}].{field}")
    }
}

/// A fleet file read: its caches, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fleet {
    /// The caches.
    pub caches: Vec<Cache>,
    /// Where the GitOps engines find `fleet generate`'s output.
    pub gitops: Gitops,
}

/// Reads a fleet file (YAML or JSON). Any problem is a finding naming the
/// cache and the field; nothing is returned then, so no cache is used from
/// a file that is partly wrong.
pub fn from_text(text: &str) -> Result<Fleet, Vec<Finding>> {
    readable(text)?;
    // Through YAML's own value first: it refuses a key given twice (a
    // cache's `name` twice, say), where a JSON map would keep the last.
    let value = serde_yaml::from_str::<serde_yaml::Value>(text)
        .map_err(|e| e.to_string())
        .and_then(|y| serde_json::to_value(y).map_err(|e| e.to_string()))
        .map_err(|e| {
            vec![error(
                Code::FleetParse,
                "fleet",
                format!("the fleet file is not YAML or JSON: {e}"),
            )]
        })?;
    from_value(&value)
}

/// Refuses an empty fleet file, or one too large or too deeply nested to be
/// one, before it is parsed.
fn readable(text: &str) -> Result<(), Vec<Finding>> {
    if text.trim().is_empty() {
        return Err(vec![error(
            Code::FleetParse,
            "fleet",
            "the fleet file is empty".into(),
        )]);
    }
    use crate::spec::{MAX_SPEC_BYTES, MAX_SPEC_DEPTH};
    crate::spec::within_limits(text).map_err(|_| {
        let message = if text.len() > MAX_SPEC_BYTES {
            format!(
                "the fleet file is {} bytes; at most {MAX_SPEC_BYTES} are read (a fleet of {MAX_CACHES} caches is a few hundred kilobytes)",
                text.len()
            )
        } else {
            format!(
                "the fleet file nests [ or {{ more than {MAX_SPEC_DEPTH} deep; a fleet file nests a few levels"
            )
        };
        vec![error(Code::FleetParse, "fleet", message)]
    })
}

/// Reads a fleet file written as JSON — the page and the JS API, which carry
/// no YAML parser (JSON is YAML: `msr-expose fleet` reads the same file).
/// A key given twice keeps its last value there, as `JSON.parse` does.
pub fn from_json(text: &str) -> Result<Fleet, Vec<Finding>> {
    readable(text)?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![error(
            Code::FleetParse,
            "fleet",
            format!("the fleet file is not JSON ({e}); here a fleet file is JSON, which msr-expose reads as well as YAML"),
        )]
    })?;
    from_value(&value)
}

/// The fleet file (JSON) with `spec` appended as the cache `name`: how the
/// page builds a fleet cache by cache from its configurator. The spec's
/// `name` goes in as `serviceName`; an empty fleet starts one. Pretty JSON,
/// two spaces, the caches in the order added.
pub fn add_cache(fleet: &str, spec: &Spec, name: &str) -> Result<String, Finding> {
    let name = name.trim();
    if crate::k8s_names::check_name(name, crate::k8s_names::NameRule::Rfc1123Label, "name")
        .is_some()
        || name == GITOPS_DIR
    {
        return Err(Finding::error(
            Code::FleetCacheNameInvalid,
            "name",
            format!("`{}` cannot name a cache", name.escape_debug()),
            "name it with lowercase letters, digits and '-' (63 at most, not gitops), such as eu1: it names a directory",
        ));
    }
    let mut top: Value = if fleet.trim().is_empty() {
        serde_json::json!({ "caches": [] })
    } else {
        serde_json::from_str(fleet).map_err(|e| {
            error(
                Code::FleetParse,
                "fleet",
                format!("the fleet file is not JSON ({e}): fix it, or clear it to start anew"),
            )
        })?
    };
    let mut cache = Map::new();
    cache.insert("name".into(), Value::String(name.to_string()));
    if let Ok(Value::Object(fields)) = serde_json::to_value(spec) {
        for (k, v) in fields {
            cache.insert(if k == "name" { SERVICE_NAME.into() } else { k }, v);
        }
    }
    let not_a_list = || {
        error(
            Code::FleetParse,
            "caches",
            "the fleet file's `caches` is not a list".into(),
        )
    };
    let Value::Object(map) = &mut top else {
        return Err(not_a_list());
    };
    match map
        .entry("caches")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(caches) => caches.push(Value::Object(cache)),
        _ => return Err(not_a_list()),
    }
    let mut text = serde_json::to_string_pretty(&top).unwrap_or_default();
    text.push('\n');
    Ok(text)
}

/// Reads a fleet already parsed as JSON.
pub fn from_value(value: &Value) -> Result<Fleet, Vec<Finding>> {
    let Some(top) = value.as_object() else {
        return Err(vec![error(
            Code::FleetParse,
            "fleet",
            "the fleet file is not a map with `defaults` and `caches`".into(),
        )]);
    };
    let mut f = Vec::new();
    for key in top
        .keys()
        .filter(|k| !["defaults", "caches", "gitops"].contains(&k.as_str()))
    {
        f.push(error(
            Code::FleetParse,
            "fleet",
            format!("unknown field `{key}`: a fleet file has `defaults`, `caches` and `gitops`"),
        ));
    }
    let gitops = match top.get("gitops") {
        None => Gitops::default(),
        Some(v) => match serde_json::from_value::<Gitops>(v.clone()) {
            Ok(g) => {
                f.extend(g.check());
                g
            }
            Err(e) => {
                f.push(Finding::error(
                    Code::FleetGitopsInvalid,
                    "gitops",
                    e.to_string(),
                    "`gitops` holds repoURL, revision, path and fluxSource, each text",
                ));
                Gitops::default()
            }
        },
    };
    let empty = Map::new();
    let defaults = match top.get("defaults") {
        None => &empty,
        Some(Value::Object(m)) => m,
        Some(_) => {
            f.push(error(
                Code::FleetParse,
                "defaults",
                "`defaults` is not a map of spec fields".into(),
            ));
            &empty
        }
    };
    let entries = match top.get("caches") {
        Some(Value::Array(a)) if !a.is_empty() => a.as_slice(),
        Some(Value::Array(_)) | None => {
            f.push(Finding::error(
                Code::FleetNoCaches,
                "caches",
                "the fleet has no caches",
                "list them under `caches`, each with its `name` and the fields that differ from `defaults`",
            ));
            &[]
        }
        Some(_) => {
            f.push(error(
                Code::FleetParse,
                "caches",
                "`caches` is not a list".into(),
            ));
            &[]
        }
    };
    if entries.len() > MAX_CACHES {
        f.push(error(
            Code::FleetParse,
            "caches",
            format!(
                "{} caches: a fleet file holds at most {MAX_CACHES}",
                entries.len()
            ),
        ));
        return Err(f);
    }
    // Names first: a duplicate is said even when a cache's fields are wrong.
    let names: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.get("name").and_then(Value::as_str))
        .collect();
    for (i, name) in names.iter().enumerate() {
        // Said once, at the name's second use.
        if names[..i].iter().filter(|n| *n == name).count() == 1 {
            f.push(Finding::error(
                Code::FleetCacheNameDuplicate,
                field_of(name, "name"),
                format!("two caches are named {name}"),
                "give every cache its own name: it names its directory and its rows",
            ));
        }
    }
    let caches: Vec<Cache> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| cache(i, entry, defaults, &mut f))
        .collect();
    if f.iter().any(Finding::is_error) {
        return Err(f);
    }
    Ok(Fleet { caches, gitops })
}

/// One entry of `caches`, merged over the defaults.
fn cache(
    i: usize,
    entry: &Value,
    defaults: &Map<String, Value>,
    f: &mut Vec<Finding>,
) -> Option<Cache> {
    let at = format!("caches[{i}]");
    let Some(own) = entry.as_object() else {
        f.push(error(
            Code::FleetParse,
            &at,
            "a cache is not a map of fields".into(),
        ));
        return None;
    };
    let name = match own.get("name").and_then(Value::as_str) {
        Some(n) if n == GITOPS_DIR => {
            f.push(Finding::error(
                Code::FleetCacheNameReserved,
                format!("{at}.name"),
                format!("a cache cannot be named {GITOPS_DIR}: `fleet generate` writes the GitOps layout into that directory"),
                "name the cache otherwise, such as gitops-site",
            ));
            return None;
        }
        Some(n)
            if crate::k8s_names::check_name(
                n,
                crate::k8s_names::NameRule::Rfc1123Label,
                "name",
            )
            .is_none() =>
        {
            n.to_string()
        }
        Some(n) => {
            f.push(Finding::error(
                Code::FleetCacheNameInvalid,
                format!("{at}.name"),
                format!("`{}` is not a cache name", n.escape_debug()),
                "name it with lowercase letters, digits and '-' (63 at most), such as eu1: it names a directory",
            ));
            return None;
        }
        None => {
            f.push(Finding::error(
                Code::FleetCacheNameInvalid,
                format!("{at}.name"),
                "the cache has no `name`",
                "give it a name such as eu1: it names its directory and its rows",
            ));
            return None;
        }
    };
    let text = |m: &Map<String, Value>, key: &str, f: &mut Vec<Finding>| -> Option<String> {
        match m.get(key) {
            None => None,
            // Names and paths reach commands (`kubectl --context …`, the
            // steps' `--cacert …`): what no shell text carries is refused.
            Some(Value::String(s)) if crate::shell::check(s).is_err() => {
                f.push(error(
                    Code::FleetParse,
                    &field_of(&name, key),
                    format!(
                        "`{key}` {:?} has a control character, which no command can carry safely",
                        s
                    ),
                ));
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                f.push(error(
                    Code::FleetParse,
                    &field_of(&name, key),
                    format!("`{key}` is not text"),
                ));
                None
            }
        }
    };
    let mut merged = Map::new();
    let spec_field = |k: &String, v: &Value, merged: &mut Map<String, Value>| {
        let key = if k == SERVICE_NAME {
            "name"
        } else {
            k.as_str()
        };
        merged.insert(key.to_string(), v.clone());
    };
    for (k, v) in defaults {
        if k == "name" {
            f.push(Finding::error(
                Code::FleetParse,
                "defaults.name",
                "`name` names a cache, and the defaults are no cache",
                format!("give each cache its name under `caches`; the Service's name every cache shares is `{SERVICE_NAME}`"),
            ));
        } else if !DEFAULT_KEYS.contains(&k.as_str()) {
            spec_field(k, v, &mut merged);
        }
    }
    for (k, v) in own {
        if !CACHE_KEYS.contains(&k.as_str()) {
            spec_field(k, v, &mut merged);
        }
    }
    // The steps' curl trusts the cache's CA file, as `generate --ca` makes it.
    if !merged.contains_key("caFile")
        && let Some(Value::String(ca)) = own.get("ca").or_else(|| defaults.get("ca"))
    {
        merged.insert("caFile".into(), Value::String(ca.clone()));
    }
    let spec = match serde_json::from_value::<Spec>(Value::Object(merged)) {
        Ok(s) => s,
        Err(e) => {
            let message = e.to_string();
            let hint = if message.contains("unknown field") {
                format!(
                    "fields are a spec's (camelCase, `{SERVICE_NAME}` for its `name`: {}) or the cache's own ({})",
                    crate::spec::FIELDS.join(", "),
                    CACHE_KEYS.join(", ")
                )
            } else {
                "check the cache's fields against the README's spec".into()
            };
            f.push(Finding::error(
                Code::FleetParse,
                field_of(&name, ""),
                message,
                hint,
            ));
            return None;
        }
    };
    Some(Cache {
        context: text(own, "context", f).or_else(|| text(defaults, "context", f)),
        cert: text(own, "cert", f),
        key: text(own, "key", f),
        ca: text(own, "ca", f).or_else(|| text(defaults, "ca", f)),
        msr_name: text(own, "msrName", f),
        spec,
        name,
    })
}

fn error(code: Code, field: &str, message: String) -> Finding {
    Finding::error(
        code,
        field,
        message,
        "write the fleet as `defaults` (spec fields shared by every cache) and `caches` (each with its `name`)",
    )
}

/// Every cache's findings, each naming the cache and the field: the spec's
/// own validation, with `caches[<name>].` before every field.
pub fn validate(fleet: &Fleet) -> Vec<(String, Vec<Finding>)> {
    fleet
        .caches
        .iter()
        .map(|c| {
            let (_, findings) = crate::validate::validate(&c.spec);
            let named = findings
                .into_iter()
                .map(|mut x| {
                    x.field = c.field(&x.field);
                    x
                })
                .collect();
            (c.name.clone(), named)
        })
        .collect()
}

/// A warning on every cache whose endpoint an earlier cache of the fleet
/// has already (by index into `fleet.caches`): two caches behind one
/// endpoint cannot both be reached, nor both registered with MSR.
pub fn shared_endpoints(fleet: &Fleet) -> Vec<(usize, Finding)> {
    let mut seen: Vec<(String, &str)> = Vec::new();
    let mut found = Vec::new();
    for (i, c) in fleet.caches.iter().enumerate() {
        let Some(valid) = crate::validate::validate(&c.spec).0 else {
            continue;
        };
        let url = crate::steps::endpoint(&valid).url;
        // A node port the cluster picks is not known: nothing to compare.
        if url.contains("${") {
            continue;
        }
        match seen.iter().find(|(u, _)| *u == url) {
            Some((_, other)) => found.push((
                i,
                Finding::warning(
                    Code::FleetEndpointShared,
                    c.field(valid.method().about().host.0.key()),
                    format!("{url} is also the endpoint of the cache {other}: clients cannot tell the two apart, and MSR registers only one of them"),
                    "give each cache its own host name (or node port)",
                ),
            )),
            None => seen.push((url, &c.name)),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLEET: &str = "defaults:\n  method: gateway\n  gatewayClassName: eg\n  ca: msr.cert.pem\n  context: admin\ncaches:\n  - name: eu1\n    externalFqdn: cache-eu1.example.com\n    cert: eu1/cache.cert.pem\n  - name: us1\n    context: us1-admin\n    externalFqdn: cache-us1.example.com\n    namespace: registry\n";

    #[test]
    fn caches_are_the_defaults_with_their_own_fields() {
        let fleet = from_text(FLEET).expect("valid");
        let eu1 = &fleet.caches[0];
        assert_eq!(eu1.name, "eu1");
        assert_eq!(eu1.context.as_deref(), Some("admin"), "the default context");
        assert_eq!(eu1.ca.as_deref(), Some("msr.cert.pem"), "the default CA");
        assert_eq!(eu1.cert.as_deref(), Some("eu1/cache.cert.pem"));
        assert_eq!(eu1.spec.gateway_class_name.as_deref(), Some("eg"));
        let us1 = &fleet.caches[1];
        assert_eq!(
            us1.context.as_deref(),
            Some("us1-admin"),
            "its own context wins"
        );
        assert_eq!(us1.spec.namespace, "registry");
        assert_eq!(eu1.spec.namespace, "msr", "the spec's default");
        assert!(
            validate(&fleet)
                .iter()
                .all(|(_, f)| !f.iter().any(Finding::is_error))
        );
    }

    /// (fleet, code, field the finding names, reason)
    #[rustfmt::skip]
    const BAD: &[(&str, &str, &str, &str)] = &[
        ("", "fleet.parse", "fleet", "empty"),
        ("caches: []\n", "fleet.no_caches", "caches", "nothing to do"),
        ("defaults: {}\n", "fleet.no_caches", "caches", "no caches key"),
        ("caches:\n  - externalFqdn: a.example.com\n", "fleet.cache_name_invalid", "caches[0].name", "a cache without a name"),
        ("caches:\n  - name: EU_1\n", "fleet.cache_name_invalid", "caches[0].name", "a name that cannot name a directory"),
        ("caches:\n  - name: eu1\n  - name: eu1\n", "fleet.cache_name_duplicate", "caches[eu1].name", "two caches of one name"),
        ("caches:\n  - name: eu1\n    externalFQDN: a.example.com\n", "fleet.parse", "caches[eu1]", "a typo is not silently dropped"),
        ("defaults:\n  nodefqdn: w1\ncaches:\n  - name: eu1\n", "fleet.parse", "caches[eu1]", "a typo in the defaults is the caches'"),
        ("caches:\n  - name: eu1\n    cert: 7\n", "fleet.parse", "caches[eu1].cert", "a file name that is not text"),
        ("fleet: 1\ncaches:\n  - name: eu1\n", "fleet.parse", "fleet", "an unknown top-level field"),
        ("- name: eu1\n", "fleet.parse", "fleet", "a list, not a map"),
        ("caches:\n  - name: eu1\n    name: eu2\n", "fleet.parse", "fleet", "a key twice: YAML's value refuses it, nothing is kept silently"),
        ("defaults:\n  name: msr-cache\ncaches:\n  - name: eu1\n", "fleet.parse", "defaults.name", "the defaults are no cache: serviceName names the Service"),
        ("caches:\n  - name: gitops\n", "fleet.cache_name_reserved", "caches[0].name", "the GitOps layout's own directory"),
        ("gitops:\n  repoUrl: x\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops", "a typo in gitops (repoURL)"),
        ("gitops:\n  repoURL: my repo\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops.repoURL", "no clone URL"),
        ("gitops:\n  path: ../elsewhere\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops.path", "outside the repository"),
        ("gitops:\n  path: /abs\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops.path", "absolute"),
        ("gitops:\n  revision: 'my branch'\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops.revision", "a revision with a space"),
        ("gitops:\n  fluxSource: Flux_System\ncaches:\n  - name: eu1\n", "fleet.gitops_invalid", "gitops.fluxSource", "not an object name"),
    ];

    #[test]
    fn bad_fleets_name_the_cache_and_the_field() {
        for (text, code, field, why) in BAD {
            let f = from_text(text).expect_err(why);
            assert!(
                f.iter().any(|x| x.code == *code && x.field == *field),
                "{why}: {f:?}"
            );
        }
    }

    #[test]
    fn service_name_is_the_spec_s_name_and_null_clears_a_default() {
        let fleet = from_text("defaults:\n  method: gateway\n  gatewayClassName: eg\n  serviceName: cache\ncaches:\n  - name: eu1\n    externalFqdn: a.example.com\n  - name: us1\n    serviceName: cache-us1\n    externalFqdn: b.example.com\n    gatewayClassName: null\n    gatewayName: shared\n").expect("parses");
        assert_eq!(fleet.caches[0].spec.name, "cache", "the default");
        assert_eq!(fleet.caches[1].spec.name, "cache-us1", "its own");
        assert_eq!(
            fleet.caches[1].name, "us1",
            "the cache's name is not the Service's"
        );
        assert_eq!(
            fleet.caches[1].spec.gateway_class_name, None,
            "null cleared the default"
        );
    }

    #[test]
    fn a_cache_added_from_a_spec_reads_back_as_that_spec() {
        let spec = Spec::from_json(
            r#"{"method":"traefik","externalFqdn":"a.example.com","name":"cache-a"}"#,
        )
        .expect("spec");
        let one = add_cache("", &spec, "eu1").expect("added");
        let two = add_cache(&one, &spec, "us1").expect("added");
        let fleet = from_json(&two).expect("reads back");
        assert_eq!(fleet.caches.len(), 2);
        assert_eq!(fleet.caches[1].name, "us1");
        assert_eq!(
            fleet.caches[1].spec, spec,
            "the same spec, its name as serviceName"
        );
        // (fleet, name, code, reason)
        for (text, name, code, why) in [
            (
                "",
                "EU 1",
                "fleet.cache_name_invalid",
                "not a directory name",
            ),
            (
                "",
                "gitops",
                "fleet.cache_name_invalid",
                "the GitOps layout's directory",
            ),
            ("{", "eu1", "fleet.parse", "the fleet text is not JSON"),
            (
                "{\"caches\": 3}",
                "eu1",
                "fleet.parse",
                "caches is not a list",
            ),
            ("[]", "eu1", "fleet.parse", "not a map"),
        ] {
            let e = add_cache(text, &spec, name).expect_err(why);
            assert_eq!(e.code.as_str(), code, "{why}");
        }
    }

    #[test]
    fn a_shared_endpoint_is_said_on_the_later_cache() {
        let fleet = from_text("defaults:\n  method: traefik\ncaches:\n  - name: eu1\n    externalFqdn: a.example.com\n  - name: us1\n    externalFqdn: b.example.com\n  - name: eu2\n    externalFqdn: A.example.com\n  - name: n1\n    method: nodeport\n    nodeFqdn: w1.example.com\n  - name: n2\n    method: nodeport\n    nodeFqdn: w1.example.com\n").expect("fleet");
        let found = shared_endpoints(&fleet);
        // eu2 (the same name, another case) only: n1 and n2's ports are the cluster's to pick.
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert_eq!(found[0].1.field, "caches[eu2].externalFqdn");
        assert!(found[0].1.message.contains("eu1"));
    }

    #[test]
    fn each_cache_s_findings_name_it() {
        let fleet = from_text("defaults:\n  method: nodeport\ncaches:\n  - name: eu1\n    nodeFqdn: bad_name.example.com\n  - name: us1\n    nodeFqdn: w1.example.com\n").expect("parses");
        let v = validate(&fleet);
        assert_eq!(v[0].1[0].field, "caches[eu1].nodeFqdn");
        assert!(v[1].1.iter().all(|f| !f.is_error()));
    }
}
