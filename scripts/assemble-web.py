#!/usr/bin/env python3
"""Assembles dist/ from the wasm-bindgen output and the top-level index.html.

dist/index.html          the page: style.css, the glue and boot.js, which
                         fetches msr-expose_bg.wasm and compiles it while it
                         downloads (CSP connect-src 'self': nothing leaves
                         the origin)
dist/msr-expose.html     one self-contained file: styles, scripts and the
                         wasm inlined (gzip + base64, inflated by
                         DecompressionStream), for file:// with no request
dist/pkg/                the ES-module JS API with TypeScript types
dist/sizes.json          sizes of the files (the size gate itself measures a
                         real Chromium load: tests/e2e/size.test.mjs)
Then scripts/precompress.mjs writes FILE.br and FILE.gz beside each served
file, which scripts/serve.py (and hosts with brotli_static/gzip_static)
send to browsers that accept them.
"""
import base64, gzip, hashlib, json, pathlib, sys, tomllib

root = pathlib.Path(__file__).resolve().parent.parent
page = root / "target/web/page"
dist = root / "dist"
# The page links to the project's home for the command line and the guides:
# the workspace's `repository`, one place to change it.
repository = tomllib.loads((root / "Cargo.toml").read_text())["workspace"]["package"]["repository"]
template = (root / "index.html").read_text().replace("{{REPOSITORY}}", repository)
# The stylesheet as written: brotli and gzip take most of what a minifier
# would (BENCHMARKS.md: 459 B brotli, 577 B gzip over the whole sheet).
css = (root / "web/static/style.css").read_text()
boot = (root / "web/static/boot.js").read_text()
glue = (page / "msr-expose.js").read_text()
wasm = (page / "msr-expose_bg.wasm").read_bytes()
# mtime=0: the same bytes every build.
wasm_js = "self.MSR_EXPOSE_WASM_GZ = \"" + base64.b64encode(gzip.compress(wasm, 9, mtime=0)).decode() + "\";\n"

BASE_CSP = "default-src 'none'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'"

def fill(style, scripts, csp):
    return (template.replace("{{CSP}}", csp).replace("{{STYLE}}", style).replace("{{SCRIPTS}}", scripts))

(dist).mkdir(exist_ok=True)
(dist / "style.css").write_text(css)
(dist / "boot.js").write_text(boot)
(dist / "msr-expose.js").write_text(glue)
(dist / "msr-expose_bg.wasm").write_bytes(wasm)
served_csp = BASE_CSP.replace("connect-src 'none'", "connect-src 'self'") + "; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"
(dist / "index.html").write_text(fill(
    '<link rel="stylesheet" href="style.css">',
    '<script src="msr-expose.js"></script>\n<script src="boot.js"></script>',
    served_csp))

inline_js = glue + "\n" + wasm_js + "\n" + boot
def sha(s):
    return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
single_csp = BASE_CSP + f"; script-src {sha(inline_js)} 'wasm-unsafe-eval'; style-src {sha(css)}"
(dist / "msr-expose.html").write_text(fill(f"<style>{css}</style>", f"<script>{inline_js}</script>", single_csp))

example = (root / "web/embed-example.html").read_text()
(dist / "embed-example.html").write_text(example)
(dist / "embed-theme.css").write_text((root / "web/static/embed-theme.css").read_text())

def gz(b):
    return len(gzip.compress(b, 9))
sizes = {
    "wasm_gzip": gz(wasm),
    "js_gzip": gz((glue + boot).encode()),
    "css_gzip": gz(css.encode()),
    "wasm_raw": len(wasm),
    "single_file_bytes": len((dist / "msr-expose.html").read_bytes()),
    "single_file_gzip": gz((dist / "msr-expose.html").read_bytes()),
}
sizes["total_gzip"] = sizes["wasm_gzip"] + sizes["js_gzip"] + sizes["css_gzip"]
(dist / "sizes.json").write_text(json.dumps(sizes, indent=2) + "\n")
print(json.dumps(sizes))
