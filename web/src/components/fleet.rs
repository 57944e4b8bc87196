//! The fleet mode: a fleet file (JSON here: the page carries no YAML
//! parser; `msr-expose fleet` reads both), pasted, loaded, or built cache by
//! cache from the configuration above; each cache's endpoint, certificate
//! verdict and findings (`fleet check`); and "Download all" as the tree
//! `msr-expose fleet generate` writes, byte for byte, in one tar archive.
//!
//! The fleet's code is the JS API's fleet module, which boot.js loads the
//! first time this mode is used (`msrExposeFleet`), so that the page's own
//! load does not carry it; its answers come back as JSON. The files the
//! fleet names (certificates, keys, CAs) are chosen here by their names and
//! never leave the tab.

use super::findings::{FindingsList, OK};
use crate::dom;
use msr_expose_core::bundle::File;
use msr_expose_core::{Finding, Severity, Spec};
use serde::Deserialize;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// boot.js: calls the fleet module's function `function` with `args`;
    /// resolves to its answer as JSON text.
    #[wasm_bindgen(js_name = msrExposeFleet, catch)]
    fn msr_expose_fleet(function: &str, args: &js_sys::Array) -> Result<js_sys::Promise, JsValue>;
}

/// Calls the fleet module; its answer, or why not.
async fn call(function: &str, args: &[JsValue]) -> Result<Answer, String> {
    let array: js_sys::Array = args.iter().collect();
    let promise = msr_expose_fleet(function, &array).map_err(|e| format!("{e:?}"))?;
    let answer = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "the fleet module could not be loaded".into())
        })?;
    serde_json::from_str(&answer.as_string().unwrap_or_default()).map_err(|e| e.to_string())
}

/// An answer of the fleet module: `fleetCheck`'s (`caches`, the rows of
/// `msr-expose fleet check -o json`), `fleetGenerate`'s (`files`) or
/// `fleetAdd`'s (`text`), with their findings. One type for the three keeps
/// one deserializer in the page.
#[derive(Deserialize, Clone, PartialEq, Default)]
struct Answer {
    #[serde(default)]
    findings: Vec<Finding>,
    #[serde(default)]
    caches: Vec<Row>,
    #[serde(default)]
    files: Option<Vec<File>>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Row {
    name: String,
    endpoint: Option<String>,
    days_left: Option<i64>,
    verdict: String,
    findings: Vec<Finding>,
}

/// The files chosen, as the JS object the fleet module takes (by name).
fn files_object(files: &[(String, String)]) -> JsValue {
    let o = js_sys::Object::new();
    for (name, text) in files {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(name), &JsValue::from_str(text));
    }
    o.into()
}

/// Props of [`FleetView`].
#[derive(Properties, PartialEq)]
pub struct FleetViewProps {
    /// The configuration above, which "Add to the fleet" appends as a cache.
    pub spec: Spec,
}

