//! `msr-expose verify`: walk the path a registry client walks — resolve,
//! connect, TLS with SNI, the presented chain checked by the core for the
//! expected name, `GET /v2/_catalog`, a catalog JSON body — and stop at the
//! first stage that fails, with its own code, message and fix. TLS is always
//! verified; there is no insecure mode.

use crate::args::{CheckFormat, NetArgs, VerifyArgs};
use crate::duration::parse_duration;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::{Context, bail};
use msr_expose_core::cert::pem;
use msr_expose_core::{Finding, HostRole, TlsInput, check_host};
use msr_expose_crypto::check_tls;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde::Serialize;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A `--resolve` entry: (host, port, address).
pub type Resolve = (String, u16, IpAddr);

/// Where to connect and whom to trust.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL as given or derived.
    pub url: String,
    /// Host name (or IP) for SNI, the Host header and the certificate check.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// `--resolve` entries.
    pub resolve: Vec<Resolve>,
    /// CA bytes; `None` trusts the system store.
    pub ca: Option<Vec<u8>>,
    /// Bound on the whole walk.
    pub timeout: Duration,
}

/// One stage of the walk.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// `resolve`, `connect`, `tls`, `certificate`, `http`, `catalog`.
    pub name: &'static str,
    /// Whether it passed.
    pub ok: bool,
    /// Milliseconds it took.
    pub ms: u128,
    /// What was seen (address, protocol, status…).
    pub detail: String,
}

/// The verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The endpoint.
    pub url: String,
    /// Whether every stage passed.
    pub ok: bool,
    /// Stages in order, up to the first failure.
    pub stages: Vec<Stage>,
    /// The failure (and certificate findings), empty when all passed.
    pub findings: Vec<Finding>,
    /// Repositories the catalog lists, when it was read.
    pub repositories: Option<Vec<String>>,
}

impl Report {
    fn fail(&mut self, name: &'static str, started: Instant, detail: String, f: Finding) {
        self.stages.push(Stage {
            name,
            ok: false,
            ms: started.elapsed().as_millis(),
            detail,
        });
        self.findings.push(f);
        self.ok = false;
    }
    fn pass(&mut self, name: &'static str, started: Instant, detail: String) {
        self.stages.push(Stage {
            name,
            ok: true,
            ms: started.elapsed().as_millis(),
            detail,
        });
    }
}

/// Runs `verify`.
pub fn run(args: VerifyArgs) -> anyhow::Result<u8> {
    let target = match target_from_args(&args)? {
        Ok(t) => t,
        Err(findings) => {
            // The spec's findings, like generate's: stderr, exit 1.
            crate::output::print_findings(&findings, false);
            return Ok(EXIT_FINDINGS);
        }
    };
    let report = walk_blocking(&target)?;
    print_report(&report, args.output)?;
    Ok(if report.ok { EXIT_OK } else { EXIT_FINDINGS })
}

/// Prints a report in the chosen format.
pub fn print_report(report: &Report, format: CheckFormat) -> anyhow::Result<()> {
    match format {
        CheckFormat::Json => println!("{}", serde_json::to_string_pretty(report)?),
        CheckFormat::Text => print!("{}", render(report)),
    }
    Ok(())
}

/// Runs the walk on a small runtime of its own.
pub fn walk_blocking(target: &Target) -> anyhow::Result<Report> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(rt.block_on(walk(target)))
}

fn render(r: &Report) -> String {
    let mut s = format!("verify {}\n", r.url);
    for st in &r.stages {
        s.push_str(&format!(
            "  {} {:<11} {:>5} ms  {}\n",
            if st.ok { "ok  " } else { "FAIL" },
            st.name,
            st.ms,
            st.detail
        ));
    }
    for f in &r.findings {
        s.push_str(&format!("{f}\n"));
    }
    if r.ok {
        s.push_str("the cache answers over verified TLS with a registry catalog\n");
    }
    s
}

