// `make release` as a user of its artifacts meets them, and built twice:
// once in this tree (scripts/release.sh after make test's `make dist`), once
// from a copy of the source at another path with its own target directory
// (scripts/build-web.sh, then scripts/release.sh: the same steps as
// `make release`, from nothing built), with one SOURCE_DATE_EPOCH. Every
// artifact must be byte for byte the same. Then the artifacts are used:
// SHA256SUMS checks, the krew manifest names the archive's sha256, the CLI
// needs nothing beyond glibc, its archive carries the kubectl plugin link
// (real kubectl finds and runs it), man pages and completions, the SBOM is
// CycloneDX naming the CLI and its crates, and the plugin, the npm package
// and the CLI give the same YAML for the same spec.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { cli, root } from "./helpers.mjs";

const version = JSON.parse(execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1", "--offline"], { cwd: root, encoding: "utf8" }))
  .packages.find((p) => p.name === "msr-expose").version;
const triple = "x86_64-unknown-linux-gnu";
const cliArchive = `msr-expose-${version}-${triple}.tar.gz`;
// Not the commit's: any fixed time must give the same bytes twice.
const SOURCE_DATE_EPOCH = "1764892800";

let work; // a temporary directory for the second build and the unpacked artifacts
let first; // the artifacts of the build in this tree (copied out)
let second; // the artifacts of the build in the copy

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26, ...opts });

