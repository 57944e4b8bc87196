// Embedding as a documentation site does it, in Chromium: tests/e2e/embed/
// embed.html (a host page with its own styles, an anchor and a theme per
// instance) is served beside the real dist/ files, with three configurators —
// a data-msr-expose mount, a <msr-expose-configurator> with a spec and a
// permalink slot, and one whose attributes cannot be used — and a fourth
// added by script after load. Every instance must be its own: ids, radios,
// state, address slot, theme.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, browserAndServer, root } from "./helpers.mjs";

const env = browserAndServer();

const here = join(root, "tests", "e2e", "embed");

/** The host page at env.server.url + "embed.html" (and its host.css); every
 *  other file is the real dist/ as scripts/serve.py serves it. */
async function open(hash = "") {
  const context = await env.browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  for (const [file, type] of [["embed.html", "text/html"], ["host.css", "text/css"]]) {
    await page.route(env.server.url + file + "*", (r) =>
      r.fulfill({ contentType: type, body: readFileSync(join(here, file), "utf8") }));
  }
  await page.goto(env.server.url + "embed.html" + hash);
  await page.waitForSelector("html[data-msr-expose-ready]");
  await page.waitForSelector("#msr-expose-3-method-nodeport");
  return { page, context, errors };
}

/** Types into an input as a user does (one input event). */
const type = (page, sel, text) => page.fill(sel, text);

