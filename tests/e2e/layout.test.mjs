// The page as an operator meets it, in Debian's Chromium at 1280 px (a
// desktop) and 390 px (a phone), for every method of the registry and every
// platform preset, each with a certificate error pasted (an expired chain):
// nothing wider than its box or the screen, every fold labelled, the path
// picture's text at 12 px or more as rendered, the page's findings and
// manifest equal to the CLI's for the same form, the outputs shown in spite
// of the certificate error, a status line on the phone that leads to the
// results, and axe-core clean. A full-page screenshot of every state is kept
// in target/screenshots/ for review (an artifact: never committed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { axeViolations, browserAndServer, cli, fixture, fixtures, root } from "./helpers.mjs";

const env = browserAndServer();
const shots = join(root, "target", "screenshots");
const WIDTHS = [1280, 390];
const LONG = ["a", "b", "c"].map((c) => c.repeat(63)).join(".") + ".example.com";

// (state, what to do on a fresh page, the CLI's flags for the same form) —
// every method of the registry once; the presets are read from the page.
const METHODS = [
  ["nodeport", [["click", "#method-nodeport"], ["fill", "#node-fqdn", "worker1.example.com"], ["fill", "#node-port", "30443"]],
    ["--method", "nodeport", "--node-fqdn", "worker1.example.com", "--node-port", "30443"]],
  ["loadbalancer", [["click", "#method-loadbalancer"], ["fill", "#external-fqdn", "cache.example.com"], ["fill", "#load-balancer-ip", "192.0.2.50"]],
    ["--method", "loadbalancer", "--external-fqdn", "cache.example.com", "--load-balancer-ip", "192.0.2.50"]],
  ["gateway", [["click", "#method-gateway"], ["fill", "#external-fqdn", "cache.example.com"], ["fill", "#gateway-class", "cilium"]],
    ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium"]],
  ["traefik", [["click", "#method-traefik"], ["fill", "#external-fqdn", "cache.example.com"]],
    ["--method", "traefik", "--external-fqdn", "cache.example.com"]],
  ["openshift", [["click", "#method-openshift"], ["fill", "#external-fqdn", "cache.apps.ocp.example.com"]],
    ["--method", "openshift", "--external-fqdn", "cache.apps.ocp.example.com"]],
  ["istio", [["click", "#method-istio"], ["fill", "#external-fqdn", "cache.example.com"]],
    ["--method", "istio", "--external-fqdn", "cache.example.com"]],
  ["ingress", [["click", "#method-ingress"], ["fill", "#external-fqdn", "cache.example.com"]],
    ["--method", "ingress", "--external-fqdn", "cache.example.com"]],
  // Long legal names: 63-character labels and namespace wrap everywhere.
  ["long-names", [["click", "#method-istio"], ["fill", "#external-fqdn", LONG], ["fill", "#namespace", "n".repeat(63)]],
    ["--method", "istio", "--external-fqdn", LONG, "--namespace", "n".repeat(63)]],
];

/** Every state: the methods, then each preset on a fresh form (which
 *  switches to the method the platform implies) with a host typed. */
async function states(page) {
  const presets = await page.$$eval("#platform option", (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(presets.length >= 7, presets.join(" "));
  return [
    ...METHODS,
    ...presets.map((p) => [`preset-${p}`, [["select", "#platform", p], ["fill", "#external-fqdn", "cache.example.com"]],
      ["--platform", p, "--external-fqdn", "cache.example.com"]]),
  ];
}

async function fresh(width) {
  const context = await env.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(env.server.url + "index.html");
  await page.waitForSelector("html[data-msr-expose-ready]");
  return { context, page, errors };
}

/** Elements wider than their box or reaching past the screen's edge (a
 *  text input's own value scrolls inside it, as inputs do). */
const tooWide = (page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll(".msr-expose *, .msr-expose-links *")]
    .filter((e) => {
      if (e.matches("input[type=text]") && e.getBoundingClientRect().right <= w + 0.5) return false;
      const r = e.getBoundingClientRect();
      if (r.width === 0) return false;
      return r.right > w + 0.5 || (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1);
    })
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${e.className} (right ${Math.round(e.getBoundingClientRect().right)}, content ${e.scrollWidth} in ${e.clientWidth})`);
});

const cliCodes = (flags) => {
  const out = cli(["generate", ...flags, "--cert", join(fixtures(), "expired-chain.pem"), "--ca", join(fixtures(), "root.pem"), "-v"]);
  return [...out.stderr.matchAll(/^(?:error|warning|info)\[([^\]]+)\]/gm)].map((m) => m[1]).sort();
};

for (const width of WIDTHS) {
  test(`${width} px: every method and preset fits, is labelled, and says what the CLI says`, async () => {
    mkdirSync(shots, { recursive: true });
    const probe = await fresh(width);
    const all = await states(probe.page);
    await probe.context.close();
    const report = {};
    for (const [name, actions, flags] of all) {
      const { context, page, errors } = await fresh(width);
      for (const [act, sel, value] of actions) {
        if (act === "select") await page.selectOption(sel, value);
        else if (act === "click") await page.click(sel);
        else await page.fill(sel, value);
      }
      await page.fill("#cert-pem", fixture("expired-chain.pem"));
      await page.fill("#ca-pem", fixture("root.pem"));
      await page.waitForSelector('#findings [data-code="cert.expired"]');
      // The findings are the CLI's, with the same certificate.
      const want = cliCodes(flags);
      const got = (await page.$$eval("#findings [data-code]", (els) => els.map((e) => e.getAttribute("data-code")))).sort();
      assert.deepEqual(got, want, `${name}: the page's findings are the CLI's`);
      // A certificate error withholds its own steps, never the manifest.
      const manifest = cli(["generate", ...flags, "-q"]);
      if (manifest.status === 0) {
        await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
        assert.equal(await page.textContent("#manifest-yaml"), manifest.stdout, `${name}: the CLI's manifest`);
        assert.ok(await page.$("#steps p.withheld"), `${name}: the certificate's steps are marked withheld`);
      }
      // Every fold open, so its content is measured too.
      await page.$$eval(".msr-expose details", (ds) => ds.forEach((d) => { d.open = true; }));
      assert.deepEqual(await tooWide(page), [], `${name} at ${width} px: nothing wider than its box or the screen`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width, `${name}: no sideways scrolling`);
      const unlabelled = await page.$$eval(".msr-expose summary", (ss) => ss.filter((s) => !s.textContent.trim()).length);
      assert.equal(unlabelled, 0, `${name}: every <summary> has a label`);
      // The path picture's text, as rendered.
      if (manifest.status === 0) {
        const sizes = await page.$$eval("#path-picture *", (els) => els
          .filter((e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
          .map((e) => parseFloat(getComputedStyle(e).fontSize) * (e.getBoundingClientRect().height / (e.offsetHeight || 1))));
        assert.ok(sizes.length >= 6, `${name}: the picture has text`);
        assert.ok(Math.min(...sizes) >= 12, `${name}: the picture's text is ${Math.min(...sizes)} px`);
      }
      // The status line: on the phone, under the form, leading to the results.
      const status = await page.$("#status");
      if (width < 1120) {
        assert.ok(await status.isVisible(), `${name}: the status line shows`);
        assert.match(await status.textContent(), /the manifest is (ready|withheld)\./);
        assert.match(await status.textContent(), /1 error|\d+ errors/, `${name}: it counts the certificate's error`);
        // In sight while the operator types at the top of the form.
        await page.focus("#namespace");
        await page.evaluate(() => window.scrollTo(0, document.querySelector("#namespace").getBoundingClientRect().top + scrollY - 100));
        const seen = await status.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; });
        assert.ok(seen, `${name}: the status line is in sight while the form is`);
        await page.click("#status button");
        assert.equal(await page.evaluate(() => document.activeElement.id), "findings", `${name}: it leads to the findings`);
      } else {
        assert.equal(await status.isVisible(), false, `${name}: beside the form the results need no status line`);
      }
      assert.deepEqual(await axeViolations(page), [], `${name} at ${width} px: axe`);
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
      assert.deepEqual(errors, [], name);
      report[name] = { findings: got.length };
      await context.close();
    }
    writeFileSync(join(shots, `states-${width}.json`), JSON.stringify(report, null, 2) + "\n");
  });
}

