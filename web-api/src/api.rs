//! The JS API: plain objects in, plain objects out, with the same findings
//! and texts as the CLI. Every input produces findings; nothing throws.

use msr_expose_core::Code;
use msr_expose_core::fqdn::{HostRole, check_host};
use msr_expose_core::{Finding, Material, Spec, SpecField, Tls, TlsInput, generate_with_tls};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** How to expose one MSR cache (the same Spec as msr-expose --config). */
export type Method = "nodeport" | "loadbalancer" | "gateway" | "traefik" | "openshift" | "istio" | "ingress";
export interface Spec {
  method?: Method;
  namespace?: string;
  name?: string;
  selector?: Record<string, string>;
  port?: number;
  targetPort?: number;
  caFile?: string;
  platform?: "mke4k" | "mke-4.2" | "mke3" | "envoy-gateway-1.6" | "envoy-gateway-1.7" | "envoy-gateway-1.8" | "envoy-gateway-1.9";
  containerdVersion?: string;
  k0sVersion?: string;
  nodeFqdn?: string;
  nodePort?: number;
  nodePortRange?: string;
  externalFqdn?: string;
  ingressClassName?: string;
  path?: string;
  legacySecureBackends?: boolean;
  loadBalancerIp?: string;
  legacyLoadBalancerIp?: boolean;
  loadBalancerClass?: string;
  externalTrafficPolicy?: "Cluster" | "Local";
  gatewayClassName?: string;
  gatewayName?: string;
  listenerSetName?: string;
  gatewayNamespace?: string;
  listenerName?: string;
  gatewayApiVersion?: "v1" | "v1alpha3" | "v1alpha2";
  entryPoints?: string[];
  insecureEdgeTerminationPolicy?: "None" | "Redirect";
  istioGateway?: string;
  istioSelector?: Record<string, string>;
}
/** A method of the registry, as `methods()` lists it. */
export interface MethodInfo {
  /** The spec's `method`. */
  name: Method;
  /** Its name in a sentence. */
  title: string;
  /** What clients connect to and where TLS ends. */
  summary: string;
  /** The manifest file name. */
  file: string;
  /** The spec field naming the host clients connect to. */
  host: "nodeFqdn" | "externalFqdn";
  /** The spec fields it owns (the shared ones aside). */
  fields: (keyof Spec)[];
}
/** One observation; `code` is stable (listed in finding-codes.json beside this module). */
export interface Finding {
  code: Code;
  severity: "error" | "warning" | "info";
  field: string;
  message: string;
  hint: string;
}
/** TLS material: PEM text or DER bytes. `now` is Unix seconds (default: Date.now()).
 *  Signatures are verified by the platform's WebCrypto, hence `checkTls` is async. */
export interface TlsMaterial {
  cert: string | Uint8Array;
  key?: string | Uint8Array;
  ca?: string | Uint8Array;
  now?: number;
}
export interface Step {
  title: string;
  description: string;
  argv: string[];
  shell: string | null;
  sets?: string;
  requires?: { var: string; meaning: string }[];
  expected: string | null;
  /** The TLS inputs it depends on besides the spec (it talks TLS to the cache). */
  needs?: ("cert" | "key" | "ca")[];
  /** Why it is withheld: an error stands on an input it needs (steps.sh leaves it out). */
  withheld?: string;
}
export interface Output {
  method: Method;
  fileName: string;
  yaml: string;
  json: string;
  steps: Step[];
  script: string;
  endpoint: { url: string; registrationBody: string };
  /** The TLS inputs with errors, which withhold the steps that need them. */
  withheldBy?: ("cert" | "key" | "ca")[];
}
export interface CertInfo {
  role: "leaf" | "intermediate" | "root" | "unrelated";
  source: "cert" | "ca";
  position: number;
  subject: string;
  issuer: string;
  serial: string;
  dnsNames: string[];
  ipAddresses: string[];
  matchedName: string | null;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  key: string;
  signatureAlgorithm: string;
  sha256Fingerprint: string;
  isCa: boolean;
  keyUsage: string[] | null;
  extendedKeyUsage: string[] | null;
}
/** The verdict: `output` is null while an error stands on the spec; errors on
 *  the TLS material withhold only the steps that need it (`Step.withheld`). */
