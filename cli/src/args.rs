//! Raw command-line arguments as clap sees them. Turning them into a spec
//! happens in the subcommand modules, through the core's own types.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const AFTER_HELP: &str = "\
Output: generate prints the manifest (or steps, or plan) on stdout; check, verify, apply and up print their report there (-o json for scripts). Findings on the spec, and refusals, go to stderr; a spec with errors prints nothing on stdout.

Exit status, the same in every command: 0 success, 1 the input has errors (the spec, the certificate or the endpoint) or the cluster refused, 2 usage or I/O error.";

const GENERATE_EXAMPLES: &str = "\
Examples:
  # NodePort on a worker node, port allocated by Kubernetes
  msr-expose generate --method nodeport --node-fqdn worker1.example.com

  # Ingress with TLS passthrough, manifest and steps.sh written to ./out
  msr-expose generate --method ingress --external-fqdn cache.example.com --out-dir out

  # The same from a spec file, as JSON
  msr-expose generate --config exposure.yaml -o json

Exit status: 0 success (warnings on stderr), 1 the spec has errors (findings on stderr, nothing on stdout or on disk), 2 usage or I/O error.";

/// `a, b or c`.
fn listed(items: &[&str], last: &str) -> String {
    match items.split_last() {
        Some((tail, [])) => tail.to_string(),
        Some((tail, head)) => format!("{} {last} {tail}", head.join(", ")),
        None => String::new(),
    }
}

/// The description `--help` and the man page show, its methods from the
/// registry (never a list written by hand).
fn about() -> String {
    let titles: Vec<&str> = msr_expose_core::Method::ALL
        .iter()
        .map(|m| m.about().title)
        .collect();
    format!(
        "Expose a Mirantis Secure Registry cache through exactly one interface — {} —, check its certificate, apply it and verify the endpoint",
        listed(&titles, "or")
    )
}

/// `--method`'s help, from the registry.
fn method_help() -> String {
    let names: Vec<&str> = msr_expose_core::Method::ALL
        .iter()
        .map(|m| m.name())
        .collect();
    format!(
        "Exposure method: {} (inferred from the fields given when absent; --external-fqdn alone means ingress)",
        listed(&names, "or")
    )
}

/// `--platform`'s help, from the profiles.
fn platform_help() -> String {
    let names: Vec<String> = msr_expose_core::platform::Platform::ALL
        .iter()
        .map(|p| format!("{} ({})", p.name(), p.label()))
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    format!(
        "The platform's profile, which fills in what it runs — the TLSRoute version its controller watches, its GatewayClass where documented, its nodes' containerd: {}",
        listed(&names, "or")
    )
}

/// Expose a Mirantis Secure Registry cache through exactly one interface.
#[derive(Debug, Parser)]
#[command(name = "msr-expose", version, about = about(), after_help = AFTER_HELP)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
    /// Print every info note in full (by default each is one line, and while errors stand they are summarised in one).
    #[arg(long, short = 'v', global = true)]
    pub verbose: bool,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a spec and print the manifest, or the steps to run.
    #[command(after_help = GENERATE_EXAMPLES)]
    Generate(GenerateArgs),
    /// Check the cache's certificate, key and CA against the interface it is exposed through.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Walk the path a client walks to the endpoint and prove the cache answers over verified TLS.
    #[command(after_help = VERIFY_EXAMPLES)]
    Verify(VerifyArgs),
    /// Apply the exposure to a cluster (server-side apply), then wait for its address.
    #[command(after_help = APPLY_EXAMPLES)]
    Apply(ApplyArgs),
    /// Apply, wait, verify, and print the MSR registration request.
    #[command(after_help = UP_EXAMPLES)]
    Up(UpArgs),
    /// Work on a fleet of caches: one file for every site's cache.
    #[command(subcommand)]
    Fleet(FleetCommand),
    /// List every finding code with its meaning and fix.
    Codes(CodesArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion(CompletionArgs),
    /// Print the man page (roff), generated from the same definitions as --help.
    #[command(
        after_help = "Examples:\n  msr-expose man > msr-expose.1 && man ./msr-expose.1\n  msr-expose man --dir /usr/local/share/man/man1   # one page per command"
    )]
    Man(ManArgs),
}

