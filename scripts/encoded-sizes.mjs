// The bodies a host sends for the page and for the JS API alone, from the
// precompressed files `make dist` writes (dist/FILE.br, dist/FILE.gz): what
// goes over the wire less the HTTP headers (which the size gate, a real
// Chromium load, also counts). For BENCHMARKS.md's step-by-step tables,
// where builds of several commits are compared.
//
//   node scripts/encoded-sizes.mjs [DIR]     prints one JSON line
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "dist";
const PAGE = ["index.html", "style.css", "msr-expose.js", "boot.js", "msr-expose_bg.wasm"];
const API = ["pkg/msr-expose.js", "pkg/msr-expose_bg.wasm"];
const size = (f, ext) => statSync(join(dir, f + ext)).size;
const sum = (files, ext) => files.reduce((a, f) => a + size(f, ext), 0);
const raw = (f) => readFileSync(join(dir, f)).length;
console.log(JSON.stringify({
  page_br: sum(PAGE, ".br"),
  page_gzip: sum(PAGE, ".gz"),
  api_br: sum(API, ".br"),
  api_gzip: sum(API, ".gz"),
  page_wasm_raw: raw("msr-expose_bg.wasm"),
  api_wasm_raw: raw("pkg/msr-expose_bg.wasm"),
}));
