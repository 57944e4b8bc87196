//! `up --register`: tell MSR about the endpoint just verified, safely and
//! idempotently. It lists MSR's content caches first (`GET
//! /api/v0/content_caches`), does nothing when one already has this host,
//! refuses when the name is taken by another host, and only then POSTs
//! `{"name","host"}`. TLS to MSR is verified (its CA, or the system store);
//! the password or access token is read from a file or `MSR_PASSWORD`, sent
//! only in the Authorization header, and never printed or logged.

use super::cluster::Refusal;
use super::verify::tls_config;
use anyhow::{Context, bail};
use base64::Engine;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use msr_expose_core::Code;
use msr_expose_core::Finding;
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;

/// Where MSR is and who asks.
pub struct Msr {
    host: String,
    port: u16,
    ca: Option<Vec<u8>>,
    authorization: String,
}

impl Msr {
    /// MSR from the flags: `None` without --register.
    pub fn from_args(a: &crate::args::MsrArgs) -> anyhow::Result<Option<Msr>> {
        if !a.register {
            return Ok(None);
        }
        Msr::new(
            a.msr_url.as_deref().unwrap_or_default(),
            a.msr_ca.as_deref(),
            a.msr_user.as_deref().unwrap_or_default(),
            a.msr_password_file.as_deref(),
        )
        .map(Some)
    }

    /// From the flags; the secret from `password_file` or `MSR_PASSWORD`.
    pub fn new(
        url: &str,
        ca: Option<&Path>,
        user: &str,
        password_file: Option<&Path>,
    ) -> anyhow::Result<Msr> {
        let (host, port) = super::verify::parse_url(url).context("--msr-url")?;
        let ca = ca
            .map(|p| {
                std::fs::read(p).with_context(|| format!("--msr-ca: cannot read {}", p.display()))
            })
            .transpose()?;
        let secret = match password_file {
            Some(p) => std::fs::read_to_string(p)
                .with_context(|| format!("--msr-password-file: cannot read {}", p.display()))?
                .trim_end_matches(['\n', '\r'])
                .to_string(),
            None => std::env::var("MSR_PASSWORD")
                .context("--register needs the password or access token of --msr-user: put it in a file (--msr-password-file) or in MSR_PASSWORD")?,
        };
        if secret.is_empty() {
            bail!("the MSR password or access token is empty");
        }
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"));
        Ok(Msr {
            host,
            port,
            ca,
            authorization: format!("Basic {token}"),
        })
    }

    /// One request over verified TLS; the status and the body.
    async fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .with_context(|| format!("cannot connect to MSR at {}:{}", self.host, self.port))?;
        let _ = tcp.set_nodelay(true);
        let config = tls_config(self.ca.as_deref(), Arc::new(Mutex::new(Vec::new())))?;
        let name = rustls::pki_types::ServerName::try_from(self.host.clone())
            .with_context(|| format!("{} is not a host name", self.host))?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await
            .with_context(|| {
                format!(
                    "TLS to MSR at {} failed (is --msr-ca the CA of MSR's certificate?)",
                    self.host
                )
            })?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
            .await
            .context("HTTP to MSR failed")?;
        tokio::spawn(conn);
        let authority = msr_expose_core::endpoint::authority(&self.host, self.port);
        let mut req = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", authority)
            .header("authorization", &self.authorization)
            .header("accept", "application/json")
            .header(
                "user-agent",
                concat!("msr-expose/", env!("CARGO_PKG_VERSION")),
            );
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        let req = req
            .body(Full::new(Bytes::from(body.unwrap_or_default())))
            .context("cannot build the request")?;
        let resp = sender
            .send_request(req)
            .await
            .context("HTTP to MSR failed")?;
        let status = resp.status().as_u16();
        let bytes = resp
            .into_body()
            .collect()
            .await
            .context("reading MSR's answer")?
            .to_bytes();
        Ok((status, bytes.to_vec()))
    }
}

/// What registration did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    /// `created` or `exists` (MSR already knew this host).
    pub result: &'static str,
    /// The cache's name in MSR.
    pub name: String,
    /// Its host, the endpoint verified.
    pub host: String,
}

#[derive(Serialize, serde::Deserialize)]
struct Cache {
    name: String,
    host: String,
}

/// Registers `host` as `name` unless MSR already has it; refuses a name
/// taken by another host. `Err` for anything MSR or the network refused.
pub async fn register(
    msr: &Msr,
    name: &str,
    host: &str,
) -> anyhow::Result<Result<Registered, Refusal>> {
    let (status, body) = msr.request("GET", "/api/v0/content_caches", None).await?;
    match status {
        200 => {}
        401 => {
            return Ok(Err(refused(
                Code::MsrUnauthorized,
                "MSR refused the credentials (401)".into(),
                "check --msr-user and the password or access token",
            )));
        }
        403 => {
            return Ok(Err(refused(
                Code::MsrForbidden,
                "MSR refused (403)".into(),
                "registering caches needs an MSR administrator: use an administrator's account or token",
            )));
        }
        code => {
            return Ok(Err(refused(
                Code::MsrApiError,
                format!("MSR answered {code} to GET /api/v0/content_caches"),
                "check --msr-url and MSR's health",
            )));
        }
    }
    let caches: Vec<serde_json::Value> =
        serde_json::from_slice(&body).context("MSR's list of content caches is not JSON")?;
    let field = |c: &serde_json::Value, k: &str| c[k].as_str().unwrap_or_default().to_string();
    if let Some(c) = caches.iter().find(|c| field(c, "host") == host) {
        return Ok(Ok(Registered {
            result: "exists",
            name: field(c, "name"),
            host: host.to_string(),
        }));
    }
    if let Some(c) = caches.iter().find(|c| field(c, "name") == name) {
        return Ok(Err(refused(
            Code::MsrNameTaken,
            format!(
                "MSR already has a content cache named {name}, at {}",
                field(c, "host")
            ),
            "choose another --name, or remove that registration in MSR if the cache moved",
        )));
    }
    let payload = serde_json::to_vec(&Cache {
        name: name.to_string(),
        host: host.to_string(),
    })?;
    let (status, answer) = msr
        .request("POST", "/api/v0/content_caches", Some(payload))
        .await?;
    match status {
        200 | 201 => Ok(Ok(Registered {
            result: "created",
            name: name.to_string(),
            host: host.to_string(),
        })),
        code => Ok(Err(refused(
            Code::MsrApiError,
            format!(
                "MSR answered {code} to POST /api/v0/content_caches: {}",
                String::from_utf8_lossy(&answer)
                    .chars()
                    .take(300)
                    .collect::<String>()
            ),
            "check --msr-url and MSR's health",
        ))),
    }
}

/// A refusal by MSR, as a finding on the registration.
fn refused(code: Code, message: String, fix: &str) -> Refusal {
    Refusal(Finding::error(code, "msr", message, fix))
}
