#!/usr/bin/env bash
# Per-crate size of the page's wasm module (the un-stripped cargo output of
# `make dist`, before wasm-bindgen removes the names), for BENCHMARKS.md.
# Needs twiggy (`cargo install twiggy`); not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/wasm-env.sh)"
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/msr_expose_web.wasm"
[ -f "$wasm" ] || { echo "run make dist first" >&2; exit 2; }
command -v twiggy >/dev/null || { echo "twiggy is missing: cargo install twiggy" >&2; exit 2; }
csv=$(mktemp)
twiggy top -n 1000000 --format csv "$wasm" > "$csv"
python3 scripts/wasm-crates.py "$csv" "${1:-20}"
rm -f "$csv"
