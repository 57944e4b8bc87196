//! Objects judged against official CustomResourceDefinitions the way an API
//! server judges a create, so the tests can hold every object msr-expose
//! writes to the CRD of the version it targets (`../shared/crds/`, read-only
//! test data).
//!
//! What a create goes through, in the API server's order, and what is done
//! here for each:
//! - **the version is served** (`spec.versions[].served`), else the object is
//!   refused ("no matches for kind … in version …");
//! - **unknown fields are refused** (kubectl's and the API server's strict
//!   field validation) wherever the schema neither lists the field, nor has
//!   `additionalProperties`, nor `x-kubernetes-preserve-unknown-fields`;
//! - **defaults** (`default`) are applied before validation, recursively,
//!   as the structural defaulting does (the rules see defaulted values: a
//!   parentRef's `group` and `kind`);
//! - **the OpenAPI value validations**: `type`, `nullable`, `enum`,
//!   `required`, `pattern` (RE2 syntax, the `regex` crate's), `minLength` /
//!   `maxLength` (in characters, as Go's rune count), `minimum` / `maximum`,
//!   `minItems` / `maxItems`, `minProperties` / `maxProperties`, `format`
//!   (`date-time`, `byte`, `ipv4`, `ipv6`; `int32`, `int64`, `double` are
//!   not checked by the API server either), `allOf` / `anyOf` / `oneOf` /
//!   `not`, `x-kubernetes-int-or-string`, `x-kubernetes-list-type` (`set`:
//!   no duplicates; `map`: unique `x-kubernetes-list-map-keys`);
//! - **every `x-kubernetes-validations` rule**, by a CEL interpreter from
//!   crates.io (`cel`), with `self` typed by the schema as Kubernetes types
//!   it (objects' property names escaped: `namespace` → `__namespace__`),
//!   the strings extension (`split`, `substring`, `lowerAscii`) and the
//!   Kubernetes library functions the CRDs here call (`isIP`, `isURL`,
//!   `url(…).getScheme()`);
//! - **ObjectMeta** as the API server validates it for custom resources: the
//!   name a DNS-1123 subdomain, the namespace a DNS-1123 label, labels and
//!   annotations as qualified names, label values of ≤ 63 characters.
//!
//! A keyword, format or rule this module cannot judge panics: a test built
//! on it fails rather than passing an object nobody checked. A rule that
//! fails at run time on the object (`no such key`) refuses it, as the API
//! server does.

use cel::extractors::This;
use cel::{Context, Env, ExecutionError, Program, Value as Cel};
use regex::Regex;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// One version of a CRD.
#[derive(Debug, Clone)]
pub struct CrdVersion {
    /// `v1`, `v1alpha3`, …
    pub name: String,
    /// Whether the API server serves it.
    pub served: bool,
    schema: Value,
}

/// A CustomResourceDefinition, as read from its manifest.
#[derive(Debug, Clone)]
pub struct Crd {
    /// The file it came from.
    pub file: String,
    /// `spec.group`.
    pub group: String,
    /// `spec.names.kind`.
    pub kind: String,
    /// `spec.versions`.
    pub versions: Vec<CrdVersion>,
}

/// A cluster's custom resources: the CRDs it has installed.
pub struct Cluster {
    crds: Vec<Crd>,
    env: Arc<Env>,
    programs: Mutex<HashMap<String, Arc<Program>>>,
    regexes: Mutex<HashMap<String, Arc<Regex>>>,
}

/// Something the API server would refuse, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The JSON path of the field (`spec.hostnames[0]`).
    pub path: String,
    /// What is wrong, in the CRD's words where it has some.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The judgement of one object.
#[derive(Debug, Default)]
pub struct Verdict {
    /// The CRD file that judged it.
    pub crd: Option<String>,
    /// Everything refused; empty when the API server would accept it.
    pub violations: Vec<Violation>,
    /// How many `x-kubernetes-validations` rules were evaluated.
    pub rules: usize,
    /// The rules' texts, each once.
    pub rule_texts: BTreeSet<String>,
}

impl Verdict {
    /// Whether the object would be accepted.
    pub fn accepted(&self) -> bool {
        self.violations.is_empty()
    }
}

