//! The page's state as a Yew `Reducible`: every action updates the form or
//! the TLS material, then recomputes everything through the core's one entry
//! point. Nothing here renders; components only show what this holds.

use msr_expose_core::SpecField;
use msr_expose_core::form::Form;
use msr_expose_core::{
    Answers, Finding, Generation, Material as Read, Method, Spec, Tls, TlsInput, generate_with_tls,
};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// A form field: one of the shared ones, or a method's own input (as the
/// registry declares it, `Method::about().form`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// `namespace`
    Namespace,
    /// `name`
    ServiceName,
    /// `selector`
    Selector,
    /// `port`
    Port,
    /// `targetPort`
    TargetPort,
    /// `caFile`
    CaFile,
    /// `containerdVersion`
    ContainerdVersion,
    /// `k0sVersion`
    K0sVersion,
    /// A method's own input.
    Own(SpecField),
}

impl Field {
    /// The shared fields.
    pub const SHARED: [Field; 8] = [
        Field::Namespace,
        Field::ServiceName,
        Field::Selector,
        Field::Port,
        Field::TargetPort,
        Field::CaFile,
        Field::ContainerdVersion,
        Field::K0sVersion,
    ];

    /// Every field: the shared ones, then every method's inputs, each once.
    pub fn all() -> Vec<Field> {
        let mut out = Field::SHARED.to_vec();
        for m in Method::ALL {
            for input in m.page().form {
                if !out.contains(&Field::Own(input.field)) {
                    out.push(Field::Own(input.field));
                }
            }
        }
        out
    }

    /// The element id (stable, for automation): a method's input is named
    /// after its CLI flag (`--node-fqdn`: `node-fqdn`).
    pub fn id(self) -> &'static str {
        match self {
            Field::Namespace => "namespace",
            Field::ServiceName => "service-name",
            Field::Selector => "selector",
            Field::Port => "port",
            Field::TargetPort => "target-port",
            Field::CaFile => "ca-file",
            Field::ContainerdVersion => "containerd-version",
            Field::K0sVersion => "k0s-version",
            Field::Own(f) => f.flag().trim_start_matches('-'),
        }
    }

    /// The input's label, as findings name it (a method's input: its label
    /// in the registry without the parenthesis, such as "Node port").
    pub fn label(self) -> &'static str {
        match self {
            Field::Namespace => "Namespace",
            Field::ServiceName => "Service name",
            Field::Selector => "Pod selector",
            Field::Port => "Service port",
            Field::TargetPort => "Target port",
            Field::CaFile => "CA file name",
            Field::ContainerdVersion => "Nodes' containerd version",
            Field::K0sVersion => "Nodes' k0s version",
            Field::Own(f) => Method::ALL
                .iter()
                .rev()
                .flat_map(|m| m.page().form)
                .find(|i| i.field == f)
                .map_or(f.key(), |i| i.label.split(" (").next().unwrap_or(i.label)),
        }
    }

    /// Whether it is a checkbox: unticked is a value, not an empty field
    /// whose findings wait until it is left.
    pub fn is_checkbox(self) -> bool {
        matches!(self, Field::Own(f) if Method::ALL
            .iter()
            .flat_map(|m| m.page().form)
            .any(|i| i.field == f && i.input == msr_expose_core::method::Input::Checkbox))
    }

    /// The spec field this input sets.
    pub fn spec_field(self) -> SpecField {
        match self {
            Field::Namespace => SpecField::Namespace,
            Field::ServiceName => SpecField::Name,
            Field::Selector => SpecField::Selector,
            Field::Port => SpecField::Port,
            Field::TargetPort => SpecField::TargetPort,
            Field::CaFile => SpecField::CaFile,
            Field::ContainerdVersion => SpecField::ContainerdVersion,
            Field::K0sVersion => SpecField::K0sVersion,
            Field::Own(f) => f,
        }
    }

    /// The spec field name findings use.
    pub fn spec_name(self) -> &'static str {
        self.spec_field().key()
    }
}

/// The input a finding's field names: its element id and visible label
/// (one label per input, whichever method shows it).
pub fn input_of(field: &str) -> Option<(&'static str, &'static str)> {
    if let Some(f) = Field::all().into_iter().find(|f| f.spec_name() == field) {
        return Some((f.id(), f.label()));
    }
    [Material::Cert, Material::Key, Material::Ca]
        .into_iter()
        .find(|m| m.finding_field() == field)
        .map(|m| (m.id(), m.label()))
}

