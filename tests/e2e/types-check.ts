// Type-checks a documentation site's use of the JS API against the
// TypeScript types the build emits (dist/pkg/msr-expose.d.ts).
import { initSync, generate, checkTls, validateFqdn, methods } from "../../dist/pkg/msr-expose.js";
import type { Generation, Spec, Finding, FqdnResult, MethodInfo } from "../../dist/pkg/msr-expose.js";

declare const wasmBytes: Uint8Array;
initSync({ module: wasmBytes });

const spec: Spec = { method: "ingress", externalFqdn: "cache.example.com", path: "/" };
const g: Generation = generate(spec);
const yaml: string | undefined = g.output?.yaml;
const steps: string[] = (g.output?.steps ?? []).map((s) => s.shell ?? "");
const url: string | undefined = g.output?.endpoint.registrationBody;
const checked: Promise<Generation> = checkTls("{\"method\":\"nodeport\",\"nodeFqdn\":\"w1.example.com\"}", { cert: "-----BEGIN CERTIFICATE-----", now: 0 });
const f: Promise<Finding[]> = checked.then((c) => c.findings);
const r: FqdnResult = validateFqdn("cache.example.com", "ingress");
const list: MethodInfo[] = methods();
const fields: (keyof Spec)[] = list.flatMap((x) => x.fields);
export { yaml, steps, url, f, r, fields };
