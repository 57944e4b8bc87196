// Starts msr-expose in the page: instantiates the WebAssembly module from the
// bytes embedded in msr-expose-wasm.js (no fetch: the page's CSP forbids all
// connections) and mounts the configurator into every [data-msr-expose].
(function () {
  "use strict";
  var text = atob(self.MSR_EXPOSE_WASM);
  var bytes = new Uint8Array(text.length);
  for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  wasm_bindgen.initSync({ module: bytes });
  var roots = document.querySelectorAll("[data-msr-expose]");
  for (var j = 0; j < roots.length; j++) wasm_bindgen.mount(roots[j]);
  document.documentElement.setAttribute("data-msr-expose-ready", "");
})();