/// `msr-expose man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write msr-expose.1 and a page per command (msr-expose-generate.1, …) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

const COMPLETION_EXAMPLES: &str = "\
Examples:
  msr-expose completion bash > ~/.local/share/bash-completion/completions/msr-expose
  msr-expose completion zsh > \"${fpath[1]}/_msr-expose\"
  msr-expose completion fish > ~/.config/fish/completions/msr-expose.fish

make install puts them, the man page and the binary under PREFIX (default /usr/local).";

/// `msr-expose completion`.
#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

const VERIFY_EXAMPLES: &str = "\
Examples:
  msr-expose verify --url https://worker1.example.com:30443 --ca msr.cert.pem
  msr-expose verify --external-fqdn cache.example.com --ca msr.cert.pem --resolve cache.example.com:443:203.0.113.7
  msr-expose verify --config exposure.yaml --ca msr.cert.pem --timeout 30s -o json

Stages: resolve, connect, tls, certificate, http, catalog; the first failure stops the walk.
Exit status: 0 every stage passed, 1 the endpoint failed, 2 usage or I/O error.";

const APPLY_EXAMPLES: &str = "\
Examples:
  msr-expose apply --method nodeport --node-fqdn worker1.example.com
  msr-expose apply --config exposure.yaml --context prod --dry-run
  msr-expose apply --external-fqdn cache.example.com --replace --timeout 5m

Exit status: 0 applied (or unchanged), 1 refused or rejected by the cluster, 2 usage or I/O error.";

const UP_EXAMPLES: &str = "\
Examples:
  msr-expose up --node-fqdn worker1.example.com --ca msr.cert.pem
  msr-expose up --config exposure.yaml --ca msr.cert.pem -o json

Exit status: 0 applied and verified, 1 refused, rejected or the endpoint failed, 2 usage or I/O error.";

/// `msr-expose verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The spec naming the endpoint (or give --url).
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The endpoint, https://HOST[:PORT].
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    #[command(flatten)]
    pub net: NetArgs,
    /// Bound on the whole walk, such as 10s or 1m30s.
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub timeout: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
}

/// How to reach and trust the endpoint.
#[derive(Debug, Args, Clone)]
pub struct NetArgs {
    /// The CA to trust (msr.cert.pem or the issuing CA); the system store otherwise.
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Send HOST:PORT to ADDRESS instead of resolving it, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDRESS")]
    pub resolve: Vec<String>,
}

/// Where the cluster is.
#[derive(Debug, Args, Clone)]
pub struct ClusterArgs {
    /// Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Ask the API server to validate without persisting anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Remove another exposure of the cache first — only one msr-expose manages.
    #[arg(long)]
    pub replace: bool,
}

/// `msr-expose apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The spec.
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    /// Bound on waiting for the node port or the controller's address, and on
    /// each request to the API server, such as 2m.
    #[arg(long, value_name = "DURATION", default_value = "2m")]
    pub timeout: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
}

/// `msr-expose up`.
#[derive(Debug, Args)]
pub struct UpArgs {
    /// The spec.
    #[command(flatten)]
    pub spec: SpecArgs,
    #[command(flatten)]
    pub cluster: ClusterArgs,
    #[command(flatten)]
    pub net: NetArgs,
    /// Bound on the wait for the address (and each API request) and, separately,
    /// on the verification walk.
    #[arg(long, value_name = "DURATION", default_value = "2m")]
    pub timeout: String,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
    /// MSR, to register the verified endpoint with.
    #[command(flatten)]
    pub msr: MsrArgs,
}