test("embed: instances have their own ids, radios and state", async () => {
  const { page, context, errors } = await open();
  const dupes = await page.evaluate(() => {
    const seen = new Map();
    for (const e of document.querySelectorAll("[id]")) seen.set(e.id, (seen.get(e.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(dupes, [], "no element id twice");
  // The first instance keeps the plain ids; the others are prefixed.
  assert.ok(await page.$(".docs-theme #node-fqdn"));
  assert.ok(await page.$("msr-expose-configurator.green-theme #msr-expose-2-external-fqdn"));
  // Every label points at an input of its own instance.
  const stray = await page.evaluate(() => [...document.querySelectorAll(".msr-expose label[for]")]
    .filter((l) => l.closest(".msr-expose") !== document.getElementById(l.htmlFor)?.closest(".msr-expose"))
    .map((l) => l.htmlFor));
  assert.deepEqual(stray, [], "labels of one instance point into it");
  const describedBy = await page.evaluate(() => [...document.querySelectorAll(".msr-expose [aria-describedby]")]
    .flatMap((e) => e.getAttribute("aria-describedby").split(" ").filter((id) => {
      const t = document.getElementById(id);
      return t && t.closest(".msr-expose") !== e.closest(".msr-expose");
    })));
  assert.deepEqual(describedBy, [], "descriptions of one instance are its own");
  // The element's spec is the second one's start; the first starts empty.
  assert.equal(await page.inputValue("#msr-expose-2-external-fqdn"), "cache.example.com");
  assert.equal(await page.inputValue("#msr-expose-2-gateway-class"), "cilium");
  assert.equal(await page.isChecked("#msr-expose-2-method-gateway"), true);
  assert.equal(await page.isChecked("#method-nodeport"), true);
  // A label in the second instance changes the second instance only.
  await page.click("label[for=msr-expose-2-method-traefik]");
  assert.equal(await page.isChecked("#msr-expose-2-method-traefik"), true);
  assert.equal(await page.isChecked("#method-nodeport"), true, "the first instance's radio is untouched");
  assert.notEqual(
    await page.getAttribute("#method-nodeport", "name"),
    await page.getAttribute("#msr-expose-2-method-nodeport", "name"),
    "one radio group per instance");
  // Each instance generates from its own form.
  await type(page, "#node-fqdn", "worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.includes("type: NodePort"));
  await page.waitForFunction(() => document.querySelector("#msr-expose-2-manifest-yaml").textContent.includes("kind: IngressRouteTCP"));
  assert.doesNotMatch(await page.textContent("#manifest-yaml"), /IngressRouteTCP/);
  // A finding's field button focuses the field of its own instance.
  await type(page, "#msr-expose-2-external-fqdn", "https://cache.example.com/");
  await page.click("#msr-expose-2-findings button[data-field='msr-expose-2-external-fqdn']");
  assert.equal(await page.evaluate(() => document.activeElement.id), "msr-expose-2-external-fqdn");
  assert.deepEqual(errors, []);
  await context.close();
});

test("embed: the host's anchor stays; only an opted-in instance writes its own slot", async () => {
  const { page, context, errors } = await open("#step-3");
  await type(page, "#node-fqdn", "worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#endpoint-url")?.textContent.includes("worker1"));
  await page.waitForTimeout(500); // longer than the address's settle time
  assert.equal(await page.evaluate(() => location.hash), "#step-3", "no permalink without opting in");
  assert.equal(await page.$("#copy-link"), null, "no Copy link without a permalink");
  await type(page, "#msr-expose-2-external-fqdn", "cache2.example.com");
  await page.waitForFunction(() => location.hash.includes("cache2.example.com"));
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#step-3&second=%7B/, "the anchor first, then the instance's slot");
  assert.doesNotMatch(hash, /(^|&)spec=/, "no other slot is written");
  // Copy link gives the same address.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(env.server.url).origin });
  await page.click("#msr-expose-2-copy-link");
  await page.waitForFunction(() => document.querySelector("#msr-expose-2-copy-link").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), env.server.url + "embed.html" + hash);
  // The link reopens the second instance as it was; the first starts empty.
  await context.close();
  const again = await open(hash);
  assert.equal(await again.page.inputValue("#msr-expose-2-external-fqdn"), "cache2.example.com");
  assert.equal(await again.page.isChecked("#msr-expose-2-method-gateway"), true);
  assert.equal(await again.page.inputValue("#node-fqdn"), "");
  // An unreadable slot is said in that instance only, and left in place.
  await again.context.close();
  const broken = await open("#step-3&second=%7Bbroken");
  await broken.page.waitForSelector("#msr-expose-2-permalink-findings [data-code='spec.parse']");
  assert.equal(await broken.page.$("#permalink-findings"), null);
  assert.equal(await broken.page.inputValue("#msr-expose-2-external-fqdn"), "cache.example.com", "the element's spec, without the link");
  assert.equal(await broken.page.evaluate(() => location.hash), "#step-3&second=%7Bbroken");
  assert.deepEqual([...errors, ...again.errors, ...broken.errors], []);
  await broken.context.close();
});

test("embed: attributes that cannot be used are said; a late element mounts itself", async () => {
  const { page, context, errors } = await open();
  const codes = await page.$$eval("#msr-expose-3-embed-findings [data-code]", (els) => els.map((e) => e.dataset.code));
  assert.deepEqual(codes, ["spec.permalink", "spec.parse"]);
  const text = await page.textContent("#msr-expose-3-embed-findings");
  assert.match(text, /"not a name"/);
  assert.match(text, /spec attribute/);
  assert.equal(await page.isChecked("#msr-expose-3-method-nodeport"), true, "starts from the defaults");
  await page.evaluate(() => {
    const el = document.createElement("msr-expose-configurator");
    el.setAttribute("spec", '{"method":"traefik","externalFqdn":"late.example.com"}');
    el.setAttribute("permalink", "second"); // the second instance's slot
    document.querySelector("article").append(el);
  });
  await page.waitForSelector("#msr-expose-4-external-fqdn");
  assert.equal(await page.inputValue("#msr-expose-4-external-fqdn"), "late.example.com");
  assert.deepEqual(await page.$$eval("#msr-expose-4-embed-findings [data-code]", (els) => els.map((e) => e.dataset.code)), ["spec.permalink"]);
  assert.match(await page.textContent("#msr-expose-4-embed-findings"), /"second" is already another configurator's/);
  assert.equal(await page.$("#msr-expose-4-copy-link"), null, "no link for a slot it does not own");
  // Moving an element does not mount it twice.
  await page.evaluate(() => document.body.append(document.querySelector("#msr-expose-4-external-fqdn").closest("msr-expose-configurator")));
  assert.equal(await page.$$eval(".msr-expose", (els) => els.length), 4);
  assert.equal(await page.$$eval("[id$='external-fqdn']", (els) => els.length), 2, "the second's and the fourth's");
  assert.deepEqual(errors, []);
  await context.close();
});

test("embed: host styles and each instance's theme stay where they belong", async () => {
  const { page, context, errors } = await open();
  const body = () => page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { margin: s.margin, font: s.fontFamily, color: s.color, bg: s.backgroundColor };
  });
  const host = { margin: "40px", font: "serif", color: "rgb(20, 20, 60)", bg: "rgb(250, 250, 240)" };
  assert.deepEqual(await body(), host, "the host's body is its own");
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await body(), host, "the configurators' dark palette does not reach the host");
  const hostH2 = await page.$eval("#step-3", (e) => getComputedStyle(e).color);
  assert.equal(hostH2, "rgb(200, 0, 0)");
  await page.emulateMedia({ colorScheme: "light" });
  // The host's h2 rule does not colour the configurators' headings.
  for (const sel of ["#cache-h", "#msr-expose-2-cache-h"]) {
    assert.equal(await page.$eval(sel, (e) => getComputedStyle(e).color), "rgb(27, 31, 36)", sel);
  }
  // Each instance's theme: the checked method's outline is its accent.
  const accent = (sel) => page.$eval(sel, (e) => getComputedStyle(e.closest("label")).outlineColor);
  assert.equal(await accent("#method-nodeport"), "rgb(123, 44, 191)");
  assert.equal(await accent("#msr-expose-2-method-gateway"), "rgb(0, 110, 0)");
  assert.equal(await accent("#msr-expose-3-method-nodeport"), "rgb(11, 92, 173)", "no theme: the default");
  assert.match(await page.$eval(".docs-theme .msr-expose", (e) => getComputedStyle(e).fontFamily), /Georgia/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("embed: axe finds no serious or critical violation with every instance, light and dark", async () => {
  const { page, context, errors } = await open();
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await axeViolations(page), [], scheme);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