/// The fleet mode.
#[function_component]
pub fn FleetView(p: &FleetViewProps) -> Html {
    let ids = crate::embed::use_ids();
    let text = use_state(String::new);
    // The files the fleet names (cert, key, ca), by file name.
    let files = use_state(Vec::<(String, String)>::new);
    let name = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let report = use_state(Answer::default);
    let asked = use_mut_ref(|| 0u32);
    {
        // Every change of the fleet or its files is checked again; an
        // answer older than the last question is dropped.
        let (report, problem, asked) = (report.clone(), problem.clone(), asked.clone());
        use_effect_with(((*text).clone(), (*files).clone()), move |(text, files)| {
            *asked.borrow_mut() += 1;
            let n = *asked.borrow();
            if text.trim().is_empty() {
                report.set(Answer::default());
            } else {
                let args = [JsValue::from_str(text), files_object(files)];
                wasm_bindgen_futures::spawn_local(async move {
                    let answer = call("fleetCheck", &args).await;
                    if *asked.borrow() == n {
                        match answer {
                            Ok(r) => report.set(r),
                            Err(why) => problem.set(Some(why)),
                        }
                    }
                });
            }
        });
    }
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(a) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                text.set(a.value());
            }
        })
    };
    let chosen = |e: &Event| -> Vec<web_sys::File> {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default()
    };
    let onload = {
        let text = text.clone();
        Callback::from(move |e: Event| {
            if let Some(file) = chosen(&e).into_iter().next() {
                let text = text.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(t) = dom::read_file(file).await {
                        text.set(t);
                    }
                });
            }
        })
    };
    let onfiles = {
        let files = files.clone();
        Callback::from(move |e: Event| {
            let list = chosen(&e);
            let files = files.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut read = Vec::new();
                for f in list {
                    let n = f.name();
                    if let Some(t) = dom::read_file(f).await {
                        read.push((n, t));
                    }
                }
                files.set(read);
            });
        })
    };
    let onname = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                name.set(i.value());
            }
        })
    };
    let onadd = {
        let (text, name, problem) = (text.clone(), name.clone(), problem.clone());
        let spec = p.spec.to_json();
        Callback::from(move |_: MouseEvent| {
            let args = [
                JsValue::from_str(&text),
                JsValue::from_str(&spec),
                JsValue::from_str(&name),
            ];
            let (text, problem) = (text.clone(), problem.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call("fleetAdd", &args).await {
                    Ok(Answer { text: Some(t), .. }) => {
                        problem.set(None);
                        text.set(t);
                    }
                    Ok(Answer { findings, .. }) => {
                        problem.set(findings.first().map(|f| f.to_string()))
                    }
                    Err(why) => problem.set(Some(why)),
                }
            });
        })
    };
    let ondownload = {
        let (text, files, problem) = (text.clone(), files.clone(), problem.clone());
        Callback::from(move |_: MouseEvent| {
            let args = [JsValue::from_str(&text), files_object(&files)];
            let problem = problem.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match call("fleetGenerate", &args).await {
                    Ok(Answer {
                        files: Some(files), ..
                    }) => match msr_expose_core::bundle::tar("msr-caches", &files) {
                        Ok(archive) => {
                            problem.set(None);
                            dom::download_bytes("msr-caches.tar", &archive, "application/x-tar");
                        }
                        Err(f) => problem.set(Some(f.to_string())),
                    },
                    Ok(Answer { findings, .. }) => problem.set(Some(format!(
                        "nothing to download: {} error(s) in the fleet, listed above",
                        findings.iter().filter(|f| f.is_error()).count()
                    ))),
                    Err(why) => problem.set(Some(why)),
                }
            });
        })
    };
    let mut findings = report.findings.clone();
    for r in &report.caches {
        findings.extend(r.findings.iter().cloned());
    }
    let ready = !report.caches.is_empty() && !findings.iter().any(Finding::is_error);
    html! {
        <details class="fleet" id={ids.id("fleet")}>
            <summary><h2>{ "A fleet of caches" }</h2></summary>
            <p class="note">{ "Every site's cache in one file (JSON here; msr-expose fleet reads YAML too). Download all gives the tree msr-expose fleet generate writes: each cache's bundle and the GitOps layout." }</p>
            <div class="field">
                <label for={ids.id("fleet-text")}>{ "Fleet file (JSON)" }</label>
                <textarea id={ids.id("fleet-text")} rows="10" value={(*text).clone()} {oninput}
                    spellcheck="false" autocomplete="off"
                    placeholder={r#"{"caches": [{"name": "eu1", "method": "traefik", "externalFqdn": "…"}]}"#} />
                <div class="file-row">
                    <input type="file" id={ids.id("fleet-file")} class="file-input" onchange={onload}
                        aria-label="Choose a fleet file (JSON)" accept=".json,.txt" />
                </div>
            </div>
            <div class="field">
                <label for={ids.id("fleet-files")}>{ "The files the fleet names (cert, key, ca)" }</label>
                <input type="file" id={ids.id("fleet-files")} multiple=true onchange={onfiles} accept=".pem,.crt,.cer,.key,.der" />
                <p class="help">{
                    if files.is_empty() {
                        "By the names the fleet gives them; they stay in this tab.".to_string()
                    } else {
                        format!("Chosen: {}", files.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", "))
                    }
                }</p>
            </div>
            <div class="field add-cache">
                <label for={ids.id("fleet-add-name")}>{ "Add the configuration above as the cache named" }</label>
                <input type="text" id={ids.id("fleet-add-name")} value={(*name).clone()} oninput={onname} placeholder="eu1" />
                <button type="button" id={ids.id("fleet-add")} onclick={onadd}>{ "Add to the fleet" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="help" id={ids.id("fleet-problem")} role="alert">{ why.clone() }</p>
            }
            if !report.caches.is_empty() {
                <table class="fleet-caches" id={ids.id("fleet-caches")}>
                    <thead><tr><th>{ "cache" }</th><th>{ "endpoint" }</th><th>{ "days left" }</th><th>{ "verdict" }</th><th>{ "errors" }</th><th>{ "warnings" }</th></tr></thead>
                    <tbody>
                        { for report.caches.iter().map(|r| {
                            let count = |s: Severity| r.findings.iter().filter(|f| f.severity == s).count();
                            html! {
                                <tr data-cache={r.name.clone()}>
                                    <td>{ &r.name }</td>
                                    <td><code>{ r.endpoint.clone().unwrap_or_else(|| "-".into()) }</code></td>
                                    <td>{ r.days_left.map_or_else(|| "-".into(), |d| d.to_string()) }</td>
                                    <td>{ &r.verdict }</td>
                                    <td>{ count(Severity::Error) }</td>
                                    <td>{ count(Severity::Warning) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <FindingsList {findings} id="fleet-findings" title="The fleet's findings"
                ok={if report.caches.is_empty() { "The fleet has no caches yet: paste or choose a fleet file, or add the configuration above." } else { OK }} />
            <button type="button" id={ids.id("fleet-download")} onclick={ondownload} disabled={!ready}>{ "Download all (.tar)" }</button>
        </details>
    }
}
