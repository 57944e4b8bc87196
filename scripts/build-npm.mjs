// Lays out the npm package "msr-expose" in target/npm/package from what
// scripts/build-web.sh built, then packs it with `npm pack` into
// target/npm/msr-expose-<version>.tgz (npm's own packer: entries in a fixed
// order with a fixed date, so the same files give the same tarball).
//
//   msr-expose                the JS API (ES module, its .wasm, types);
//                             under Node an entry that initialises itself,
//                             on a build with ICU4X's Unicode tables
//   msr-expose/fleet          the JS API with the fleet functions
//   msr-expose/configurator   <msr-expose-configurator> (ES module)
//   msr-expose/style.css      the configurator's stylesheet
//   msr-expose/embed-theme.css  an example theme
//   msr-expose/finding-codes.json  every finding code and its meaning
//
// Version, licence and repository are the workspace's (cargo metadata).
//
//   node scripts/build-npm.mjs
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, writeFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "target", "npm");
const pkg = join(out, "package");
const metadata = JSON.parse(
  execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1", "--offline"], { cwd: root, encoding: "utf8" }),
);
const cli = metadata.packages.find((p) => p.name === "msr-expose");
if (!cli) throw new Error("cargo metadata lists no package msr-expose");
for (const field of ["version", "license", "repository"]) {
  if (!cli[field]) throw new Error(`cli/Cargo.toml has no ${field} (the package's comes from it)`);
}

rmSync(out, { recursive: true, force: true });
const copy = (from, to) => {
  mkdirSync(dirname(join(pkg, to)), { recursive: true });
  cpSync(join(root, from), join(pkg, to));
};
for (const name of ["msr-expose.js", "msr-expose.d.ts", "msr-expose_bg.wasm", "msr-expose_bg.wasm.d.ts"]) {
  copy(`dist/pkg/${name}`, `api/${name}`);
}
copy("npm/api-node.js", "api/node.js");
// Node's own builds, with ICU4X's Unicode tables (scripts/build-web.sh).
for (const name of ["msr-expose.js", "msr-expose_bg.wasm"]) copy(`target/web/node/${name}`, `api/node/${name}`);
for (const name of ["msr-expose-fleet.js", "msr-expose-fleet.d.ts", "msr-expose-fleet_bg.wasm", "msr-expose-fleet_bg.wasm.d.ts"]) {
  copy(`dist/pkg/${name}`, `fleet/${name}`);
}
copy("npm/fleet-node.js", "fleet/node.js");
for (const name of ["msr-expose-fleet.js", "msr-expose-fleet_bg.wasm"]) copy(`target/web/node/${name}`, `fleet/node/${name}`);
copy("target/web/esm/msr-expose-page.js", "configurator/msr-expose-page.js");
copy("target/web/esm/msr-expose-page_bg.wasm", "configurator/msr-expose-page_bg.wasm");
copy("web/static/configurator.js", "configurator/index.js");
copy("web/static/configurator.d.ts", "configurator/index.d.ts");
copy("web/static/style.css", "configurator/style.css");
copy("web/static/embed-theme.css", "configurator/embed-theme.css");
copy("dist/pkg/finding-codes.json", "finding-codes.json");
copy("npm/README.md", "README.md");
copy("LICENSE", "LICENSE");

const manifest = {
  name: "msr-expose",
  version: cli.version,
  description: "Expose a Mirantis Secure Registry cache through exactly one interface: the JS API, its fleet functions and the <msr-expose-configurator> element, all running in the browser or Node",
  license: cli.license,
  repository: { type: "git", url: cli.repository },
  type: "module",
  // "node" before "default": Node gets the entry that loads its own .wasm.
  exports: {
    ".": { types: "./api/msr-expose.d.ts", node: "./api/node.js", default: "./api/msr-expose.js" },
    "./fleet": { types: "./fleet/msr-expose-fleet.d.ts", node: "./fleet/node.js", default: "./fleet/msr-expose-fleet.js" },
    "./configurator": { types: "./configurator/index.d.ts", default: "./configurator/index.js" },
    "./style.css": "./configurator/style.css",
    "./embed-theme.css": "./configurator/embed-theme.css",
    "./finding-codes.json": "./finding-codes.json",
    "./package.json": "./package.json",
  },
  types: "./api/msr-expose.d.ts",
  files: ["api", "fleet", "configurator", "finding-codes.json"],
  // What a bundler must keep even when nothing is imported from it.
  sideEffects: ["./configurator/index.js", "./api/node.js", "./fleet/node.js", "*.css"],
  engines: { node: ">=18" },
  keywords: ["mirantis", "msr", "registry", "kubernetes", "tls", "webassembly"],
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");

// --pack-destination: the tarball beside the package directory.
execFileSync("npm", ["pack", "--silent", "--offline", "--pack-destination", out], { cwd: pkg, stdio: ["ignore", "ignore", "inherit"] });
const tarballs = readdirSync(out).filter((f) => f.endsWith(".tgz"));
if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${out}`);
console.log(`build-npm: ${join("target", "npm", tarballs[0])}`);
