//! A SIMULATED MSR API server for `up --register`: no MSR can run here, so
//! this one answers the two calls msr-expose makes — `GET` and `POST
//! /api/v0/content_caches` — over plain HTTP on 127.0.0.1 (the tests put
//! nginx in front of it for TLS), checks the method, the path, the JSON body
//! and the Basic credentials, keeps the registered caches, and records every
//! request (with the Authorization header) so the tests can check that the
//! secret went nowhere else.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    /// Method and path, such as `POST /api/v0/content_caches`.
    pub line: String,
    /// The Authorization header.
    pub authorization: String,
    /// The body.
    pub body: String,
}

/// The running simulated MSR.
pub struct SimMsr {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Registered caches.
    pub caches: Arc<Mutex<Vec<Value>>>,
    /// Every request.
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl SimMsr {
    /// Starts it; `user:secret` is the only credential it accepts.
    pub fn start(user: &str, secret: &str) -> SimMsr {
        use base64::Engine;
        let expected = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{secret}"))
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let caches = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (c, r) = (caches.clone(), requests.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let Ok(mut writer) = conn.try_clone() else {
                    continue;
                };
                let mut reader = BufReader::new(conn);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let (mut auth, mut len, mut ctype) = (String::new(), 0usize, String::new());
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).map_or(true, |n| n == 0) || h == "\r\n" {
                        break;
                    }
                    let Some((k, v)) = h.trim_end().split_once(':') else {
                        continue;
                    };
                    match k.to_ascii_lowercase().as_str() {
                        "authorization" => auth = v.trim().to_string(),
                        "content-length" => len = v.trim().parse().unwrap_or(0),
                        "content-type" => ctype = v.trim().to_string(),
                        _ => {}
                    }
                }
                let mut body = vec![0; len];
                let _ = reader.read_exact(&mut body);
                let body = String::from_utf8_lossy(&body).to_string();
                let request_line = line
                    .split_whitespace()
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ");
                if let Ok(mut all) = r.lock() {
                    all.push(Request {
                        line: request_line.clone(),
                        authorization: auth.clone(),
                        body: body.clone(),
                    });
                }
                let (code, answer) = if auth != expected {
                    (
                        401,
                        json!({ "errors": [{ "code": "UNAUTHORIZED", "message": "simulated: bad credentials" }] }),
                    )
                } else {
                    match request_line.as_str() {
                        "GET /api/v0/content_caches" => {
                            (200, json!(c.lock().map(|v| v.clone()).unwrap_or_default()))
                        }
                        "POST /api/v0/content_caches" => {
                            let parsed: Option<Value> = serde_json::from_str(&body).ok();
                            let keys: Vec<String> = parsed
                                .as_ref()
                                .and_then(|v| v.as_object())
                                .map(|o| o.keys().cloned().collect())
                                .unwrap_or_default();
                            if ctype != "application/json" || keys != ["host", "name"] {
                                (
                                    400,
                                    json!({ "errors": [{ "code": "INVALID_JSON", "message": "simulated: the body must be {name, host}" }] }),
                                )
                            } else {
                                let mut cache = parsed.unwrap_or_default();
                                cache["id"] = json!(format!(
                                    "cache-{}",
                                    c.lock().map(|v| v.len()).unwrap_or(0)
                                ));
                                if let Ok(mut all) = c.lock() {
                                    all.push(cache.clone());
                                }
                                (201, cache)
                            }
                        }
                        _ => (404, json!({ "errors": [{ "code": "NOT_FOUND" }] })),
                    }
                };
                let text = answer.to_string();
                let _ = writer.write_all(
                    format!("HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}", text.len())
                        .as_bytes(),
                );
            }
        });
        SimMsr {
            port,
            caches,
            requests,
        }
    }
}