/// The endpoint to walk, or the spec's error findings when it has errors.
fn target_from_args(a: &VerifyArgs) -> anyhow::Result<Result<Target, Vec<Finding>>> {
    let url = match &a.url {
        Some(u) => u.clone(),
        None => {
            let spec = match super::spec_input::spec_from_args(&a.spec)? {
                super::spec_input::SpecInput::Spec(s) => *s,
                super::spec_input::SpecInput::Invalid(f) => return Ok(Err(vec![f])),
            };
            let g = msr_expose_core::generate(&spec);
            let Some(out) = g.output else {
                return Ok(Err(g
                    .findings
                    .into_iter()
                    .filter(Finding::is_error)
                    .collect()));
            };
            if out.endpoint.url.contains("${") {
                bail!(
                    "the node port is allocated by the cluster: give it with --node-port, or the endpoint with --url https://HOST:PORT"
                );
            }
            out.endpoint.url
        }
    };
    let (host, port) = parse_url(&url)?;
    let (resolve, ca) = read_net_args(&a.net)?;
    let timeout = parse_duration(&a.timeout).map_err(|e| anyhow::anyhow!("--timeout: {e}"))?;
    Ok(Ok(Target {
        url,
        host,
        port,
        resolve,
        ca,
        timeout,
    }))
}

