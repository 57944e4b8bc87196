// The page in real headless Chromium (Debian's, through playwright-core),
// served on 127.0.0.1 and opened as dist/msr-expose.html from file://.
// Every expected text comes from the msr-expose CLI: the page must be
// byte-identical to it. No request may leave the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync, readFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, cli, dist, fixture, fixtures, root, serve } from "./helpers.mjs";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";

let browser, server;
const timings = {};

before(async () => {
  browser = await chromium();
  server = await serve();
});
after(async () => {
  await browser?.close();
  server?.stop();
  mkdirSync(join(root, "target"), { recursive: true });
  writeFileSync(join(root, "target", "web-timings.json"), JSON.stringify(timings, null, 2) + "\n");
});

const targets = () => [
  ["served", server.url + "index.html"],
  ["file", pathToFileURL(join(dist, "msr-expose.html")).href],
];

/** A fresh page that records every request and every page error. */
async function open(url, { width = 1000 } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector("html[data-msr-expose-ready]");
  await page.waitForSelector("#method-nodeport");
  return { page, context, requests, errors, readyMs: Date.now() - start };
}

/** Requests that are not the page's own files. */
function foreign(requests, url) {
  const origin = url.startsWith("file:") ? "file://" : new URL(url).origin;
  return requests.filter((r) => !r.startsWith(origin) && !r.startsWith("data:") && !r.startsWith("blob:"));
}

/** Milliseconds, measured in the page, from one input event on #node-fqdn
 * (worker1 → worker2) until `watch` shows the new name. */