/// Registering with MSR (`up`, `fleet up`).
#[derive(Debug, Args, Clone)]
pub struct MsrArgs {
    /// Register the verified endpoint with MSR (idempotent: nothing happens
    /// when MSR already knows it). Credentials come from --msr-password-file
    /// or the MSR_PASSWORD environment variable, never from a flag value.
    #[arg(long, requires_all = ["msr_url", "msr_user"])]
    pub register: bool,
    /// MSR's address, such as https://msr.example.com.
    #[arg(long, value_name = "URL")]
    pub msr_url: Option<String>,
    /// The CA MSR's own certificate chains to (the system store otherwise).
    #[arg(long, value_name = "FILE")]
    pub msr_ca: Option<PathBuf>,
    /// An MSR administrator's user name.
    #[arg(long, value_name = "NAME")]
    pub msr_user: Option<String>,
    /// A file holding that user's password or access token [default: $MSR_PASSWORD].
    #[arg(long, value_name = "FILE")]
    pub msr_password_file: Option<PathBuf>,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  # Does the certificate fit a NodePort exposure on worker1?
  msr-expose check --cert cache.cert.pem --key cache.key.pem --ca msr.cert.pem --node-fqdn worker1.example.com

  # The same for an Ingress, judged at a fixed time, as JSON
  msr-expose check --cert cache.cert.pem --ca msr.cert.pem --external-fqdn cache.example.com --at 2027-01-01T00:00:00Z -o json

Exit status: 0 no errors (warnings may be printed), 1 the material has errors, 2 usage or I/O error.";

/// The cache's TLS material.
#[derive(Debug, Args, Clone, Default)]
pub struct TlsArgs {
    /// The cache certificate with its intermediates (cache.cert.pem), PEM or DER.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The cache private key (cache.key.pem); read only to match it to the certificate.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The CA clients trust (msr.cert.pem or the issuing CA); with generate
    /// --out-dir, the clients' trust files are written from it (no --cert needed).
    #[arg(long, value_name = "FILE")]
    pub ca: Option<PathBuf>,
    /// Judge validity at this time (RFC 3339, such as 2027-01-01T00:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
}

/// What `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CheckFormat {
    /// A report for people.
    #[default]
    Text,
    /// Findings and certificates as JSON.
    Json,
}

/// `msr-expose fleet …`.
#[derive(Debug, Subcommand)]
pub enum FleetCommand {
    /// Check every cache's certificate against its own interface, in one run.
    #[command(after_help = FLEET_CHECK_EXAMPLES)]
    Check(FleetCheckArgs),
    /// Write every cache's bundle and the GitOps layout (Kustomize base and
    /// overlays, Argo CD ApplicationSet, Flux Kustomizations) into a directory.
    #[command(after_help = FLEET_GENERATE_EXAMPLES)]
    Generate(FleetGenerateArgs),
    /// Walk every cache's endpoint as `verify` does, several at a time.
    #[command(after_help = FLEET_VERIFY_EXAMPLES)]
    Verify(FleetVerifyArgs),
    /// Apply, wait, verify (and register) every cache, each in its own context.
    #[command(after_help = FLEET_UP_EXAMPLES)]
    Up(FleetUpArgs),
}

const FLEET_UP_EXAMPLES: &str = "Examples:
  msr-expose fleet up --config fleet.yaml
  msr-expose fleet up --config fleet.yaml --kubeconfig all-sites.kubeconfig -o json
  MSR_PASSWORD=… msr-expose fleet up --config fleet.yaml --register --msr-url https://msr.example.com --msr-user admin

Each cache is applied in its own kubeconfig context (its `context`, or the
current one), then waited for, verified with its `ca`, and with --register
registered with MSR under its `msrName` (its name in the fleet by default).
One cache's failure does not stop the others; the report says per cache what
was applied, what was not, and where it stopped. Exit status 1 when any
cache failed.";

/// `msr-expose fleet up`.
#[derive(Debug, Args)]
pub struct FleetUpArgs {
    /// The fleet file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Kubeconfig file holding every cache's context (default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Ask each API server to validate without persisting anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Remove another exposure of a cache first — only one msr-expose manages.
    #[arg(long)]
    pub replace: bool,
    /// Send HOST:PORT to ADDRESS instead of resolving it, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDRESS")]
    pub resolve: Vec<String>,
    /// Bound, per cache, on the wait (and each API request) and, separately, on the verification.
    #[arg(long, value_name = "DURATION", default_value = "2m")]
    pub timeout: String,
    /// How many caches to bring up at once (1 to 64).
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
    /// MSR, to register each verified endpoint with.
    #[command(flatten)]
    pub msr: MsrArgs,
}