/// The `--resolve` entries and the CA bytes of `--ca`.
pub fn read_net_args(net: &NetArgs) -> anyhow::Result<(Vec<Resolve>, Option<Vec<u8>>)> {
    let resolve = net
        .resolve
        .iter()
        .map(|r| parse_resolve(r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let ca = match &net.ca {
        Some(p) => {
            Some(std::fs::read(p).with_context(|| format!("--ca: cannot read {}", p.display()))?)
        }
        None => None,
    };
    Ok((resolve, ca))
}

/// `https://host[:port][/…]` → (host, port). Only https: the cache serves TLS.
pub fn parse_url(url: &str) -> anyhow::Result<(String, u16)> {
    let rest = url
        .strip_prefix("https://")
        .with_context(|| format!("{url:?}: the cache is reached over https://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .with_context(|| format!("{url:?}: unclosed [ in the host"))?;
        (h.to_string(), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (authority.to_string(), None),
        }
    };
    let port = match port {
        Some(p) => p
            .parse()
            .with_context(|| format!("{url:?}: {p:?} is not a port"))?,
        None => 443,
    };
    if host.is_empty() {
        bail!("{url:?} has no host");
    }
    Ok((host.to_ascii_lowercase(), port))
}

/// curl's `HOST:PORT:ADDR`.
pub fn parse_resolve(s: &str) -> anyhow::Result<Resolve> {
    let mut parts = s.splitn(3, ':');
    let (Some(h), Some(p), Some(a)) = (parts.next(), parts.next(), parts.next()) else {
        bail!("--resolve {s:?}: expected HOST:PORT:ADDRESS, as curl takes it");
    };
    let port = p
        .parse()
        .with_context(|| format!("--resolve {s:?}: {p:?} is not a port"))?;
    let addr = a
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .with_context(|| format!("--resolve {s:?}: {a:?} is not an IP address"))?;
    Ok((h.to_ascii_lowercase(), port, addr))
}

/// The walk itself.
pub async fn walk(t: &Target) -> Report {
    let deadline = Instant::now() + t.timeout;
    let left = || deadline.saturating_duration_since(Instant::now());
    let mut r = Report {
        url: t.url.clone(),
        ok: true,
        stages: Vec::new(),
        findings: Vec::new(),
        repositories: None,
    };
    let timeout_finding = |stage: &str| {
        Finding::error(
            "verify.timeout",
            stage,
            format!("no answer within {:?} ({stage})", t.timeout),
            "something accepts connections but does not answer: check that the port belongs to the cache (kubectl get endpoints), that no firewall holds the traffic, and raise --timeout for slow links",
        )
    };

    // 1. Name resolution.
    let started = Instant::now();
    let addr = if let Some((_, _, a)) = t
        .resolve
        .iter()
        .find(|(h, p, _)| *h == t.host && *p == t.port)
    {
        r.pass("resolve", started, format!("{a} (from --resolve)"));
        SocketAddr::new(*a, t.port)
    } else if let Ok(ip) = t.host.parse::<IpAddr>() {
        r.pass("resolve", started, format!("{ip} (an address)"));
        SocketAddr::new(ip, t.port)
    } else {
        let lookup =
            tokio::time::timeout(left(), tokio::net::lookup_host((t.host.as_str(), t.port))).await;
        match lookup {
            Ok(Ok(mut addrs)) => match addrs.next() {
                Some(a) => {
                    r.pass("resolve", started, a.ip().to_string());
                    a
                }
                None => {
                    r.fail(
                        "resolve",
                        started,
                        "no address".into(),
                        resolve_finding(&t.host, "it has no address"),
                    );
                    return r;
                }
            },
            Ok(Err(e)) => {
                r.fail(
                    "resolve",
                    started,
                    e.to_string(),
                    resolve_finding(&t.host, &e.to_string()),
                );
                return r;
            }
            Err(_) => {
                r.fail(
                    "resolve",
                    started,
                    "timed out".into(),
                    resolve_finding(&t.host, "the lookup timed out"),
                );
                return r;
            }
        }
    };

    // 2. TCP connect.
    let started = Instant::now();
    let tcp = match tokio::time::timeout(left(), TcpStream::connect(addr)).await {
        Ok(Ok(s)) => {
            r.pass("connect", started, addr.to_string());
            // The request follows the handshake's last flight in a second
            // small write: with Nagle's algorithm it would wait for the
            // server's delayed ACK (40 ms on Linux), as curl avoids too.
            let _ = s.set_nodelay(true);
            s
        }
        Ok(Err(e)) => {
            r.fail(
                "connect",
                started,
                e.to_string(),
                Finding::error(
                    "verify.connect",
                    "connect",
                    format!("cannot connect to {addr}: {e}"),
                    "nothing listens there: check the node port (kubectl -n msr get services) or the ingress controller's address, and firewalls between",
                ),
            );
            return r;
        }
        Err(_) => {
            r.fail(
                "connect",
                started,
                "timed out".into(),
                timeout_finding("connect"),
            );
            return r;
        }
    };

    // 3. TLS handshake with SNI, fully verified; the chain is recorded for the core's check.
    let started = Instant::now();
    let recorder = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let config = match tls_config(t.ca.as_deref(), recorder.clone()) {
        Ok(c) => c,
        Err(e) => {
            r.fail(
                "tls",
                started,
                e.to_string(),
                Finding::error(
                    "verify.trust",
                    "ca",
                    format!("cannot use the CA: {e}"),
                    "give the CA certificate in PEM or DER with --ca",
                ),
            );
            return r;
        }
    };
    let server_name = match t.host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => match ServerName::try_from(t.host.clone()) {
            Ok(n) => n,
            Err(e) => {
                r.fail(
                    "tls",
                    started,
                    e.to_string(),
                    resolve_finding(&t.host, "it is not a valid DNS name"),
                );
                return r;
            }
        },
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = tokio::time::timeout(left(), connector.connect(server_name, tcp)).await;
    let presented = recorder.lock().map(|v| v.clone()).unwrap_or_default();
    let mut tls = match handshake {
        Err(_) => {
            r.fail("tls", started, "timed out".into(), timeout_finding("tls"));
            return r;
        }
        Ok(Err(e)) => {
            if presented.is_empty() {
                r.fail(
                    "tls",
                    started,
                    e.to_string(),
                    Finding::error(
                        "verify.tls_handshake",
                        "tls",
                        format!("the TLS handshake failed before any certificate was seen: {e}"),
                        "the port may not serve TLS (an HTTP port, or a controller not passing TLS through), or TLS versions do not match",
                    ),
                );
                return r;
            }
            r.pass(
                "tls",
                started,
                format!("handshake refused by msr-expose: {e}"),
            );
            let started = Instant::now();
            let mut findings = certificate_findings(t, &presented);
            if !findings.iter().any(Finding::is_error) {
                findings.push(Finding::error(
                    "verify.certificate",
                    "certificate",
                    format!("the presented certificate was rejected: {e}"),
                    "check the chain with msr-expose check --cert on the cache's certificate",
                ));
            }
            certificate_failure(&mut r, started, findings, &e.to_string());
            return r;
        }
        Ok(Ok(s)) => {
            let version = s
                .get_ref()
                .1
                .protocol_version()
                .map(|v| format!("{v:?}"))
                .unwrap_or_default();
            r.pass("tls", started, format!("{version}, SNI {}", t.host));
            s
        }
    };

    // 4. The core's checks on the presented chain, for the expected name.
    let started = Instant::now();
    let findings = certificate_findings(t, &presented);
    if findings.iter().any(Finding::is_error) {
        certificate_failure(&mut r, started, findings, "");
        return r;
    }
    let warnings = findings
        .iter()
        .filter(|f| f.severity == msr_expose_core::Severity::Warning)
        .count();
    r.pass(
        "certificate",
        started,
        format!(
            "{} certificate(s) presented, {warnings} warning(s)",
            presented.len()
        ),
    );
    r.findings.extend(
        findings
            .into_iter()
            .filter(|f| f.severity == msr_expose_core::Severity::Warning),
    );

    // 5. GET /v2/_catalog.
    let started = Instant::now();
    let host_header = if t.port == 443 {
        t.host.clone()
    } else {
        format!("{}:{}", bracket(&t.host), t.port)
    };
    let request = format!(
        "GET /v2/_catalog HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: msr-expose/{}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    let exchange = async {
        tls.write_all(request.as_bytes()).await?;
        tls.flush().await?;
        let mut buf = Vec::new();
        let mut chunk = [0u8; 8192];
        loop {
            let n = tls.read(&mut chunk).await?;
            if n == 0 || buf.len() > 4 << 20 {
                break;
            }
            buf.extend_from_slice(&chunk[..n]);
            if response_complete(&buf) {
                break;
            }
        }
        Ok::<_, std::io::Error>(buf)
    };
    let raw = match tokio::time::timeout(left(), exchange).await {
        Err(_) => {
            r.fail("http", started, "timed out".into(), timeout_finding("http"));
            return r;
        }
        Ok(Err(e)) if !matches!(e.kind(), std::io::ErrorKind::UnexpectedEof) => {
            r.fail(
                "http",
                started,
                e.to_string(),
                Finding::error("verify.http", "http", format!("the HTTP exchange failed: {e}"), "the endpoint speaks TLS but not HTTP as a registry does; check that the port belongs to the cache"),
            );
            return r;
        }
        Ok(Err(_)) => Vec::new(),
        Ok(Ok(b)) => b,
    };
    let Some(resp) = parse_response(&raw) else {
        r.fail(
            "http",
            started,
            format!("{} bytes", raw.len()),
            Finding::error(
                "verify.http",
                "http",
                "the answer is not an HTTP response",
                "the endpoint speaks TLS but not HTTP; check that the port belongs to the cache",
            ),
        );
        return r;
    };
    match resp.status {
        200 => r.pass("http", started, "200 OK".into()),
        401 => {
            let challenge = resp.header("www-authenticate").unwrap_or_default();
            r.fail(
                "http",
                started,
                format!("401 {challenge}"),
                Finding::error(
                    "verify.unauthorized",
                    "http",
                    format!("the endpoint is reachable over verified TLS but asks for credentials ({challenge})"),
                    "the cache is there; it requires authentication for the catalog. Check the cache's auth settings, or verify with credentials through docker login",
                ),
            );
            return r;
        }
        code => {
            r.fail(
                "http",
                started,
                format!("{code} {}", resp.reason),
                Finding::error(
                    "verify.status",
                    "http",
                    format!("GET /v2/_catalog answered {code} {}", resp.reason),
                    "a registry answers 200 here: the request reached something else (a default backend, another service) — check the Ingress path (/) and that ssl-passthrough is on",
                ),
            );
            return r;
        }
    }

    // 6. The body is a registry catalog.
    let started = Instant::now();
    let repos = serde_json::from_slice::<serde_json::Value>(&resp.body)
        .ok()
        .and_then(|v| v.get("repositories").and_then(|r| r.as_array()).cloned())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect::<Vec<_>>()
        });
    match repos {
        Some(list) => {
            r.pass("catalog", started, format!("{} repositories", list.len()));
            r.repositories = Some(list);
        }
        None => {
            let preview: String = String::from_utf8_lossy(&resp.body)
                .chars()
                .take(80)
                .collect();
            r.fail(
                "catalog",
                started,
                preview.clone(),
                Finding::error(
                    "verify.not_catalog",
                    "catalog",
                    format!("the body is not a registry catalog (a JSON object with a repositories array): {preview:?}"),
                    "something other than the cache answered on this port; check the Service selector and the Ingress backend",
                ),
            );
        }
    }
    r
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

fn resolve_finding(host: &str, why: &str) -> Finding {
    Finding::error(
        "verify.resolve",
        "resolve",
        format!("cannot resolve {host}: {why}"),
        "create the DNS record (for Ingress: the external FQDN → the controller's address), or test before DNS exists with --resolve HOST:PORT:ADDRESS",
    )
}

fn certificate_findings(t: &Target, presented: &[Vec<u8>]) -> Vec<Finding> {
    use base64::Engine;
    let mut pem_text = String::new();
    for der in presented {
        pem_text.push_str("-----BEGIN CERTIFICATE-----\n");
        pem_text.push_str(&base64::engine::general_purpose::STANDARD.encode(der));
        pem_text.push_str("\n-----END CERTIFICATE-----\n");
    }
    let role = if t.host.parse::<IpAddr>().is_ok() {
        HostRole::Node
    } else {
        HostRole::IngressHost
    };
    let host = check_host(&t.host, "url", role).host;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let report = check_tls(
        &TlsInput {
            cert: pem_text.as_bytes(),
            key: None,
            ca: t.ca.as_deref(),
        },
        host.as_ref(),
        now,
    );
    report
        .findings
        .into_iter()
        .filter(|f| f.severity != msr_expose_core::Severity::Info)
        .collect()
}

fn certificate_failure(r: &mut Report, started: Instant, findings: Vec<Finding>, tls_error: &str) {
    let codes: Vec<&str> = findings
        .iter()
        .filter(|f| f.is_error())
        .map(|f| f.code)
        .collect();
    r.stages.push(Stage {
        name: "certificate",
        ok: false,
        ms: started.elapsed().as_millis(),
        detail: if tls_error.is_empty() {
            codes.join(", ")
        } else {
            format!("{} ({tls_error})", codes.join(", "))
        },
    });
    r.findings.push(Finding::error(
        "verify.certificate",
        "certificate",
        format!("the endpoint's certificate fails the checks for {}: {}", r.url, codes.join(", ")),
        "the findings below say what is wrong; the endpoint must present the certificate made for this interface",
    ));
    r.findings.extend(findings);
    r.ok = false;
}

/// Records the presented chain, then lets rustls' WebPKI verifier decide.
/// Verification is never weakened: every call is delegated.
#[derive(Debug)]
struct Recorder {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.clear();
            seen.push(end_entity.to_vec());
            seen.extend(intermediates.iter().map(|c| c.to_vec()));
        }
        self.inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(m, c, d)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(m, c, d)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

pub(super) fn tls_config(
    ca: Option<&[u8]>,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
) -> anyhow::Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(bytes) => {
            let decoded = pem::decode(bytes, "ca");
            for b in decoded
                .blocks
                .iter()
                .filter(|b| b.label.contains("CERTIFICATE") || b.label == "DER")
            {
                roots
                    .add(CertificateDer::from(b.der.clone()))
                    .context("a CA certificate is not usable")?;
            }
            if roots.is_empty() {
                bail!("no certificate in the CA file");
            }
        }
        None => {
            for c in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(c);
            }
        }
    }
    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .context("cannot build the certificate verifier")?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("no TLS versions")?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Recorder { inner, seen }))
        .with_no_client_auth();
    Ok(config)
}

