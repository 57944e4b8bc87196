//! The pure half of `msr-expose verify`: reading the endpoint's URL and
//! curl-style `--resolve` entries, and judging what each stage of the walk
//! saw — an HTTP status, a catalog body, a refused connection — as a finding
//! with its code, message and fix. The CLI does the I/O (DNS, TCP, TLS,
//! hyper for HTTP) and hands the results here; nothing in this module
//! touches the network, so every judgement is unit-tested and fuzzed.

use crate::codes::Code;
use crate::finding::Finding;
use std::net::IpAddr;

/// A `--resolve` entry: send `host:port` to `address` (curl's `HOST:PORT:ADDR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolve {
    /// Host name, lower-cased.
    pub host: String,
    /// Port, 1–65535.
    pub port: u16,
    /// Where to connect instead of asking DNS.
    pub address: IpAddr,
}

/// A stage that failed: what it saw (for the report's stage line) and the
/// finding that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    /// Short detail for the stage line (`404 Not Found`, `timed out`, …).
    pub detail: String,
    /// The error finding.
    pub finding: Finding,
}

/// Reads `https://host[:port][/…]` into (host, port). Only https: the cache
/// serves TLS. The host is lower-cased; IPv6 literals come without brackets.
pub fn parse_url(url: &str) -> Result<(String, u16), String> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Err(format!(
            "{url:?}: the cache is reached over https://, as in https://cache.example.com"
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err(format!(
            "{url:?}: user information in the URL is not used; remove the part before @"
        ));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((h, after)) = v6.split_once(']') else {
            return Err(format!("{url:?}: unclosed [ in the host"));
        };
        if h.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(format!("{url:?}: {h:?} in brackets is not an IPv6 address"));
        }
        match after {
            "" => (h, None),
            _ => match after.strip_prefix(':') {
                Some(p) => (h, Some(p)),
                None => return Err(format!("{url:?}: {after:?} after the address")),
            },
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(p) => parse_port(p).map_err(|why| format!("{url:?}: {why}"))?,
        None => 443,
    };
    if host.is_empty() {
        return Err(format!("{url:?} has no host"));
    }
    if host.contains(':') && !authority.starts_with('[') {
        return Err(format!(
            "{url:?}: an IPv6 address goes in brackets, as in https://[fd00::1]:443"
        ));
    }
    if let Some(c) = host
        .chars()
        .find(|c| c.is_control() || c.is_whitespace() || NOT_IN_HOSTS.contains(*c))
    {
        return Err(format!(
            "{url:?}: the host holds {c:?}, which no host name has"
        ));
    }
    Ok((host.to_ascii_lowercase(), port))
}

/// Characters no host has (besides blanks and controls); the double quote
/// is written as an escape so the codes test's scan of this file stays
/// in step.
const NOT_IN_HOSTS: &str = "\\\u{22}<>^`{|}%";

/// A TCP port, 1–65535, written in decimal.
pub fn parse_port(p: &str) -> Result<u16, String> {
    if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{p:?} is not a port: write a number from 1 to 65535"
        ));
    }
    match p.parse::<u16>() {
        Ok(0) => Err("port 0 cannot be connected to: write a number from 1 to 65535".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{p} is not a port: ports end at 65535")),
    }
}

/// Reads curl's `HOST:PORT:ADDRESS` (the address may be an IPv6 literal,
/// bracketed or not).
pub fn parse_resolve(s: &str) -> Result<Resolve, String> {
    let mut parts = s.splitn(3, ':');
    let (Some(h), Some(p), Some(a)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "--resolve {s:?}: expected HOST:PORT:ADDRESS, as curl takes it (cache.example.com:443:203.0.113.7)"
        ));
    };
    if h.is_empty() {
        return Err(format!("--resolve {s:?}: the host is empty"));
    }
    let port = parse_port(p).map_err(|why| format!("--resolve {s:?}: {why}"))?;
    let bare = a
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(a);
    let address = bare
        .parse()
        .map_err(|_| format!("--resolve {s:?}: {a:?} is not an IP address"))?;
    Ok(Resolve {
        host: h.to_ascii_lowercase(),
        port,
        address,
    })
}

