// The page's fleet mode in real headless Chromium (Debian's, through
// playwright-core), served on 127.0.0.1: a fleet file pasted, the files it
// names chosen, a row per cache with its verdict, a cache added from the
// configurator, and "Download all" giving, byte for byte, the tree
// `msr-expose fleet generate` writes. The fleet's code (the JS API's fleet
// module) is fetched only when the mode is used; the single-file page says
// it has no fleet mode instead of failing silently.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { browserAndServer, cli, dist, fixture, fixtures, tree } from "./helpers.mjs";

const env = browserAndServer();

const fleet = {
  gitops: { repoURL: "https://git.example.com/ops/msr-caches.git" },
  defaults: { ca: "root.pem" },
  caches: [
    { name: "eu1", method: "gateway", gatewayClassName: "envoy-gatewayingress", externalFqdn: "cache.example.com", cert: "ingress-chain.pem", context: "eu1-admin" },
    { name: "us1", method: "nodeport", nodeFqdn: "worker1.example.com", nodePort: 30443, cert: "chain.pem" },
    { name: "ap1", method: "traefik", externalFqdn: "cache-ap1.example.com", namespace: "registry" },
  ],
};

async function open(url) {
  const context = await env.browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("html[data-msr-expose-ready]");
  return { page, context, requests, errors };
}


test("served: the fleet mode's Download all is the tree msr-expose fleet generate writes", async () => {
  const { page, context, requests, errors } = await open(env.server.url + "index.html");
  assert.ok(!requests.some((r) => r.includes("msr-expose-fleet")), "the fleet module is not part of the page's load");
  await page.click("#fleet summary");
  await page.fill("#fleet-text", JSON.stringify(fleet, null, 2));
  await page.setInputFiles("#fleet-files", ["root.pem", "ingress-chain.pem", "chain.pem"].map((n) => join(fixtures(), n)));
  await page.waitForSelector('#fleet-caches tr[data-cache="ap1"]');
  assert.ok(requests.some((r) => r.endsWith("/pkg/msr-expose-fleet_bg.wasm")), "fetched once the mode is used");
  const verdict = async (name) => page.textContent(`#fleet-caches tr[data-cache="${name}"] td:nth-child(4)`);
  // (cache, verdict, reason) — the rows of msr-expose fleet check.
  for (const [name, want, why] of [
    ["eu1", "ok", "the ingress chain names cache.example.com"],
    ["us1", "ok", "the node chain names worker1.example.com"],
    ["ap1", "not checked", "no certificate named"],
  ]) {
    await page.waitForFunction(([n, w]) => document.querySelector(`#fleet-caches tr[data-cache="${n}"] td:nth-child(4)`)?.textContent === w, [name, want]);
    assert.equal(await verdict(name), want, `${name}: ${why}`);
  }
  await page.waitForSelector("#fleet-download:not([disabled])");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#fleet-download")]);
  assert.equal(download.suggestedFilename(), "msr-caches.tar");
  const got = mkdtempSync(join(tmpdir(), "msr-fleet-page-"));
  const want = mkdtempSync(join(tmpdir(), "msr-fleet-cli-"));
  try {
    execFileSync("tar", ["-xf", await download.path(), "-C", got]);
    for (const n of ["root.pem", "ingress-chain.pem", "chain.pem"]) writeFileSync(join(want, n), fixture(n));
    writeFileSync(join(want, "fleet.json"), JSON.stringify(fleet));
    const o = cli(["fleet", "generate", "-q", "--config", join(want, "fleet.json"), "--out-dir", join(want, "out")]);
    assert.equal(o.status, 0, o.stderr);
    const page_ = tree(join(got, "msr-caches"));
    const cli_ = tree(join(want, "out"));
    assert.deepEqual([...page_.keys()].sort(), [...cli_.keys()].sort(), "the same files");
    for (const [path, content] of cli_) assert.equal(page_.get(path), content, path);
    const verbose = execFileSync("tar", ["--numeric-owner", "--utc", "-tvf", await download.path()], { encoding: "utf8" }).trim().split("\n");
    for (const line of verbose) {
      assert.equal(line.split(/\s+/)[0], line.endsWith(".sh") ? "-rwxr-xr-x" : "-rw-r--r--", line);
    }
    const all = execFileSync("tar", ["-xOf", await download.path()], { encoding: "utf8" });
    assert.ok(!all.includes("PRIVATE KEY"), "no key material in the archive");
  } finally {
    rmSync(got, { recursive: true, force: true });
    rmSync(want, { recursive: true, force: true });
  }
  const origin = new URL(env.server.url).origin;
  assert.deepEqual(requests.filter((r) => !r.startsWith(origin) && !r.startsWith("blob:") && !r.startsWith("data:")), [], "nothing leaves the page");
  assert.deepEqual(errors, []);
  await context.close();
});

test("served: a fleet built cache by cache from the configurator; a broken fleet withholds the download", async () => {
  const { page, context, errors } = await open(env.server.url + "index.html");
  await page.click("#method-traefik");
  await page.fill("#external-fqdn", "cache-eu1.example.com");
  await page.click("#fleet summary");
  await page.fill("#fleet-add-name", "eu1");
  await page.click("#fleet-add");
  await page.waitForSelector('#fleet-caches tr[data-cache="eu1"]');
  await page.fill("#external-fqdn", "cache-us1.example.com");
  await page.fill("#fleet-add-name", "us1");
  await page.click("#fleet-add");
  await page.waitForSelector('#fleet-caches tr[data-cache="us1"]');
  const built = JSON.parse(await page.inputValue("#fleet-text"));
  assert.deepEqual(built.caches.map((c) => [c.name, c.method, c.externalFqdn, c.serviceName]),
    [["eu1", "traefik", "cache-eu1.example.com", "msr-cache"], ["us1", "traefik", "cache-us1.example.com", "msr-cache"]]);
  // The same fleet through the CLI: every cache valid, the same endpoints.
  const dir = mkdtempSync(join(tmpdir(), "msr-fleet-built-"));
  try {
    writeFileSync(join(dir, "fleet.json"), JSON.stringify(built));
    const o = cli(["fleet", "check", "--config", join(dir, "fleet.json"), "-o", "json"]);
    assert.deepEqual(JSON.parse(o.stdout).caches.map((c) => c.endpoint), ["https://cache-eu1.example.com", "https://cache-us1.example.com"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A name that cannot name a directory is said, and nothing is added.
  await page.fill("#fleet-add-name", "EU 2");
  await page.click("#fleet-add");
  await page.waitForSelector("#fleet-problem");
  assert.match(await page.textContent("#fleet-problem"), /fleet\.cache_name_invalid/);
  // A broken fleet: findings naming the cache and the field; no download.
  await page.fill("#fleet-text", JSON.stringify({ caches: [{ name: "eu1", method: "traefik", externalFqdn: "a_b.example.com" }] }));
  await page.waitForSelector('[data-code="fqdn.invalid_char"]');
  assert.ok(await page.isDisabled("#fleet-download"));
  await page.fill("#fleet-text", "{ not json");
  await page.waitForSelector('[data-code="fleet.parse"]');
  assert.ok(await page.isDisabled("#fleet-download"));
  assert.deepEqual(errors, []);
  await context.close();
});

test("file: the single-file page says its fleet mode needs the served page", async () => {
  const { page, context } = await open(pathToFileURL(join(dist, "msr-expose.html")).href);
  await page.click("#fleet summary");
  await page.fill("#fleet-text", JSON.stringify(fleet));
  await page.waitForSelector("#fleet-problem");
  assert.match(await page.textContent("#fleet-problem"), /needs the served page/);
  await context.close();
});