export interface Generation {
  findings: Finding[];
  output: Output | null;
  certificates: CertInfo[];
  keyMatches: boolean | null;
}
/** A file of the exposure's bundle (what `msr-expose generate --out-dir` writes). */
export interface BundleFile {
  path: string;
  content: string;
  executable: boolean;
}
export interface Bundle {
  findings: Finding[];
  files: BundleFile[] | null;
}
export interface CertPlanOptions {
  labCa?: boolean;
  keyType?: "p256" | "rsa3072";
}
export interface CertManagerOptions {
  issuer: string;
  issuerKind?: "Issuer" | "ClusterIssuer";
  keyType?: "p256" | "rsa3072";
}
export interface TextResult {
  findings: Finding[];
  text: string | null;
}
export interface FqdnResult {
  host: string | null;
  findings: Finding[];
}
"#;

#[cfg(feature = "fleet")]
#[wasm_bindgen(typescript_custom_section)]
const TS_FLEET_TYPES: &str = r#"
/** A fleet file (what `msr-expose fleet` reads; here as an object or JSON text). */
export interface Fleet {
  gitops?: { repoURL?: string; revision?: string; path?: string; fluxSource?: string };
  defaults?: Omit<Spec, "name"> & { serviceName?: string; context?: string; ca?: string };
  caches: (Omit<Spec, "name"> & {
    name: string;
    serviceName?: string;
    context?: string;
    cert?: string;
    key?: string;
    ca?: string;
    msrName?: string;
  })[];
}
/** The fleet's files by the names the fleet gives them (`cert`, `key`, `ca`): PEM text or DER bytes. */
export type FleetFiles = Record<string, string | Uint8Array>;
/** One cache's row of `fleetCheck` (the rows of `msr-expose fleet check -o json`). */
export interface FleetRow {
  name: string;
  endpoint: string | null;
  daysLeft: number | null;
  verdict: "ok" | "warnings" | "errors" | "not checked";
  findings: Finding[];
}
/** `fleetCheck`: `findings` holds what is wrong with the fleet file itself (then `caches` is empty). */
export interface FleetReport {
  ok: boolean;
  caches: FleetRow[];
  findings: Finding[];
}
"#;

/// Plain JS objects through JSON: one serializer (serde_json) for every
/// output type keeps the module small.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

/// A spec given as an object, or as JSON text. (The CLI reads YAML too; the
/// browser build carries no YAML parser.)
fn spec_from_js(spec: JsValue) -> Result<Spec, Finding> {
    if let Some(text) = spec.as_string() {
        return Spec::from_json(&text);
    }
    // Through JSON so that unknown fields and types get serde's own messages.
    let json = js_sys::JSON::stringify(&spec)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| "null".to_string());
    Spec::from_json(&json)
}

/// Text or bytes (`Uint8Array`) as bytes.
fn bytes(v: &JsValue) -> Option<Vec<u8>> {
    if v.is_undefined() || v.is_null() {
        return None;
    }
    if let Some(s) = v.as_string() {
        return Some(s.into_bytes());
    }
    v.dyn_ref::<js_sys::Uint8Array>()
        .map(js_sys::Uint8Array::to_vec)
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn now_seconds(v: &JsValue) -> i64 {
    v.as_f64()
        .unwrap_or_else(|| js_sys::Date::now() / 1000.0)
        .floor() as i64
}

#[derive(Serialize)]
struct FqdnResult {
    host: Option<String>,
    findings: Vec<Finding>,
}

/// Checks one host name. `role` is `"node"` (an IP is allowed) or `"ingress"`.
#[wasm_bindgen(js_name = validateFqdn, unchecked_return_type = "FqdnResult")]
pub fn validate_fqdn(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "\"node\" | \"ingress\"")] role: &str,
) -> JsValue {
    let role = match role {
        "node" => HostRole::Node,
        "ingress" => HostRole::IngressHost,
        other => {
            return to_js(&FqdnResult {
                host: None,
                findings: vec![Finding::error(
                    Code::SpecParse,
                    "role",
                    format!("validateFqdn's role is {other:?}; it is \"node\" or \"ingress\""),
                    "pass \"node\" for a worker node's name (an IP allowed) or \"ingress\" for an external FQDN",
                )],
            });
        }
    };
    let field = if role == HostRole::Node {
        SpecField::NodeFqdn
    } else {
        SpecField::ExternalFqdn
    };
    let c = check_host(input, field.key(), role);
    to_js(&FqdnResult {
        host: c.host.map(|h| h.to_string()),
        findings: c.findings,
    })
}

