// The emitted TypeScript types describe the JS API: a documentation site's
// typical use type-checks with tsc (strict).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./helpers.mjs";

test("the JS API's TypeScript types check", () => {
  const tsc = join(root, "tests", "e2e", "node_modules", ".bin", "tsc");
  const out = execFileSync(tsc, ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022",
    "--moduleResolution", "bundler", "--skipLibCheck", "false", join(root, "tests", "e2e", "types-check.ts")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(out, "");
});

// The types are written once (web-api/src/api.rs) and Finding.code is
// generated from the codes table; this checks them against what serde
// actually returns: every sample answer of the API, as a literal typed with
// its declared interface, must pass tsc's strict and excess-property checks
// (a field the types lack, a missing field, a wrong type: all fail).
test("the types describe the API's actual answers (serde's output, checked by tsc)", async () => {
  const { api, fixture } = await import("./helpers.mjs");
  const { writeFileSync, mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const m = await api();
  const ingress = { method: "ingress", externalFqdn: "cache.example.com" };
  const node = { method: "nodeport", nodeFqdn: "worker1.example.com" };
  const samples = [
    ["Generation", m.generate(ingress)],
    ["Generation", m.generate({ method: "gateway", externalFqdn: "cache.example.com", gatewayClassName: "cilium" })],
    ["Generation", m.generate({ method: "nodeport" })],
    ["Generation", m.generate("{")],
    ["Generation", await m.checkTls(node, { cert: fixture("chain.pem"), key: fixture("leaf.key"), ca: fixture("root.pem") })],
    ["Generation", await m.checkTls(node, { cert: "junk" })],
    ["FqdnResult", m.validateFqdn("Cache.example.com.", "ingress")],
    ["FqdnResult", m.validateFqdn("https://x", "node")],
    ["Bundle", m.bundle(node, fixture("root.pem"))],
    ["Bundle", m.bundle({}, undefined)],
    ["TextResult", m.certPlan(ingress, { labCa: true })],
    ["TextResult", m.certManager(ingress, { issuer: "lab-ca" })],
    ["TextResult", m.certManager(ingress, { issuer: "" })],
    ["MethodInfo[]", m.methods()],
    ["Generation", m.generate({ method: "istio", externalFqdn: "cache.example.com", istioSelector: { istio: "x" } })],
    ["Generation", m.generate({ platform: "mke4k", externalFqdn: "cache.example.com" })],
  ];
  const dir = mkdtempSync(join(tmpdir(), "msr-expose-types-"));
  const types = [...new Set(samples.map(([t]) => t.replace("[]", "")))].join(", ");
  const file = join(dir, "answers.ts");
  writeFileSync(file, `import type { ${types} } from ${JSON.stringify(join(root, "dist", "pkg", "msr-expose.js"))};\n` +
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
