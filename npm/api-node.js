// "msr-expose" under Node: the JS API built with ICU4X's Unicode tables, as
// the CLI has them (Node's URL parser, which the browser build asks, departs
// from UTS #46: no CheckBidi, older mapping data), initialised from its .wasm
// before anything is exported (Node's fetch reads no file: URLs). The same
// functions and types as in browsers; calling the default export again does
// nothing.
import { readFileSync } from "node:fs";
import { initSync } from "./node/msr-expose.js";

initSync({ module: readFileSync(new URL("./node/msr-expose_bg.wasm", import.meta.url)) });

export * from "./node/msr-expose.js";
export { default } from "./node/msr-expose.js";