const FLEET_VERIFY_EXAMPLES: &str = "Examples:
  msr-expose fleet verify --config fleet.yaml
  msr-expose fleet verify --config fleet.yaml --concurrency 32 --timeout 5s -o json

Each cache's endpoint comes from its spec (a NodePort cache needs its
nodePort), its trust from its `ca` (the system store without one). Exit
status 1 when any cache fails; the table (or -o json) names each and the
stage it failed at: input, resolve, connect, tls, certificate, http or
catalog.";

/// `msr-expose fleet verify`.
#[derive(Debug, Args)]
pub struct FleetVerifyArgs {
    /// The fleet file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Send HOST:PORT to ADDRESS instead of resolving it, as curl's --resolve (repeatable).
    #[arg(long, value_name = "HOST:PORT:ADDRESS")]
    pub resolve: Vec<String>,
    /// Bound on each endpoint's walk, such as 10s or 1m30s.
    #[arg(long, value_name = "DURATION", default_value = "10s")]
    pub timeout: String,
    /// How many endpoints to walk at once (1 to 256).
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
}

const FLEET_GENERATE_EXAMPLES: &str = "Examples:
  msr-expose fleet generate --config fleet.yaml --out-dir caches
  kubectl kustomize caches/gitops/overlays/eu1     # exactly caches/eu1/<manifest>

Writes DIR/<cache>/ (what `generate --out-dir` writes for that cache, with its
`ca` as --ca) and DIR/gitops/: base/<method>/ (a Kustomize base per method
used), overlays/<cache>/ (the base with the cache's names, hosts and ports
patched in), argocd/applicationset.yaml (when the fleet sets gitops.repoURL)
and flux/<cache>.yaml. Every file or none; a file msr-expose did not write
there is refused unless --force. Nothing is written when any cache has an
error.";

/// `msr-expose fleet generate`.
#[derive(Debug, Args)]
pub struct FleetGenerateArgs {
    /// The fleet file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// The directory to write into.
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Replace files there that msr-expose did not write (or that were edited since).
    #[arg(long)]
    pub force: bool,
    /// Do not print info findings.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

const FLEET_CHECK_EXAMPLES: &str = "Examples:
  msr-expose fleet check --config fleet.yaml
  msr-expose fleet check --config fleet.yaml --at 2027-01-01T00:00:00Z -o json

The fleet file: `defaults` (spec fields every cache shares, and `context` or
`ca` when all share them) and `caches`, each with its `name`, optionally its
`context`, `cert`, `key`, `ca` (files relative to the fleet file) and
`msrName`, and the spec fields that differ from the defaults. Exit status 1
when any cache has an error; the table (or -o json) says which.";

/// `msr-expose fleet check`.
#[derive(Debug, Args)]
pub struct FleetCheckArgs {
    /// The fleet file (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Judge validity at this instant (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
}

/// `msr-expose check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The spec naming the interface (or --node-fqdn / --external-fqdn).
    #[command(flatten)]
    pub spec: SpecArgs,
    /// The TLS material.
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CheckFormat,
}

