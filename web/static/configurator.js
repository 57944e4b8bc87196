// The configurator as an ES module: the npm package's "msr-expose/configurator"
// entry. Importing it starts msr-expose, mounts a configurator into every
// [data-msr-expose] and defines <msr-expose-configurator> (attributes: spec,
// permalink), as boot.js does for the classic page. Every file is found
// relative to this module (new URL(…, import.meta.url) in the glue, a
// literal import() for the fleet module), so a bundler (Vite, webpack,
// Rollup) copies them into its build and a plain static host serves them
// from beside it. The CSP it needs: script-src 'self' 'wasm-unsafe-eval',
// style-src 'self' (the stylesheet, "msr-expose/style.css"), connect-src
// 'self' (the .wasm files).
import init, { mount } from "./msr-expose-page.js";

// The fleet mode's code is the JS API's fleet module, loaded the first time
// the fleet mode is used; answers travel as JSON text (boot.js does the same).
let fleet;
globalThis.msrExposeFleet = (fn, args) => {
  if (!fleet) {
    fleet = import("../fleet/msr-expose-fleet.js").then((m) => m.default().then(() => m));
    fleet.catch(() => { fleet = undefined; });
  }
  return fleet.then((m) => m[fn](...args)).then((r) => JSON.stringify(r));
};

/** Resolves once msr-expose runs and every configurator on the page is mounted. */
export const ready = init()
  .then(() => {
    for (const root of document.querySelectorAll("[data-msr-expose]")) mount(root);
    // Each element mounts once, when first connected (moving it keeps it).
    if (!customElements.get("msr-expose-configurator")) {
      customElements.define("msr-expose-configurator", class extends HTMLElement {
        connectedCallback() {
          if (!this.msrExposeMounted) {
            this.msrExposeMounted = true;
            mount(this);
          }
        }
      });
    }
    document.documentElement.setAttribute("data-msr-expose-ready", "");
  })
  .catch((e) => {
    document.documentElement.setAttribute("data-msr-expose-error", String(e));
    console.error("msr-expose could not start:", e);
    throw e;
  });

export { mount };
