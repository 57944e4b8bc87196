// Shared helpers of the Node tests: paths, the CLI as the reference, the
// certificate fixtures (made by openssl through tests/fixtures/make-certs.sh),
// the JS API loaded from dist/pkg, and Debian's Chromium.
import { before, after } from "node:test";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const dist = join(root, "dist");
export const bin = process.env.MSR_EXPOSE_BIN ?? join(root, "target", "debug", "msr-expose");

/** Runs the CLI; returns { status, stdout, stderr }. */
export function cli(args) {
  try {
    const stdout = execFileSync(bin, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { status: 0, stdout, stderr: "" };
  } catch (e) {
    return { status: e.status, stdout: e.stdout?.toString() ?? "", stderr: e.stderr?.toString() ?? "" };
  }
}

let fixtureDir;
/** The certificate fixtures, made once per process. */
export function fixtures() {
  if (!fixtureDir) {
    fixtureDir = mkdtempSync(join(tmpdir(), "msr-expose-e2e-"));
    execFileSync("bash", [join(root, "tests", "fixtures", "make-certs.sh"), fixtureDir], { stdio: "ignore" });
  }
  return fixtureDir;
}
export const fixture = (name) => readFileSync(join(fixtures(), name), "utf8");

/** The JS API (ES module + wasm from dist/pkg), initialised. */
export async function api() {
  const pkg = join(dist, "pkg", "msr-expose.js");
  if (!existsSync(pkg)) throw new Error(`${pkg} is missing: run make dist first (make test does)`);
  const mod = await import(pkg);
  mod.initSync({ module: readFileSync(join(dist, "pkg", "msr-expose_bg.wasm")) });
  return mod;
}

/** Every file under `dir` as path → text (`.msr-expose-written`, the
 *  record of --out-dir, left out): to compare a written tree with another. */
export function tree(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e !== ".msr-expose-written") out.set(relative(dir, p), readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** The JS API's fleet module (dist/pkg/msr-expose-fleet.js), initialised. */
export async function fleetApi() {
  const pkg = join(dist, "pkg", "msr-expose-fleet.js");
  if (!existsSync(pkg)) throw new Error(`${pkg} is missing: run make dist first (make test does)`);
  const mod = await import(pkg);
  mod.initSync({ module: readFileSync(join(dist, "pkg", "msr-expose-fleet_bg.wasm")) });
  return mod;
}

/** Debian's Chromium through playwright-core (never a downloaded browser). */
export async function chromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--no-first-run", "--disable-quic", "--disable-sync"],
  });
}

/** Serves `dir` (dist/ unless said) on 127.0.0.1 with scripts/serve.py
 *  (brotli and gzip as the request accepts them, application/wasm), as a
 *  documentation site would; `encodings` limits what it offers ("gzip": a
 *  host without brotli). Resolves to { url, stop }. */
export function serve(encodings, dir = dist) {
  return new Promise((resolve, reject) => {
    const args = [join(root, "scripts", "serve.py"), dir, "0", ...(encodings ? ["--encodings", encodings] : [])];
    const p = spawn("python3", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const onData = (d) => {
      out += d.toString();
      const m = out.match(/port (\d+)/);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}/`, stop: () => p.kill() });
    };
    p.stdout.on("data", onData);
    p.stderr.on("data", onData);
    p.on("error", reject);
    setTimeout(() => reject(new Error("scripts/serve.py did not start: " + out)), 10000);
  });
}

/** Bytes on the wire and the Content-Encoding of every response while
 *  `load` runs in a fresh page. */
export async function transfers(browser, load) {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const urls = new Map();
  const coding = new Map();
  const bytes = new Map();
  cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
  cdp.on("Network.responseReceived", (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    coding.set(e.requestId, h["content-encoding"] ?? "identity");
  });
  // encodedDataLength: what went over the wire for the response (headers and
  // the body as encoded).
  cdp.on("Network.loadingFinished", (e) => bytes.set(e.requestId, e.encodedDataLength));
  await load(page);
  await page.waitForLoadState("networkidle");
  await page.close();
  return [...bytes].map(([id, n]) => ({ url: urls.get(id) ?? id, encoding: coding.get(id), bytes: n }));
}

/** Serious and critical accessibility violations axe-core (npm) finds in
 *  the page, as "rule (impact): target — why" lines. */
export async function axeViolations(page) {
  const source = readFileSync(join(root, "tests", "e2e", "node_modules", "axe-core", "axe.min.js"), "utf8");
  // evaluate() runs outside the page's CSP, which allows no inline script.
  await page.evaluate(source);
  const result = await page.evaluate(() => globalThis.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary?.split("\n")[1] ?? ""}`));
}

/** One Debian Chromium and one served dist/ for the tests of the calling
 *  file: started before its first test, stopped after its last. Read them
 *  as `env.browser` and `env.server` inside the tests. */
export function browserAndServer() {
  const env = {};
  before(async () => {
    env.browser = await chromium();
    env.server = await serve();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}