/// The Host header for `host:port` (the port only when not 443; IPv6
/// literals bracketed).
pub fn authority(host: &str, port: u16) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    if port == 443 {
        host
    } else {
        format!("{host}:{port}")
    }
}

/// The name did not resolve.
pub fn resolve_failed(host: &str, why: &str) -> Finding {
    Finding::error(
        Code::VerifyResolve,
        "resolve",
        format!("cannot resolve {host}: {why}"),
        "create the DNS record (for Ingress: the external FQDN → the controller's address), or test before DNS exists with --resolve HOST:PORT:ADDRESS",
    )
}

/// Nothing accepted the connection.
pub fn connect_failed(address: &str, why: &str) -> Finding {
    Finding::error(
        Code::VerifyConnect,
        "connect",
        format!("cannot connect to {address}: {why}"),
        "nothing listens there: check the node port (kubectl -n msr get services) or the ingress controller's address, and firewalls between",
    )
}

/// A stage got no answer within the timeout.
pub fn timed_out(stage: &str, timeout_ms: u128) -> Finding {
    Finding::error(
        Code::VerifyTimeout,
        stage,
        format!("no answer within {timeout_ms} ms ({stage})"),
        "something accepts connections but does not answer: check that the port belongs to the cache (kubectl get endpoints), that no firewall holds the traffic, and raise --timeout for slow links",
    )
}

/// The handshake failed before any certificate was presented.
pub fn handshake_failed(why: &str) -> Finding {
    Finding::error(
        Code::VerifyTlsHandshake,
        "tls",
        format!("the TLS handshake failed before any certificate was seen: {why}"),
        "the port may not serve TLS (an HTTP port, or a controller not passing TLS through), or TLS versions do not match",
    )
}

/// The CA given cannot be used as a trust anchor.
pub fn trust_unusable(why: &str) -> Finding {
    Finding::error(
        Code::VerifyTrust,
        "ca",
        format!("cannot use the CA: {why}"),
        "give the CA certificate in PEM or DER with --ca",
    )
}

/// The TLS client refused the presented chain although the core's checks
/// found no error (the client's reason is the message).
pub fn certificate_refused(why: &str) -> Finding {
    Finding::error(
        Code::VerifyCertificate,
        "certificate",
        format!("the presented certificate was rejected: {why}"),
        "check the chain with msr-expose check --cert on the cache's certificate",
    )
}

/// The presented chain fails the core's checks with these error codes.
pub fn certificate_failed(url: &str, codes: &[&str]) -> Finding {
    Finding::error(
        Code::VerifyCertificate,
        "certificate",
        format!(
            "the endpoint's certificate fails the checks for {url}: {}",
            codes.join(", ")
        ),
        "the findings below say what is wrong; the endpoint must present the certificate made for this interface",
    )
}

/// The endpoint speaks TLS but the answer is not HTTP.
pub fn not_http(why: &str) -> Finding {
    Finding::error(
        Code::VerifyHttp,
        "http",
        format!("the HTTP exchange failed: {why}"),
        "the endpoint speaks TLS but not HTTP as a registry does; check that the port belongs to the cache",
    )
}

/// Judges the status of `GET /v2/_catalog`: 200 passes (the detail for the
/// stage line), anything else fails with why. `challenge` is the
/// `WWW-Authenticate` header, if any.
pub fn judge_status(status: u16, reason: &str, challenge: Option<&str>) -> Result<String, Failed> {
    let reason = printable(reason, 60);
    match status {
        200 => Ok("200 OK".into()),
        401 => {
            let challenge = printable(challenge.unwrap_or("no challenge"), 200);
            Err(Failed {
                detail: format!("401 {challenge}"),
                finding: Finding::error(
                    Code::VerifyUnauthorized,
                    "http",
                    format!(
                        "the endpoint is reachable over verified TLS but asks for credentials ({challenge})"
                    ),
                    "the cache is there; it requires authentication for the catalog. Check the cache's auth settings, or verify with credentials through docker login",
                ),
            })
        }
        code => {
            let hint = match code {
                300..=399 => {
                    "a registry answers 200 here, not a redirect: something in front of the cache (a controller terminating TLS, an HTTP→HTTPS redirect) answered — TLS must reach the cache untouched"
                }
                502..=504 => {
                    "a proxy answered for a backend it could not reach: check that the Service selects the cache's pods (kubectl -n msr get endpoints) and that they are ready"
                }
                _ => {
                    "a registry answers 200 here: the request reached something else (a default backend, another service) — check the route's backend and that TLS is passed through"
                }
            };
            Err(Failed {
                detail: format!("{code} {reason}"),
                finding: Finding::error(
                    Code::VerifyStatus,
                    "http",
                    format!("GET /v2/_catalog answered {code} {reason}"),
                    hint,
                ),
            })
        }
    }
}

