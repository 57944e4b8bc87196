//! Reading the TLS files named on the command line, and the time to judge
//! them at. The key's bytes stay in memory only for the check.

use crate::args::TlsArgs;
use anyhow::Context;
use msr_expose_core::{Answers, Material, Tls, TlsInput};
use std::path::Path;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The bytes of the files given, and the instant.
pub struct TlsFiles {
    cert: Vec<u8>,
    key: Option<Vec<u8>>,
    ca: Option<Vec<u8>>,
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
        let now = match &a.at {
            Some(at) => OffsetDateTime::parse(at, &Rfc3339)
                .with_context(|| {
                    format!("--at {at:?}: not an RFC 3339 time such as 2027-01-01T00:00:00Z")
                })?
                .unix_timestamp(),
            None => OffsetDateTime::now_utc().unix_timestamp(),
        };
        let mut files = TlsFiles {
            cert: read(cert, "--cert")?,
            key: a.key.as_deref().map(|p| read(p, "--key")).transpose()?,
            ca: a.ca.as_deref().map(|p| read(p, "--ca")).transpose()?,
            now,
            answers: Answers::default(),
        };
        files.answers = msr_expose_crypto::answer(Material::read(&files.input()).questions());
        Ok(Some(files))
    }

    fn input(&self) -> TlsInput<'_> {
        TlsInput {
            cert: &self.cert,
            key: self.key.as_deref(),
            ca: self.ca.as_deref(),
        }
    }

    /// The core's view of the material.
    pub fn tls(&self) -> Tls<'_> {
        Tls {
            input: self.input(),
            now: self.now,
            answers: &self.answers,
        }
    }
}

fn read(path: &Path, flag: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{flag}: cannot read {}", path.display()))
}