impl Cluster {
    /// The cluster with these CRD files of `dir` installed.
    pub fn load(dir: &Path, files: &[&str]) -> Cluster {
        let mut crds = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(dir.join(file))
                .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()));
            for doc in serde_yaml::Deserializer::from_str(&text) {
                let doc: Value = serde::Deserialize::deserialize(doc)
                    .unwrap_or_else(|e| panic!("{file}: not YAML: {e}"));
                if doc["kind"] != "CustomResourceDefinition" {
                    continue;
                }
                crds.push(crd(file, &doc));
            }
        }
        let mut env = Env::stdlib();
        env.add_extension(cel::extensions::strings)
            .expect("the strings extension registers");
        Cluster {
            crds,
            env: Arc::new(env),
            programs: Mutex::default(),
            regexes: Mutex::default(),
        }
    }

    /// The CRDs installed.
    pub fn crds(&self) -> &[Crd] {
        &self.crds
    }

    /// Judges one object (a JSON value of any kind).
    pub fn check(&self, object: &Value) -> Verdict {
        let mut verdict = Verdict::default();
        let api_version = object["apiVersion"].as_str().unwrap_or_default();
        let kind = object["kind"].as_str().unwrap_or_default();
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let Some(crd) = self
            .crds
            .iter()
            .find(|c| c.group == group && c.kind == kind)
        else {
            verdict.violations.push(violation(
                "",
                format!("no CRD for {kind} in group {group:?} is installed"),
            ));
            return verdict;
        };
        verdict.crd = Some(crd.file.clone());
        let Some(v) = crd.versions.iter().find(|v| v.name == version && v.served) else {
            let served: Vec<&str> = crd
                .versions
                .iter()
                .filter(|v| v.served)
                .map(|v| v.name.as_str())
                .collect();
            verdict.violations.push(violation(
                "apiVersion",
                format!(
                    "no matches for kind {kind} in version {api_version} (served: {})",
                    served.join(", ")
                ),
            ));
            return verdict;
        };
        let mut object = object.clone();
        default(&mut object, &v.schema);
        metadata(&object["metadata"], &mut verdict);
        let mut walk = Walk {
            cluster: self,
            verdict: &mut verdict,
            context: self.context(),
        };
        walk.value(&object, &v.schema, "", Mode::Full);
        verdict
    }

    fn context(&self) -> Context<'static, 'static> {
        let mut context = Context::with_env(Arc::clone(&self.env));
        for (name, result) in [
            ("isIP", context.add_function("isIP", is_ip)),
            ("isURL", context.add_function("isURL", is_url)),
            ("url", context.add_function("url", url)),
            ("getScheme", context.add_function("getScheme", get_scheme)),
        ] {
            result.unwrap_or_else(|e| panic!("cannot declare {name}: {e:?}"));
        }
        context
    }

    /// Every rule of every installed CRD compiled, and every function each
    /// calls found declared (a rule is judged whole, also the branches an
    /// object does not reach); how many rules.
    pub fn compile_all(&self) -> usize {
        let mut rules = BTreeSet::new();
        for crd in &self.crds {
            for v in &crd.versions {
                collect_rules(&v.schema, &mut rules);
            }
        }
        for rule in &rules {
            self.program(rule);
        }
        rules.len()
    }

    /// The compiled rule; panics where it does not compile or calls a
    /// function neither CEL, its strings extension nor this module declares.
    fn program(&self, rule: &str) -> Arc<Program> {
        let mut programs = self.programs.lock().expect("not poisoned");
        if let Some(p) = programs.get(rule) {
            return Arc::clone(p);
        }
        let program = self
            .env
            .compile(rule)
            .unwrap_or_else(|e| panic!("a CRD rule does not compile: {rule}\n{e:?}"));
        let context = self.context();
        for name in program.references().functions() {
            // Operators are `_==_`, `@in`, `!_`; functions are identifiers.
            if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            // Called with no arguments, a declared function fails on its
            // arguments; an undeclared one is an undeclared reference.
            let declared = [format!("{name}()"), format!("''.{name}()")]
                .iter()
                .any(|call| {
                    let probe = self.env.compile(call).expect("a call compiles");
                    !matches!(
                        probe.execute(&context),
                        Err(ExecutionError::UndeclaredReference(_))
                    )
                });
            if !declared {
                panic!("a CRD rule calls {name}, which this validator does not declare: {rule}");
            }
        }
        let program = Arc::new(program);
        programs.insert(rule.to_string(), Arc::clone(&program));
        program
    }

    fn regex(&self, pattern: &str) -> Arc<Regex> {
        let mut regexes = self.regexes.lock().expect("not poisoned");
        Arc::clone(regexes.entry(pattern.to_string()).or_insert_with(|| {
            Arc::new(
                Regex::new(pattern)
                    .unwrap_or_else(|e| panic!("a CRD pattern does not compile: {pattern}: {e}")),
            )
        }))
    }
}

