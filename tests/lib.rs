//! Shared helpers of the integration tests: where the built binary is, and
//! running external reference tools (openssl, kubernetes-validate) with
//! clear failures when the setup has not installed them.

pub mod crd;
pub mod peers;
pub mod sim_kube;
pub mod sim_msr;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The `msr-expose` binary built by `cargo build` (the Makefile builds it
/// before the tests); `MSR_EXPOSE_BIN` overrides.
pub fn msr_expose_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("MSR_EXPOSE_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let bin = target.join("debug").join("msr-expose");
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p msr-expose` first (make test does)",
        bin.display()
    );
    bin
}

/// Runs `msr-expose` with the arguments.
pub fn msr_expose(args: &[&str]) -> Output {
    Command::new(msr_expose_bin())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run msr-expose: {e}"))
}

/// Runs a reference tool, failing the test with the install hint when it is missing.
pub fn tool(program: &str, args: &[&str], install_hint: &str) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); {install_hint} (make setup does)"))
}

/// A directory of `../shared` (read-only test data beside the project),
/// when it is there. Without it a test says so and returns; under CI
/// (`CI=true`) a missing one fails, never skips.
pub fn shared(dir: &str) -> Option<PathBuf> {
    let path = workspace_root().join("../shared").join(dir);
    if path.exists() {
        return Some(path);
    }
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true" || v == "1"),
        "../shared/{dir} is missing: CI must have it"
    );
    eprintln!("../shared/{dir} is missing: what needs it was not checked");
    None
}