/// Where the spec comes from: a file, flags, or a file overridden by flags.
#[derive(Debug, Args, Clone, Default)]
pub struct SpecArgs {
    /// Spec file (YAML or JSON); flags given as well override its fields.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Exposure method, one of the registry's (`method_help`).
    #[arg(long, value_name = "METHOD", allow_hyphen_values = true, help = method_help())]
    pub method: Option<String>,
    /// Namespace of the cache [default: msr].
    #[arg(
        long,
        short = 'n',
        value_name = "NAMESPACE",
        allow_hyphen_values = true
    )]
    pub namespace: Option<String>,
    /// Name of the Service and Ingress [default: msr-cache].
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub name: Option<String>,
    /// Pod selector as key=value[,key=value] [default: app=msr-cache].
    #[arg(long, value_name = "SELECTOR", allow_hyphen_values = true)]
    pub selector: Option<String>,
    /// Service port [default: 443].
    #[arg(long, value_name = "PORT", allow_negative_numbers = true)]
    pub port: Option<i64>,
    /// Container port of the cache [default: 443].
    #[arg(long, value_name = "PORT", allow_negative_numbers = true)]
    pub target_port: Option<i64>,
    /// CA file name used in the curl steps [default: msr.cert.pem].
    #[arg(long, value_name = "FILE", allow_hyphen_values = true)]
    pub ca_file: Option<String>,
    /// The platform's profile (`platform_help`).
    #[arg(long, value_name = "PLATFORM", allow_hyphen_values = true, help = platform_help())]
    pub platform: Option<String>,
    /// The containerd the nodes run (1.6, 1.7, 2.0 … 2.3): the format of
    /// the trust files' containerd snippet and k0s drop-in [default: the
    /// platform's, else both formats, each named].
    #[arg(long, value_name = "VERSION", allow_hyphen_values = true)]
    pub containerd_version: Option<String>,
    /// The k0s the nodes run (such as 1.35 or 1.36): k0s up to 1.35
    /// bundles containerd 1.7, 1.36 and later containerd 2.3.
    #[arg(long, value_name = "VERSION", allow_hyphen_values = true)]
    pub k0s_version: Option<String>,
    /// NodePort: worker node FQDN (or IP) clients connect to.
    #[arg(long, value_name = "FQDN", allow_hyphen_values = true)]
    pub node_fqdn: Option<String>,
    /// NodePort: pin the node port instead of letting Kubernetes allocate one.
    #[arg(long, value_name = "PORT", allow_negative_numbers = true)]
    pub node_port: Option<i64>,
    /// NodePort: the cluster's --service-node-port-range [default: 30000-32767].
    #[arg(long, value_name = "LO-HI", allow_hyphen_values = true)]
    pub node_port_range: Option<String>,
    /// Every method but NodePort: external FQDN of the cache
    /// (for loadbalancer also an address).
    #[arg(long, value_name = "FQDN", allow_hyphen_values = true)]
    pub external_fqdn: Option<String>,
    /// Ingress: ingress class [default: nginx].
    #[arg(long, value_name = "CLASS", allow_hyphen_values = true)]
    pub ingress_class: Option<String>,
    /// Ingress: path [default: /] (ingress-nginx ignores other paths under ssl-passthrough).
    #[arg(long, value_name = "PATH", allow_hyphen_values = true)]
    pub path: Option<String>,
    /// Ingress: also emit the secure-backends annotation (ingress-nginx older than 0.21 only).
    #[arg(long)]
    pub legacy_secure_backends: bool,
    /// LoadBalancer: a fixed address (MetalLB's metallb.io/loadBalancerIPs annotation).
    #[arg(long, value_name = "ADDRESS", allow_hyphen_values = true)]
    pub load_balancer_ip: Option<String>,
    /// LoadBalancer: also set the deprecated spec.loadBalancerIP to that address.
    #[arg(long)]
    pub legacy_load_balancer_ip: bool,
    /// LoadBalancer: spec.loadBalancerClass.
    #[arg(long, value_name = "CLASS", allow_hyphen_values = true)]
    pub load_balancer_class: Option<String>,
    /// LoadBalancer: externalTrafficPolicy, Cluster or Local [default: Cluster].
    #[arg(long, value_name = "POLICY", allow_hyphen_values = true)]
    pub external_traffic_policy: Option<String>,
    /// Gateway: create a Gateway of this GatewayClass with a TLS passthrough listener.
    #[arg(long, value_name = "CLASS", allow_hyphen_values = true)]
    pub gateway_class: Option<String>,
    /// Gateway: attach the TLSRoute to this existing Gateway instead.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub gateway_name: Option<String>,
    /// Gateway: attach the TLSRoute to this existing ListenerSet instead.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    pub listener_set_name: Option<String>,
    /// Gateway: the existing Gateway's (or ListenerSet's) namespace [default: the route's].
    #[arg(long, value_name = "NAMESPACE", allow_hyphen_values = true)]
    pub gateway_namespace: Option<String>,
    /// Gateway: the existing Gateway's listener (sectionName).
    #[arg(long, value_name = "LISTENER", allow_hyphen_values = true)]
    pub listener_name: Option<String>,
    /// Gateway: TLSRoute version, v1, v1alpha3 or v1alpha2 [default: v1, or what the platform's controller watches].
    #[arg(long, value_name = "VERSION", allow_hyphen_values = true)]
    pub gateway_api_version: Option<String>,
    /// Traefik: entry points, comma-separated [default: websecure].
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        allow_hyphen_values = true
    )]
    pub entry_points: Option<Vec<String>>,
    /// OpenShift: the Route's insecureEdgeTerminationPolicy, None or Redirect [default: None].
    #[arg(long, value_name = "POLICY", allow_hyphen_values = true)]
    pub insecure_edge_termination_policy: Option<String>,
    /// Istio: attach the VirtualService to this existing Istio Gateway
    /// (namespace/name) instead of creating one.
    #[arg(long, value_name = "NAMESPACE/NAME", allow_hyphen_values = true)]
    pub istio_gateway: Option<String>,
    /// Istio: labels of the ingress gateway pods the created Gateway binds
    /// to, as key=value[,key=value] [default: istio=ingressgateway].
    #[arg(long, value_name = "SELECTOR", allow_hyphen_values = true)]
    pub istio_selector: Option<String>,
}