fn crd(file: &str, doc: &Value) -> Crd {
    let spec = &doc["spec"];
    let text = |v: &Value, what: &str| {
        v.as_str()
            .unwrap_or_else(|| panic!("{file}: no {what}"))
            .to_string()
    };
    let versions = spec["versions"]
        .as_array()
        .unwrap_or_else(|| panic!("{file}: no versions"))
        .iter()
        .map(|v| CrdVersion {
            name: text(&v["name"], "version name"),
            served: v["served"].as_bool() == Some(true),
            schema: v["schema"]["openAPIV3Schema"].clone(),
        })
        .collect();
    Crd {
        file: file.to_string(),
        group: text(&spec["group"], "group"),
        kind: text(&spec["names"]["kind"], "kind"),
        versions,
    }
}

fn collect_rules(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for rule in map
                .get("x-kubernetes-validations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(text) = rule["rule"].as_str() {
                    out.insert(text.to_string());
                }
            }
            for (key, v) in map {
                // Defaults and enums are values, not schemas.
                if !matches!(key.as_str(), "default" | "enum" | "example") {
                    collect_rules(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_rules(v, out)),
        _ => {}
    }
}

fn violation(path: &str, message: impl Into<String>) -> Violation {
    Violation {
        path: if path.is_empty() {
            "<object>".to_string()
        } else {
            path.to_string()
        },
        message: message.into(),
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The keywords this module judges (or, for descriptions and the like,
/// knows to carry no validation). Any other keyword panics.
const KEYWORDS: &[&str] = &[
    "type",
    "description",
    "properties",
    "items",
    "required",
    "maxLength",
    "minLength",
    "additionalProperties",
    "format",
    "pattern",
    "x-kubernetes-validations",
    "minimum",
    "maximum",
    "enum",
    "anyOf",
    "allOf",
    "oneOf",
    "not",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-kubernetes-map-type",
    "default",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "x-kubernetes-int-or-string",
    "nullable",
    "x-kubernetes-preserve-unknown-fields",
    "title",
    "example",
];

/// Applies the schema's defaults to absent properties, recursively (also
/// inside a default just applied), as the API server's structural
/// defaulting does before validation.
fn default(value: &mut Value, schema: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(props) = schema["properties"].as_object() {
                for (key, prop) in props {
                    if !map.contains_key(key)
                        && let Some(d) = prop.get("default")
                    {
                        map.insert(key.clone(), d.clone());
                    }
                }
                for (key, prop) in props {
                    if let Some(v) = map.get_mut(key) {
                        default(v, prop);
                    }
                }
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                let known = schema["properties"].as_object();
                for (key, v) in map.iter_mut() {
                    if known.is_none_or(|k| !k.contains_key(key)) {
                        default(v, extra);
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for v in items {
                    default(v, item);
                }
            }
        }
        _ => {}
    }
}

/// How a schema is applied: the object's own schema (types, unknown fields,
/// rules), or a sub-schema of `allOf`/`anyOf`/`oneOf`/`not` (value
/// validations only, as a structural schema allows there).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Full,
    ValueOnly,
}

struct Walk<'a> {
    cluster: &'a Cluster,
    verdict: &'a mut Verdict,
    context: Context<'static, 'static>,
}

impl Walk<'_> {
    fn push(&mut self, path: &str, message: impl Into<String>) {
        self.verdict.violations.push(violation(path, message));
    }

    /// Whether `value` satisfies `schema` in value-only mode, without
    /// recording anything (for `anyOf`, `oneOf`, `not`).
    fn satisfies(&mut self, value: &Value, schema: &Value, path: &str) -> bool {
        let before = self.verdict.violations.len();
        self.value(value, schema, path, Mode::ValueOnly);
        let ok = self.verdict.violations.len() == before;
        self.verdict.violations.truncate(before);
        ok
    }

    fn value(&mut self, value: &Value, schema: &Value, path: &str, mode: Mode) {
        let Some(keys) = schema.as_object() else {
            panic!("{path}: a schema that is not an object: {schema}");
        };
        if let Some(unknown) = keys.keys().find(|k| !KEYWORDS.contains(&k.as_str())) {
            panic!("{path}: schema keyword {unknown:?} is not judged by this validator");
        }
        if value.is_null() {
            if schema["nullable"] != true && mode == Mode::Full {
                self.push(path, "must not be null");
            }
            return;
        }
        if mode == Mode::Full && !self.typed(value, schema, path) {
            return;
        }
        if let Some(options) = schema["enum"].as_array()
            && !options.contains(value)
        {
            let shown: Vec<String> = options.iter().map(Value::to_string).collect();
            self.push(
                path,
                format!(
                    "Unsupported value: {value}: supported values: {}",
                    shown.join(", ")
                ),
            );
        }
        match value {
            Value::String(s) => self.string(s, schema, path),
            Value::Number(n) => {
                let n = n.as_f64().unwrap_or(f64::NAN);
                if let Some(min) = schema["minimum"].as_f64()
                    && n < min
                {
                    self.push(path, format!("should be greater than or equal to {min}"));
                }
                if let Some(max) = schema["maximum"].as_f64()
                    && n > max
                {
                    self.push(path, format!("should be less than or equal to {max}"));
                }
            }
            Value::Array(items) => self.array(items, schema, path, mode),
            Value::Object(map) => self.object(map, schema, path, mode),
            Value::Bool(_) | Value::Null => {}
        }
        for word in ["allOf", "anyOf", "oneOf"] {
            let Some(subs) = schema[word].as_array() else {
                continue;
            };
            let matched = subs
                .iter()
                .filter(|s| self.satisfies(value, s, path))
                .count();
            let ok = match word {
                "allOf" => matched == subs.len(),
                "anyOf" => matched >= 1,
                _ => matched == 1,
            };
            if !ok {
                self.push(
                    path,
                    format!(
                        "must validate against {word} of the schema ({matched} of {} matched)",
                        subs.len()
                    ),
                );
            }
        }
        if let Some(not) = schema.get("not")
            && self.satisfies(value, not, path)
        {
            self.push(path, "must not validate against the schema's \"not\"");
        }
        if mode == Mode::Full {
            self.rules(value, schema, path);
        }
    }

    /// The `type` check; false when the value has the wrong type (nothing
    /// below is judged then, as the API server stops there too).
    fn typed(&mut self, value: &Value, schema: &Value, path: &str) -> bool {
        if schema["x-kubernetes-int-or-string"] == true {
            let ok = value.is_string() || value.as_i64().is_some() || value.as_u64().is_some();
            if !ok {
                self.push(path, format!("must be an integer or a string, not {value}"));
            }
            return ok;
        }
        let want = match schema["type"].as_str() {
            None if schema["x-kubernetes-preserve-unknown-fields"] == true => return true,
            None => return true,
            Some(t) => t,
        };
        let ok = match want {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "number" => value.is_number(),
            "integer" => value.as_i64().is_some() || value.as_u64().is_some(),
            other => panic!("{path}: type {other:?} is not judged by this validator"),
        };
        if !ok {
            self.push(
                path,
                format!("Invalid value: {value}: must be of type {want}"),
            );
        }
        ok
    }

    fn string(&mut self, s: &str, schema: &Value, path: &str) {
        let chars = s.chars().count() as u64;
        if let Some(max) = schema["maxLength"].as_u64()
            && chars > max
        {
            self.push(
                path,
                format!("Too long: may not be more than {max} characters"),
            );
        }
        if let Some(min) = schema["minLength"].as_u64()
            && chars < min
        {
            self.push(path, format!("should be at least {min} chars long"));
        }
        if let Some(pattern) = schema["pattern"].as_str()
            && !self.cluster.regex(pattern).is_match(s)
        {
            self.push(path, format!("{s:?} should match {pattern:?}"));
        }
        if let Some(format) = schema["format"].as_str()
            && schema["type"] == "string"
            && let Some(problem) = format_problem(format, s)
        {
            self.push(path, format!("{s:?} {problem}"));
        }
    }

    /// `maxItems`/`minItems` or `maxProperties`/`minProperties` on a count.
    fn counted(&mut self, path: &str, n: usize, schema: &Value, [max, min]: [&str; 2], what: &str) {
        if let Some(max) = schema[max].as_u64()
            && n as u64 > max
        {
            self.push(
                path,
                format!("Too many: {n}: must have at most {max} {what}"),
            );
        }
        if let Some(min) = schema[min].as_u64()
            && (n as u64) < min
        {
            self.push(path, format!("should have at least {min} {what}"));
        }
    }

    fn array(&mut self, items: &[Value], schema: &Value, path: &str, mode: Mode) {
        self.counted(path, items.len(), schema, ["maxItems", "minItems"], "items");
        match schema["x-kubernetes-list-type"].as_str() {
            Some("set") => {
                for (i, item) in items.iter().enumerate() {
                    if items[..i].contains(item) {
                        self.push(&format!("{path}[{i}]"), format!("Duplicate value: {item}"));
                    }
                }
            }
            Some("map") => {
                let keys: Vec<&str> = schema["x-kubernetes-list-map-keys"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let key_of = |v: &Value| keys.iter().map(|k| v[*k].clone()).collect::<Vec<_>>();
                for (i, item) in items.iter().enumerate() {
                    if items[..i].iter().any(|o| key_of(o) == key_of(item)) {
                        self.push(
                            &format!("{path}[{i}]"),
                            format!("Duplicate value: {}", Value::Array(key_of(item))),
                        );
                    }
                }
            }
            Some("atomic") | None => {}
            Some(other) => panic!("{path}: list type {other:?} is not judged by this validator"),
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.value(item, item_schema, &format!("{path}[{i}]"), mode);
            }
        }
    }

    fn object(&mut self, map: &Map<String, Value>, schema: &Value, path: &str, mode: Mode) {
        for key in schema["required"].as_array().into_iter().flatten() {
            let key = key.as_str().unwrap_or_default();
            if !map.contains_key(key) {
                self.push(&child(path, key), "Required value");
            }
        }
        self.counted(
            path,
            map.len(),
            schema,
            ["maxProperties", "minProperties"],
            "properties",
        );
        let props = schema["properties"].as_object();
        let extra = schema.get("additionalProperties").filter(|s| s.is_object());
        let open = schema["x-kubernetes-preserve-unknown-fields"] == true
            || schema.get("additionalProperties") == Some(&Value::Bool(true));
        for (key, v) in map {
            // metadata is ObjectMeta, judged by `metadata` (its schema here
            // is only `type: object`), and apiVersion/kind by the lookup.
            if path.is_empty() && matches!(key.as_str(), "metadata" | "apiVersion" | "kind") {
                continue;
            }
            let field = child(path, key);
            match (props.and_then(|p| p.get(key)), extra) {
                (Some(s), _) => self.value(v, s, &field, mode),
                (None, Some(s)) => self.value(v, s, &field, mode),
                (None, None) if mode == Mode::Full && !open => self.push(&field, "unknown field"),
                (None, None) => {}
            }
        }
    }

    fn rules(&mut self, value: &Value, schema: &Value, path: &str) {
        let Some(rules) = schema["x-kubernetes-validations"].as_array() else {
            return;
        };
        let this = to_cel(value, schema);
        for rule in rules {
            let text = rule["rule"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}: a rule without text"));
            if text.contains("oldSelf") {
                panic!(
                    "{path}: a transition rule (oldSelf) is not judged by this validator: {text}"
                );
            }
            let program = self.cluster.program(text);
            let mut scope = self.context.new_inner_scope();
            scope.add_variable_from_value("self", this.clone());
            let result = program.execute(&scope);
            self.verdict.rules += 1;
            self.verdict.rule_texts.insert(text.to_string());
            let message = rule["message"]
                .as_str()
                .map_or_else(|| format!("failed rule: {text}"), str::to_string);
            let field = match rule["fieldPath"].as_str() {
                Some(f) => format!("{path}{f}"),
                None => path.to_string(),
            };
            match result {
                Ok(Cel::Bool(true)) => {}
                Ok(Cel::Bool(false)) => self.push(&field, message),
                Ok(other) => panic!("{path}: rule {text} gave {other:?}, not a bool"),
                Err(ExecutionError::UndeclaredReference(name)) => {
                    panic!("{path}: rule {text} calls {name}, which this validator lacks")
                }
                Err(e) => self.push(&field, format!("{message} (the rule failed: {e})")),
            }
        }
    }
}