test("sections keep their numbers as the form becomes valid; required fields are marked", async () => {
  const { context, page } = await fresh(1280);
  const numbered = () => page.$$eval(
    ".msr-expose fieldset.methods > legend, .msr-expose .columns > div > section > h2",
    (els) => els.map((e) => e.textContent.trim().replace(/\s+/g, " ").split(" ")[0]));
  const before = await numbered();
  // A required field is marked before it is typed, and only while empty.
  assert.match(await page.textContent('label[for="node-fqdn"]'), /\(required\)/);
  assert.equal(await page.getAttribute("#node-fqdn", "aria-required"), "true");
  assert.doesNotMatch(await page.textContent('label[for="namespace"]'), /required/);
  await page.fill("#node-fqdn", "worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
  assert.deepEqual(await numbered(), before, "the same numbered sections, in the same order");
  assert.doesNotMatch(await page.textContent('label[for="node-fqdn"]'), /required/);
  assert.ok(before.length >= 7, before.join(" | "));
  // The Platform picker is part of the first section, styled as a field.
  assert.ok(await page.$("fieldset.methods #platform"));
  const border = await page.$eval("#platform", (s) => getComputedStyle(s).borderRadius);
  assert.notEqual(border, "0px");
  await context.close();
});

test("an empty fleet asks for caches; it never says everything checks out", async () => {
  const { context, page } = await fresh(1280);
  await page.click("#fleet > summary");
  const ok = await page.textContent("#fleet-findings p.ok");
  assert.match(ok, /no caches yet/);
  assert.doesNotMatch(ok, /everything checks out/);
  await context.close();
});

test("the standalone page links to the command line and to embedding", async () => {
  const { context, page } = await fresh(1280);
  const links = await page.$$eval(".msr-expose-links a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.includes("embed-example.html"), links.join(" "));
  assert.ok(links.some((l) => l.endsWith("#installing-the-cli-its-man-pages-and-completions")), links.join(" "));
  assert.ok(links.every((l) => !l.includes("{{")), "filled in from Cargo.toml");
  await context.close();
});