struct Response {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }
}

fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    let i = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((&raw[..i], &raw[i + 4..]))
}

fn response_complete(raw: &[u8]) -> bool {
    let Some((head, body)) = split_head(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    if let Some(len) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return body.len() >= len;
    }
    head.contains("transfer-encoding: chunked") && body.ends_with(b"0\r\n\r\n")
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let (head, body) = split_head(raw)?;
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next()?;
    if !version.starts_with("HTTP/1.") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let reason = parts.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Some(Response {
        status,
        reason,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..i])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        b = &b[i + 2..];
        if size == 0 || b.len() < size {
            break;
        }
        out.extend_from_slice(&b[..size]);
        b = b.get(size + 2..).unwrap_or_default();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_resolve_entries() {
        assert_eq!(
            parse_url("https://cache.example.com").ok(),
            Some(("cache.example.com".into(), 443))
        );
        assert_eq!(
            parse_url("https://W1.example.com:30443/v2/").ok(),
            Some(("w1.example.com".into(), 30443))
        );
        assert_eq!(
            parse_url("https://[fd00::1]:8443").ok(),
            Some(("fd00::1".into(), 8443))
        );
        assert!(
            parse_url("http://cache.example.com").is_err(),
            "plain http is refused"
        );
        assert!(parse_resolve("cache.example.com:443:127.0.0.1").is_ok());
        assert!(parse_resolve("cache.example.com:443").is_err());
    }

    #[test]
    fn chunked_bodies() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
        let r = parse_response(raw).expect("response");
        assert_eq!(r.body, b"hello");
        assert!(response_complete(raw));
    }
}
