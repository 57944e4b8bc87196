// scripts/serve.py negotiates the encoding as a documentation host does:
// the real server, asked over real HTTP with each Accept-Encoding of a
// table, must answer in the coding the table gives (brotli before gzip,
// q-values honoured), with a body that decodes to the file's exact bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { get } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { dist, serve } from "./helpers.mjs";

/** GET url with Accept-Encoding `ae`; resolves to { status, encoding, body }. */
function fetchRaw(url, ae) {
  return new Promise((resolve, reject) => {
    const headers = ae === undefined ? {} : { "Accept-Encoding": ae };
    get(url, { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({
        status: res.statusCode,
        type: res.headers["content-type"],
        vary: res.headers.vary,
        encoding: res.headers["content-encoding"] ?? "identity",
        body: Buffer.concat(chunks),
      }));
    }).on("error", reject);
  });
}

const decode = { br: brotliDecompressSync, gzip: gunzipSync, identity: (b) => b };

// [offered by the host, Accept-Encoding, expected coding, why]
const CASES = [
  [undefined, "gzip, deflate, br, zstd", "br", "what Chromium sends: brotli is the host's first choice"],
  [undefined, "gzip, deflate", "gzip", "a client without brotli"],
  [undefined, "br;q=0, gzip", "gzip", "q=0 refuses brotli"],
  [undefined, "gzip;q=0.5, br;q=0.1", "br", "any q > 0 accepts; the host's preference decides"],
  [undefined, "*", "br", "the wildcard accepts every coding"],
  [undefined, "*;q=0, gzip", "gzip", "a named coding wins over a refusing wildcard"],
  [undefined, "identity", "identity", "no compression asked for"],
  [undefined, undefined, "identity", "no Accept-Encoding header at all"],
  [undefined, "BR", "br", "coding names are case-insensitive"],
  ["gzip", "gzip, deflate, br", "gzip", "a host without brotli sends gzip"],
  ["gzip", "br", "identity", "a host without brotli to a client that wants only brotli"],
];

for (const file of ["msr-expose_bg.wasm", "index.html", "pkg/msr-expose.js"]) {
  test(`serve.py negotiates ${file}'s encoding from Accept-Encoding`, async () => {
    const want = readFileSync(join(dist, file));
    for (const offered of [undefined, "gzip"]) {
      const server = await serve(offered);
      try {
        for (const [o, ae, coding, why] of CASES.filter(([o]) => o === offered)) {
          const r = await fetchRaw(server.url + file, ae);
          assert.equal(r.status, 200, why);
          assert.equal(r.encoding, coding, `${file}, host offers ${o ?? "br,gzip"}, Accept-Encoding ${ae}: ${why}`);
          assert.equal(r.vary, "Accept-Encoding", "caches keep one copy per coding");
          assert.ok(decode[coding](r.body).equals(want), `${file} decodes to the file's bytes (${why})`);
        }
      } finally {
        server.stop();
      }
    }
  });
}

test("the precompressed files are what the server sends, and the module is application/wasm", async () => {
  const server = await serve();
  try {
    const r = await fetchRaw(server.url + "msr-expose_bg.wasm", "br");
    assert.equal(r.type, "application/wasm");
    assert.ok(r.body.equals(readFileSync(join(dist, "msr-expose_bg.wasm.br"))), "make dist's brotli file is sent as it is");
    const g = await fetchRaw(server.url + "msr-expose_bg.wasm", "gzip");
    assert.ok(g.body.equals(readFileSync(join(dist, "msr-expose_bg.wasm.gz"))), "make dist's gzip file is sent as it is");
  } finally {
    server.stop();
  }
});