/// Which TLS input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Material {
    /// `cache.cert.pem`
    Cert,
    /// `cache.key.pem`
    Key,
    /// The CA.
    Ca,
}

impl Material {
    /// Element id of the text area.
    pub fn id(self) -> &'static str {
        match self {
            Material::Cert => "cert-pem",
            Material::Key => "key-pem",
            Material::Ca => "ca-pem",
        }
    }
    /// The input's label, as findings name it.
    pub fn label(self) -> &'static str {
        match self {
            Material::Cert => "Cache certificate",
            Material::Key => "Private key",
            Material::Ca => "CA",
        }
    }
    /// The `field` certificate findings use.
    pub fn finding_field(self) -> &'static str {
        match self {
            Material::Cert => "cert",
            Material::Key => "key",
            Material::Ca => "ca",
        }
    }
}

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The form as typed.
    pub form: Form,
    /// Certificate bundle text (never stored, never in the URL).
    pub cert: String,
    /// Private key text (never stored, never in the URL).
    pub key: String,
    /// CA text.
    pub ca: String,
    /// Unix seconds the certificates are judged at.
    pub now: i64,
    /// Fields the user has left at least once (empty-field errors show only then).
    pub touched: BTreeSet<Field>,
    /// The spec the form stands for (for the permalink).
    pub spec: Spec,
    /// The material as the core read it, kept while only the spec changes
    /// (a keystroke re-runs the checks, not the parsing); `None` without a
    /// certificate.
    pub material: Option<ReadMaterial>,
    /// The platform's answers to the material's crypto questions, and the
    /// material they were given for.
    pub answered: Option<Answered>,
    /// Whether certificate material waits for WebCrypto's answers (outputs
    /// are withheld meanwhile).
    pub checking: bool,
    /// The core's verdict and outputs, form findings included.
    pub generation: Generation,
}

/// The core's reading of the pasted material, shared between states.
#[derive(Debug, Clone)]
pub struct ReadMaterial(pub Rc<Read>);

impl PartialEq for ReadMaterial {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// WebCrypto's answers for one set of material.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The certificate text answered for.
    pub cert: String,
    /// The key text answered for.
    pub key: String,
    /// The CA text answered for.
    pub ca: String,
    /// The answers.
    pub answers: Answers,
}

/// What the user did.
pub enum Action {
    /// Chose an interface.
    SetMethod(Method),
    /// Chose a platform preset (empty: none).
    SetPlatform(String),
    /// Typed into a field.
    SetField(Field, String),
    /// Pasted, typed or loaded TLS material, and the time it happened
    /// (validity is judged then, not when the page was opened).
    SetMaterial(Material, String, i64),
    /// Left a field.
    Touch(Field),
    /// WebCrypto answered the questions of some material.
    Answered(Box<Answered>),
}

impl State {
    /// The state for a form, computed.
    pub fn new(form: Form, now: i64) -> State {
        let mut s = State {
            form,
            cert: String::new(),
            key: String::new(),
            ca: String::new(),
            now,
            touched: BTreeSet::new(),
            spec: Spec::default(),
            material: None,
            answered: None,
            checking: false,
            generation: Generation {
                findings: Vec::new(),
                output: None,
                certificates: Vec::new(),
                key_matches: None,
            },
        };
        s.recompute();
        s
    }

    /// Reads the material again (only when it changed).
    fn reread(&mut self) {
        fn non_empty(s: &str) -> Option<&[u8]> {
            (!s.trim().is_empty()).then_some(s.as_bytes())
        }
        self.material = non_empty(&self.cert).map(|cert| {
            ReadMaterial(Rc::new(Read::read(&TlsInput {
                cert,
                key: non_empty(&self.key),
                ca: non_empty(&self.ca),
            })))
        });
    }

    fn recompute(&mut self) {
        let (spec, form_findings) = self.form.to_spec();
        fn non_empty(s: &str) -> Option<&[u8]> {
            (!s.trim().is_empty()).then_some(s.as_bytes())
        }
        let answers = self
            .answered
            .as_ref()
            .filter(|a| a.cert == self.cert && a.key == self.key && a.ca == self.ca)
            .map(|a| &a.answers);
        self.checking = non_empty(&self.cert).is_some() && answers.is_none();
        let tls = self.material.as_ref().zip(answers).map(|(m, answers)| Tls {
            material: &m.0,
            now: self.now,
            answers,
        });
        let mut g = generate_with_tls(&spec, tls.as_ref());
        if self.checking {
            g.output = None;
        }
        if !form_findings.is_empty() {
            let mut all = form_findings;
            all.append(&mut g.findings);
            msr_expose_core::finding::sort_for_display(&mut all);
            g.findings = all;
            g.output = None;
        }
        self.spec = spec;
        self.generation = g;
    }