/// Judges the catalog body: a JSON object with a `repositories` array of
/// strings, as the Distribution API defines it.
pub fn judge_catalog(body: &[u8]) -> Result<Vec<String>, Failed> {
    #[derive(serde::Deserialize)]
    struct Catalog {
        repositories: Vec<String>,
    }
    match serde_json::from_slice::<Catalog>(body) {
        Ok(c) => Ok(c.repositories),
        Err(_) => {
            let preview = printable(&String::from_utf8_lossy(body), 80);
            Err(Failed {
                detail: preview.clone(),
                finding: Finding::error(
                    Code::VerifyNotCatalog,
                    "catalog",
                    format!(
                        "the body is not a registry catalog (a JSON object with a repositories array): {preview:?}"
                    ),
                    "something other than the cache answered on this port; check the Service selector and the Ingress backend",
                ),
            })
        }
    }
}

/// At most `max` characters of `s`, with control characters shown as `?`,
/// so an endpoint's answer cannot rewrite the terminal or the report.
fn printable(s: &str, max: usize) -> String {
    s.chars()
        .take(max)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (url, expected host and port, reason)
    type UrlCase = (&'static str, Option<(&'static str, u16)>, &'static str);
    const URLS: &[UrlCase] = &[
        (
            "https://cache.example.com",
            Some(("cache.example.com", 443)),
            "port defaults to 443",
        ),
        (
            "https://W1.example.com:30443/v2/",
            Some(("w1.example.com", 30443)),
            "host lower-cased, path ignored",
        ),
        (
            "https://[fd00::1]:8443",
            Some(("fd00::1", 8443)),
            "IPv6 in brackets",
        ),
        (
            "https://[fd00::1]",
            Some(("fd00::1", 443)),
            "IPv6 without a port",
        ),
        (
            "https://cache.example.com?x=1",
            Some(("cache.example.com", 443)),
            "a query is not the host",
        ),
        ("http://cache.example.com", None, "plain http is refused"),
        ("cache.example.com", None, "no scheme"),
        ("https://", None, "no host"),
        ("https://:443", None, "empty host"),
        ("https://cache.example.com:0", None, "port 0"),
        ("https://cache.example.com:65536", None, "beyond 65535"),
        ("https://cache.example.com:-1", None, "negative port"),
        (
            "https://cache.example.com:+443",
            None,
            "a sign is not a digit",
        ),
        ("https://cache.example.com:", None, "empty port"),
        ("https://[fd00::1", None, "unclosed bracket"),
        ("https://[cache]:443", None, "a name in brackets"),
        ("https://[fd00::1]x", None, "junk after the bracket"),
        ("https://fd00::1:443", None, "IPv6 without brackets"),
        ("https://user@cache.example.com", None, "user information"),
        ("https://ca che.example.com", None, "a space in the host"),
        (
            "https://cache.example.com\r\n:443",
            None,
            "CRLF in the host",
        ),
    ];

    #[test]
    fn urls() {
        for (url, want, why) in URLS {
            let got = parse_url(url);
            match want {
                Some((h, p)) => assert_eq!(got, Ok((h.to_string(), *p)), "{why}: {url}"),
                None => assert!(got.is_err(), "{why}: {url} gave {got:?}"),
            }
        }
    }

    #[test]
    fn resolve_entries() {
        let r = parse_resolve("Cache.example.com:443:127.0.0.1").expect("valid");
        assert_eq!(
            (r.host.as_str(), r.port, r.address.to_string()),
            ("cache.example.com", 443, "127.0.0.1".into())
        );
        let v6 = parse_resolve("cache.example.com:443:[::1]").expect("bracketed IPv6");
        assert_eq!(v6.address.to_string(), "::1");
        let bare = parse_resolve("cache.example.com:443:fd00::7").expect("bare IPv6");
        assert_eq!(bare.address.to_string(), "fd00::7");
        for bad in [
            "cache.example.com:443",
            ":443:127.0.0.1",
            "cache.example.com:0:127.0.0.1",
            "cache.example.com:x:127.0.0.1",
            "cache.example.com:443:cache",
            "",
        ] {
            assert!(parse_resolve(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn authorities() {
        assert_eq!(authority("cache.example.com", 443), "cache.example.com");
        assert_eq!(authority("w1.example.com", 30443), "w1.example.com:30443");
        assert_eq!(authority("fd00::1", 8443), "[fd00::1]:8443");
    }

    /// (status, challenge, code, reason)
    const STATUSES: &[(u16, Option<&str>, Option<&str>, &str)] = &[
        (200, None, None, "the catalog answers"),
        (
            401,
            Some("Bearer realm=\"x\""),
            Some("verify.unauthorized"),
            "reachable, asks for credentials",
        ),
        (
            401,
            None,
            Some("verify.unauthorized"),
            "401 without a challenge still says so",
        ),
        (404, None, Some("verify.status"), "a default backend"),
        (
            308,
            None,
            Some("verify.status"),
            "a redirect means something terminated TLS",
        ),
        (
            503,
            None,
            Some("verify.status"),
            "a proxy without a backend",
        ),
        (
            204,
            None,
            Some("verify.status"),
            "2xx other than 200 is not a catalog answer",
        ),
    ];

    #[test]
    fn statuses() {
        for (status, challenge, code, why) in STATUSES {
            let got = judge_status(*status, "Reason", *challenge);
            assert_eq!(
                got.as_ref().err().map(|f| f.finding.code.as_str()),
                *code,
                "{why}"
            );
        }
        let redirect = judge_status(308, "Permanent Redirect", None).expect_err("fails");
        assert!(redirect.finding.hint.contains("redirect"), "{redirect:?}");
    }

    #[test]
    fn control_characters_never_reach_the_report() {
        let f = judge_status(404, "Not\u{1b}[2JFound", None).expect_err("fails");
        assert!(!f.detail.contains('\u{1b}') && !f.finding.message.contains('\u{1b}'));
        let c = judge_catalog(b"\x1b]0;owned\x07").expect_err("fails");
        assert!(!c.finding.message.contains('\u{1b}'));
    }

    /// (body, repositories or None, reason)
    type BodyCase = (&'static [u8], Option<&'static [&'static str]>, &'static str);
    const BODIES: &[BodyCase] = &[
        (br#"{"repositories":[]}"#, Some(&[]), "an empty cache"),
        (
            br#"{"repositories":["library/alpine"]}"#,
            Some(&["library/alpine"]),
            "one repository",
        ),
        (
            br#"{"repositories":["a"],"next":"x"}"#,
            Some(&["a"]),
            "other fields are allowed",
        ),
        (b"", None, "an empty body"),
        (b"<html>default backend - 404</html>", None, "HTML"),
        (br#"{"repositories":null}"#, None, "null is not an array"),
        (br#"{"repositories":[1]}"#, None, "names are strings"),
        (br#"[]"#, None, "an array is not the object"),
        (b"\xff\xfe", None, "not UTF-8"),
    ];

    #[test]
    fn catalogs() {
        for (body, want, why) in BODIES {
            let got = judge_catalog(body);
            match want {
                Some(list) => assert_eq!(
                    got.ok().as_deref(),
                    Some(list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).as_deref(),
                    "{why}"
                ),
                None => assert_eq!(
                    got.err().map(|f| f.finding.code.as_str()),
                    Some("verify.not_catalog"),
                    "{why}"
                ),
            }
        }
    }
}