/// `self` as Kubernetes types it for CEL: objects with properties are
/// objects whose property names are escaped, maps keep their keys,
/// integers are `int`, numbers `double`.
fn to_cel(value: &Value, schema: &Value) -> Cel {
    match value {
        Value::Null => Cel::Null,
        Value::Bool(b) => Cel::Bool(*b),
        Value::Number(n) => match (schema["type"].as_str(), n.as_i64()) {
            (Some("number"), _) | (_, None) => Cel::Float(n.as_f64().unwrap_or(f64::NAN)),
            (_, Some(i)) => Cel::Int(i),
        },
        Value::String(s) => Cel::String(Arc::new(s.clone())),
        Value::Array(items) => {
            let item = schema.get("items").cloned().unwrap_or(Value::Null);
            Cel::List(Arc::new(items.iter().map(|v| to_cel(v, &item)).collect()))
        }
        Value::Object(map) => {
            let props = schema["properties"].as_object();
            let extra = schema.get("additionalProperties").filter(|s| s.is_object());
            let mut out = HashMap::new();
            for (key, v) in map {
                match (props.and_then(|p| p.get(key)), extra) {
                    (Some(s), _) => {
                        if let Some(name) = escape(key) {
                            out.insert(name, to_cel(v, s));
                        }
                    }
                    (None, Some(s)) => {
                        out.insert(key.clone(), to_cel(v, s));
                    }
                    (None, None) => {
                        if let Some(name) = escape(key) {
                            out.insert(name, to_cel(v, &Value::Null));
                        }
                    }
                }
            }
            Cel::from(out)
        }
    }
}

