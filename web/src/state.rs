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

/// A form field: its element id and its spec field name.
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
    /// `nodeFqdn`
    NodeFqdn,
    /// `nodePort`
    NodePort,
    /// `externalFqdn`
    ExternalFqdn,
    /// `ingressClassName`
    IngressClass,
    /// `path`
    Path,
    /// `loadBalancerIp`
    LoadBalancerIp,
    /// `loadBalancerClass`
    LoadBalancerClass,
    /// `externalTrafficPolicy`
    ExternalTrafficPolicy,
    /// `gatewayClassName`
    GatewayClass,
    /// `gatewayName`
    GatewayName,
    /// `listenerSetName`
    ListenerSetName,
    /// `gatewayNamespace`
    GatewayNamespace,
    /// `listenerName`
    ListenerName,
    /// `gatewayApiVersion`
    GatewayApiVersion,
    /// `entryPoints`
    EntryPoints,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 21] = [
        Field::Namespace,
        Field::ServiceName,
        Field::Selector,
        Field::Port,
        Field::TargetPort,
        Field::CaFile,
        Field::NodeFqdn,
        Field::NodePort,
        Field::ExternalFqdn,
        Field::IngressClass,
        Field::Path,
        Field::LoadBalancerIp,
        Field::LoadBalancerClass,
        Field::ExternalTrafficPolicy,
        Field::GatewayClass,
        Field::GatewayName,
        Field::ListenerSetName,
        Field::GatewayNamespace,
        Field::ListenerName,
        Field::GatewayApiVersion,
        Field::EntryPoints,
    ];

    /// The element id (stable, for automation).
    pub fn id(self) -> &'static str {
        match self {
            Field::Namespace => "namespace",
            Field::ServiceName => "service-name",
            Field::Selector => "selector",
            Field::Port => "port",
            Field::TargetPort => "target-port",
            Field::CaFile => "ca-file",
            Field::NodeFqdn => "node-fqdn",
            Field::NodePort => "node-port",
            Field::ExternalFqdn => "external-fqdn",
            Field::IngressClass => "ingress-class",
            Field::Path => "path",
            Field::LoadBalancerIp => "load-balancer-ip",
            Field::LoadBalancerClass => "load-balancer-class",
            Field::ExternalTrafficPolicy => "external-traffic-policy",
            Field::GatewayClass => "gateway-class",
            Field::GatewayName => "gateway-name",
            Field::ListenerSetName => "listener-set-name",
            Field::GatewayNamespace => "gateway-namespace",
            Field::ListenerName => "listener-name",
            Field::GatewayApiVersion => "gateway-api-version",
            Field::EntryPoints => "entry-points",
        }
    }

    /// The input's label, as findings name it.
    pub fn label(self) -> &'static str {
        match self {
            Field::Namespace => "Namespace",
            Field::ServiceName => "Service name",
            Field::Selector => "Pod selector",
            Field::Port => "Service port",
            Field::TargetPort => "Target port",
            Field::CaFile => "CA file name",
            Field::NodeFqdn => "Worker node FQDN",
            Field::NodePort => "Node port",
            Field::ExternalFqdn => "External cache FQDN",
            Field::IngressClass => "Ingress class",
            Field::Path => "Path",
            Field::LoadBalancerIp => "Fixed address",
            Field::LoadBalancerClass => "Load balancer class",
            Field::ExternalTrafficPolicy => "External traffic policy",
            Field::GatewayClass => "Gateway class",
            Field::GatewayName => "Existing Gateway",
            Field::ListenerSetName => "Existing ListenerSet",
            Field::GatewayNamespace => "Existing Gateway's namespace",
            Field::ListenerName => "Listener",
            Field::GatewayApiVersion => "TLSRoute version",
            Field::EntryPoints => "Entry points",
        }
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
            Field::NodeFqdn => SpecField::NodeFqdn,
            Field::NodePort => SpecField::NodePort,
            Field::ExternalFqdn => SpecField::ExternalFqdn,
            Field::IngressClass => SpecField::IngressClassName,
            Field::Path => SpecField::Path,
            Field::LoadBalancerIp => SpecField::LoadBalancerIp,
            Field::LoadBalancerClass => SpecField::LoadBalancerClass,
            Field::ExternalTrafficPolicy => SpecField::ExternalTrafficPolicy,
            Field::GatewayClass => SpecField::GatewayClassName,
            Field::GatewayName => SpecField::GatewayName,
            Field::ListenerSetName => SpecField::ListenerSetName,
            Field::GatewayNamespace => SpecField::GatewayNamespace,
            Field::ListenerName => SpecField::ListenerName,
            Field::GatewayApiVersion => SpecField::GatewayApiVersion,
            Field::EntryPoints => SpecField::EntryPoints,
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
    if let Some(f) = Field::ALL.iter().find(|f| f.spec_name() == field) {
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
    /// Typed into a field.
    SetField(Field, String),
    /// Ticked or cleared the legacy annotation box.
    SetLegacy(bool),
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

    /// The findings the summary lists: as under each field, an empty
    /// field's errors wait until the field was left once, so a fresh page
    /// does not open on errors.
    pub fn listed_findings(&self) -> Vec<Finding> {
        self.generation
            .findings
            .iter()
            .filter(|f| !self.waits(f))
            .cloned()
            .collect()
    }

    /// Whether a finding is about a field still empty and not yet left.
    pub fn waits(&self, f: &Finding) -> bool {
        Field::ALL
            .iter()
            .find(|x| x.spec_name() == f.field)
            .is_some_and(|&x| self.value(x).trim().is_empty() && !self.touched.contains(&x))
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
            Field::NodeFqdn => &f.node_fqdn,
            Field::NodePort => &f.node_port,
            Field::ExternalFqdn => &f.external_fqdn,
            Field::IngressClass => &f.ingress_class_name,
            Field::Path => &f.path,
            Field::LoadBalancerIp => &f.load_balancer_ip,
            Field::LoadBalancerClass => &f.load_balancer_class,
            Field::ExternalTrafficPolicy => &f.external_traffic_policy,
            Field::GatewayClass => &f.gateway_class_name,
            Field::GatewayName => &f.gateway_name,
            Field::ListenerSetName => &f.listener_set_name,
            Field::GatewayNamespace => &f.gateway_namespace,
            Field::ListenerName => &f.listener_name,
            Field::GatewayApiVersion => &f.gateway_api_version,
            Field::EntryPoints => &f.entry_points,
        }
    }

    fn value_mut(&mut self, field: Field) -> &mut String {
        let f = &mut self.form;
        match field {
            Field::Namespace => &mut f.namespace,
            Field::ServiceName => &mut f.name,
            Field::Selector => &mut f.selector,
            Field::Port => &mut f.port,
            Field::TargetPort => &mut f.target_port,
            Field::CaFile => &mut f.ca_file,
            Field::NodeFqdn => &mut f.node_fqdn,
            Field::NodePort => &mut f.node_port,
            Field::ExternalFqdn => &mut f.external_fqdn,
            Field::IngressClass => &mut f.ingress_class_name,
            Field::Path => &mut f.path,
            Field::LoadBalancerIp => &mut f.load_balancer_ip,
            Field::LoadBalancerClass => &mut f.load_balancer_class,
            Field::ExternalTrafficPolicy => &mut f.external_traffic_policy,
            Field::GatewayClass => &mut f.gateway_class_name,
            Field::GatewayName => &mut f.gateway_name,
            Field::ListenerSetName => &mut f.listener_set_name,
            Field::GatewayNamespace => &mut f.gateway_namespace,
            Field::ListenerName => &mut f.listener_name,
            Field::GatewayApiVersion => &mut f.gateway_api_version,
            Field::EntryPoints => &mut f.entry_points,
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetMethod(m) => s.form.method = m,
            Action::SetField(field, value) => *s.value_mut(field) = value,
            Action::SetLegacy(on) => s.form.legacy_secure_backends = on,
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
