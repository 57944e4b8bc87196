//! The configurator: the form, the TLS material and the outputs, all driven
//! by one reducer. The permalink follows the spec; TLS material never does.

use crate::components::cert_card::CertCard;
use crate::components::cert_plan::CertPlanView;
use crate::components::copy_button::CopyButton;
use crate::components::findings::FindingsList;
use crate::components::fleet::FleetView;
use crate::components::manifest::ManifestView;
use crate::components::method_picker::MethodPicker;
use crate::components::path_picture::PathPicture;
use crate::components::plan::PlanView;
use crate::components::steps::StepsView;
use crate::components::text_field::TextField;
use crate::components::tls_field::TlsField;
use crate::embed::{Embedding, Ids};
use crate::state::{Action, Answered, Field, Material, State};
use crate::{dom, permalink};
use msr_expose_core::form::Form;
use msr_expose_core::method::Input;
use msr_expose_core::platform::Platform;
use msr_expose_core::{Finding, Method, Severity, SpecField};
use yew::prelude::*;

/// One configurator: the whole page, or one instance on a host page.
#[function_component]
pub fn App(embedding: &Embedding) -> Html {
    let ids = embedding.ids.clone();
    let slot = embedding.slot.clone();
    // The link, read once when the page opted in: a spec, none, or a
    // finding when it cannot be read.
    let link = {
        let slot = slot.clone();
        use_memo((), move |()| slot.map_or(Ok(None), |s| permalink::read(&s)))
    };
    let state = {
        let (link, initial) = (link.clone(), embedding.initial.clone());
        use_reducer(move || {
            // The link wins over the element's spec: it is the later word.
            let form = match (&*link, &initial) {
                (Ok(Some(spec)), _) => Form::from_spec(spec),
                (_, Some(spec)) => Form::from_spec(spec),
                _ => Form::default(),
            };
            State::new(form, dom::now())
        })
    };
    let first_spec = {
        let spec = state.spec.clone();
        use_memo((), move |()| spec)
    };
    // An unreadable link is said, and kept in the address until the user
    // changes something: it is never silently replaced by the defaults.
    let link_problem = match &*link {
        Err(f) if state.spec == *first_spec => Some(f.clone()),
        _ => None,
    };
    {
        // The address follows the spec once the user changed it (or when
        // it came from a link); until then the address is the host page's
        // own — an anchor such as #step-3 stays.
        let spec = state.spec.clone();
        let untouched = state.spec == *first_spec && !matches!(&*link, Ok(Some(_)));
        use_effect_with(
            (spec, untouched, slot.clone()),
            |(spec, untouched, slot)| {
                if let (false, Some(slot)) = (untouched, slot) {
                    permalink::write(slot, spec);
                }
            },
        );
    }
    {
        // Signatures are verified by WebCrypto, asynchronously: ask once per
        // change of material, and hand the answers to the reducer.
        let material = (state.cert.clone(), state.key.clone(), state.ca.clone());
        let read = state.material.clone();
        let dispatcher = state.dispatcher();
        use_effect_with(material, move |(cert, key, ca)| {
            if let Some(read) = read {
                let q = read.0.questions().clone();
                let (cert, key, ca) = (cert.clone(), key.clone(), ca.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let answers = msr_expose_web_api::webcrypto::answer(&q).await;
                    dispatcher.dispatch(Action::Answered(Box::new(Answered {
                        cert,
                        key,
                        ca,
                        answers,
                    })));
                });
            }
        });
    }

    // Callbacks made once: a field whose value and findings did not change
    // then has equal props and is not rendered again on a keystroke elsewhere.
    let handlers = {
        let dispatcher = state.dispatcher();
        use_memo((), move |()| Handlers::new(&dispatcher))
    };
    // What the platform fills in where the form says nothing: shown in
    // its field, marked as the platform's; typing a value replaces it.
    let filled = msr_expose_core::platform::fill(&state.spec, &mut Vec::new());
    let field = |f: Field, label: &'static str, help: &'static str, placeholder: &'static str| {
        let preset = match f {
            Field::Own(sf) if state.spec.text(sf).is_none() => filled.text(sf),
            _ => None,
        };
        let (help, placeholder): (AttrValue, AttrValue) = match preset {
            Some(v) => (
                format!("{help} Filled in by the platform: type another value to change it.")
                    .into(),
                format!("{v} (the platform's)").into(),
            ),
            None => (help.into(), placeholder.into()),
        };
        let (oninput, onblur) = handlers.field(f);
        // Required: empty, and an error names it (the form's own rules and
        // the method's say which fields the outputs need).
        let required = state.value(f).trim().is_empty()
            && state
                .generation
                .findings
                .iter()
                .any(|x| x.is_error() && x.field == f.spec_name());
        let numeric = matches!(
            f,
            Field::Port | Field::TargetPort | Field::Own(SpecField::NodePort)
        );
        html! {
            <TextField id={ids.id(f.id())} {label} {help} {placeholder}
                inputmode={numeric.then(|| AttrValue::from("numeric"))}
                value={state.value(f).to_string()} findings={state.field_findings(f)} {required}
                {oninput} {onblur} />
        }
    };
    let tls = |m: Material, label: &'static str, help: &'static str| {
        let (value, onchange) = match m {
            Material::Cert => (state.cert.clone(), handlers.cert.clone()),
            Material::Key => (state.key.clone(), handlers.key.clone()),
            Material::Ca => (state.ca.clone(), handlers.ca.clone()),
        };
        let placeholder = match m {
            Material::Cert => {
                "-----BEGIN CERTIFICATE-----  (paste, drop a file here, or choose one)"
            }
            Material::Key => {
                "-----BEGIN PRIVATE KEY-----  (paste, drop or choose; it never leaves this tab)"
            }
            Material::Ca => {
                "-----BEGIN CERTIFICATE-----  (the CA clients trust: paste, drop or choose)"
            }
        };
        html! {
            <TlsField id={ids.id(m.id())} {label} {help} {placeholder} {value} findings={state.material_findings(m)} {onchange} mask={m == Material::Key} />
        }
    };
    let onmethod = handlers.method.clone();
    let g = &state.generation;
    // Errors on fields not typed yet are what to fill in; every other
    // finding (a platform's notes on an empty field too) is listed as is.
    let (waiting, listed): (Vec<_>, Vec<_>) = g
        .findings
        .iter()
        .cloned()
        .partition(|f| f.is_error() && state.waits(f));
    // Errors that withhold every output: those on the spec (the TLS
    // material's withhold only the steps that need it: core's generate).
    let errors = listed
        .iter()
        .filter(|f| msr_expose_core::generate::withholds_all(f))
        .count();
    let missing = waiting.len();

    html! {
        <ContextProvider<Ids> context={ids.clone()}>
        <div class="msr-expose">
            <header>
                <h1>{ "Expose an MSR cache" }</h1>
                <p>{ "Configure the one external interface of a Mirantis Secure Registry cache, check its certificate, and get the manifest and the steps. Everything runs in this tab; nothing is sent anywhere." }</p>
            </header>
            if let Some(f) = &link_problem {
                <div class="link-problem" id={ids.id("permalink-findings")} role="alert">
                    <p>{ "This page's link could not be read, so the form starts without it. The link is kept in the address until you change something." }</p>
                    <ul>{ crate::components::text_field::finding_line(f) }</ul>
                </div>
            }
            if !embedding.problems.is_empty() {
                <div class="link-problem" id={ids.id("embed-findings")} role="alert">
                    <p>{ "The page embeds this configurator with attributes it cannot use; it starts without them." }</p>
                    <ul>{ for embedding.problems.iter().map(crate::components::text_field::finding_line) }</ul>
                </div>
            }
            if let Some(link) = slot.as_ref().and_then(|s| permalink::link(s, &state.spec)) {
                <div class="link-row">
                    <CopyButton id={ids.id("copy-link")} text={link} label="Copy link to this configuration (the spec only: no certificate or key)" caption="Copy link" />
                    <span class="help">{ "The link carries the form, never the certificate or key." }</span>
                </div>
            }
            <div class="columns">
            <div class="col-form">
            <MethodPicker method={state.form.method} onchange={onmethod}>
                <div class="field platform">
                    <label for={ids.id("platform")}>{ "Platform (optional)" }</label>
                    <select id={ids.id("platform")} onchange={handlers.platform.clone()}>
                        <option value="" selected={state.form.platform.is_empty()}>{ "Any cluster: I fill in the fields" }</option>
                        { for Platform::ALL.iter().map(|p| html! {
                            <option value={p.name()} selected={state.form.platform == p.name()}>{ p.label() }</option>
                        }) }
                    </select>
                    <p class="help">{ "Fills in what the platform installs (MKE: Envoy Gateway's GatewayClass, where its documentation names one) and says what it leaves open." }</p>
                </div>
            </MethodPicker>
            <section class="form" aria-labelledby={ids.id("cache-h")}>
                <h2 id={ids.id("cache-h")}>{ "The cache" }</h2>
                { for state.form.method.page().form.iter().map(|input| match input.input {
                    Input::Text => field(Field::Own(input.field), input.label, input.help, input.placeholder),
                    Input::Checkbox => {
                        let f = Field::Own(input.field);
                        let id = ids.id(f.id());
                        let onchange = handlers.checkbox(f);
                        html! {
                            <div class="field checkbox">
                                <input type="checkbox" id={id.clone()} checked={state.value(f) == "true"} {onchange} />
                                <label for={id}>{ input.label }</label>
                            </div>
                        }
                    }
                }) }
                { field(Field::Namespace, "Namespace", "Where the cache pods run.", "msr") }
                { field(Field::ServiceName, "Service name", "Name of the Service (and Ingress).", "msr-cache") }
                <details class="advanced">
                    <summary>{ "Selector, ports and CA file name" }</summary>
                    { field(Field::Selector, "Pod selector", "Labels of the cache pods, as key=value[,key=value].", "app=msr-cache") }
                    { field(Field::Port, "Service port", "The port of the Service.", "443") }
                    { field(Field::TargetPort, "Target port", "The port the cache container serves HTTPS on.", "443") }
                    { field(Field::CaFile, "CA file name", "The file the curl steps trust.", "msr.cert.pem") }
                </details>
                <details class="advanced">
                    <summary>{ "Nodes: containerd and k0s versions" }</summary>
                    { field(Field::ContainerdVersion, "Nodes' containerd version", "Such as 1.7 or 2.2: the trust files' format follows it (1.x and 2.x differ). Empty: the platform's, else one file for each.", "the platform's") }
                    { field(Field::K0sVersion, "Nodes' k0s version", "On k0s nodes (MKE 4k, MKE 4), such as 1.35: its bundled containerd reads the drop-in.", "the platform's") }
                </details>
            </section>
            <section class="form" aria-labelledby={ids.id("tls-h")}>
                <h2 id={ids.id("tls-h")}>{ "TLS material" }</h2>
                <p class="note">{ "Optional but recommended: the checks prove the certificate fits the chosen interface. Key material stays in this tab: it is never stored and never put in the link." }</p>
                { tls(Material::Cert, "Cache certificate (cache.cert.pem)", "The certificate with its intermediates, PEM or DER.") }
                { tls(Material::Key, "Private key (cache.key.pem, optional)", "Only checked against the certificate.") }
                { tls(Material::Ca, "CA (msr.cert.pem, optional)", "The CA clients trust.") }
                <CertCard certificates={g.certificates.clone()} key_matches={g.key_matches} verified={verified(&state)} />
            </section>
            <p class="status" id={ids.id("status")}>
                { status(&listed, missing, g.output.is_some()) }{ " " }
                <button type="button" class="link" onclick={let f = ids.id("findings"); Callback::from(move |_: MouseEvent| dom::focus(&f))}>
                    { "See the findings and outputs" }
                </button>
            </p>
            </div>
            <div class="col-out">
            <FindingsList findings={listed} {waiting} />
            if let Some(out) = &g.output {
                <PathPicture spec={out.valid.clone()} url={AttrValue::from(out.endpoint.url.clone())} />
            }
            <PlanView output={g.output.clone()} spec={state.spec.clone()} />
            <ManifestView output={g.output.clone()} {errors} {missing} />
            <StepsView output={g.output.clone()} {errors} {missing} spec={state.spec.clone()} ca={state.ca.clone()} />
            <CertPlanView spec={state.spec.clone()} />
            </div>
            </div>
            <FleetView spec={state.spec.clone()} />
            <footer><p>{ "msr-expose — the same core as the msr-expose command line; outputs here are byte-identical to msr-expose generate." }</p></footer>
        </div>
        </ContextProvider<Ids>>
    }
}