before(() => {
  work = mkdtempSync(join(tmpdir(), "msr-expose-release-"));
  const env = { ...process.env, SOURCE_DATE_EPOCH };
  delete env.RELEASE_URL;
  // Output is kept, and said only when a build fails (in the thrown error).
  sh("bash", [join(root, "scripts", "release.sh")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  first = join(work, "first");
  cpSync(join(root, "target", "release-artifacts"), first, { recursive: true });

  // The source as git has it (what a clean clone holds; untracked files not
  // ignored by .gitignore too, so a working tree under edit is what is built).
  const src = join(work, "elsewhere", "msr-expose-src");
  const files = sh("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: root }).split("\0").filter(Boolean);
  for (const f of files) {
    if (!existsSync(join(root, f))) continue; // deleted in the working tree
    mkdirSync(dirname(join(src, f)), { recursive: true });
    cpSync(join(root, f), join(src, f), { verbatimSymlinks: true });
  }
  // The page build's minifier (an installed tool, not source): shared.
  symlinkSync(join(root, "web", "node_modules"), join(src, "web", "node_modules"));
  const env2 = { ...env };
  delete env2.CARGO_TARGET_DIR;
  sh("bash", ["-c", "scripts/build-web.sh && scripts/release.sh"], { cwd: src, env: env2, stdio: ["ignore", "pipe", "pipe"] });
  second = join(src, "target", "release-artifacts");
});
after(() => work && rmSync(work, { recursive: true, force: true }));

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** An archive's entries as name → sha256 (links as "-> target"). */
function entries(archive, into) {
  mkdirSync(into, { recursive: true });
  sh("tar", ["-xzf", archive, "-C", into]);
  const out = new Map();
  const walk = (d, rel) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const r = rel ? `${rel}/${e}` : e;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `-> ${readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p, r);
      else out.set(r, `${(st.mode & 0o777).toString(8)} ${sha256(p)}`);
    }
  };
  walk(into, "");
  return out;
}

test("release: two builds of one source at two paths give byte-identical artifacts", () => {
  const names = readdirSync(first).sort();
  assert.deepEqual(names, [
    "SHA256SUMS", cliArchive, `msr-expose-${version}.cdx.json`, `msr-expose-${version}.tgz`,
    `msr-expose-web-${version}.tar.gz`, "msr-expose.yaml",
  ].sort());
  assert.deepEqual(readdirSync(second).sort(), names);
  const differing = [];
  for (const name of names) {
    if (sha256(join(first, name)) === sha256(join(second, name))) continue;
    // Say where: the archive's entries that differ.
    if (name.endsWith(".tar.gz")) {
      const a = entries(join(first, name), join(work, "diff", "a", name));
      const b = entries(join(second, name), join(work, "diff", "b", name));
      const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
      differing.push(`${name}: ${keys.join(", ") || "same entries, other archive bytes"}`);
    } else differing.push(name);
  }
  assert.deepEqual(differing, [], "every artifact the same in both builds");
});

test("release: SHA256SUMS checks, the krew manifest names the CLI archive and its sha256, the SBOM is the CLI's", () => {
  sh("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: first });
  const listed = readFileSync(join(first, "SHA256SUMS"), "utf8").trim().split("\n").map((l) => l.split(/\s+/)[1]).sort();
  assert.deepEqual(listed, readdirSync(first).filter((f) => f !== "SHA256SUMS").sort(), "SHA256SUMS lists every artifact");
  const krew = readFileSync(join(first, "msr-expose.yaml"), "utf8");
  assert.match(krew, /^apiVersion: krew\.googlecontainertools\.github\.com\/v1alpha2\nkind: Plugin\n/);
  assert.match(krew, new RegExp(`\\n    sha256: ${sha256(join(first, cliArchive))}\\n`));
  assert.match(krew, new RegExp(`\\n    uri: \\S+/v${version.replace(/\./g, "\\.")}/${cliArchive.replace(/\./g, "\\.")}\\n`));
  assert.match(krew, /\n    bin: msr-expose\n/);
  const bom = JSON.parse(readFileSync(join(first, `msr-expose-${version}.cdx.json`), "utf8"));
  assert.equal(bom.bomFormat, "CycloneDX");
  assert.equal(bom.specVersion, "1.5");
  assert.equal(bom.metadata.component.name, "msr-expose");
  assert.equal(bom.metadata.component.version, version);
  assert.equal(bom.metadata.timestamp, new Date(Number(SOURCE_DATE_EPOCH) * 1000).toISOString().replace(/\.000Z$/, "Z"));
  assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f-]{36}$/);
  const crates = new Set(bom.components.map((c) => c.name));
  for (const c of ["rustls", "rustls-webpki", "x509-parser", "serde_yaml", "kube"]) assert.ok(crates.has(c), `the SBOM lists ${c}`);
  assert.doesNotMatch(JSON.stringify(bom), new RegExp(root.replace(/[/.]/g, "\\$&")), "no path of the build machine");
});

test("release: the CLI archive needs nothing beyond glibc, carries the plugin link, man pages and completions, and kubectl runs it", () => {
  const x = join(work, "cli");
  const files = entries(join(first, cliArchive), x);
  const top = `msr-expose-${version}-${triple}`;
  for (const f of ["bin/msr-expose", "LICENSE", "README.md", "share/man/man1/msr-expose.1", "share/man/man1/msr-expose-apply.1",
    "share/bash-completion/completions/msr-expose", "share/zsh/site-functions/_msr-expose", "share/fish/vendor_completions.d/msr-expose.fish"]) {
    assert.ok(files.has(`${top}/${f}`), `the archive has ${f}`);
  }
  assert.match(files.get(`${top}/bin/msr-expose`), /^755 /);
  assert.equal(files.get(`${top}/bin/kubectl-msr_expose`), "-> msr-expose");
  const binary = join(x, top, "bin", "msr-expose");
  // glibc's libraries and libgcc_s, which Debian's libc6 itself depends on
  // (glibc loads it for thread cancellation): nothing else.
  const needed = [...sh("readelf", ["-d", binary]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]).sort();
  assert.deepEqual(needed.filter((l) => !["libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "libgcc_s.so.1"].includes(l)), [], `NEEDED: ${needed}`);
  const glibc = [...sh("objdump", ["-T", binary]).matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const newest = glibc.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a));
  assert.ok(newest[0] === 2 && newest[1] <= 34, `glibc ${newest.join(".")} at most 2.34, as the README says`);
  assert.doesNotMatch(readFileSync(binary, "latin1"), new RegExp(root.replace(/[/.]/g, "\\$&")), "no path of the build machine in the binary");

  // kubectl finds the plugin in the unpacked bin/ and runs it.
  const env = { ...process.env, PATH: `${join(x, top, "bin")}:${process.env.PATH}` };
  delete env.KUBECONFIG;
  assert.match(sh("kubectl", ["plugin", "list"], { env }), new RegExp(`${join(x, top, "bin", "kubectl-msr_expose").replace(/[/.]/g, "\\$&")}`));
  const spec = { method: "traefik", externalFqdn: "cache.example.com" };
  const flags = ["--method", "traefik", "--external-fqdn", "cache.example.com", "-q"];
  const viaPlugin = sh("kubectl", ["msr-expose", "generate", ...flags], { env });
  assert.equal(viaPlugin, cli(["generate", ...flags]).stdout, "the plugin and the CLI");

  // The npm package from the same release, installed and imported from Node.
  const project = join(work, "npm-project");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "docs", private: true, type: "module" }));
  sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(first, `msr-expose-${version}.tgz`)], { cwd: project });
  const viaPackage = sh("node", ["--input-type=module", "-e",
    `import { generate } from "msr-expose"; process.stdout.write(generate(${JSON.stringify(spec)}).output.yaml);`], { cwd: project });
  assert.equal(viaPackage, viaPlugin, "the npm package and the plugin");
});
