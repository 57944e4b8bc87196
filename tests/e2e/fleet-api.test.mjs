// The JS API's fleet module (dist/pkg/msr-expose-fleet.js) from Node:
// fleetGenerate writes, byte for byte, the tree `msr-expose fleet generate`
// writes; fleetCheck gives the rows of `msr-expose fleet check -o json`
// (its signatures verified by WebCrypto, the CLI's by ring); bad fleets get
// findings naming the cache and the field, never an exception.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cli, fixture, fleetApi, root, tree } from "./helpers.mjs";
import { join } from "node:path";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const m = await fleetApi();

// Every method and shape, shared defaults, a fleet CA, a GitOps section.
const fleet = {
  gitops: { repoURL: "https://git.example.com/ops/msr-caches.git", revision: "main", path: "sites/caches" },
  defaults: { ca: "root.pem", context: "admin" },
  caches: [
    { name: "eu1", method: "gateway", gatewayClassName: "envoy-gatewayingress", externalFqdn: "cache-eu1.example.com", cert: "ingress-chain.pem" },
    { name: "eu2", method: "gateway", gatewayClassName: "cilium", externalFqdn: "cache-eu2.example.com", namespace: "registry-edge", serviceName: "cache-eu2", port: 8443 },
    { name: "eu3", method: "gateway", gatewayName: "shared", gatewayNamespace: "infra", externalFqdn: "cache-eu3.example.com" },
    { name: "us1", method: "nodeport", nodeFqdn: "worker1.example.com", nodePort: 30043, cert: "chain.pem", key: "leaf.key" },
    { name: "lb1", method: "loadbalancer", externalFqdn: "cache-lb1.example.com" },
    { name: "tr1", method: "traefik", externalFqdn: "cache.example.com", entryPoints: ["tls"], cert: "ingress-chain.pem" },
    { name: "os1", method: "openshift", externalFqdn: "cache-os1.apps.example.com" },
    { name: "is1", method: "istio", externalFqdn: "cache-is1.example.com" },
    { name: "is2", method: "istio", externalFqdn: "cache-is2.example.com", istioGateway: "istio-system/shared" },
    { name: "ng1", method: "ingress", externalFqdn: "bücher.example" },
  ],
};
const names = ["root.pem", "ingress-chain.pem", "chain.pem", "leaf.key"];
const files = Object.fromEntries(names.map((n) => [n, fixture(n)]));

/** The CLI's run on the same fleet, written beside its files. */
function cliDir() {
  const dir = mkdtempSync(join(tmpdir(), "msr-fleet-api-"));
  for (const n of names) writeFileSync(join(dir, n), files[n]);
  writeFileSync(join(dir, "fleet.json"), JSON.stringify(fleet, null, 2));
  return dir;
}


test("fleetGenerate gives, byte for byte, the tree msr-expose fleet generate writes", () => {
  const dir = cliDir();
  try {
    const o = cli(["fleet", "generate", "-q", "--config", join(dir, "fleet.json"), "--out-dir", join(dir, "out")]);
    assert.equal(o.status, 0, o.stderr);
    const written = tree(join(dir, "out"));
    const r = m.fleetGenerate(fleet, files);
    assert.ok(r.files, JSON.stringify(r.findings));
    assert.deepEqual(r.files.map((f) => f.path).sort(), [...written.keys()].sort(), "the same files");
    for (const f of r.files) {
      assert.equal(f.content, written.get(f.path), f.path);
      const mode = statSync(join(dir, "out", f.path)).mode & 0o777;
      assert.equal(mode, f.executable ? 0o755 : 0o644, `${f.path}: its mode`);
    }
    // The same from JSON text.
    const fromText = m.fleetGenerate(JSON.stringify(fleet), files);
    assert.deepEqual(fromText.files, r.files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fleetCheck gives the rows of msr-expose fleet check -o json", async () => {
  const dir = cliDir();
  try {
    const at = "2027-01-01T00:00:00Z";
    const o = cli(["fleet", "check", "--config", join(dir, "fleet.json"), "--at", at, "-o", "json"]);
    const native = JSON.parse(o.stdout);
    const r = await m.fleetCheck(fleet, files, Date.parse(at) / 1000);
    assert.equal(r.ok, native.ok);
    assert.deepEqual(r.caches, native.caches, "WebCrypto and ring, the same verdicts");
    assert.deepEqual(r.findings, []);
    const verdict = Object.fromEntries(r.caches.map((c) => [c.name, c.verdict]));
    assert.equal(verdict.tr1, "ok", "the ingress chain names cache.example.com");
    assert.equal(verdict.eu1, "errors", "it does not name cache-eu1.example.com");
    assert.equal(verdict.lb1, "not checked");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// (input, files, code, field, reason)
const bad = [
  ["{", {}, "fleet.parse", "fleet", "not JSON"],
  ["name: eu1\n", {}, "fleet.parse", "fleet", "YAML: the browser reads JSON (msr-expose reads both)"],
  [{ caches: [] }, {}, "fleet.no_caches", "caches", "no caches"],
  [{ caches: [{ name: "eu1", externalFQDN: "x" }] }, {}, "fleet.parse", "caches[eu1]", "a typo is not dropped"],
  [{ caches: [{ name: "eu1", method: "traefik", externalFqdn: "a_b.example.com" }] }, {}, "fqdn.invalid_char", "caches[eu1].externalFqdn", "a spec error names the cache"],
  [{ caches: [{ name: "eu1", method: "traefik", externalFqdn: "a.example.com", ca: "ca.pem" }] }, {}, "fleet.file_unreadable", "caches[eu1].ca", "a CA not given"],
  [null, {}, "fleet.parse", "fleet", "null"],
  [42, {}, "fleet.parse", "fleet", "a number"],
];
for (const [input, given, code, field, why] of bad) {
  test(`fleetGenerate on a bad fleet gives findings and no files: ${why}`, async () => {
    const r = m.fleetGenerate(input, given);
    assert.equal(r.files, null, why);
    assert.ok(r.findings.some((f) => f.code === code && f.field === field && f.severity === "error"), `${why}: ${JSON.stringify(r.findings)}`);
    const c = await m.fleetCheck(input, given);
    assert.equal(c.ok, false, why);
  });
}

test("the fleet module's types describe its answers (tsc, strict)", async () => {
  const { execFileSync } = await import("node:child_process");
  const samples = [
    ["Bundle", m.fleetGenerate(fleet, files)],
    ["Bundle", m.fleetGenerate("{", {})],
    ["FleetReport", await m.fleetCheck(fleet, files, 1798761600)],
    ["FleetReport", await m.fleetCheck("{", undefined)],
  ];
  const dir = mkdtempSync(join(tmpdir(), "msr-expose-fleet-types-"));
  const file = join(dir, "answers.ts");
  writeFileSync(file, `import type { Bundle, Fleet, FleetReport } from ${JSON.stringify(join(root, "dist", "pkg", "msr-expose-fleet.js"))};\n` +
    `export const fleet: Fleet = ${JSON.stringify(fleet)};\n` +
    samples.map(([t, v], i) => `export const a${i}: ${t} = ${JSON.stringify(v)};`).join("\n") + "\n");
  const tsc = join(root, "tests", "e2e", "node_modules", ".bin", "tsc");
  try {
    execFileSync(tsc, ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", file],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    assert.fail(`the declared types do not fit the answers:\n${e.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
