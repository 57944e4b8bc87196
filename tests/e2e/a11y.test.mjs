// Accessibility checked by a real engine: axe-core (npm) run in Debian's
// Chromium on the served page, in light and dark, at 360 px and 1280 px,
// with the form filled and certificate material pasted, and on the embed
// example. Zero violations at the serious and critical levels.
import { test } from "node:test";
import assert from "node:assert/strict";
import { axeViolations as violations, browserAndServer, fixture } from "./helpers.mjs";

const env = browserAndServer();

for (const width of [360, 1280]) {
  for (const scheme of ["light", "dark"]) {
    test(`axe: ${width} px, ${scheme}`, async () => {
      const context = await env.browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
      const page = await context.newPage();
      await page.goto(env.server.url + "index.html");
      await page.waitForSelector("html[data-msr-expose-ready]");
      assert.deepEqual(await violations(page), [], "the empty page");
      await page.fill("#node-fqdn", "bad_name.example.com");
      await page.fill("#cert-pem", fixture("chain.pem"));
      await page.fill("#ca-pem", fixture("root.pem"));
      await page.waitForSelector("#cert-card");
      assert.deepEqual(await violations(page), [], "with errors and material");
      await page.fill("#node-fqdn", "worker1.example.com");
      await page.click("#method-gateway");
      await page.fill("#external-fqdn", "cache.example.com");
      await page.fill("#gateway-class", "cilium");
      await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
      assert.deepEqual(await violations(page), [], "with outputs");
      await context.close();
    });
  }
}

test("axe: the embed example", async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url + "embed-example.html");
  await page.waitForSelector(".docs-theme #method-ingress");
  assert.deepEqual(await violations(page), []);
  await context.close();
});