/// The status line under the form (a phone's way to the results, which
/// follow the whole form there): what stands, and whether the manifest is
/// ready.
fn status(listed: &[Finding], missing: usize, ready: bool) -> String {
    let count = |n: usize, one: &str, many: &str| match n {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    };
    let of = |sev| listed.iter().filter(|f| f.severity == sev).count();
    let parts: Vec<String> = [
        count(of(Severity::Error), "error", "errors"),
        count(of(Severity::Warning), "warning", "warnings"),
        count(missing, "field to fill in", "fields to fill in"),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "{}; the manifest is {}.",
        if parts.is_empty() {
            "Nothing to fix".to_string()
        } else {
            parts.join(", ")
        },
        if ready { "ready" } else { "withheld" }
    )
}

/// What the card says of verification: the CA the chain ends at when the
/// validator and msr-expose's checks found no chain or certificate error.
fn verified(state: &State) -> Result<String, String> {
    let g = &state.generation;
    if state.checking {
        return Err("verifying the signatures in this tab…".into());
    }
    if state.ca.trim().is_empty() {
        return Err("not verified: no CA given".into());
    }
    let broken = g.findings.iter().any(|f| {
        f.is_error()
            && (f.code.as_str().starts_with("chain.") || f.code.as_str().starts_with("cert."))
    });
    // The leaf alone, when it is its own CA (a self-signed certificate given
    // as both): with no chain or certificate error it is anchored.
    let alone = g.certificates.len() == 1;
    match g.certificates.last() {
        Some(anchor) if (anchor.source == "ca" || alone) && !broken => Ok(anchor.subject.clone()),
        _ => Err("not verified against the CA given: see the findings".into()),
    }
}

