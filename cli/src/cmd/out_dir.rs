//! `--out-dir`: every file or none, and a record of what msr-expose wrote
//! so that a later run can tell its own files from edited or foreign ones
//! (`generate --out-dir`, `fleet generate`).

use anyhow::Context;
use msr_expose_core::{Code, Finding};
use std::collections::BTreeMap;
use std::path::Path;

/// What `--out-dir` did.
pub(crate) enum Written {
    /// At least one file was written.
    Changed,
    /// Every file already held exactly this output.
    Unchanged,
    /// Nothing was written: these files hold content msr-expose did not write.
    Refused(Vec<Finding>),
}

/// The record of what msr-expose wrote into an output directory, in
/// `sha256sum` format (`sha256sum -c` checks it), so that a later run can
/// tell its own files from files someone edited.
const RECORD: &str = ".msr-expose-written";

/// Writes every file or none. A file that exists is replaced only when it
/// holds what msr-expose last wrote there (by the record) — an edited or
/// foreign file is refused with a finding unless `force`. All files go to
/// temporary names first, then are renamed, the record last.
pub(crate) fn write_files(
    dir: &Path,
    files: &[(&str, &str, bool)],
    force: bool,
) -> anyhow::Result<Written> {
    let record_path = dir.join(RECORD);
    let old_record = match std::fs::read_to_string(&record_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", record_path.display()));
        }
    };
    let mut record = parse_record(&old_record);

    let mut to_write = Vec::new();
    let mut conflicts = Vec::new();
    for &(name, text, executable) in files {
        let dest = dir.join(name);
        let new_hash = sha256_hex(text.as_bytes());
        match std::fs::read(&dest) {
            Ok(existing) if existing == text.as_bytes() => {}
            Ok(existing) => {
                let ours = record.get(name) == Some(&sha256_hex(&existing));
                if !ours && !force {
                    conflicts.push(not_ours(&dest, record.contains_key(name)));
                }
                to_write.push((name, text, executable));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                to_write.push((name, text, executable));
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dest.display())),
        }
        record.insert(name.to_string(), new_hash);
    }
    if !conflicts.is_empty() {
        return Ok(Written::Refused(conflicts));
    }
    let record_text: String = record
        .iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect();
    let record_changed = old_record != record_text;
    if to_write.is_empty() && !record_changed {
        return Ok(Written::Unchanged);
    }
    if record_changed {
        to_write.push((RECORD, &record_text, false));
    }
    stage_and_rename(dir, &to_write)?;
    Ok(if to_write.iter().any(|(name, ..)| *name != RECORD) {
        Written::Changed
    } else {
        Written::Unchanged
    })
}

/// The finding for a file `--out-dir` will not replace.
fn not_ours(dest: &Path, was_ours: bool) -> Finding {
    let why = if was_ours {
        "was changed since msr-expose wrote it"
    } else {
        "was not written by msr-expose"
    };
    Finding::error(
        Code::OutdirNotOurs,
        "--out-dir",
        format!("{} {why}; nothing was written", dest.display()),
        "keep your edit by moving the file or choosing another --out-dir, or pass --force to replace it",
    )
}

/// `sha256sum` lines: `<64 hex digits>  <path>`; anything else is ignored
/// (such a file is then simply not known as ours).
fn parse_record(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (hash, name) = line.split_once("  ")?;
            (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| (name.to_string(), hash.to_ascii_lowercase()))
        })
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// All files go to temporary names first, then are renamed.
fn stage_and_rename(dir: &Path, files: &[(&str, &str, bool)]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create directory {}", dir.display()))?;
    let mut staged = Vec::new();
    for (name, text, executable) in files {
        let dest = dir.join(name);
        let parent = dest.parent().unwrap_or(dir).to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create directory {}", parent.display()))?;
        let base = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{base}.msr-expose-tmp"));
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
        staged.push((tmp, dest));
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
