//! Go's crypto/x509 as the reference verdict, and curl's beside it.
//! Registry clients (docker, containerd, CRI-O, skopeo) are Go programs, so
//! "will the clients accept this material?" is Go's question; operators test
//! the cache with curl (OpenSSL). Each case's chain is served by
//! `openssl s_server` on 127.0.0.1 and fetched by Debian's real `skopeo`
//! trusting the case's CA (`--cert-dir`) and by Debian's real `curl`
//! (`--cacert`, the system's OpenSSL settings); a CONNECT proxy on 127.0.0.1
//! (this test's own, through `HTTPS_PROXY` and `--proxy`) routes the case's
//! DNS name or address to that server, so no name needs to resolve. A
//! client's verdict is whether the TLS handshake passed.
//!
//! msr-expose must never accept what Go rejects; where it is stricter, the
//! reason must be in docs/go-differences.md; and what Go and curl both
//! accept gets no error (a warning at most): the clients would work.

use super::certs::{fixtures, now};
use msr_expose_core::{HostRole, Severity, TlsInput, check_host};
use msr_expose_tests::peers::free_port;
use msr_expose_tests::workspace_root;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// (bundle the cache serves, its key, the CA clients trust, the host).
#[rustfmt::skip]
const CASES: &[(&str, &str, &str, &str)] = &[
    ("chain.pem", "leaf.key", "root.pem", "worker1.example.com"),
    ("chain.pem", "leaf.key", "root.pem", "192.0.2.10"),
    ("chain.pem", "leaf.key", "root.pem", "other.example.com"),
    ("chain-root.pem", "leaf.key", "root.pem", "cache.example.com"),
    ("chain.pem", "leaf.key", "other-root.pem", "cache.example.com"),
    ("leaf.pem", "leaf.key", "root.pem", "cache.example.com"),
    ("leaf.pem", "leaf.key", "ca-with-int.pem", "cache.example.com"),
    ("fake-chain.pem", "leaf.key", "root.pem", "worker1.example.com"),
    ("unrelated.pem", "leaf.key", "root.pem", "worker1.example.com"),
    ("duplicate.pem", "leaf.key", "root.pem", "worker1.example.com"),
    ("cross-chain.pem", "leaf.key", "root.pem", "worker1.example.com"),
    ("ingress-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("wildcard-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("wildcard-chain.pem", "leaf2.key", "root.pem", "a.cache.example.com"),
    ("badwild-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("cnonly-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("ipdns-chain.pem", "leaf2.key", "root.pem", "192.0.2.10"),
    ("clientonly-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("leafca-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("rootleafca.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("quick.pem", "quick.key", "quick.pem", "cache.example.com"),
    ("kucertsign-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("expired-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("future-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("soon-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("sha1-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("sha512-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("pss-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("tampered-chain.pem", "leaf2.key", "root.pem", "cache.example.com"),
    ("weak-chain.pem", "weak.key", "root.pem", "cache.example.com"),
    ("selfsigned.pem", "leaf2.key", "selfsigned.pem", "cache.example.com"),
    ("ec-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("ec-leaf.pem", "ec-leaf.key", "ec-int.pem", "cache.example.com"),
    ("ec-ku-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("ed-chain.pem", "ed.key", "ec-root.pem", "cache.example.com"),
    ("k1-chain.pem", "k1.key", "ec-root.pem", "cache.example.com"),
    ("p521-leaf.pem", "ec-leaf.key", "p521-ca.pem", "cache.example.com"),
    ("forged-ED25519-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("forged-ED448-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("ed448-leaf.pem", "ec-leaf.key", "forger-ED448.pem", "cache.example.com"),
    ("nc-permit-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("nc-exclude-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("nc-ok-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("nc-empty-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("eku-client-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("crit-unknown-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("pathlen-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("leafca-pathlen-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("eku-empty-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("deep-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("bigserial-chain.pem", "ec-leaf.key", "ec-root.pem", "cache.example.com"),
    ("dsa-chain.pem", "dsa.key", "root.pem", "cache.example.com"),
];

/// A CONNECT proxy on 127.0.0.1: every tunnel to `host:PORT` goes to
/// 127.0.0.1:PORT. Started once; serves until the test process ends.
pub(crate) fn connect_proxy() -> u16 {
    static PORT: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    *PORT.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                std::thread::spawn(move || tunnel(client));
            }
        });
        port
    })
}

fn tunnel(client: TcpStream) {
    let mut reader = BufReader::new(match client.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // "CONNECT host:port HTTP/1.1", then headers up to a blank line.
    let port = line
        .split_whitespace()
        .nth(1)
        .and_then(|t| t.rsplit_once(':'))
        .and_then(|(_, p)| p.parse::<u16>().ok());
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
            break;
        }
    }
    let (Some(port), mut client) = (port, client) else {
        return;
    };
    let Ok(upstream) = TcpStream::connect(("127.0.0.1", port)) else {
        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n");
        return;
    };
    if client
        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .is_err()
    {
        return;
    }
    let (Ok(mut c2), Ok(mut u2)) = (client.try_clone(), upstream.try_clone()) else {
        return;
    };
    let mut upstream = upstream;
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut reader.buffer().chain(&mut c2), &mut upstream);
        let _ = upstream.shutdown(Shutdown::Write);
    });
    let _ = std::io::copy(&mut u2, &mut client);
    let _ = client.shutdown(Shutdown::Write);
    let _ = up.join();
}

/// What a real client (Go's crypto/x509 in skopeo, OpenSSL in curl) made
/// of a served chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The TLS handshake passed (the HTTP that followed does not matter).
    Accepts,
    /// The client's TLS or X.509 layer refused, with its message.
    Rejects(String),
    /// The client was never asked: openssl could not serve the chain, or
    /// the client refused the name before connecting.
    CannotJudge(String),
}

/// Both clients' verdicts on one served chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Judged {
    /// skopeo: Go's crypto/x509, the registry clients' reference.
    pub go: Verdict,
    /// curl: OpenSSL with the system's settings, the operator's probe.
    pub curl: Verdict,
}

impl Judged {
    /// Neither client was asked (`why` says what stood in the way).
    pub fn cannot(why: &str) -> Self {
        Judged {
            go: Verdict::CannotJudge(why.into()),
            curl: Verdict::CannotJudge(why.into()),
        }
    }
}

/// The PEM blocks of a bundle, in order.
pub(super) fn pem_blocks(pem: &str) -> Vec<String> {
    let marker = "-----BEGIN CERTIFICATE-----";
    pem.split(marker)
        .filter(|b| b.contains("END CERTIFICATE"))
        .map(|b| format!("{marker}{b}"))
        .collect()
}

/// Serves `bundle` (leaf first) with `key` by `openssl s_server` on
/// 127.0.0.1 and fetches it with skopeo and with curl trusting `ca`, as
/// `host`.
pub(super) fn judges(bundle: &str, key: &[u8], ca: &[u8], host: &str) -> Judged {
    let blocks = pem_blocks(bundle);
    let Some(leaf_pem) = blocks.first() else {
        return Judged::cannot("no certificate to serve");
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (leaf, rest, key_file, certs) = (
        tmp.path().join("leaf.pem"),
        tmp.path().join("rest.pem"),
        tmp.path().join("key.pem"),
        tmp.path().join("certs.d"),
    );
    std::fs::create_dir(&certs).expect("certs.d");
    for (file, bytes) in [
        (&leaf, leaf_pem.as_bytes()),
        (&rest, blocks[1..].concat().as_bytes()),
        (&key_file, key),
        (&certs.join("ca.crt"), ca),
    ] {
        std::fs::write(file, bytes).expect("write a case file");
    }
    let port = free_port();
    let mut cmd = Command::new("openssl");
    // Security level 0: the server must send even weak material, so that
    // the client, not the server, judges it.
    cmd.args([
        "s_server",
        "-quiet",
        "-www",
        "-cipher",
        "DEFAULT:@SECLEVEL=0",
        "-accept",
    ])
    .arg(format!("127.0.0.1:{port}"))
    .arg("-cert")
    .arg(&leaf)
    .arg("-key")
    .arg(&key_file);
    if blocks.len() > 1 {
        cmd.arg("-cert_chain").arg(&rest);
    }
    let Ok(child) = cmd
        .env("OPENSSL_CONF", "/dev/null")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Judged::cannot("openssl s_server did not start");
    };
    let server = Server(child);
    if !wait_port_for(port, Duration::from_secs(5)) {
        return Judged::cannot("openssl s_server refused the chain or key");
    }
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let judged = Judged {
        go: skopeo_judges(&certs, &authority),
        curl: curl_judges(&certs.join("ca.crt"), &authority),
    };
    drop(server);
    judged
}

/// skopeo (Go) fetches from `authority` trusting the CA in `certs`.
fn skopeo_judges(certs: &std::path::Path, authority: &str) -> Verdict {
    let out = Command::new("skopeo")
        .args(["inspect", "--retry-times", "0", "--cert-dir"])
        .arg(certs)
        .arg(format!("docker://{authority}/msr/probe:latest"))
        .env(
            "HTTPS_PROXY",
            format!("http://127.0.0.1:{}", connect_proxy()),
        )
        .env("NO_PROXY", "")
        .env_remove("https_proxy")
        .env_remove("no_proxy")
        .stdin(Stdio::null())
        .output()
        .expect("skopeo runs (make setup installs it)");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let last = err.lines().last().unwrap_or_default().to_string();
    if err.contains("x509:") || err.contains("tls:") || err.contains("remote error") {
        Verdict::Rejects(
            last.split("\": ")
                .last()
                .unwrap_or_default()
                .trim_end_matches('"')
                .to_string(),
        )
    } else if err.contains("invalid character '<'") {
        // openssl's -www page reached Go's JSON decoder: TLS passed.
        Verdict::Accepts
    } else {
        Verdict::CannotJudge(last)
    }
}

/// curl (OpenSSL, the system's configuration as an operator's curl has it)
/// fetches `https://authority/` trusting `ca`.
fn curl_judges(ca: &std::path::Path, authority: &str) -> Verdict {
    let out = Command::new("curl")
        .args(["--silent", "--show-error", "--output", "/dev/null"])
        .args(["--max-time", "10", "--cacert"])
        .arg(ca)
        .arg("--proxy")
        .arg(format!("http://127.0.0.1:{}", connect_proxy()))
        .arg(format!("https://{authority}/"))
        .env_remove("CURL_CA_BUNDLE")
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("curl runs (make setup installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let err = stderr.lines().next().unwrap_or_default().to_string();
    match out.status.code() {
        Some(0) => Verdict::Accepts,
        // 35: the handshake failed; 51: the name; 60: the chain or its
        // trust; 83: the issuer check.
        Some(35 | 51 | 60 | 83) => Verdict::Rejects(err),
        _ => Verdict::CannotJudge(err),
    }
}

fn wait_port_for(port: u16, limit: Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The codes docs/go-differences.md gives a reason for, in the section
/// whose heading starts with `heading`: `# Where` for the strictness beyond
/// Go, `## Errors kept` for the errors kept where Go and curl accept.
pub(super) fn documented_in(heading: &str) -> BTreeMap<String, String> {
    let doc = std::fs::read_to_string(workspace_root().join("docs/go-differences.md"))
        .expect("docs/go-differences.md");
    let section = doc
        .split("\n#")
        .map(|s| s.trim_start_matches('#').trim_start())
        .find(|s| s.starts_with(heading.trim_start_matches('#').trim_start()))
        .unwrap_or_else(|| panic!("docs/go-differences.md has no section {heading:?}"));
    section
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` | "))
        .map(|(code, why)| (code.to_string(), why.trim_end_matches(" |").to_string()))
        .collect()
}

/// What the tally holds each case to.
pub(super) struct Documented {
    /// Error codes allowed where Go accepts.
    pub stricter: BTreeMap<String, String>,
    /// Error codes allowed where Go and curl both accept.
    pub kept: BTreeMap<String, String>,
}

/// docs/go-differences.md's two tables.
pub(super) fn documented() -> Documented {
    Documented {
        stricter: documented_in("# Where"),
        kept: documented_in("## Errors kept"),
    }
}

#[test]
fn verdicts_agree_with_go_crypto_x509() {
    if Command::new("skopeo").arg("--version").output().is_err() {
        panic!("skopeo is missing: `make setup` installs it (Debian package skopeo)");
    }
    let dir = fixtures();
    let now = now();
    let allowed = documented();
    let mut tally = Tally::default();
    for &(bundle, key, ca, host) in CASES {
        let read = |f: &str| std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        let judged = judges(
            &String::from_utf8_lossy(&read(bundle)),
            &read(key),
            &read(ca),
            host,
        );
        let cert = std::fs::read(dir.join(bundle)).expect("bundle");
        let ca_bytes = std::fs::read(dir.join(ca)).expect("ca");
        let role = if host.parse::<std::net::IpAddr>().is_ok() {
            HostRole::Node
        } else {
            HostRole::IngressHost
        };
        let h = check_host(host, "host", role)
            .host
            .expect("case host parses");
        let ours = msr_expose_crypto::check_tls(
            &TlsInput {
                cert: &cert,
                key: None,
                ca: Some(&ca_bytes),
            },
            Some(&h),
            now,
        );
        let errors: Vec<&str> = ours
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        let warns = ours
            .findings
            .iter()
            .any(|f| f.severity == Severity::Warning);
        tally.record(
            &format!("{bundle} / {ca} / {host}"),
            &judged,
            &errors,
            warns,
            &allowed,
        );
    }
    eprintln!("{}{}", tally.report, tally.summary());
    assert_eq!(
        (tally.judged, tally.curl_judged),
        (CASES.len(), CASES.len()),
        "Go and curl judged every case:\n{}",
        tally.report
    );
    tally.assert_clean();
}

/// Verdicts compared with Go's and curl's, case by case.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Cases Go judged.
    pub judged: usize,
    /// Of those, where msr-expose gave the same verdict.
    pub agree: usize,
    /// Where msr-expose rejected what Go accepted.
    pub stricter: usize,
    /// Cases curl judged.
    pub curl_judged: usize,
    /// Cases both clients accepted, and of those how many msr-expose
    /// accepted with a warning.
    pub both_accept: usize,
    pub warned: usize,
    /// Cases both clients accepted and msr-expose errors on (each code in
    /// the "Errors kept" table).
    pub both_errors: usize,
    /// What must not happen.
    pub failures: Vec<String>,
    /// One line per case.
    pub report: String,
}

impl Tally {
    /// Records one case: the clients' verdicts against msr-expose's error
    /// codes (and whether it warned).
    pub fn record(
        &mut self,
        case: &str,
        judged: &Judged,
        errors: &[&str],
        warnings: bool,
        allowed: &Documented,
    ) {
        let ours = match (errors.is_empty(), warnings) {
            (true, false) => "accepts".to_string(),
            (true, true) => "accepts with a warning".to_string(),
            (false, _) => format!("rejects {errors:?}"),
        };
        let Judged { go, curl } = judged;
        self.report.push_str(&format!(
            "{case}: go {go:?} | curl {curl:?} | msr-expose {ours}\n"
        ));
        if !matches!(go, Verdict::CannotJudge(_)) {
            self.judged += 1;
        }
        if !matches!(curl, Verdict::CannotJudge(_)) {
            self.curl_judged += 1;
        }
        if (go, curl) == (&Verdict::Accepts, &Verdict::Accepts) {
            self.both_accept += 1;
            self.warned += usize::from(errors.is_empty() && warnings);
            self.both_errors += usize::from(!errors.is_empty());
            let unkept: Vec<&&str> = errors
                .iter()
                .filter(|c| !allowed.kept.contains_key(**c))
                .collect();
            if !unkept.is_empty() {
                self.failures.push(format!(
                    "{case}: Go and curl accept, msr-expose errors with {unkept:?}: the clients work, so it must be a warning (or the code's reason in docs/go-differences.md's \"Errors kept\")"
                ));
            }
        }
        match (go, errors.is_empty()) {
            (Verdict::Accepts, true) | (Verdict::Rejects(_), false) => self.agree += 1,
            (Verdict::CannotJudge(_), _) => {}
            (Verdict::Rejects(e), true) => self
                .failures
                .push(format!("{case}: Go rejects ({e}) but msr-expose accepts")),
            (Verdict::Accepts, false) => {
                self.stricter += 1;
                let undocumented: Vec<&&str> = errors
                    .iter()
                    .filter(|c| !allowed.stricter.contains_key(**c))
                    .collect();
                if !undocumented.is_empty() {
                    self.failures.push(format!(
                        "{case}: Go accepts, msr-expose rejects with {undocumented:?}, not in docs/go-differences.md"
                    ));
                }
            }
        }
    }

    /// One line: agreement on the cases Go judged, and the cases both
    /// clients accept.
    pub fn summary(&self) -> String {
        format!(
            "agree with Go on {} of {} judged cases ({:.1} %); stricter on {}, each documented; \
             Go and curl both accept {} (of {} curl judged): msr-expose accepts {} of them, {} with a warning",
            self.agree,
            self.judged,
            100.0 * self.agree as f64 / self.judged.max(1) as f64,
            self.stricter,
            self.both_accept,
            self.curl_judged,
            self.both_accept - self.both_errors,
            self.warned,
        )
    }

    /// Fails on any case msr-expose accepts and Go rejects, on any
    /// undocumented strictness, and on any error where both clients accept.
    pub fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "{}\n\n{}",
            self.failures.join("\n"),
            self.report
        );
    }
}