/// A property name as CEL sees it in Kubernetes (k8s.io/apiserver's
/// `cel.Escape`): CEL's reserved words become `__word__`; `__`, `.`, `-`
/// and `/` become `__underscores__`, `__dot__`, `__dash__`, `__slash__`;
/// any other name is not accessible (None).
fn escape(name: &str) -> Option<String> {
    const RESERVED: &[&str] = &[
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    ];
    if RESERVED.contains(&name) {
        return Some(format!("__{name}__"));
    }
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || "_.-/".contains(c));
    if !first_ok
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
    {
        return None;
    }
    Some(
        name.replace("__", "__underscores__")
            .replace('.', "__dot__")
            .replace('-', "__dash__")
            .replace('/', "__slash__"),
    )
}

/// Why a string fails its `format`, for the formats the API server checks.
fn format_problem(format: &str, s: &str) -> Option<String> {
    let ok = match format {
        "date-time" => {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok()
        }
        "byte" => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.decode(s).is_ok()
        }
        "ipv4" => s.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<std::net::Ipv6Addr>().is_ok(),
        // Not checked by the API server: number formats on strings.
        "int32" | "int64" | "double" => true,
        other => panic!("format {other:?} is not judged by this validator"),
    };
    (!ok).then(|| format!("must be of format {format}"))
}

