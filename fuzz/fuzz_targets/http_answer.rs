//! `verify`'s HTTP stage: the bytes an endpoint answers to
//! `GET /v2/_catalog`, read by hyper's client (as the CLI reads them) and
//! judged by the core (status, challenge, catalog body). Never panics,
//! never hangs: the answer ends where the input ends.
#![no_main]

use http_body_util::{BodyExt, Empty, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use libfuzzer_sys::fuzz_target;
use msr_expose_core::endpoint::{judge_catalog, judge_status};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fuzz_target!(|data: &[u8]| {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (client, mut server) = tokio::io::duplex(64 * 1024);
        let answer = data.to_vec();
        // The endpoint reads the request first, as a server does (an answer
        // sent before the request is one hyper rightly refuses, and would
        // hide every other path).
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && server.read(&mut byte).await.is_ok_and(|n| n == 1)
            {
                head.push(byte[0]);
            }
            let _ = server.write_all(&answer).await;
            let _ = server.shutdown().await;
        });
        let Ok((mut sender, conn)) =
            hyper::client::conn::http1::handshake(TokioIo::new(client)).await
        else {
            return;
        };
        let conn = tokio::spawn(conn);
        let request = hyper::Request::get("/v2/_catalog")
            .header("host", "cache.example.com")
            .body(Empty::<Bytes>::new())
            .expect("request");
        if let Ok(response) = sender.send_request(request).await {
            let status = response.status();
            let reason = response
                .extensions()
                .get::<hyper::ext::ReasonPhrase>()
                .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned())
                .unwrap_or_default();
            let challenge = response
                .headers()
                .get("www-authenticate")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            if judge_status(status.as_u16(), &reason, challenge.as_deref()).is_ok()
                && let Ok(body) = Limited::new(response.into_body(), 4 << 20).collect().await
            {
                let _ = judge_catalog(&body.to_bytes());
            }
        }
        conn.abort();
    });
});
