// The JS API from Node: same findings and texts as the CLI, the certificate
// checks compiled to wasm agreeing with the native ones on the same fixtures,
// and no input that throws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { api, cli, dist, fixtures, fixture } from "./helpers.mjs";
import { join } from "node:path";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

const m = await api();

test("validateFqdn returns findings with stable codes", () => {
  assert.deepEqual(m.validateFqdn("Cache.Example.com.", "ingress").host, "cache.example.com");
  const url = m.validateFqdn("https://cache.example.com:443/v2", "ingress");
  assert.equal(url.host, null);
  assert.equal(url.findings[0].code, "fqdn.url");
  assert.equal(m.validateFqdn("192.0.2.1", "ingress").findings[0].code, "fqdn.ip_not_allowed");
  assert.equal(m.validateFqdn("192.0.2.1", "node").findings[0].code, "fqdn.ip_address");
});

const specs = [
  ["nodeport", { method: "nodeport", nodeFqdn: "worker1.example.com" }, ["--method", "nodeport", "--node-fqdn", "worker1.example.com"]],
  ["nodeport pinned", { method: "nodeport", nodeFqdn: "worker1.example.com", nodePort: 30443 }, ["--node-fqdn", "worker1.example.com", "--node-port", "30443"]],
  ["ingress", { method: "ingress", externalFqdn: "cache.example.com" }, ["--method", "ingress", "--external-fqdn", "cache.example.com"]],
  ["ingress custom", { method: "ingress", externalFqdn: "bücher.example", namespace: "edge", path: "/cache", legacySecureBackends: true },
    ["--external-fqdn", "bücher.example", "-n", "edge", "--path", "/cache", "--legacy-secure-backends"]],
  ["loadbalancer", { method: "loadbalancer", externalFqdn: "cache.example.com" }, ["--method", "loadbalancer", "--external-fqdn", "cache.example.com"]],
  ["loadbalancer fixed address", { method: "loadbalancer", externalFqdn: "192.0.2.50", loadBalancerIp: "192.0.2.50", externalTrafficPolicy: "Local", port: 8443 },
    ["--method", "loadbalancer", "--external-fqdn", "192.0.2.50", "--load-balancer-ip", "192.0.2.50", "--external-traffic-policy", "Local", "--port", "8443"]],
  ["gateway created", { method: "gateway", externalFqdn: "cache.example.com", gatewayClassName: "cilium" }, ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium"]],
  ["gateway attached", { method: "gateway", externalFqdn: "cache.example.com", gatewayName: "shared", gatewayNamespace: "infra", gatewayApiVersion: "v1alpha2" },
    ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-name", "shared", "--gateway-namespace", "infra", "--gateway-api-version", "v1alpha2"]],
  ["traefik", { method: "traefik", externalFqdn: "cache.example.com", entryPoints: ["tls"] }, ["--method", "traefik", "--external-fqdn", "cache.example.com", "--entry-points", "tls"]],
  ["openshift", { method: "openshift", externalFqdn: "cache.apps.ocp.example.com", insecureEdgeTerminationPolicy: "Redirect" },
    ["--method", "openshift", "--external-fqdn", "cache.apps.ocp.example.com", "--insecure-edge-termination-policy", "Redirect"]],
  ["istio", { method: "istio", externalFqdn: "cache.example.com", istioSelector: { istio: "eu-gateway" } },
    ["--method", "istio", "--external-fqdn", "cache.example.com", "--istio-selector", "istio=eu-gateway"]],
  ["istio attached", { method: "istio", externalFqdn: "cache.example.com", istioGateway: "istio-system/shared" },
    ["--method", "istio", "--external-fqdn", "cache.example.com", "--istio-gateway", "istio-system/shared"]],
  ["MKE 3.9 preset", { platform: "mke3", externalFqdn: "cache.example.com" }, ["--platform", "mke3", "--external-fqdn", "cache.example.com"]],
];

test("methods() lists the registry, as the CLI's --method takes it", () => {
  const listed = m.methods();
  assert.deepEqual(listed.map((x) => x.name), ["nodeport", "loadbalancer", "gateway", "traefik", "openshift", "istio", "ingress"]);
  for (const x of listed) {
    assert.ok(x.fields.includes(x.host), `${x.name}: its host field is one of its own`);
    // Every method generates through the same name the CLI takes, writing its file.
    const flags = x.host === "nodeFqdn" ? ["--node-fqdn", "w1.example.com", "--node-port", "30443"] : ["--external-fqdn", "cache.apps.example.com"];
    const extra = x.name === "gateway" ? ["--gateway-class", "c"] : [];
    const out = cli(["generate", "--method", x.name, ...flags, ...extra, "-q", "-o", "json"]);
    assert.equal(out.status, 0, `${x.name}: ${out.stderr}`);
    const spec = { method: x.name, [x.host]: flags[1], ...(x.host === "nodeFqdn" ? { nodePort: 30443 } : {}), ...(extra.length ? { gatewayClassName: "c" } : {}) };
    assert.equal(m.generate(spec).output.fileName, x.file, x.name);
  }
});

for (const [name, spec, flags] of specs) {
  test(`generate is byte-identical to the CLI: ${name}`, () => {
    const g = m.generate(spec);
    assert.ok(g.output, JSON.stringify(g.findings));
    assert.equal(g.output.yaml, cli(["generate", ...flags, "-q"]).stdout);
    assert.equal(g.output.json, cli(["generate", ...flags, "-q", "-o", "json"]).stdout);
    assert.equal(g.output.script, cli(["generate", ...flags, "-q", "-o", "steps"]).stdout);
  });
}

test("a spec as JSON text works too, and unknown fields are findings", () => {
  assert.ok(m.generate('{"method":"nodeport","nodeFqdn":"w1.example.com"}').output);
  const typo = m.generate({ method: "nodeport", nodefqdn: "w1.example.com" });
  assert.equal(typo.output, null);
  assert.equal(typo.findings[0].code, "spec.parse");
});

test("garbage never throws: every input gives findings", async () => {
  for (const input of [null, undefined, 42, "", "{", [], { method: "loadbalancer" }, { port: "x" }]) {
    const g = m.generate(input);
    assert.equal(g.output, null, String(input));
    assert.ok(g.findings.length > 0, String(input));
  }
  const junk = await m.checkTls({ method: "nodeport", nodeFqdn: "w1.example.com" }, { cert: "\u0000\uffff garbage -----BEGIN CERTIFICATE-----\n%%%" });
  assert.ok(junk.findings.some((f) => f.severity === "error"));
  const bytes = await m.checkTls({ method: "nodeport", nodeFqdn: "w1.example.com" }, { cert: new Uint8Array([0x30, 0x82, 0xff, 0xff, 1, 2, 3]) });
  assert.ok(bytes.findings.some((f) => f.code === "pem.bad_der"));
});

// The certificate checks compiled to wasm give the same findings and reports
// as the native build on the same fixtures, judged at the same instant.
const cases = [
  ["chain.pem", "leaf.key", "root.pem", ["--node-fqdn", "worker1.example.com"], { method: "nodeport", nodeFqdn: "worker1.example.com" }],
  ["ingress-chain.pem", null, "root.pem", ["--node-fqdn", "worker1.example.com"], { method: "nodeport", nodeFqdn: "worker1.example.com" }],
  ["ec-chain.pem", "ec-leaf.sec1.key", "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["ed-chain.pem", "ed.key", "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["expired-chain.pem", null, "root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["reversed.pem", "leaf2.key", "ca-with-int.pem", ["--node-fqdn", "192.0.2.10"], { method: "nodeport", nodeFqdn: "192.0.2.10" }],
  ["leaf.pem", "leaf.enc.key", "ca-with-int.pem", ["--node-fqdn", "worker1.example.com"], { method: "nodeport", nodeFqdn: "worker1.example.com" }],
  ["cnonly-chain.pem", null, null, ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["ssh-key.pub", null, null, ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["chain.p7b", null, null, ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["forged-ED25519-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["forged-ED448-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["p521-leaf.pem", null, "p521-ca.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["nc-permit-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["nc-empty-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["pathlen-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["eku-client-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["crit-unknown-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["deep-chain.pem", null, "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["ec-leaf.pem", "ec-leaf.key", "ec-int.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["ec-root.pem", "ec-root.sec1.key", "ec-root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
  ["noaki-fake-chain.pem", null, "root.pem", ["--external-fqdn", "cache.example.com"], { method: "ingress", externalFqdn: "cache.example.com" }],
];
for (const [cert, key, ca, flags, spec] of cases) {
  test(`wasm and native certificate checks agree: ${cert}`, async () => {
    const now = Math.floor(Date.now() / 1000);
    const at = new Date(now * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    const dir = fixtures();
    const args = ["check", "--cert", join(dir, cert), ...flags, "--at", at, "-o", "json"];
    if (key) args.push("--key", join(dir, key));
    if (ca) args.push("--ca", join(dir, ca));
    const native = JSON.parse(cli(args).stdout);
    const wasm = await m.checkTls(spec, { cert: fixture(cert), key: key ? fixture(key) : undefined, ca: ca ? fixture(ca) : undefined, now });
    assert.deepEqual(wasm.findings, native.findings);
    assert.deepEqual(wasm.certificates, native.certificates);
    assert.equal(wasm.keyMatches, native.keyMatches);
  });
}

test("finding-codes.json beside the JS API lists every code the findings use", () => {
  const codes = JSON.parse(readFileSync(join(dist, "pkg", "finding-codes.json"), "utf8"));
  assert.deepEqual(codes, JSON.parse(cli(["codes", "-o", "json"]).stdout));
  assert.ok(codes.every((c) => c.code && c.meaning && c.fix));
  const known = new Set(codes.map((c) => c.code));
  const seen = m.generate({ method: "ingress", externalFqdn: "https://x.example.com/", path: "/cache" }).findings;
  assert.ok(seen.every((f) => known.has(f.code)), JSON.stringify(seen.map((f) => f.code)));
});

test("certPlan, certManager and bundle equal the CLI's", () => {
  const spec = { method: "loadbalancer", externalFqdn: "cache.example.com", port: 8443 };
  const flags = ["--method", "loadbalancer", "--external-fqdn", "cache.example.com", "--port", "8443", "-q"];
  assert.equal(m.certPlan(spec, { labCa: true, keyType: "rsa3072" }).text, cli(["generate", ...flags, "-o", "cert-plan", "--lab-ca", "--key-type", "rsa3072"]).stdout);
  assert.equal(m.certManager(spec, { issuer: "msr-ca", issuerKind: "ClusterIssuer" }).text,
    cli(["generate", ...flags, "-o", "cert-manager", "--issuer", "msr-ca", "--issuer-kind", "ClusterIssuer"]).stdout);
  assert.equal(m.certManager(spec, { issuer: "" }).text, null);
  const dir = mkdtempSync(join(tmpdir(), "msr-expose-bundle-"));
  const caFile = join(fixtures(), "root.pem");
  const listed = cli(["generate", ...flags, "--ca", caFile, "--ca-file", "msr.cert.pem", "--out-dir", dir]).stdout.trim().split("\n");
  const b = m.bundle({ ...spec, caFile: "msr.cert.pem" }, fixture("root.pem"));
  assert.deepEqual(b.files.map((f) => join(dir, f.path)), listed);
  for (const f of b.files) assert.equal(f.content, readFileSync(join(dir, f.path), "utf8"), f.path);
  // An allocated node port: no client files can be named yet; a finding says so.
  const np = m.bundle({ method: "nodeport", nodeFqdn: "w1.example.com" }, fixture("root.pem"));
  assert.equal(np.files, null);
  assert.ok(np.findings.some((f) => f.code === "clients.port_unknown"));
});
