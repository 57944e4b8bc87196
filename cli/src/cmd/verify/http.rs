//! Stages 5 and 6: `GET /v2/_catalog` over the verified connection, with
//! hyper's HTTP/1.1 client, and the body read as a registry catalog. What
//! the status and the body mean is the core's judgement
//! (`msr_expose_core::endpoint`).

use super::Target;
use super::report::{Failure, Passed};
use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use msr_expose_core::endpoint::{authority, judge_status, not_http};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// The largest catalog body read: a registry pages its catalog well below.
const MAX_BODY: usize = 4 << 20;

/// Sends the request and reads the answer; passes with the body when the
/// status is 200.
pub async fn get_catalog(t: &Target, tls: TlsStream<TcpStream>) -> Result<Passed<Bytes>, Failure> {
    let failed = |e: &dyn std::fmt::Display| Failure::new(e.to_string(), not_http(&e.to_string()));
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
        .await
        .map_err(|e| failed(&e))?;
    // The connection task ends with the exchange (or with the walk).
    let conn = tokio::spawn(conn);
    let request = hyper::Request::get("/v2/_catalog")
        .header("host", authority(&t.host, t.port))
        .header(
            "user-agent",
            concat!("msr-expose/", env!("CARGO_PKG_VERSION")),
        )
        .header("accept", "application/json")
        .body(Empty::<Bytes>::new())
        .map_err(|e| failed(&e))?;
    let answer = sender.send_request(request).await.map_err(|e| failed(&e));
    let response = match answer {
        Ok(r) => r,
        Err(f) => {
            conn.abort();
            return Err(f);
        }
    };
    let status = response.status();
    let challenge = response
        .headers()
        .get("www-authenticate")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    // The server's own reason phrase when it sent one (a default backend
    // often says who it is), else the standard one.
    let reason = response
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
        .unwrap_or_else(|| status.canonical_reason().unwrap_or_default().to_string());
    let detail = judge_status(status.as_u16(), &reason, challenge.as_deref())?;
    let body = Limited::new(response.into_body(), MAX_BODY)
        .collect()
        .await
        .map_err(|e| failed(&format!("reading the body: {e}")))?
        .to_bytes();
    conn.abort();
    Ok((body, detail))
}

/// Reads the body as a catalog: passes with its repositories.
pub fn catalog(body: &[u8]) -> Result<Passed<Vec<String>>, Failure> {
    let list = msr_expose_core::endpoint::judge_catalog(body)?;
    let detail = format!("{} repositories", list.len());
    Ok((list, detail))
}
