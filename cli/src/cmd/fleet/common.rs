//! What the fleet commands share: reading the fleet file and the caches'
//! files, and the table they print.

use crate::output::print_findings;
use anyhow::Context;
use msr_expose_core::fleet::{self, Cache};
use msr_expose_core::{Finding, Severity};
use std::path::Path;

/// Reads the fleet file; its findings are printed when it is wrong.
pub fn read_fleet(config: &Path) -> anyhow::Result<Option<fleet::Fleet>> {
    let text = std::fs::read_to_string(config)
        .with_context(|| format!("--config: cannot read {}", config.display()))?;
    match fleet::from_text(&text) {
        Ok(f) => Ok(Some(f)),
        Err(findings) => {
            print_findings(&findings, false);
            Ok(None)
        }
    }
}

/// Prints the report: `-o json` (pretty, a final newline) or the text;
/// the exit status says whether every cache passed.
pub fn print<T: serde::Serialize>(
    format: crate::args::CheckFormat,
    report: &T,
    text: impl FnOnce() -> String,
    ok: bool,
) -> anyhow::Result<u8> {
    use std::io::Write;
    let out = match format {
        crate::args::CheckFormat::Json => {
            let mut s = serde_json::to_string_pretty(report).context("cannot write JSON")?;
            s.push('\n');
            s
        }
        crate::args::CheckFormat::Text => text(),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to stdout")?;
    Ok(if ok {
        crate::EXIT_OK
    } else {
        crate::EXIT_FINDINGS
    })
}

/// The flags of the commands that reach the caches (`verify`, `up`):
/// `--timeout`, `--concurrency` (1 to `max`, of `what`) and `--resolve`.
pub fn reach_flags(
    timeout: &str,
    concurrency: usize,
    max: usize,
    what: &str,
    resolve: &[String],
) -> anyhow::Result<(std::time::Duration, Vec<msr_expose_core::endpoint::Resolve>)> {
    let timeout = msr_expose_core::duration::parse_duration(timeout)
        .map_err(|e| anyhow::anyhow!("--timeout: {e}"))?;
    if !(1..=max).contains(&concurrency) {
        anyhow::bail!("--concurrency: give 1 to {max} {what} at a time");
    }
    let resolve = resolve
        .iter()
        .map(|r| {
            msr_expose_core::endpoint::parse_resolve(r)
                .map_err(|e| anyhow::anyhow!("--resolve: {e}"))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok((timeout, resolve))
}

/// The live progress line of the commands that reach the caches: on a
/// terminal only, rewritten as each cache finishes, cleared at the end.
pub struct Progress {
    shown: bool,
    verb: &'static str,
    bad: &'static str,
    total: usize,
    done: usize,
    failed: usize,
}

impl Progress {
    /// `verb` begins the line (`verified`), `bad` names the failures
    /// (`failed`); `failed` of the `total` are settled before any runs.
    pub fn new(verb: &'static str, bad: &'static str, total: usize, failed: usize) -> Progress {
        use std::io::IsTerminal;
        Progress {
            shown: std::io::stderr().is_terminal(),
            verb,
            bad,
            total,
            done: failed,
            failed,
        }
    }

    /// One more cache finished, `ok` or not; `name` is the last one.
    pub fn finished(&mut self, ok: bool, name: &str) {
        use std::io::Write;
        self.done += 1;
        if !ok {
            self.failed += 1;
        }
        if self.shown {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[2K{} {}/{}: {} ok, {} {} (last: {name})",
                self.verb,
                self.done,
                self.total,
                self.done - self.failed,
                self.failed,
                self.bad
            );
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    /// Clears the line before the table is printed.
    fn drop(&mut self) {
        use std::io::Write;
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// The directory a fleet file's paths are relative to.
pub fn base_dir(config: &Path) -> &Path {
    config.parent().unwrap_or(Path::new("."))
}

/// A cache's file (`what`: cert, key or ca; relative to the fleet file), or
/// the finding naming the cache and the field.
pub fn read_file(cache: &Cache, dir: &Path, name: &str, what: &str) -> Result<Vec<u8>, Finding> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| {
        msr_expose_core::fleet_check::unreadable(
            cache,
            what,
            &path.display().to_string(),
            &e.to_string(),
        )
    })
}

/// A table: the header, a row per cache (columns padded, the last not), then
/// each cache's errors and warnings under its name.
pub fn table<'a>(
    header: &[&str],
    rows: &[Vec<String>],
    findings: impl Iterator<Item = (&'a str, &'a [Finding])>,
) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|c| c[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or_default()
        })
        .collect();
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, v) in cells.enumerate() {
            if i + 1 == header.len() {
                s.push_str(v);
            } else {
                s.push_str(&format!("{v:<w$}  ", w = widths[i]));
            }
        }
        s.push('\n');
        s
    };
    let mut s = line(&mut header.iter().copied());
    for r in rows {
        s.push_str(&line(&mut r.iter().map(String::as_str)));
    }
    for (name, found) in findings {
        let said: Vec<&Finding> = found
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
        if !said.is_empty() {
            s.push_str(&format!("\n{name}:\n"));
            for f in said {
                s.push_str(&format!("  {f}\n"));
            }
        }
    }
    s
}