/// Kubernetes' `isIP` (k8s.io/apiserver's CEL ip library): an address
/// `netip.ParseAddr` reads, without a zone.
fn is_ip(s: Arc<String>) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

/// Kubernetes' `isURL`: Go's `url.ParseRequestURI` accepts it.
fn is_url(s: Arc<String>) -> bool {
    request_uri_scheme(&s).is_ok()
}

/// Kubernetes' `url(string)`: the URL, here a map holding its scheme (the
/// only accessor the CRDs here call); an error where `isURL` is false.
fn url(s: Arc<String>) -> Result<Cel, ExecutionError> {
    let scheme = request_uri_scheme(&s).map_err(|e| ExecutionError::function_error("url", e))?;
    let mut map = HashMap::new();
    map.insert("scheme".to_string(), Cel::String(Arc::new(scheme)));
    Ok(Cel::from(map))
}

/// `getScheme()` of a value made by `url`.
fn get_scheme(This(u): This<Cel>) -> Result<Cel, ExecutionError> {
    match u {
        Cel::Map(m) => m
            .map
            .iter()
            .find(|(k, _)| matches!(k, cel::objects::Key::String(s) if s.as_str() == "scheme"))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| ExecutionError::function_error("getScheme", "not a URL")),
        other => Err(ExecutionError::function_error(
            "getScheme",
            format!("not a URL: {other:?}"),
        )),
    }
}