function updateInPage(page, watch) {
  return page.evaluate((sel) => new Promise((resolve) => {
    const input = document.querySelector("#node-fqdn");
    const target = input.value.includes("worker2") ? "worker1.example.com" : "worker2.example.com";
    const start = performance.now();
    const observer = new MutationObserver(() => {
      if (document.querySelector(sel).textContent.includes(target)) {
        observer.disconnect();
        resolve(Math.round((performance.now() - start) * 100) / 100);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    input.value = target;
    input.dispatchEvent(new InputEvent("input", { bubbles: true }));
  }), watch);
}

const codesIn = (page, sel) => page.$$eval(`${sel} [data-code]`, (els) => els.map((e) => e.getAttribute("data-code")));

for (const [kind, urlOf] of [["served", () => targets()[0][1]], ["file", () => targets()[1][1]]]) {
  test(`${kind}: FQDN findings, YAML, switching method, permalink`, async () => {
    const url = urlOf();
    const { page, context, requests, errors, readyMs } = await open(url);
    timings[`${kind}_ready_ms`] = readyMs;

    // A fresh page does not open on errors: the empty node field's error
    // waits until the field is left, and the outputs say what they wait for.
    assert.equal(await page.$("#findings .finding.error"), null, "no error before anything is typed");
    assert.match(await page.textContent("#manifest-yaml"), /^Withheld until the required fields above are filled in/);
    await page.fill("#node-fqdn", "bad_name.example.com");
    assert.deepEqual(await codesIn(page, "#node-fqdn-findings"), ["fqdn.invalid_char"]);
    // Findings name their field by its label and take the focus there.
    const fieldLink = page.locator('#findings [data-code="fqdn.invalid_char"] .field-link');
    assert.equal(await fieldLink.textContent(), "Worker node FQDN");
    await page.focus("#namespace");
    await fieldLink.click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "node-fqdn");
    assert.equal(await page.getAttribute("#node-fqdn", "aria-invalid"), "true");
    assert.match(await page.textContent("#manifest-yaml"), /^Withheld: /, "no stale output while errors stand");

    const t0 = Date.now();
    await page.fill("#node-fqdn", "worker1.example.com");
    await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
    timings[`${kind}_update_ms`] = Date.now() - t0;
    // Measured inside the page: one input event until the DOM shows the new steps.
    timings[`${kind}_update_in_page_ms`] = await updateInPage(page, "#steps");
    await page.fill("#node-fqdn", "worker1.example.com");
    await page.waitForFunction(() => !document.querySelector("#steps").textContent.includes("worker2"));
    assert.equal(await page.getAttribute("#node-fqdn", "aria-invalid"), "false");
    const cliYaml = cli(["generate", "--node-fqdn", "worker1.example.com", "-q"]).stdout;
    assert.equal(await page.textContent("#manifest-yaml"), cliYaml);
    const shells = await page.$$eval("#steps .shell", (els) => els.map((e) => e.textContent));
    const cliJson = JSON.parse(cli(["generate", "--node-fqdn", "worker1.example.com", "-q", "-o", "json"]).stdout);
    assert.equal(cliJson.kind, "Service");
    const script = cli(["generate", "--node-fqdn", "worker1.example.com", "-q", "-o", "steps"]).stdout;
    for (const s of shells) assert.ok(script.includes(s + "\n"), `step text ${s} is in the CLI's script`);

    // Permalink: once typing settles (the address is not rewritten on every
    // keystroke), the spec is in the fragment and reproduces the page.
    await page.waitForFunction(() => decodeURIComponent(location.hash).includes("worker1.example.com"));
    const link = page.url();
    assert.match(link, /#spec=/);
    const again = await open(link);
    assert.equal(await again.page.inputValue("#node-fqdn"), "worker1.example.com");
    assert.equal(await again.page.textContent("#manifest-yaml"), cliYaml);
    await again.context.close();

    // Switching to Ingress changes manifest and steps.
    await page.click("#method-ingress");
    await page.fill("#external-fqdn", "cache.example.com");
    await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.includes("kind: Ingress"));
    assert.equal(await page.textContent("#manifest-yaml"), cli(["generate", "--external-fqdn", "cache.example.com", "-q"]).stdout);
    // Step text shows code as code, not as literal backticks, and what must
    // be set first is a readable list.
    const prose = await page.$$eval("#steps p", (els) => els.map((e) => e.textContent).join("\n"));
    assert.doesNotMatch(prose, /`/, "no literal backticks");
    for (const r of await page.$$eval("#steps .requires", (els) => els.map((e) => e.textContent))) {
      assert.match(r, /^Set first: \S.*\.$/, r);
      assert.doesNotMatch(r, /\) [A-Z_]+ \(/, `items are separated: ${r}`);
    }
    // The path picture follows the spec: the hops, and the name to carry.
    const picture = await page.getAttribute("#path-picture ol", "aria-label");
    assert.equal(picture, "The path: client → DNS → ingress controller → Service msr-cache → cache pods");
    assert.match(await page.textContent("#path-picture figcaption"), /certificate must name cache\.example\.com\.$/);
    assert.match(await page.textContent("#path-picture .cache"), /TLS ends here/);
    assert.match(await page.textContent("#path-picture figcaption"), /^Clients use https:\/\/cache\.example\.com\./);
    // What applying creates, and what must already be there.
    assert.match(await page.textContent("#plan .creates"), /Ingress\/msr-cache/);
    assert.match(await page.textContent("#plan .requires"), /the cache's Service msr-cache \(ClusterIP, port 443\)/);
    assert.match(await page.textContent("#plan .requires"), /--enable-ssl-passthrough/);
    // The notes every Ingress carries start folded.
    assert.equal(await page.$eval("#findings details.group.info", (d) => d.open), false, "notes are folded");
    const titles = await page.$$eval("#steps h3", (els) => els.map((e) => e.textContent));
    assert.ok(titles.includes("Create the DNS record"), titles.join(" | "));
    assert.match(await page.textContent("#registration-body"), /"host":"https:\/\/cache\.example\.com"/);

    assert.deepEqual(foreign(requests, url), [], "no request leaves the page");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`${kind}: certificates pasted and chosen, garbage survives`, async () => {
    const url = urlOf();
    const { page, context, requests, errors } = await open(url);
    await page.fill("#node-fqdn", "worker1.example.com");
    await page.fill("#cert-pem", fixture("expired-chain.pem"));
    await page.fill("#ca-pem", fixture("root.pem"));
    await page.waitForSelector('#findings [data-code="cert.expired"]');
    assert.ok((await codesIn(page, "#findings")).includes("cert.name_mismatch"), "made for another name too");
    // Withheld only by what depends on the certificate (issue 28): the
    // manifest and the steps that do not talk TLS are shown, the rest marked.
    assert.match(await page.textContent("#manifest-yaml"), /^apiVersion/);
    const marked = await page.$$eval("#steps li.step", (li) => li.map((l) => l.querySelector("p.withheld") !== null));
    assert.ok(marked.includes(true) && marked.includes(false), JSON.stringify(marked));
    // The certificate error's fix opens the certificate plan.
    await page.click('#findings [data-code="cert.expired"] .plan-link');
    assert.equal(await page.$eval("#cert-plan", (d) => d.open), true);

    // A file chosen through the file input is read into the text area.
    await page.setInputFiles("#cert-pem-file", join(fixtures(), "chain.pem"));
    await page.waitForFunction(() => document.querySelector("#cert-pem").value.includes("BEGIN CERTIFICATE"));
    assert.equal(await page.inputValue("#cert-pem"), fixture("chain.pem"));
    await page.waitForSelector("#cert-card mark.match");
    assert.equal(await page.textContent("#cert-card mark.match"), "worker1.example.com");
    // The card says what the CLI says: issuer, serial, signature algorithm,
    // and whether the chain was verified against the CA given.
    await page.waitForSelector("#cert-card .verified");
    assert.match(await page.textContent("#cert-card .verified"), /^against this CA: .*MSR Test Root CA/);
    assert.match(await page.textContent("#cert-card .issuer"), /MSR Test Intermediate CA/);
    assert.match(await page.textContent("#cert-card .signature"), /sha256WithRSAEncryption/);
    assert.equal(await page.textContent("#cert-card .key-usage"), "digitalSignature, keyEncipherment");
    assert.equal(await page.textContent("#cert-card .ext-key-usage"), "serverAuth");
    assert.match(await page.textContent("#cert-card .serial"), /^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
    assert.ok(!(await codesIn(page, "#findings")).includes("cert.expired"));
    assert.match(await page.textContent("#manifest-yaml"), /^apiVersion/, (await codesIn(page, "#findings")).join(","));

    // Binary files are read as bytes: a DER certificate is the certificate,
    // a PKCS#12 bundle is named as one — neither is called damaged.
    await page.setInputFiles("#cert-pem-file", join(fixtures(), "leaf.der"));
    await page.waitForSelector("#cert-card mark.match");
    assert.ok(!(await codesIn(page, "#findings")).includes("pem.bad_der"), "DER is not damaged PEM");
    await page.setInputFiles("#cert-pem-file", join(fixtures(), "leaf.p12"));
    await page.waitForSelector('#findings [data-code="pem.pkcs12"]');
    assert.ok(!(await codesIn(page, "#findings")).includes("pem.bad_der"), "PKCS#12 is not damaged PEM");
    await page.setInputFiles("#cert-pem-file", join(fixtures(), "chain.pem"));
    await page.waitForSelector("#cert-card mark.match");

    // Key material never reaches the URL; once the field is left the key
    // is blurred, and every TLS field can be cleared.
    await page.fill("#key-pem", fixture("leaf.key"));
    await page.waitForSelector("#cert-card .key-ok");
    await page.focus("#ca-pem");
    await page.waitForSelector("#key-pem.masked");
    assert.match(await page.$eval("#key-pem", (e) => getComputedStyle(e).filter), /blur/);
    await page.focus("#key-pem");
    await page.waitForSelector("#key-pem:not(.masked)");
    await page.click("#key-pem-clear");
    await page.waitForFunction(() => document.querySelector("#key-pem").value === "");
    await page.fill("#key-pem", fixture("leaf.key"));
    await page.waitForSelector("#cert-card .key-ok");
    // One keystroke with an RSA-4096 chain, CA and key pasted: every check re-runs.
    timings[`${kind}_update_with_rsa4096_chain_ms`] = await updateInPage(page, "#findings");
    // The same with the ECDSA chain (P-256 leaf and intermediate, P-384 root) and a P-256 key.
    await page.fill("#cert-pem", fixture("ec-chain.pem"));
    await page.fill("#ca-pem", fixture("ec-root.pem"));
    await page.fill("#key-pem", fixture("ec-leaf.key"));
    await page.waitForSelector("#cert-card .key-ok");
    timings[`${kind}_update_with_ecdsa_chain_ms`] = await updateInPage(page, "#findings");
    assert.ok(!page.url().includes("PRIVATE"), "no key in the permalink");
    assert.ok(!decodeURIComponent(page.url()).includes(fixture("leaf.key").split("\n")[1]));
    const stored = await page.evaluate(() => {
      try { return JSON.stringify(localStorage) + JSON.stringify(sessionStorage); } catch { return ""; }
    });
    assert.ok(!stored.includes("PRIVATE"), "nothing in storage");

    // Garbage of every kind produces findings, never a dead page.
    for (const junk of ["\u0000\u0001\u0002", "-----BEGIN CERTIFICATE-----\n!!!!\n", "ssh-rsa AAAA me", "x".repeat(100000), fixture("leaf.p12")]) {
      await page.fill("#cert-pem", junk);
      await page.waitForFunction(() => document.querySelectorAll("#findings [data-code]").length > 0);
    }
    await page.fill("#cert-pem", fixture("ssh-key.pub"));
    await page.waitForSelector('#findings [data-code="pem.ssh_public_key"]');
    await page.fill("#node-fqdn", "worker1.example.com."); // still alive and reacting
    await page.waitForSelector('#findings [data-code="fqdn.normalised"]', { state: "attached" });

    assert.deepEqual(foreign(requests, url), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("served: copy puts the exact text on the clipboard; download produces the file", async () => {
  const url = targets()[0][1];
  const { page, context } = await open(url);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(url).origin });
  await page.fill("#node-fqdn", "worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
  const yaml = await page.textContent("#manifest-yaml");

  await page.click("#copy-manifest");
  await page.waitForFunction(() => document.querySelector("#copy-manifest").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), yaml);

  await page.click("#copy-script");
  await page.waitForFunction(() => document.querySelector("#copy-script").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cli(["generate", "--node-fqdn", "worker1.example.com", "-q", "-o", "steps"]).stdout);

  // Copy link: the page's address with the spec, which reopens it.
  await page.click("#copy-link");
  await page.waitForFunction(() => document.querySelector("#copy-link").textContent === "Copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/index\.html#spec=%7B/);
  const reopened = await open(link);
  assert.equal(await reopened.page.inputValue("#node-fqdn"), "worker1.example.com");
  await reopened.context.close();

  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-manifest")]);
  assert.equal(download.suggestedFilename(), "msrcacheservice.yaml");
  assert.equal(readFileSync(await download.path(), "utf8"), yaml);
  await context.close();
});

test("served: Download all gives the CLI's --out-dir files as a tar, and no key", async () => {
  const { page, context } = await open(targets()[0][1]);
  await page.click("#method-gateway");
  await page.fill("#external-fqdn", "cache.example.com");
  await page.fill("#gateway-class", "cilium");
  await page.fill("#cert-pem", fixture("ingress-chain.pem"));
  await page.fill("#ca-pem", fixture("root.pem"));
  await page.fill("#key-pem", fixture("leaf2.key"));
  await page.waitForSelector("#download-all");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-all")]);
  assert.equal(download.suggestedFilename(), "msr-cache-exposure.tar");
  const dir = mkdtempSync(join(tmpdir(), "msr-expose-all-"));
  execFileSync("tar", ["-xf", await download.path(), "-C", dir]);
  const cliDir = mkdtempSync(join(tmpdir(), "msr-expose-cli-"));
  const caFile = join(fixtures(), "root.pem");
  const listed = cli(["generate", "--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium",
    "--ca", caFile, "--ca-file", "msr.cert.pem", "-q", "--out-dir", cliDir]).stdout.trim().split("\n").map((p) => p.slice(cliDir.length + 1));
  assert.ok(listed.includes("clients/containerd/etc/containerd/certs.d/cache.example.com/hosts.toml"), listed.join(" "));
  for (const f of listed) {
    assert.equal(readFileSync(join(dir, "msr-cache-exposure", f), "utf8"), readFileSync(join(cliDir, f), "utf8"), f);
  }
  // The page shows the same certificate plan as the CLI.
  await page.click("#cert-plan summary");
  assert.equal(await page.textContent("#cert-plan-script"),
    cli(["generate", "--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium", "-q", "-o", "cert-plan"]).stdout);
  const all = execFileSync("tar", ["-xOf", await download.path()], { encoding: "utf8" });
  assert.ok(!all.includes("PRIVATE KEY"), "no key material in the archive");
  // GNU tar's own listing: owner 0/0, time 0, scripts executable (the tar crate's headers).
  const verbose = execFileSync("tar", ["--numeric-owner", "--utc", "-tvf", await download.path()], { encoding: "utf8" }).trim().split("\n");
  for (const line of verbose) {
    const [mode, owner, , date] = line.split(/\s+/);
    assert.equal(owner, "0/0", line);
    assert.equal(date, "1970-01-01", line);
    assert.equal(mode, line.endsWith(".sh") ? "-rwxr-xr-x" : "-rw-r--r--", line);
  }
  await context.close();
});

test("served: the nodes' containerd and k0s versions give the CLI's trust files", async () => {
  const { page, context } = await open(targets()[0][1]);
  await page.click("#method-gateway");
  await page.fill("#external-fqdn", "cache.example.com");
  await page.fill("#gateway-class", "cilium");
  await page.fill("#ca-pem", fixture("root.pem"));
  await page.click("text=Nodes: containerd and k0s versions");
  await page.fill("#containerd-version", "1.7");
  await page.fill("#k0s-version", "1.35");
  await page.waitForSelector("#download-all");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-all")]);
  const dir = mkdtempSync(join(tmpdir(), "msr-expose-nodes-"));
  execFileSync("tar", ["-xf", await download.path(), "-C", dir]);
  const cliDir = mkdtempSync(join(tmpdir(), "msr-expose-nodes-cli-"));
  const listed = cli(["generate", "--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium",
    "--ca", join(fixtures(), "root.pem"), "--ca-file", "msr.cert.pem", "--containerd-version", "1.7", "--k0s-version", "1.35",
    "-q", "--out-dir", cliDir]).stdout.trim().split("\n").map((p) => p.slice(cliDir.length + 1));
  const clients = listed.filter((f) => f.startsWith("clients/"));
  assert.ok(clients.some((f) => f.includes("k0s")), clients.join(" "));
  for (const f of listed) {
    assert.equal(readFileSync(join(dir, "msr-cache-exposure", f), "utf8"), readFileSync(join(cliDir, f), "utf8"), f);
  }
  // The version reaches the files: containerd 1.x's format only.
  const all = execFileSync("tar", ["-xOf", await download.path()], { encoding: "utf8" });
  assert.ok(all.includes("io.containerd.grpc.v1.cri"), "containerd 1.x's plugin");
  assert.ok(!all.includes("io.containerd.cri.v1.images"), "not 2.x's");
  await context.close();
});

test("served: the quickest self-signed certificate (CA:TRUE) is a warning, and the outputs are given", async () => {
  const { page, context } = await open(targets()[0][1]);
  await page.click("#method-gateway");
  await page.fill("#external-fqdn", "cache.example.com");
  await page.fill("#gateway-class", "cilium");
  await page.fill("#cert-pem", fixture("quick.pem"));
  await page.fill("#ca-pem", fixture("quick.pem"));
  await page.waitForSelector('#findings [data-code="cert.leaf_is_ca"]');
  assert.match(await page.textContent('#findings [data-code="cert.leaf_is_ca"]'), /Go clients/);
  await page.waitForSelector("#cert-card .verified");
  assert.match(await page.textContent("#cert-card .verified"), /^against this CA: .*cache\.example\.com/);
  assert.match(await page.textContent("#manifest-yaml"), /^apiVersion/, (await codesIn(page, "#findings")).join(","));
  await context.close();
});

// (what the form is given, the same as CLI flags, why): the page lists every
// finding the CLI gives for the form — incomplete forms too, an empty
// field's under "To fill in" — and never says "everything checks out" then.
const FORMS = [
  [[], ["--method", "nodeport"], "an empty form: the node's FQDN is to fill in"],
  [[["select", "#platform", "mke4k"], ["click", "#method-gateway"], ["fill", "#external-fqdn", "cache.example.com"]],
    ["--platform", "mke4k", "--method", "gateway", "--external-fqdn", "cache.example.com"],
    "MKE 4k and the Gateway API: no documented GatewayClass, so the parent is to fill in"],
  [[["click", "#method-ingress"], ["fill", "#external-fqdn", "bad_name.example.com"]],
    ["--method", "ingress", "--external-fqdn", "bad_name.example.com"], "a name with an underscore, and Ingress's notes"],
];

test("served: choosing a platform on a fresh form switches to the method it implies", async () => {
  const { page, context } = await open(targets()[0][1]);
  await page.selectOption("#platform", "mke3");
  await page.waitForFunction(() => document.querySelector("#method-gateway").checked);
  // Once NodePort has been typed into, the choice is the operator's.
  await page.click("#method-nodeport");
  await page.fill("#node-fqdn", "worker1.example.com");
  await page.selectOption("#platform", "mke4k");
  assert.equal(await page.isChecked("#method-nodeport"), true);
  await context.close();
});

test("served: the page gives every finding the CLI gives for the form, incomplete ones too", async () => {
  for (const [actions, flags, why] of FORMS) {
    const { page, context } = await open(targets()[0][1]);
    for (const [act, sel, value] of actions) {
      if (act === "select") await page.selectOption(sel, value);
      else if (act === "click") await page.click(sel);
      else await page.fill(sel, value);
    }
    const out = cli(["generate", ...flags, "-v"]);
    const want = [...out.stderr.matchAll(/^(?:error|warning|info)\[([^\]]+)\]/gm)].map((m) => m[1]).sort();
    await page.waitForFunction((n) => document.querySelectorAll("#findings [data-code]").length >= n, want.length);
    const got = (await codesIn(page, "#findings")).sort();
    assert.deepEqual(got, want, why);
    assert.equal(await page.$("#findings p.ok"), null, `${why}: never "everything checks out" while something is missing`);
    await context.close();
  }
});

test("file: download works from file:// too", async () => {
  const url = targets()[1][1];
  const { page, context } = await open(url);
  await page.click("#method-ingress");
  await page.fill("#external-fqdn", "cache.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.includes("kind: Ingress"));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download-manifest")]);
  assert.equal(download.suggestedFilename(), "msrcacheingress.yaml");
  assert.equal(readFileSync(await download.path(), "utf8"), await page.textContent("#manifest-yaml"));
  await context.close();
});

test("served: every method's fields give the CLI's manifest", async () => {
  const { page, context, errors } = await open(targets()[0][1]);
  // The picker lists the registry's methods, in its order.
  assert.deepEqual(
    await page.$$eval(".methods input[type=radio]", (els) => els.map((e) => e.id)),
    ["method-nodeport", "method-loadbalancer", "method-gateway", "method-traefik", "method-openshift", "method-istio", "method-ingress"],
  );
  // (method, fields to fill, CLI flags, text the manifest must show) — every
  // method of the registry at least once.
  const cases = [
    ["nodeport", { "#node-fqdn": "worker1.example.com", "#node-port": "30443" },
      ["--method", "nodeport", "--node-fqdn", "worker1.example.com", "--node-port", "30443"], "nodePort: 30443"],
    ["loadbalancer", { "#external-fqdn": "cache.example.com", "#load-balancer-ip": "192.0.2.50" },
      ["--method", "loadbalancer", "--external-fqdn", "cache.example.com", "--load-balancer-ip", "192.0.2.50"], "type: LoadBalancer"],
    ["gateway", { "#external-fqdn": "cache.example.com", "#gateway-class": "cilium" },
      ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium"], "mode: Passthrough"],
    ["traefik", { "#external-fqdn": "cache.example.com" },
      ["--method", "traefik", "--external-fqdn", "cache.example.com"], "passthrough: true"],
    ["openshift", { "#external-fqdn": "cache.apps.ocp.example.com", "#insecure-edge-termination-policy": "Redirect" },
      ["--method", "openshift", "--external-fqdn", "cache.apps.ocp.example.com", "--insecure-edge-termination-policy", "Redirect"], "termination: passthrough"],
    ["istio", { "#external-fqdn": "cache.example.com", "#istio-selector": "istio=eu-gateway", "#istio-gateway": "" },
      ["--method", "istio", "--external-fqdn", "cache.example.com", "--istio-selector", "istio=eu-gateway"], "mode: PASSTHROUGH"],
    ["istio", { "#external-fqdn": "bücher.example", "#istio-selector": "", "#istio-gateway": "istio-system/shared" },
      ["--method", "istio", "--external-fqdn", "bücher.example", "--istio-gateway", "istio-system/shared"], "istio-system/shared"],
    ["ingress", { "#external-fqdn": "cache.example.com", "#path": "/" },
      ["--method", "ingress", "--external-fqdn", "cache.example.com", "--path", "/"], "ssl-passthrough"],
  ];
  for (const [method, fields, flags, marker] of cases) {
    await page.click(`#method-${method}`);
    for (const [sel, value] of Object.entries(fields)) await page.fill(sel, value);
    await page.waitForFunction((m) => document.querySelector("#manifest-yaml").textContent.includes(m), marker);
    assert.equal(await page.textContent("#manifest-yaml"), cli(["generate", ...flags, "-q"]).stdout, method);
    // Step text shows code as code, not as literal backticks, and what must
    // be set first is a readable list.
    const prose = await page.$$eval("#steps p", (els) => els.map((e) => e.textContent).join("\n"));
    assert.doesNotMatch(prose, /`/, "no literal backticks");
    for (const r of await page.$$eval("#steps .requires", (els) => els.map((e) => e.textContent))) {
      assert.match(r, /^Set first: \S.*\.$/, r);
      assert.doesNotMatch(r, /\) [A-Z_]+ \(/, `items are separated: ${r}`);
    }
    const titles = await page.$$eval("#steps h3", (els) => els.map((e) => e.textContent));
    assert.ok(titles.some((t) => t.startsWith("Test the endpoint")), `${method}: ${titles.join(" | ")}`);
  }
  // The MKE 3.9 preset fills in Envoy Gateway's class: the gateway method's
  // output, as the CLI writes it with --platform mke3.
  await page.click("#method-gateway");
  await page.fill("#external-fqdn", "cache.example.com");
  await page.fill("#gateway-class", "");
  await page.selectOption("#platform", "mke3");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.includes("envoy-gatewayingress"));
  assert.equal(await page.textContent("#manifest-yaml"),
    cli(["generate", "--platform", "mke3", "--external-fqdn", "cache.example.com", "-q"]).stdout);
  // The preset shows what it fills, in its field, marked as the platform's.
  assert.equal(await page.getAttribute("#gateway-class", "placeholder"), "envoy-gatewayingress (the platform's)");
  assert.match(await page.textContent("#findings"), /platform\.filled/);
  // MKE 4k names no class: the page says so instead of guessing.
  await page.selectOption("#platform", "mke4k");
  await page.waitForSelector('[data-code="platform.undocumented"]', { state: "attached" });
  await page.selectOption("#platform", "");
  // A Gateway field on an IP is the Gateway's own finding, under the field.
  await page.click("#method-gateway");
  await page.fill("#external-fqdn", "192.0.2.7");
  await page.waitForSelector('[data-code="gateway.ip_hostname"]', { state: "attached" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("1280 px: the outputs sit beside the form; sections are numbered", async () => {
  const { page, context } = await open(targets()[0][1], { width: 1280 });
  await page.fill("#node-fqdn", "worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
  const box = (sel) => page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { x: r.x, y: r.y + scrollY }; });
  const form = await box("#node-fqdn");
  const yaml = await box("#manifest-yaml");
  assert.ok(yaml.x > form.x + 300, `the manifest is beside the form (x ${yaml.x} vs ${form.x})`);
  assert.ok(yaml.y < 1400, `the manifest starts ${yaml.y}px down, not after the whole form`);
  const numbers = await page.$$eval(".msr-expose .columns > div > section > h2", (els) => els.map((e) => getComputedStyle(e, "::before").content));
  assert.ok(numbers.length >= 4 && numbers.every((n) => n.includes("counter(msr-section)")), numbers.join(" | "));
  // Every fold is labelled on its marker's line: a summary with text, whose
  // heading (if any) sits inline beside the marker, one line high.
  const folds = await page.$$eval(".msr-expose summary", (els) => els.map((s) => ({
    text: s.textContent.trim(),
    lines: Math.round(s.getBoundingClientRect().height / parseFloat(getComputedStyle(s).lineHeight || "20")),
    heading: s.querySelector("h2, h3") ? getComputedStyle(s.querySelector("h2, h3")).display : "none",
  })));
  assert.ok(folds.length >= 4, JSON.stringify(folds));
  for (const f of folds) {
    assert.ok(f.text.length > 0, `a summary without a label: ${JSON.stringify(f)}`);
    assert.notEqual(f.heading, "block", `the heading sits on the marker's line: ${JSON.stringify(f)}`);
  }
  await context.close();
});

test("keyboard only, labels, 360 px, dark mode", async () => {
  const { page, context } = await open(targets()[0][1], { width: 360 });
  // Every control has a label.
  const unlabeled = await page.$$eval("input, textarea, button", (els) =>
    els.filter((e) => !(e.labels?.length || e.getAttribute("aria-label") || e.textContent.trim())).map((e) => e.id));
  assert.deepEqual(unlabeled, []);
  // A key or CA given before the certificate gets an answer at once.
  await page.fill("#key-pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  await page.waitForSelector("#key-pem-findings .finding.error");
  await page.fill("#key-pem", fixture("leaf.key"));
  await page.waitForSelector('#key-pem-findings [data-code="cert.awaiting"]');
  await page.fill("#ca-pem", fixture("leaf.key"));
  await page.waitForSelector('#ca-pem-findings [data-code="pem.private_key_as_cert"]');
  await page.fill("#ca-pem", fixture("root.pem"));
  await page.waitForSelector('#ca-pem-findings [data-code="cert.awaiting"]');
  await page.fill("#key-pem", "");
  await page.fill("#ca-pem", "");
  // Each TLS field says what it takes; the key's is a key, not a certificate.
  assert.match(await page.getAttribute("#key-pem", "placeholder"), /^-----BEGIN PRIVATE KEY-----/);
  assert.match(await page.getAttribute("#ca-pem", "placeholder"), /CA clients trust/);
  // Leaving the node field empty asks for a worker node's name, as the
  // command line does without --node-fqdn.
  await page.focus("#node-fqdn");
  await page.focus("#namespace");
  await page.waitForSelector('#node-fqdn-findings [data-code="nodeport.node_fqdn_missing"]');
  assert.match(await page.textContent("#node-fqdn-findings"), /worker1\.example\.com/);
  assert.doesNotMatch(await page.textContent("#node-fqdn-findings"), /cache\.example\.com/);
  // Keyboard: tab to the node FQDN field and type.
  await page.focus("#method-nodeport");
  let guard = 0;
  while ((await page.evaluate(() => document.activeElement.id)) !== "node-fqdn" && guard++ < 20) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "node-fqdn");
  // The designed focus ring shows on the focused field (the CSS minifier
  // once joined ".msr-expose :focus-visible" into one selector).
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return `${s.outlineStyle} ${s.outlineWidth}`;
  });
  assert.equal(ring, "solid 3px", "the focus ring of style.css");
  await page.keyboard.type("worker1.example.com");
  await page.waitForFunction(() => document.querySelector("#manifest-yaml").textContent.startsWith("apiVersion"));
  // Readable at 360 px: nothing wider than the viewport but scrollable code blocks.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `page is ${overflow}px wide at 360px`);
  await page.screenshot({ path: join(root, "target", "page-360.png"), fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, "rgb(255, 255, 255)", "dark scheme changes the background");
  await context.close();
});

test("embed example mounts with a theme", async () => {
  const { page, context, errors } = await open(server.url + "embed-example.html");
  const accent = await page.$eval(".docs-theme", (e) => getComputedStyle(e).getPropertyValue("--msr-accent").trim());
  assert.equal(accent, "#7b2cbf");
  assert.ok(await page.$(".docs-theme #method-ingress"));
  // The host page keeps its own look: its body's margin, colours and font
  // are the browser's defaults, in light and in dark.
  const host = () => page.evaluate(() => {
    const s = getComputedStyle(document.body);
    return { margin: s.margin, bg: s.backgroundColor, color: s.color };
  });
  assert.deepEqual(await host(), { margin: "8px", bg: "rgba(0, 0, 0, 0)", color: "rgb(0, 0, 0)" });
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await host(), { margin: "8px", bg: "rgba(0, 0, 0, 0)", color: "rgb(0, 0, 0)" }, "the host is not turned dark");
  await page.emulateMedia({ colorScheme: "light" });
  // The theme variables work when set on any ancestor, the body included.
  const font = () => page.$eval(".msr-expose", (e) => getComputedStyle(e).fontFamily);
  assert.match(await font(), /Georgia/, "the mount element's theme");
  await page.evaluate(() => {
    document.querySelector(".docs-theme").classList.remove("docs-theme");
    document.body.style.setProperty("--msr-font", "monospace");
    document.body.style.setProperty("--msr-bg", "rgb(1, 2, 3)");
  });
  assert.equal(await font(), "monospace");
  assert.equal(await page.$eval(".msr-expose", (e) => getComputedStyle(e).backgroundColor), "rgb(1, 2, 3)");
  assert.deepEqual(errors, []);
  await context.close();
});
