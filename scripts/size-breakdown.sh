#!/usr/bin/env bash
# Per-crate size of the wasm modules as shipped, for BENCHMARKS.md: the cargo
# output of `make dist` put through wasm-bindgen as build-web.sh does (which
# drops the describe functions, the custom sections and the unused imports),
# but keeping the function names, then twiggy. Usage: size-breakdown.sh
# [page|api] [rows]. Needs twiggy (`cargo install twiggy`); not part of
# `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/wasm-env.sh)"
case "${1:-page}" in
  page) crate=msr_expose_web; target=no-modules ;;
  api) crate=msr_expose_web_api; target=web ;;
  *) echo "usage: $0 [page|api] [rows]" >&2; exit 2 ;;
esac
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$crate.wasm"
[ -f "$wasm" ] || { echo "run make dist first" >&2; exit 2; }
command -v twiggy >/dev/null || { echo "twiggy is missing: cargo install twiggy" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target "$target" --remove-producers-section --out-dir "$out" "$wasm"
twiggy top -n 1000000 --format csv "$out/${crate}_bg.wasm" > "$out/top.csv"
python3 scripts/wasm-crates.py "$out/top.csv" "${2:-20}"