#[derive(Serialize)]
struct MethodInfo {
    name: msr_expose_core::Method,
    title: &'static str,
    summary: &'static str,
    file: &'static str,
    host: &'static str,
    fields: Vec<&'static str>,
}

/// The registry's methods, in the order the page lists them: what a
/// documentation page needs to offer the choice without a list of its own.
#[wasm_bindgen(unchecked_return_type = "MethodInfo[]")]
pub fn methods() -> JsValue {
    let all: Vec<MethodInfo> = msr_expose_core::Method::ALL
        .iter()
        .map(|m| {
            let a = m.about();
            MethodInfo {
                name: *m,
                title: a.title,
                summary: a.summary,
                file: a.file,
                host: a.host.0.key(),
                fields: a.fields.iter().map(|f| f.key()).collect(),
            }
        })
        .collect();
    to_js(&all)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SpecError {
    findings: Vec<Finding>,
    output: Option<()>,
    certificates: Vec<()>,
    key_matches: Option<bool>,
}

fn spec_error(f: Finding) -> JsValue {
    to_js(&SpecError {
        findings: vec![f],
        output: None,
        certificates: Vec::new(),
        key_matches: None,
    })
}

/// Validates a spec (object or JSON text) and builds the outputs. Returns
/// `{findings, output, certificates, keyMatches}`; `output` is `null`
/// whenever there is an error. Certificates are checked by `checkTls`.
#[wasm_bindgen(unchecked_return_type = "Generation")]
pub fn generate(#[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue) -> JsValue {
    match spec_from_js(spec) {
        Ok(spec) => to_js(&generate_with_tls(&spec, None)),
        Err(f) => spec_error(f),
    }
}

/// Validates a spec and checks TLS material (`{cert, key?, ca?, now?}`,
/// PEM text or `Uint8Array`) against the host it exposes: the same verdict
/// as `msr-expose check`, with the outputs when nothing is wrong. Resolves
/// to a `Generation`; never rejects.
#[wasm_bindgen(js_name = checkTls, unchecked_return_type = "Generation")]
pub async fn check_tls(
    #[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TlsMaterial")] tls: JsValue,
) -> JsValue {
    let spec = match spec_from_js(spec) {
        Ok(s) => s,
        Err(f) => return spec_error(f),
    };
    let cert = bytes(&get(&tls, "cert"));
    let key = bytes(&get(&tls, "key"));
    let ca = bytes(&get(&tls, "ca"));
    let now = now_seconds(&get(&tls, "now"));
    let Some(cert) = cert.as_deref() else {
        return to_js(&generate_with_tls(&spec, None));
    };
    let material = Material::read(&TlsInput {
        cert,
        key: key.as_deref(),
        ca: ca.as_deref(),
    });
    let answers = crate::webcrypto::answer(material.questions()).await;
    to_js(&generate_with_tls(
        &spec,
        Some(&Tls {
            material: &material,
            now,
            answers: &answers,
        }),
    ))
}

#[derive(Serialize)]
struct TextResult {
    findings: Vec<Finding>,
    text: Option<String>,
}

#[derive(Serialize)]
struct BundleResult {
    findings: Vec<Finding>,
    files: Option<Vec<msr_expose_core::bundle::File>>,
}

/// The valid spec and its outputs, or the findings that withhold them.
fn valid_and_output(
    spec: JsValue,
) -> Result<
    (
        msr_expose_core::ValidSpec,
        msr_expose_core::Output,
        Vec<Finding>,
    ),
    Vec<Finding>,
> {
    let spec = spec_from_js(spec).map_err(|f| vec![f])?;
    let g = generate_with_tls(&spec, None);
    match (msr_expose_core::validate(&spec).0, g.output) {
        (Some(v), Some(o)) => Ok((v, o, g.findings)),
        _ => Err(g.findings),
    }
}

fn key_type(options: &JsValue) -> msr_expose_core::certplan::KeyType {
    match get(options, "keyType").as_string().as_deref() {
        Some("rsa3072") => msr_expose_core::certplan::KeyType::Rsa3072,
        _ => msr_expose_core::certplan::KeyType::P256,
    }
}

/// The openssl plan for the certificate the spec's interface needs (the
/// same script as `msr-expose generate -o cert-plan`).
#[wasm_bindgen(js_name = certPlan, unchecked_return_type = "TextResult")]
pub fn cert_plan(
    #[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CertPlanOptions | undefined")] options: JsValue,
) -> JsValue {
    let lab_ca = get(&options, "labCa").as_bool().unwrap_or(false);
    to_js(&match valid_and_output(spec) {
        Ok((v, _, findings)) => TextResult {
            text: msr_expose_core::certplan::openssl_plan(&v, key_type(&options), lab_ca).ok(),
            findings,
        },
        Err(findings) => TextResult {
            findings,
            text: None,
        },
    })
}

/// A cert-manager Certificate for the interface's name, as YAML (the same
/// as `msr-expose generate -o cert-manager`).
#[wasm_bindgen(js_name = certManager, unchecked_return_type = "TextResult")]
pub fn cert_manager(
    #[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CertManagerOptions")] options: JsValue,
) -> JsValue {
    let issuer = get(&options, "issuer").as_string().unwrap_or_default();
    let kind = match get(&options, "issuerKind").as_string().as_deref() {
        Some("ClusterIssuer") => "ClusterIssuer",
        _ => "Issuer",
    };
    to_js(&match valid_and_output(spec) {
        Ok((_, _, mut findings)) if issuer.trim().is_empty() => {
            findings.push(Finding::error(
                Code::SpecParse,
                "issuer",
                "no issuer is named",
                "give the name of a cert-manager Issuer or ClusterIssuer",
            ));
            TextResult {
                findings,
                text: None,
            }
        }
        Ok((v, _, findings)) => {
            let text = msr_expose_core::manifest::Manifest::new(
                vec![msr_expose_core::certplan::cert_manager(
                    &v,
                    &issuer,
                    kind,
                    key_type(&options),
                )],
                msr_expose_core::certplan::CERT_MANAGER_FILE,
            )
            .to_yaml()
            .ok();
            TextResult { findings, text }
        }
        Err(findings) => TextResult {
            findings,
            text: None,
        },
    })
}

/// Every file of the exposure (`generate --out-dir`), with the clients'
/// trust files when the CA's PEM is given.
#[wasm_bindgen(unchecked_return_type = "Bundle")]
pub fn bundle(
    #[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | undefined")] ca: JsValue,
) -> JsValue {
    to_js(&match valid_and_output(spec) {
        Ok((v, o, mut findings)) => {
            match msr_expose_core::bundle::files(&v, &o, ca.as_string().as_deref()) {
                Ok(files) => BundleResult {
                    findings,
                    files: Some(files),
                },
                Err(f) => {
                    findings.push(f);
                    BundleResult {
                        findings,
                        files: None,
                    }
                }
            }
        }
        Err(findings) => BundleResult {
            findings,
            files: None,
        },
    })
}

/// A fleet given as an object or as JSON text.
#[cfg(feature = "fleet")]
fn fleet_from_js(fleet: &JsValue) -> Result<msr_expose_core::fleet::Fleet, Vec<Finding>> {
    let text = match fleet.as_string() {
        Some(t) => t,
        None => js_sys::JSON::stringify(fleet)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default(),
    };
    msr_expose_core::fleet::from_json(&text)
}

/// A file of `files` by the name the fleet gives it, as bytes.
#[cfg(feature = "fleet")]
fn fleet_file(files: &JsValue, name: &str) -> Option<Vec<u8>> {
    if files.is_undefined() || files.is_null() {
        return None;
    }
    bytes(&get(files, name))
}

/// Every file `msr-expose fleet generate` writes for the fleet, byte for
/// byte: each cache's bundle under `<cache>/` and the GitOps layout under
/// `gitops/`. `files` gives the caches' `ca` files by the names the fleet
/// uses. Any error of any cache withholds every file.
#[cfg(feature = "fleet")]
#[wasm_bindgen(js_name = fleetGenerate, unchecked_return_type = "Bundle")]
pub fn fleet_generate(
    #[wasm_bindgen(unchecked_param_type = "Fleet | string")] fleet: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FleetFiles | undefined")] files: JsValue,
) -> JsValue {
    let result = fleet_from_js(&fleet).and_then(|f| {
        let cas = msr_expose_core::fleet_files::cas(&f, |name| {
            fleet_file(&files, name).and_then(|b| String::from_utf8(b).ok())
        })?;
        msr_expose_core::fleet_files::tree(&f, &cas)
    });
    to_js(&match result {
        Ok(tree) => BundleResult {
            findings: tree.findings,
            files: Some(tree.files),
        },
        Err(findings) => BundleResult {
            findings,
            files: None,
        },
    })
}

/// The fleet file (JSON text; empty starts one) with `spec` appended as the
/// cache `name` — how the page builds a fleet cache by cache. `text` is the
/// new fleet file, pretty-printed, or null with the finding.
#[cfg(feature = "fleet")]
#[wasm_bindgen(js_name = fleetAdd, unchecked_return_type = "TextResult")]
pub fn fleet_add(
    fleet: &str,
    #[wasm_bindgen(unchecked_param_type = "Spec | string")] spec: JsValue,
    name: &str,
) -> JsValue {
    let result =
        spec_from_js(spec).and_then(|spec| msr_expose_core::fleet::add_cache(fleet, &spec, name));
    to_js(&match result {
        Ok(text) => TextResult {
            findings: Vec::new(),
            text: Some(text),
        },
        Err(f) => TextResult {
            findings: vec![f],
            text: None,
        },
    })
}

#[cfg(feature = "fleet")]
#[derive(Serialize)]
struct FleetReport {
    ok: bool,
    caches: Vec<msr_expose_core::fleet_check::Row>,
    findings: Vec<Finding>,
}

/// Every cache's certificate against its own interface, as `msr-expose
/// fleet check -o json` judges them: `files` gives the caches' `cert`,
/// `key` and `ca` files by the names the fleet uses; `now` is Unix seconds
/// (default: now). Signatures are verified by WebCrypto. Never rejects.
#[cfg(feature = "fleet")]
#[wasm_bindgen(js_name = fleetCheck, unchecked_return_type = "FleetReport")]
pub async fn fleet_check(
    #[wasm_bindgen(unchecked_param_type = "Fleet | string")] fleet: JsValue,
    #[wasm_bindgen(unchecked_param_type = "FleetFiles | undefined")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | undefined")] now: JsValue,
) -> JsValue {
    use msr_expose_core::fleet_check::{Report, row, unreadable};
    let fleet = match fleet_from_js(&fleet) {
        Ok(f) => f,
        Err(findings) => {
            return to_js(&FleetReport {
                ok: false,
                caches: Vec::new(),
                findings,
            });
        }
    };
    let now = now_seconds(&now);
    let mut rows = Vec::new();
    for cache in &fleet.caches {
        let mut read = Vec::new();
        let mut file = |name: &Option<String>, what: &str| {
            let name = name.as_deref()?;
            let got = fleet_file(&files, name);
            if got.is_none() {
                read.push(unreadable(
                    cache,
                    what,
                    name,
                    "it was not given: add it to the files",
                ));
            }
            got
        };
        let cert = file(&cache.cert, "cert");
        let key = file(&cache.key, "key");
        let ca = file(&cache.ca, "ca");
        let Some(cert) = cert else {
            rows.push(row(cache, read, None));
            continue;
        };
        let material = Material::read(&TlsInput {
            cert: &cert,
            key: key.as_deref(),
            ca: ca.as_deref(),
        });
        let answers = crate::webcrypto::answer(material.questions()).await;
        let tls = Tls {
            material: &material,
            now,
            answers: &answers,
        };
        rows.push(row(cache, read, Some(&tls)));
    }
    let report = Report::new(&fleet, rows);
    to_js(&FleetReport {
        ok: report.ok,
        caches: report.caches,
        findings: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use msr_expose_core::SpecField;

    /// The TypeScript `Spec` interface above is written by hand: it must
    /// list exactly the spec's fields, in their order.
    #[test]
    fn typescript_spec_lists_every_field() {
        let src = include_str!("api.rs");
        let body = src
            .split("export interface Spec {")
            .nth(1)
            .and_then(|b| b.split('}').next())
            .expect("the Spec interface");
        let keys: Vec<&str> = body
            .lines()
            .filter_map(|l| l.trim().split(['?', ':']).next())
            .filter(|k| !k.is_empty())
            .collect();
        assert_eq!(keys, SpecField::KEYS);
    }

    /// The TypeScript `Method` union lists the registry's methods, in order.
    #[test]
    fn typescript_method_lists_the_registry() {
        let src = include_str!("api.rs");
        let union = src
            .split("export type Method = ")
            .nth(1)
            .and_then(|b| b.split(';').next())
            .expect("the Method type");
        let names: Vec<&str> = union
            .split('|')
            .map(|n| n.trim().trim_matches('"'))
            .collect();
        let registry: Vec<&str> = msr_expose_core::Method::ALL
            .iter()
            .map(|m| m.name())
            .collect();
        assert_eq!(names, registry);
    }
}
