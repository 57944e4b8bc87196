#!/usr/bin/env bash
# Builds the browser side into dist/: the wasm32 build of msr-expose-web (rustup
# target or Debian's rustc-web, as scripts/wasm-env.sh decides), wasm-bindgen at
# the locked version (no-modules glue for the pages, ES module + .d.ts for the
# JS API), wasm-opt when available, then scripts/assemble-web.py.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/wasm-env.sh)"
cargo build -p msr-expose-web --target wasm32-unknown-unknown --profile wasm-release
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/msr_expose_web.wasm"
rm -rf target/web dist
mkdir -p target/web dist
wasm-bindgen --target no-modules --no-typescript --out-dir target/web/page --out-name msr-expose "$wasm"
wasm-bindgen --target web --out-dir dist/pkg --out-name msr-expose "$wasm"
if command -v wasm-opt >/dev/null 2>&1; then
  for f in target/web/page/msr-expose_bg.wasm dist/pkg/msr-expose_bg.wasm; do
    if wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-mutable-globals \
        --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
        -o "$f.opt" "$f" 2>/dev/null; then
      mv "$f.opt" "$f"
    else
      rm -f "$f.opt"; echo "build-web: wasm-opt could not optimise $f; using it as built" >&2
    fi
  done
fi
python3 scripts/assemble-web.py
