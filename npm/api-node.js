// "msr-expose" under Node: the same module as in browsers, initialised from
// its .wasm beside this file before anything is exported (Node's fetch reads
// no file: URLs). Calling the default export again does nothing.
import { readFileSync } from "node:fs";
import { initSync } from "./msr-expose.js";

initSync({ module: readFileSync(new URL("./msr-expose_bg.wasm", import.meta.url)) });

export * from "./msr-expose.js";
export { default } from "./msr-expose.js";
