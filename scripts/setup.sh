#!/usr/bin/env bash
# Installs whatever the build and the tests need and is missing; does nothing
# when all is there (idempotent). Called by every Makefile target.
#   - Debian packages: openssl, Chromium + ChromeDriver, docker-registry, skopeo
#     (Go's crypto/x509, the reference for certificate verdicts), containerd
#     (the tests start their own, pulling through generated hosts.toml),
#     nginx with the stream module, groff (renders the man page), zsh and
#     fish (load the completion scripts), zopfli (the page's precompressed
#     .gz files, as a host serving them sends them), and (when rustup has no wasm32 target)
#     the rustc-web toolchain with wasm-ld.
#   - PyPI: kubernetes-validate (official Kubernetes schemas).
#   - crates.io: wasm-bindgen-cli at exactly the version in Cargo.lock,
#     cargo-cyclonedx (the release's SBOM, `make release`), and cargo-fuzz
#     when nightly Rust is installed (FUZZING.md).
#   - npm: the end-to-end test driver (playwright-core, never its own browser)
#     and terser for the page build.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

# --- Debian packages -------------------------------------------------------
pkgs=(openssl openssh-client curl chromium chromium-driver docker-registry nginx-light libnginx-mod-stream skopeo containerd groff-base zsh fish zopfli)
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  # std rebuilt for the browser build (size flags) needs rust-src; optional.
  rustup component list --installed 2>/dev/null | grep -q '^rust-src' || rustup component add rust-src >/dev/null 2>&1 || true
else
  pkgs+=(rustc-web cargo-web rust-web-src lld-22)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian docker-registry package starts a service on :5000; the tests run
# their own registries on loopback, so the packaged one is not needed.

# kubectl (with its built-in Kustomize) builds the fleet's overlays in the
# tests. It is part of this machine kind's image (/usr/bin/kubectl, v1.32 with
# Kustomize v5.5); Debian's archive has none that new, so it is not installed
# here: only said when missing, and the test that needs it fails saying so.
if ! kubectl kustomize --help >/dev/null 2>&1; then
  log "kubectl with its built-in Kustomize is missing: the fleet overlay test will fail (this machine kind's image carries it at /usr/bin/kubectl)"
fi

# --- PyPI ----------------------------------------------------------------------
if ! command -v kubernetes-validate >/dev/null 2>&1; then
  log "installing kubernetes-validate from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi

# --- wasm-bindgen CLI at the locked version -----------------------------------
want=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -n "$want" ]; then
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (have: ${have:-none}); this takes a few minutes"
    cargo install --quiet wasm-bindgen-cli --version "$want" --force
  fi
fi

# --- cargo-cyclonedx: the release's SBOM (scripts/release.sh) ----------------
if ! cargo cyclonedx --version 2>/dev/null | grep -q " 0\.5\.9$"; then
  log "installing cargo-cyclonedx 0.5.9 (the release's SBOM; a few minutes)"
  cargo install --quiet --locked cargo-cyclonedx --version 0.5.9 --force
fi

# --- cargo-fuzz, when nightly Rust is there (rustup; the fuzz targets) ------
# Nightly comes with this kind of machine; without it make test says the fuzz
# smoke runs were skipped (scripts/fuzz.sh) and runs everything else.
if rustup toolchain list 2>/dev/null | grep -q '^nightly' && ! cargo fuzz --version >/dev/null 2>&1; then
  log "installing cargo-fuzz 0.13.2 (fuzz targets; a few minutes)"
  cargo install --quiet --locked cargo-fuzz --version 0.13.2
fi

# --- npm: the browser driver, pointed at Debian's chromium --------------------
for d in tests/e2e web; do
  if [ -f $d/package.json ] && { [ ! -d $d/node_modules ] || [ $d/package-lock.json -nt $d/node_modules/.package-lock.json ]; }; then
    log "installing npm packages in $d (npm ci)"
    (cd $d && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
done
exit 0
