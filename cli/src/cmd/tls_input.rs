//! Reading the TLS files named on the command line, and the time to judge
//! them at. The files are read once into the core's `Material` (the key only
//! to derive its public half) and its crypto questions answered natively.

use crate::args::TlsArgs;
use anyhow::Context;
use msr_expose_core::{Answers, Material, Tls, TlsInput};
use std::path::Path;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The material of the files given, and the instant.
pub struct TlsFiles {
    material: Material,
    now: i64,
    /// The native crypto answers to the material's questions.
    answers: Answers,
}

impl TlsFiles {
    /// Reads `--cert`, `--key` and `--ca`; `None` when no `--cert` was given.
    pub fn read(a: &TlsArgs) -> anyhow::Result<Option<TlsFiles>> {
        let Some(cert) = &a.cert else {
            if a.at.is_some() {
                anyhow::bail!("--at needs --cert");
            }
            return Ok(None);
        };
        let now = instant(a.at.as_deref())?;
        let cert = read(cert, "--cert")?;
        let key = a.key.as_deref().map(|p| read(p, "--key")).transpose()?;
        let ca = a.ca.as_deref().map(|p| read(p, "--ca")).transpose()?;
        let material = Material::read(&TlsInput {
            cert: &cert,
            key: key.as_deref(),
            ca: ca.as_deref(),
        });
        let answers = msr_expose_crypto::answer(material.questions());
        Ok(Some(TlsFiles {
            material,
            now,
            answers,
        }))
    }

    /// The core's view of the material.
    pub fn tls(&self) -> Tls<'_> {
        Tls {
            material: &self.material,
            now: self.now,
            answers: &self.answers,
        }
    }
}

/// The instant certificates are judged at: `--at` (RFC 3339), or now.
pub fn instant(at: Option<&str>) -> anyhow::Result<i64> {
    Ok(match at {
        Some(at) => OffsetDateTime::parse(at, &Rfc3339)
            .with_context(|| {
                format!("--at {at:?}: not an RFC 3339 time such as 2027-01-01T00:00:00Z")
            })?
            .unix_timestamp(),
        None => OffsetDateTime::now_utc().unix_timestamp(),
    })
}

fn read(path: &Path, flag: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{flag}: cannot read {}", path.display()))
}
