// Starts msr-expose in the page, mounts a configurator into every
// [data-msr-expose] and defines <msr-expose-configurator>, whose instances
// mount themselves as they appear (attributes: spec, permalink). Served, the module is fetched from beside this script
// and compiled while it downloads (WebAssembly.instantiateStreaming; the
// page's CSP allows connections to its own origin only). In the single file
// (dist/msr-expose.html, for file:// and air-gapped use) the module travels
// inside the page, gzip-compressed and base64-encoded, and is inflated with
// DecompressionStream: no request at all.
(function () {
  "use strict";
  var inline = self.MSR_EXPOSE_WASM_GZ;
  var script = document.currentScript && document.currentScript.src;
  // The fleet mode's code is the JS API's fleet module (pkg/ beside this
  // script), loaded the first time the fleet mode is used, so that the
  // page's own load does not carry it. Answers travel as JSON text.
  var fleet;
  self.msrExposeFleet = function (fn, args) {
    if (inline || !script) {
      return Promise.reject(new Error("the fleet mode needs the served page, with pkg/msr-expose-fleet.js beside it; the single-file page has no fleet mode"));
    }
    if (!fleet) {
      var pkg = new URL("pkg/", script);
      fleet = import(new URL("msr-expose-fleet.js", pkg).href).then(function (m) {
        return m.default({ module_or_path: new URL("msr-expose-fleet_bg.wasm", pkg) }).then(function () { return m; });
      });
      fleet.catch(function () { fleet = null; });
    }
    return fleet
      .then(function (m) { return m[fn].apply(null, args); })
      .then(function (r) { return JSON.stringify(r); });
  };
  var module = inline
    ? new Response(
        new Blob([Uint8Array.from(atob(inline), function (c) { return c.charCodeAt(0); })])
          .stream()
          .pipeThrough(new DecompressionStream("gzip"))
      ).arrayBuffer()
    : Promise.resolve(new URL("msr-expose_bg.wasm", document.currentScript.src));
  module
    .then(function (m) { return wasm_bindgen({ module_or_path: m }); })
    .then(function () {
      var roots = document.querySelectorAll("[data-msr-expose]");
      for (var j = 0; j < roots.length; j++) wasm_bindgen.mount(roots[j]);
      // Each element mounts once, when first connected (moving it keeps it).
      if (self.customElements && !customElements.get("msr-expose-configurator")) {
        customElements.define("msr-expose-configurator", class extends HTMLElement {
          connectedCallback() {
            if (!this.msrExposeMounted) {
              this.msrExposeMounted = true;
              wasm_bindgen.mount(this);
            }
          }
        });
      }
      document.documentElement.setAttribute("data-msr-expose-ready", "");
      // Navigation → ready, for scripts/bench-page.mjs.
      if (self.performance && performance.mark) performance.mark("msr-expose-ready");
    })
    .catch(function (e) {
      document.documentElement.setAttribute("data-msr-expose-error", String(e));
      console.error("msr-expose could not start:", e);
    });
})();
