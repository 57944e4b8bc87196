//! `msr-expose generate`: validate the spec, then print or write the manifest
//! and the steps. Nothing is printed or written when the spec has errors.

use super::spec_input::{SpecInput, spec_from_args};
use super::tls_input::TlsFiles;
use crate::args::{GenerateArgs, GenerateFormat};
use crate::output::print_findings;
use crate::{EXIT_FINDINGS, EXIT_OK};
use anyhow::Context;
use msr_expose_core::generate_with_tls;
use std::io::Write;
use std::path::Path;

/// Runs `generate`.
pub fn run(args: GenerateArgs) -> anyhow::Result<u8> {
    let mut spec = match spec_from_args(&args.spec)? {
        SpecInput::Spec(s) => *s,
        SpecInput::Invalid(f) => {
            print_findings(&[f], false);
            return Ok(EXIT_FINDINGS);
        }
    };
    let tls = TlsFiles::read(&args.tls)?;
    if let (Some(ca), None, None) = (&args.tls.ca, &args.spec.ca_file, &args.spec.config) {
        // The steps' curl trusts the CA file that was checked.
        spec.ca_file = ca.display().to_string();
    }
    let generation = generate_with_tls(&spec, tls.as_ref().map(TlsFiles::tls).as_ref());
    print_findings(&generation.findings, args.quiet);
    let Some(out) = generation.output else {
        return Ok(EXIT_FINDINGS);
    };

    if let Some(dir) = &args.out_dir {
        write_files(
            dir,
            &[
                (out.file_name.as_str(), out.yaml.as_str(), false),
                ("steps.sh", out.script.as_str(), true),
            ],
        )?;
        println!("{}", dir.join(&out.file_name).display());
        println!("{}", dir.join("steps.sh").display());
        return Ok(EXIT_OK);
    }
    let text = match args.output {
        GenerateFormat::Yaml => &out.yaml,
        GenerateFormat::Json => &out.json,
        GenerateFormat::Steps => &out.script,
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")?;
    Ok(EXIT_OK)
}

/// Writes every file or none: all go to temporary names first, then are renamed.
fn write_files(dir: &Path, files: &[(&str, &str, bool)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut staged = Vec::new();
    for (name, text, executable) in files {
        let tmp = dir.join(format!(".{name}.msr-expose-tmp"));
        let result = std::fs::write(&tmp, text)
            .and_then(|()| set_mode(&tmp, *executable))
            .with_context(|| format!("cannot write {}", tmp.display()));
        if let Err(e) = result {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        staged.push((tmp, dir.join(name)));
    }
    for (tmp, dest) in staged {
        std::fs::rename(&tmp, &dest).with_context(|| format!("cannot write {}", dest.display()))?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, executable: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if executable { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _executable: bool) -> std::io::Result<()> {
    Ok(())
}