/// What `generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum GenerateFormat {
    /// The manifest as YAML.
    #[default]
    Yaml,
    /// The manifest as JSON.
    Json,
    /// The steps as a POSIX shell script.
    Steps,
    /// How to make the certificate the interface needs, with openssl, as a
    /// POSIX shell script (with --lab-ca it also makes a CA and signs).
    CertPlan,
    /// A cert-manager Certificate for the interface's name (needs --issuer).
    CertManager,
}

/// The key a certificate plan makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum KeyTypeArg {
    /// ECDSA P-256.
    #[default]
    P256,
    /// RSA 3072.
    Rsa3072,
}

/// What kind of cert-manager issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum IssuerKind {
    /// A namespaced Issuer.
    #[default]
    Issuer,
    /// A ClusterIssuer.
    #[value(name = "ClusterIssuer")]
    ClusterIssuer,
}

/// `msr-expose generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The spec.
    #[command(flatten)]
    pub spec: SpecArgs,
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: GenerateFormat,
    /// Check this TLS material too, and refuse (exit 1) when it has errors.
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Write the manifest and steps.sh into this directory instead of printing
    /// (with --ca also the clients' trust files under DIR/clients/).
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// With --out-dir: replace files there that msr-expose did not write
    /// (or that were edited since); without it they are refused.
    #[arg(long, requires = "out_dir")]
    pub force: bool,
    /// With -o cert-plan: also make a small lab CA and sign the certificate.
    #[arg(long)]
    pub lab_ca: bool,
    /// With -o cert-plan or cert-manager: the key to make.
    #[arg(long, value_enum, default_value_t)]
    pub key_type: KeyTypeArg,
    /// With -o cert-manager: the Issuer or ClusterIssuer that signs.
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    /// With -o cert-manager: Issuer or ClusterIssuer (in any case, as
    /// kubectl takes kinds).
    #[arg(long, value_enum, default_value_t, ignore_case = true)]
    pub issuer_kind: IssuerKind,
    /// Do not print info findings.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// What `codes` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum CodesFormat {
    /// The Markdown of docs/findings.md.
    #[default]
    Markdown,
    /// `[{code, meaning, fix}]`, as the page's build ships it.
    Json,
}

/// `msr-expose codes`.
#[derive(Debug, Args)]
pub struct CodesArgs {
    /// Output format.
    #[arg(long, short = 'o', value_enum, default_value_t)]
    pub output: CodesFormat,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;
    use msr_expose_core::SpecField;

    /// Every spec field has its flag on every command that takes a spec,
    /// spelled as the core's field table says.
    #[test]
    fn every_spec_field_has_its_flag() {
        let cli = Cli::command();
        for name in ["generate", "check", "verify", "apply", "up"] {
            let cmd = cli.find_subcommand(name).expect("subcommand");
            let flags: Vec<String> = cmd
                .get_arguments()
                .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                .collect();
            for f in SpecField::ALL {
                assert!(
                    flags.iter().any(|x| x == f.flag()),
                    "{name} lacks {} for {}",
                    f.flag(),
                    f.key()
                );
            }
        }
    }
}
