// The custom resources msr-expose writes (Gateway API's Gateway and TLSRoute,
// Traefik's IngressRouteTCP, Istio's Gateway and VirtualService) validate
// against their official CRD schemas: the @kubernetes-models packages from
// npm are generated from those CRDs (Gateway API standard channel with
// TLSRoute v1; Traefik's CRDs; Istio's networking.istio.io CRDs) and carry
// their OpenAPI schemas as validators. Core kinds are checked by
// kubernetes-validate in the Rust integration tests. OpenShift's Route has no
// schema package on any registry reachable here (no @kubernetes-models
// package for OpenShift); its shape is held by the goldens and the core's
// typed struct, and the gap is said in the issue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Gateway, TLSRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1";
import { TLSRoute as TLSRouteV1alpha2 } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2";
import { IngressRouteTCP } from "@kubernetes-models/traefik/traefik.io/v1alpha1";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1";
import { Gateway as IstioGateway, VirtualService } from "@kubernetes-models/istio/networking.istio.io/v1";
import { ApplicationSet } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";
import { Kustomization as FluxKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1";
import { parse as parseYaml } from "yaml";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli } from "./helpers.mjs";

const models = {
  "gateway.networking.k8s.io/v1 Gateway": Gateway,
  "gateway.networking.k8s.io/v1 TLSRoute": TLSRoute,
  "gateway.networking.k8s.io/v1alpha2 TLSRoute": TLSRouteV1alpha2,
  "traefik.io/v1alpha1 IngressRouteTCP": IngressRouteTCP,
  "cert-manager.io/v1 Certificate": Certificate,
  "networking.istio.io/v1 Gateway": IstioGateway,
  "networking.istio.io/v1 VirtualService": VirtualService,
};