/// The scheme Go's `url.ParseRequestURI` finds in `s`, or why it refuses:
/// no control characters; an absolute URI (`scheme:`…) or an absolute path
/// (`/`…, scheme empty); a scheme of a letter then letters, digits, `+`,
/// `-`, `.`; after an authority, a port of digits only.
fn request_uri_scheme(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("empty url".into());
    }
    if s.chars().any(|c| (c as u32) < 0x20 || c == '\x7f') {
        return Err("invalid control character in URL".into());
    }
    if s == "*" {
        return Ok(String::new());
    }
    let mut scheme = "";
    let mut rest = s;
    for (i, c) in s.char_indices() {
        if c.is_ascii_alphabetic() {
            continue;
        }
        if c.is_ascii_digit() || "+-.".contains(c) {
            if i == 0 {
                break;
            }
            continue;
        }
        if c == ':' {
            if i == 0 {
                return Err("missing protocol scheme".into());
            }
            scheme = &s[..i];
            rest = &s[i + 1..];
        }
        break;
    }
    let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
    if !rest.starts_with('/') {
        if !scheme.is_empty() {
            return Ok(scheme.to_ascii_lowercase());
        }
        return Err("invalid URI for request".into());
    }
    if let Some(after) = rest.strip_prefix("//").filter(|_| !scheme.is_empty()) {
        let authority = after.split('/').next().unwrap_or_default();
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        // Go's parseHost: the port after `]` of an IPv6 literal, else after
        // the last `:`; validOptionalPort: empty, or `:` and digits.
        let colon_port = match host.strip_prefix('[') {
            Some(v6) => match v6.split_once(']') {
                Some((_, p)) => p,
                None => return Err("missing ']' in host".into()),
            },
            None => host.rfind(':').map_or("", |i| &host[i..]),
        };
        let port_ok = colon_port.is_empty()
            || colon_port
                .strip_prefix(':')
                .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
        if !port_ok {
            return Err(format!("invalid port {colon_port:?} after host"));
        }
    }
    Ok(scheme.to_ascii_lowercase())
}

/// ObjectMeta as the API server validates it for a custom resource.
fn metadata(meta: &Value, verdict: &mut Verdict) {
    const FIELDS: &[&str] = &[
        "name",
        "generateName",
        "namespace",
        "labels",
        "annotations",
        "finalizers",
        "ownerReferences",
    ];
    let Some(map) = meta.as_object() else {
        verdict
            .violations
            .push(violation("metadata", "Required value"));
        return;
    };
    for key in map.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        verdict
            .violations
            .push(violation(&format!("metadata.{key}"), "unknown field"));
    }
    match map.get("name").and_then(Value::as_str) {
        Some(name) => {
            if let Some(problem) = dns_subdomain(name) {
                verdict.violations.push(violation("metadata.name", problem));
            }
        }
        None if map.contains_key("generateName") => {}
        None => verdict.violations.push(violation(
            "metadata.name",
            "name or generateName is required",
        )),
    }
    if let Some(ns) = map.get("namespace").and_then(Value::as_str)
        && let Some(problem) = dns_label(ns)
    {
        verdict
            .violations
            .push(violation("metadata.namespace", problem));
    }
    for (field, is_labels) in [("labels", true), ("annotations", false)] {
        for (key, value) in map
            .get(field)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let path = format!("metadata.{field}");
            if let Some(problem) = qualified_name(key) {
                verdict
                    .violations
                    .push(violation(&path, format!("{key:?}: {problem}")));
            }
            let Some(text) = value.as_str() else {
                verdict
                    .violations
                    .push(violation(&path, format!("{key:?}: must be a string")));
                continue;
            };
            if is_labels && let Some(problem) = label_value(text) {
                verdict
                    .violations
                    .push(violation(&path, format!("{key:?}: {text:?}: {problem}")));
            }
        }
    }
}

fn dns_label(s: &str) -> Option<String> {
    let ok = s.len() <= 63
        && !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-');
    (!ok).then(|| {
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', \
         start and end with an alphanumeric character, and be at most 63 characters"
            .to_string()
    })
}

fn dns_subdomain(s: &str) -> Option<String> {
    let ok = s.len() <= 253 && s.split('.').all(|l| dns_label(l).is_none());
    (!ok).then(|| {
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \
         '-' or '.', start and end with an alphanumeric character, and be at most 253 characters"
            .to_string()
    })
}

