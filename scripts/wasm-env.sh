#!/usr/bin/env bash
# Prints (for `eval`) the environment that builds for wasm32-unknown-unknown:
#  - rustup with the wasm32 target: the plain build; when the rust-src
#    component is there too, std is rebuilt (build-std) so that the page gets
#    the same size flags as on the Debian route;
#  - otherwise Debian's rustc-web route (std rebuilt from rust-web-src, linked
#    by wasm-ld-22).
# MSR_WASM_BUILD_STD=1 tells scripts/build-web.sh that std is rebuilt here.
set -euo pipefail
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "export MSR_WASM_ROUTE=rustup"
  echo "export CARGO_TARGET_DIR=target/wasm-rustup"
  if rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    echo "export RUSTC_BOOTSTRAP=1"
    echo "export CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
    echo "export MSR_WASM_BUILD_STD=1"
  else
    echo "export MSR_WASM_BUILD_STD=0"
  fi
  exit 0
fi
for f in /usr/bin/rustc /usr/bin/wasm-ld-22; do
  [ -x "$f" ] || { echo "echo 'wasm32 toolchain missing ($f): run make setup' >&2; false"; exit 0; }
done
echo "export MSR_WASM_ROUTE=debian"
echo "export RUSTC=/usr/bin/rustc"
echo "export RUSTC_BOOTSTRAP=1"
echo "export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22"
echo "export CARGO_UNSTABLE_BUILD_STD=std,panic_abort"
echo "export MSR_WASM_BUILD_STD=1"
# A target dir of its own: another rustc than the native builds use.
echo "export CARGO_TARGET_DIR=target/wasm-debian"
