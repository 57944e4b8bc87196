// "msr-expose/fleet" under Node: the same module as in browsers, initialised from
// its .wasm beside this file before anything is exported (Node's fetch reads
// no file: URLs). Calling the default export again does nothing.
import { readFileSync } from "node:fs";
import { initSync } from "./msr-expose-fleet.js";

initSync({ module: readFileSync(new URL("./msr-expose-fleet_bg.wasm", import.meta.url)) });

export * from "./msr-expose-fleet.js";
export { default } from "./msr-expose-fleet.js";