    /// Whether a finding is about a field still empty and not yet left.
    pub fn waits(&self, f: &Finding) -> bool {
        Field::all()
            .into_iter()
            .filter(|x| !x.is_checkbox())
            .find(|x| x.spec_name() == f.field)
            .is_some_and(|x| self.value(x).trim().is_empty() && !self.touched.contains(&x))
    }

    /// Findings for one form field, shown under it: errors for an empty
    /// field only once the user has left it.
    pub fn field_findings(&self, field: Field) -> Vec<Finding> {
        let empty = self.value(field).trim().is_empty();
        if empty && !self.touched.contains(&field) {
            return Vec::new();
        }
        self.generation
            .findings
            .iter()
            .filter(|f| f.field == field.spec_name())
            .cloned()
            .collect()
    }

    /// Findings about one TLS input.
    pub fn material_findings(&self, m: Material) -> Vec<Finding> {
        // A key or CA given before the certificate is read on its own, so
        // it gets an answer at once (unreadable, or read and waiting).
        if self.cert.trim().is_empty() && m != Material::Cert {
            let text = match m {
                Material::Key => &self.key,
                _ => &self.ca,
            };
            if text.trim().is_empty() {
                return Vec::new();
            }
            return msr_expose_core::cert::read_alone(m.finding_field(), text.as_bytes());
        }
        self.generation
            .findings
            .iter()
            .filter(|f| f.field == m.finding_field())
            .cloned()
            .collect()
    }

    /// The text of a field.
    pub fn value(&self, field: Field) -> &str {
        let f = &self.form;
        match field {
            Field::Namespace => &f.namespace,
            Field::ServiceName => &f.name,
            Field::Selector => &f.selector,
            Field::Port => &f.port,
            Field::TargetPort => &f.target_port,
            Field::CaFile => &f.ca_file,
            Field::ContainerdVersion => &f.node_versions.0,
            Field::K0sVersion => &f.node_versions.1,
            Field::Own(x) => f.value(x),
        }
    }

    fn set_value(&mut self, field: Field, value: String) {
        let f = &mut self.form;
        match field {
            Field::Namespace => f.namespace = value,
            Field::ServiceName => f.name = value,
            Field::Selector => f.selector = value,
            Field::Port => f.port = value,
            Field::TargetPort => f.target_port = value,
            Field::CaFile => f.ca_file = value,
            Field::ContainerdVersion => f.node_versions.0 = value,
            Field::K0sVersion => f.node_versions.1 = value,
            Field::Own(x) => {
                f.fields.set(x, value);
            }
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetMethod(m) => s.form.method = m,
            Action::SetPlatform(p) => {
                // A platform implies its method (core's platform::fill does
                // the same for a spec that names none) where the form still
                // has its first method and nothing typed for it.
                let fresh = s.form.method == Form::default().method
                    && s.form
                        .method
                        .page()
                        .form
                        .iter()
                        .filter(|i| matches!(i.input, msr_expose_core::method::Input::Text))
                        .all(|i| s.value(Field::Own(i.field)).trim().is_empty());
                if let (true, Ok(platform)) = (fresh, p.parse()) {
                    s.form.method = msr_expose_core::platform::implied_method(platform);
                }
                s.form.platform = p;
            }
            Action::SetField(field, value) => s.set_value(field, value),
            Action::SetMaterial(m, v, now) => {
                s.now = now;
                match m {
                    Material::Cert => s.cert = v,
                    Material::Key => s.key = v,
                    Material::Ca => s.ca = v,
                }
                s.reread();
            }
            Action::Answered(a) => {
                if (&a.cert, &a.key, &a.ca) != (&s.cert, &s.key, &s.ca) {
                    return self;
                }
                s.answered = Some(*a);
            }
            Action::Touch(field) => {
                if !s.touched.insert(field) {
                    return self;
                }
                return Rc::new(s);
            }
        }
        s.recompute();
        Rc::new(s)
    }
}
