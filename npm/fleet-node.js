// "msr-expose/fleet" under Node: the fleet module built with ICU4X's Unicode
// tables, as the CLI has them (see api-node.js), initialised from its .wasm
// before anything is exported. Calling the default export again does nothing.
import { readFileSync } from "node:fs";
import { initSync } from "./node/msr-expose-fleet.js";

initSync({ module: readFileSync(new URL("./node/msr-expose-fleet_bg.wasm", import.meta.url)) });

export * from "./node/msr-expose-fleet.js";
export { default } from "./node/msr-expose-fleet.js";
