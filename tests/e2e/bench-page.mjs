// Page timings in Debian's Chromium, as medians (run by hand or by
// `make bench-page`; numbers go to BENCHMARKS.md, never asserted):
//  - navigation → ready: the `msr-expose-ready` performance mark set by
//    boot.js, read in the page (ms since navigation start), 10 fresh loads
//    each of the served page and of dist/msr-expose.html from file://;
//  - keystroke → updated DOM: one input event on #node-fqdn until the new
//    name shows (performance.now + MutationObserver), 101 keystrokes without
//    material, with an RSA-4096 chain + CA + key, and with the ECDSA chain.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { chromium, dist, fixture, root, serve } from "./helpers.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const server = await serve();
const browser = await chromium();
const results = {};
try {
  const urls = { served: server.url + "index.html", file: pathToFileURL(join(dist, "msr-expose.html")).href };
  for (const [kind, url] of Object.entries(urls)) {
    const ready = [];
    for (let i = 0; i < 10; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForSelector("html[data-msr-expose-ready]");
      ready.push(await page.evaluate(() => performance.getEntriesByName("msr-expose-ready")[0].startTime));
      await context.close();
    }
    results[`${kind}_ready_ms`] = { median: Math.round(median(ready)), all: ready.map(Math.round) };

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector("html[data-msr-expose-ready]");
    await page.fill("#node-fqdn", "worker1.example.com");
    const keystrokes = async (watch) => {
      const times = [];
      for (let i = 0; i < 101; i++) {
        times.push(await page.evaluate((sel) => new Promise((resolve) => {
          const input = document.querySelector("#node-fqdn");
          const target = input.value.includes("worker2") ? "worker1.example.com" : "worker2.example.com";
          const start = performance.now();
          const observer = new MutationObserver(() => {
            if (document.querySelector(sel).textContent.includes(target)) {
              observer.disconnect();
              resolve(performance.now() - start);
            }
          });
          observer.observe(document.body, { subtree: true, childList: true, characterData: true });
          input.value = target;
          input.dispatchEvent(new InputEvent("input", { bubbles: true }));
        }), watch));
      }
      return { median: Math.round(median(times) * 100) / 100, max: Math.round(Math.max(...times) * 100) / 100 };
    };
    results[`${kind}_keystroke_no_material_ms`] = await keystrokes("#steps");
    for (const [name, cert, ca, key] of [["rsa4096", "chain.pem", "root.pem", "leaf.key"], ["ecdsa", "ec-chain.pem", "ec-root.pem", "ec-leaf.key"]]) {
      await page.fill("#cert-pem", fixture(cert));
      await page.fill("#ca-pem", fixture(ca));
      await page.fill("#key-pem", fixture(key));
      await page.waitForSelector("#cert-card .key-ok");
      results[`${kind}_keystroke_${name}_chain_ca_key_ms`] = await keystrokes("#findings");
    }
    await context.close();
  }
} finally {
  await browser.close();
  server.stop();
}
writeFileSync(join(root, "target", "web-bench.json"), JSON.stringify(results, null, 2) + "\n");
console.log(JSON.stringify(results, null, 2));