fn name_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric()
}

fn qualified_name(s: &str) -> Option<String> {
    let (prefix, name) = s.rsplit_once('/').map_or((None, s), |(p, n)| (Some(p), n));
    let ok = name_part(name) && prefix.is_none_or(|p| dns_subdomain(p).is_none());
    (!ok).then(|| "not a qualified name (an optional DNS subdomain and '/', then at most 63 alphanumeric, '-', '_' or '.')".to_string())
}

fn label_value(s: &str) -> Option<String> {
    let ok = s.is_empty() || name_part(s);
    (!ok).then(|| "a label value must be empty or at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row: a property name, how CEL sees it in Kubernetes, why.
    #[test]
    fn escapes_as_kubernetes_does() {
        for (name, want, why) in [
            ("namespace", Some("__namespace__"), "a reserved word"),
            ("hostnames", Some("hostnames"), "a plain identifier"),
            ("a.b", Some("a__dot__b"), "dots"),
            ("x-y", Some("x__dash__y"), "dashes"),
            ("a__b", Some("a__underscores__b"), "double underscores"),
            ("1abc", None, "a leading digit is not accessible"),
        ] {
            assert_eq!(escape(name).as_deref(), want, "{name}: {why}");
        }
    }

    /// Each row: a string, the scheme Go's ParseRequestURI finds (or an
    /// error), why.
    #[test]
    fn request_uris_as_go_reads_them() {
        for (s, want, why) in [
            ("https://example.com/x", Some("https"), "an absolute URL"),
            ("/path", Some(""), "an absolute path has no scheme"),
            ("oci://registry/x", Some("oci"), "any scheme"),
            ("HTTP://x", Some("http"), "the scheme lower-cased"),
            ("example.com/x", None, "no scheme and not a path"),
            (":x", None, "missing protocol scheme"),
            ("https://h:port/", None, "a port of letters"),
            ("mailto:a@b", Some("mailto"), "opaque"),
        ] {
            assert_eq!(request_uri_scheme(s).ok().as_deref(), want, "{s}: {why}");
        }
    }

    /// A rule calling a function nobody declared fails when compiled, even
    /// if no object ever reaches its branch.
    #[test]
    #[should_panic(expected = "which this validator does not declare")]
    fn an_undeclared_function_fails_loudly() {
        let cluster = Cluster::load(Path::new("."), &[]);
        cluster.program("has(self.a) ? self.a.quantity() > 1 : true");
    }

    /// Each row: a rule, `self`, whether Kubernetes accepts, why.
    #[test]
    fn rules_evaluate_as_kubernetes_does() {
        let cluster = Cluster::load(Path::new("."), &[]);
        let schema = serde_json::json!({"type": "object", "properties": {
            "namespace": {"type": "string"}, "port": {"type": "integer"},
            "hosts": {"type": "array", "items": {"type": "string"}}}});
        for (rule, value, want, why) in [
            (
                "self.__namespace__ == 'x'",
                r#"{"namespace": "x"}"#,
                true,
                "escaped name",
            ),
            (
                "self.hosts.all(h, !isIP(h))",
                r#"{"hosts": ["192.0.2.1"]}"#,
                false,
                "isIP",
            ),
            (
                "self.hosts.all(h, !isIP(h))",
                r#"{"hosts": ["a.example"]}"#,
                true,
                "a name is no IP",
            ),
            (
                "0 < self.port && self.port <= 65535",
                r#"{"port": 443}"#,
                true,
                "an int",
            ),
            ("self.port > 1", "{}", false, "no such key refuses"),
            (
                "url('https://x/').getScheme() == 'https'",
                "{}",
                true,
                "url",
            ),
        ] {
            let schema = serde_json::json!({"type": "object", "properties": schema["properties"],
                "x-kubernetes-validations": [{"rule": rule}]});
            let value: Value = serde_json::from_str(value).expect("json");
            let mut verdict = Verdict::default();
            let mut walk = Walk {
                cluster: &cluster,
                verdict: &mut verdict,
                context: cluster.context(),
            };
            walk.value(&value, &schema, "", Mode::Full);
            assert_eq!(
                verdict.accepted(),
                want,
                "{rule} on {value}: {why}: {:?}",
                verdict.violations
            );
        }
    }
}