// (case, flags, kinds expected) — every shape of the custom-resource methods.
const cases = [
  ["gateway, created", ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium"], ["Gateway", "TLSRoute"]],
  ["gateway, attached across namespaces", ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-name", "shared", "--gateway-namespace", "infra", "--listener-name", "tls"], ["TLSRoute"]],
  ["gateway, v1alpha2 route", ["--method", "gateway", "--external-fqdn", "bücher.example", "--gateway-name", "shared", "--gateway-api-version", "v1alpha2"], ["TLSRoute"]],
  ["gateway, other port and names", ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "istio", "-n", "registry-edge", "--name", "cache-eu1", "--port", "8443"], ["Gateway", "TLSRoute"]],
  ["gateway, attached to a ListenerSet", ["--method", "gateway", "--external-fqdn", "cache.example.com", "--listener-set-name", "cache-listeners", "--listener-name", "tls"], ["TLSRoute"]],
  ["traefik", ["--method", "traefik", "--external-fqdn", "cache.example.com"], ["IngressRouteTCP"]],
  ["traefik, entry points", ["--method", "traefik", "--external-fqdn", "cache.example.com", "--entry-points", "tls,websecure"], ["IngressRouteTCP"]],
  ["istio, created", ["--method", "istio", "--external-fqdn", "cache.example.com"], ["Gateway", "VirtualService"]],
  ["istio, own selector and port", ["--method", "istio", "--external-fqdn", "cache.example.com", "--istio-selector", "istio=eu-gateway,app=istio-ingressgateway", "--port", "8443", "-n", "registry"], ["Gateway", "VirtualService"]],
  ["istio, existing Gateway", ["--method", "istio", "--external-fqdn", "bücher.example", "--istio-gateway", "istio-system/shared"], ["VirtualService"]],
];

for (const [name, flags, kinds] of cases) {
  test(`custom resources validate against their CRD schemas: ${name}`, () => {
    const out = cli(["generate", ...flags, "-q", "-o", "json"]);
    assert.equal(out.status, 0, out.stderr);
    const doc = JSON.parse(out.stdout);
    const objects = doc.kind === "List" ? doc.items : [doc];
    assert.deepEqual(objects.map((o) => o.kind), kinds);
    for (const o of objects) {
      const Model = models[`${o.apiVersion} ${o.kind}`];
      assert.ok(Model, `no schema for ${o.apiVersion} ${o.kind}`);
      assert.doesNotThrow(() => new Model(o).validate(), `${o.kind} is valid`);
    }
  });
}

test("the schemas catch a broken object (the validators are live)", () => {
  const out = JSON.parse(cli(["generate", "--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium", "-q", "-o", "json"]).stdout);
  const gateway = structuredClone(out.items[0]);
  gateway.spec.listeners[0].port = 70000;
  assert.throws(() => new Gateway(gateway).validate());
  const route = structuredClone(out.items[1]);
  route.spec.parentRefs = "not a list";
  assert.throws(() => new TLSRoute(route).validate());
  const istio = JSON.parse(cli(["generate", "--method", "istio", "--external-fqdn", "cache.example.com", "-q", "-o", "json"]).stdout);
  const server = structuredClone(istio.items[0]);
  server.spec.servers[0].port.number = "four-four-three";
  assert.throws(() => new IstioGateway(server).validate());
  const vs = structuredClone(istio.items[1]);
  vs.spec.tls[0].match = "not a list";
  assert.throws(() => new VirtualService(vs).validate());
});

// cert-manager Certificates for the interface's name: a DNS name, an
// address (ipAddresses), an RSA key, a ClusterIssuer.
const certificates = [
  ["dns name, Issuer", ["--method", "gateway", "--external-fqdn", "cache.example.com", "--gateway-class", "cilium", "--issuer", "msr-ca"], "dnsNames"],
  ["address, ClusterIssuer, RSA", ["--method", "nodeport", "--node-fqdn", "192.0.2.10", "--node-port", "30443", "--issuer", "corp", "--issuer-kind", "ClusterIssuer", "--key-type", "rsa3072"], "ipAddresses"],
];
for (const [name, flags, names] of certificates) {
  test(`the cert-manager Certificate validates against its CRD schema: ${name}`, () => {
    const out = cli(["generate", ...flags, "-q", "-o", "cert-manager"]);
    assert.equal(out.status, 0, out.stderr);
    const cert = parseYaml(out.stdout);
    assert.equal(cert.kind, "Certificate");
    assert.ok(cert.spec[names]?.length === 1, JSON.stringify(cert.spec));
    assert.doesNotThrow(() => new Certificate(cert).validate());
  });
}

// `fleet generate`'s GitOps objects: the Argo CD ApplicationSet and a Flux
// Kustomization per cache, against the schemas of Argo CD's and Flux's CRDs
// (@kubernetes-models/argo-cd and flux-cd, generated from them).
// (case, gitops section, caches)
const fleets = [
  ["repository root, default revision", "gitops:\n  repoURL: https://git.example.com/ops/caches.git\n", ["eu1", "us1"]],
  ["a path, a branch, an SSH URL and another Flux source", "gitops:\n  repoURL: git@git.example.com:ops/caches.git\n  revision: main\n  path: sites/msr\n  fluxSource: caches-repo\n", ["eu1", "us1"]],
];
for (const [name, gitops, caches] of fleets) {
  test(`fleet generate's ApplicationSet and Flux Kustomizations validate against their CRD schemas: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), "msr-fleet-"));
    try {
      const fleet = `${gitops}defaults:\n  method: traefik\ncaches:\n  - name: eu1\n    context: eu1-admin\n    externalFqdn: cache-eu1.example.com\n  - name: us1\n    method: nodeport\n    nodeFqdn: w1.us.example.com\n`;
      writeFileSync(join(dir, "fleet.yaml"), fleet);
      const out = cli(["fleet", "generate", "-q", "--config", join(dir, "fleet.yaml"), "--out-dir", join(dir, "out")]);
      assert.equal(out.status, 0, out.stderr);
      const set = parseYaml(readFileSync(join(dir, "out/gitops/argocd/applicationset.yaml"), "utf8"));
      assert.doesNotThrow(() => new ApplicationSet(set).validate(), "ApplicationSet is valid");
      assert.deepEqual(set.spec.generators[0].list.elements.map((e) => e.cache), caches);
      const flux = readdirSync(join(dir, "out/gitops/flux")).sort();
      assert.deepEqual(flux, caches.map((c) => `${c}.yaml`));
      for (const f of flux) {
        const k = parseYaml(readFileSync(join(dir, "out/gitops/flux", f), "utf8"));
        assert.doesNotThrow(() => new FluxKustomization(k).validate(), `${f} is valid`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("the Argo CD and Flux schemas catch a broken object (the validators are live)", () => {
  const set = { apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", metadata: { name: "x" }, spec: { generators: "not a list", template: { metadata: {}, spec: { project: "default", destination: {} } } } };
  assert.throws(() => new ApplicationSet(set).validate());
  const k = { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: { name: "x" }, spec: { interval: "10m0s", prune: "yes", sourceRef: { kind: "GitRepository", name: "flux-system" } } };
  assert.throws(() => new FluxKustomization(k).validate());
});
