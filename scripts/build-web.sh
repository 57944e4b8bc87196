#!/usr/bin/env bash
# Builds the browser side into dist/: the wasm32 builds of msr-expose-web (the
# page) and msr-expose-web-api (the JS API alone) — rustup target or Debian's
# rustc-web, as scripts/wasm-env.sh decides — wasm-bindgen at the locked
# version (no-modules glue for the pages, ES module + .d.ts for the JS API in
# dist/pkg), then scripts/assemble-web.py (single-file page, sizes).
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/wasm-env.sh)"
# Size over speed for the browser: no panic machinery (the core never panics
# on input; a bug traps instead of printing) and no source locations. Needs
# std rebuilt (always on the Debian route; with rust-src on the rustup route).
if [ "${MSR_WASM_SIZE_FLAGS:-1}" = 1 ] && [ "$MSR_WASM_BUILD_STD" = 1 ]; then
  export RUSTFLAGS="${RUSTFLAGS:-} -Zlocation-detail=none -Zunstable-options -Cpanic=immediate-abort"
fi
# Two modules: the page (the configurator, on the API crate without its
# exports) and the JS API alone. Two cargo runs, so that the API's `exports`
# feature is not unified into the page.
# A third: the JS API with the fleet functions (feature `fleet`), its own
# module beside it, so that sites with one cache do not download them.
cargo build -p msr-expose-web --target wasm32-unknown-unknown --profile wasm-release
cargo build -p msr-expose-web-api --target wasm32-unknown-unknown --profile wasm-release
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/msr_expose_web.wasm"
api_wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/msr_expose_web_api.wasm"
rm -rf target/web dist
mkdir -p target/web dist
bindgen=(wasm-bindgen --remove-name-section --remove-producers-section)
"${bindgen[@]}" --target no-modules --no-typescript --out-dir target/web/page --out-name msr-expose "$wasm"
"${bindgen[@]}" --target web --out-dir dist/pkg --out-name msr-expose "$api_wasm"
# The page again as an ES module, for the npm package's configurator entry
# (web/static/configurator.js imports it; scripts/build-npm.mjs).
"${bindgen[@]}" --target web --no-typescript --out-dir target/web/esm --out-name msr-expose-page "$wasm"
cargo build -p msr-expose-web-api --features fleet --target wasm32-unknown-unknown --profile wasm-release
"${bindgen[@]}" --target web --out-dir dist/pkg --out-name msr-expose-fleet "$api_wasm"
# The JS API and its fleet module once more with ICU4X's Unicode tables
# (feature unicode-tables), for the npm package's Node entries: Node's URL
# parser departs from UTS #46, so Node gets the CLI's own conversion.
cargo build -p msr-expose-web-api --features unicode-tables --target wasm32-unknown-unknown --profile wasm-release
"${bindgen[@]}" --target web --no-typescript --out-dir target/web/node --out-name msr-expose "$api_wasm"
cargo build -p msr-expose-web-api --features fleet,unicode-tables --target wasm32-unknown-unknown --profile wasm-release
"${bindgen[@]}" --target web --no-typescript --out-dir target/web/node --out-name msr-expose-fleet "$api_wasm"
terser=web/node_modules/.bin/terser
"$terser" target/web/page/msr-expose.js --compress --mangle -o target/web/page/msr-expose.min.js
mv target/web/page/msr-expose.min.js target/web/page/msr-expose.js
"$terser" target/web/esm/msr-expose-page.js --module --compress --mangle -o target/web/esm/msr-expose-page.min.js
mv target/web/esm/msr-expose-page.min.js target/web/esm/msr-expose-page.js
[ "$MSR_WASM_BUILD_STD" = 1 ] || echo "build-web: std is not rebuilt on this route (install rustup's rust-src component); the page will be larger than on the Debian route" >&2
# The finding codes ship as data beside the JS API, not inside the module.
env -u RUSTC -u RUSTC_BOOTSTRAP -u CARGO_TARGET_DIR -u CARGO_UNSTABLE_BUILD_STD -u RUSTFLAGS \
  cargo run -q -p msr-expose -- codes -o json > dist/pkg/finding-codes.json
# Finding.code's TypeScript type, generated from the same table (the Code
# enum): a union of every code string, appended to the emitted .d.ts.
python3 - dist/pkg/finding-codes.json dist/pkg/msr-expose.d.ts dist/pkg/msr-expose-fleet.d.ts <<'PY'
import json, sys
codes = [c["code"] for c in json.load(open(sys.argv[1]))]
for path in sys.argv[2:]:
    with open(path, "a") as d:
        d.write("\n/** Every finding code (generated from core/src/codes.rs; meanings in finding-codes.json). */\n")
        d.write("export type Code =\n" + "\n".join(f'    | "{c}"' for c in codes) + ";\n")
PY
python3 scripts/assemble-web.py
# What hosts send: each served file precompressed with brotli and gzip.
node scripts/precompress.mjs dist
# The npm package (target/npm/package) and its tarball, from the files above.
node scripts/build-npm.mjs
