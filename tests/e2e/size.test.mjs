// The page's size gate: the bytes a real Chromium load of the served page
// transfers — every response, as scripts/serve.py serves it (gzip, as a
// documentation site would) — must stay within the budget. The single file
// and the JS API module are reported beside it. Writes target/web-sizes.json
// for BENCHMARKS.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, dist, root, serve } from "./helpers.mjs";

export const BUDGET = 400_000;

test(`the served page transfers at most ${BUDGET} bytes`, async () => {
  const server = await serve();
  const browser = await chromium();
  try {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    const urls = new Map();
    const bytes = new Map();
    cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
    // encodedDataLength: what went over the wire for the response (headers and
    // the body as encoded, i.e. gzipped).
    cdp.on("Network.loadingFinished", (e) => bytes.set(e.requestId, e.encodedDataLength));
    await page.goto(server.url + "index.html");
    await page.waitForSelector("html[data-msr-expose-ready]", { timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    const responses = [...bytes].map(([id, n]) => ({ url: urls.get(id)?.replace(server.url, "") ?? id, bytes: n }));
    const transferred = responses.reduce((a, r) => a + r.bytes, 0);
    const single = readFileSync(join(dist, "msr-expose.html"));
    const api = readFileSync(join(dist, "pkg", "msr-expose_bg.wasm"));
    const apiGlue = readFileSync(join(dist, "pkg", "msr-expose.js"));
    const report = {
      budget: BUDGET,
      served_transfer_bytes: transferred,
      responses,
      single_file_bytes: single.length,
      single_file_gzip: gzipSync(single, { level: 6 }).length,
      js_api_gzip: gzipSync(api, { level: 6 }).length + gzipSync(apiGlue, { level: 6 }).length,
    };
    mkdirSync(join(root, "target"), { recursive: true });
    writeFileSync(join(root, "target", "web-sizes.json"), JSON.stringify(report, null, 2) + "\n");
    console.log(`page size: ${transferred} bytes transferred by Chromium (budget ${BUDGET}); ` +
      `single file ${report.single_file_bytes} B (${report.single_file_gzip} B gzipped); JS API ${report.js_api_gzip} B gzipped`);
    assert.ok(responses.some((r) => r.url.endsWith(".wasm")), "the module is fetched as a .wasm file");
    assert.ok(transferred <= BUDGET, `the served page transfers ${transferred} bytes: over the ${BUDGET}-byte budget\n${JSON.stringify(responses, null, 2)}`);
  } finally {
    await browser.close();
    server.stop();
  }
});
