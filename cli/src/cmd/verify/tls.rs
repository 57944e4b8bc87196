//! Stage 3: the TLS handshake with SNI, verified by rustls' WebPKI verifier
//! against `--ca` (or the system store). The presented chain is recorded on
//! the way so the certificate stage can explain a refusal.

use super::Target;
use super::report::{Failure, Passed};
use anyhow::{Context, bail};
use msr_expose_core::cert::pem;
use msr_expose_core::endpoint::{handshake_failed, resolve_failed, trust_unusable};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

/// How the handshake ended once a certificate was presented.
pub enum Handshake {
    /// Verified: the stream, and the chain the endpoint presented.
    Verified(Box<TlsStream<TcpStream>>, Vec<Vec<u8>>),
    /// The endpoint presented `chain` and the verifier refused it.
    Refused {
        /// The presented chain, leaf first.
        chain: Vec<Vec<u8>>,
        /// The verifier's reason.
        error: String,
    },
}

/// The handshake. A failure before any certificate is this stage's; a
/// refused certificate is the next stage's to explain.
pub async fn run(t: &Target, tcp: TcpStream) -> Result<Passed<Handshake>, Failure> {
    let recorder = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
    let config = tls_config(t.ca.as_deref(), recorder.clone())
        .map_err(|e| Failure::new(e.to_string(), trust_unusable(&format!("{e:#}"))))?;
    let server_name = match t.host.parse::<IpAddr>() {
        Ok(ip) => ServerName::IpAddress(ip.into()),
        Err(_) => ServerName::try_from(t.host.clone()).map_err(|e| {
            Failure::new(
                e.to_string(),
                resolve_failed(&t.host, "it is not a valid DNS name"),
            )
        })?,
    };
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let handshake = connector.connect(server_name, tcp).await;
    let chain = recorder.lock().map(|v| v.clone()).unwrap_or_default();
    match handshake {
        Ok(s) => {
            let version = s
                .get_ref()
                .1
                .protocol_version()
                .map(|v| format!("{v:?}"))
                .unwrap_or_default();
            let detail = format!("{version}, SNI {}", t.host);
            Ok((Handshake::Verified(Box::new(s), chain), detail))
        }
        Err(e) if chain.is_empty() => Err(Failure::new(
            e.to_string(),
            handshake_failed(&e.to_string()),
        )),
        Err(e) => Ok((
            Handshake::Refused {
                chain,
                error: e.to_string(),
            },
            format!("handshake refused by msr-expose: {e}"),
        )),
    }
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

/// A client configuration that trusts `ca` (PEM or DER; the system store
/// when `None`) and records the presented chain into `seen`.
pub fn tls_config(
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