/// A text field's input and blur callbacks.
type FieldCallbacks = (Callback<String>, Callback<()>);

/// The page's event handlers, made once per mounted configurator.
struct Handlers {
    // Lists, not maps: a few dozen entries, found by a scan (a map's code
    // costs the page several KB for each key and value type).
    fields: Vec<(Field, FieldCallbacks)>,
    cert: Callback<String>,
    key: Callback<String>,
    ca: Callback<String>,
    method: Callback<Method>,
    platform: Callback<Event>,
    checkboxes: Vec<(Field, Callback<Event>)>,
}

impl Handlers {
    /// The input and blur callbacks of a text field.
    fn field(&self, f: Field) -> FieldCallbacks {
        self.fields
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }

    /// The change callback of a checkbox.
    fn checkbox(&self, f: Field) -> Callback<Event> {
        self.checkboxes
            .iter()
            .find(|(x, _)| *x == f)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }

    fn new(d: &UseReducerDispatcher<State>) -> Handlers {
        let cb = d.to_callback();
        let material = |m: Material| cb.reform(move |v| Action::SetMaterial(m, v, dom::now()));
        Handlers {
            fields: Field::all()
                .into_iter()
                .map(|f| {
                    (
                        f,
                        (
                            cb.reform(move |v| Action::SetField(f, v)),
                            cb.reform(move |()| Action::Touch(f)),
                        ),
                    )
                })
                .collect(),
            cert: material(Material::Cert),
            key: material(Material::Key),
            ca: material(Material::Ca),
            method: cb.reform(Action::SetMethod),
            platform: cb.reform(|e: Event| {
                use wasm_bindgen::JsCast;
                Action::SetPlatform(
                    e.target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                        .map(|s| s.value())
                        .unwrap_or_default(),
                )
            }),
            checkboxes: Method::ALL
                .iter()
                .flat_map(|m| m.page().form)
                .filter(|i| i.input == Input::Checkbox)
                .map(|i| {
                    let f = Field::Own(i.field);
                    let on = cb.reform(move |e: Event| {
                        use wasm_bindgen::JsCast;
                        let checked = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                            .is_some_and(|i| i.checked());
                        Action::SetField(f, if checked { "true" } else { "" }.to_string())
                    });
                    (f, on)
                })
                .collect(),
        }
    }
}
