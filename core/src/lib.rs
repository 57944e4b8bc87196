//! msr-expose-core: the pure logic behind msr-expose. It validates an exposure
//! spec, checks the cache's TLS material, builds the Kubernetes manifest and
//! writes the kubectl and curl steps. It does no I/O and reads no clock, so the
//! CLI, the web page and the JS API share it byte for byte, natively and in
//! wasm32.

pub mod bundle;
pub mod cert;
pub mod certplan;
pub mod clients;
pub mod codes;
pub mod common;
pub mod confusable;
pub mod crd;
pub mod duration;
pub mod endpoint;
pub mod exposures;
pub mod field;
pub mod finding;
pub mod fleet;
pub mod fleet_check;
pub mod fleet_files;
pub mod form;
pub mod fqdn;
pub mod generate;
pub mod k8s_names;
pub mod manifest;
pub mod metadata;
pub mod method;
pub mod object;
pub mod permalink;
pub mod platform;
pub mod registry;
pub mod shell;
pub mod spec;
pub mod step;
pub mod steps;
pub mod unicode;
pub mod validate;
pub mod yaml;

pub use cert::{Answers, CertInfo, Material, Questions, TlsInput, TlsReport, check_tls};
pub use field::SpecField;
pub use finding::{Code, Finding, Severity};
pub use fqdn::{Fqdn, FqdnError, Host, HostRole, check_host};
pub use generate::{Generation, Output, Tls, generate, generate_with_tls};
pub use manifest::Manifest;
pub use method::Exposure;
pub use spec::{Method, Spec};
pub use validate::{ValidSpec, validate};
