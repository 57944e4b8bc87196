#!/usr/bin/env python3
"""Serves dist/ on 127.0.0.1 as a documentation host does: the encoding is
negotiated from the request's Accept-Encoding (RFC 9110 12.5.3, q-values
included) among those the host offers — brotli first, then gzip — from the
precompressed `FILE.br` / `FILE.gz` that `make dist` writes beside each file
(as nginx's brotli_static/gzip_static and Netlify-style hosts serve them),
gzip level 6 on the fly for a file without them; `application/wasm` for the
module (so that the page compiles it while it downloads); no caching games.
Used by `make serve` and by the end-to-end tests, whose size gates measure
what a browser transfers from it.

    scripts/serve.py DIR [PORT] [--encodings br,gzip]

PORT 0 picks a free one (printed). --encodings limits what the host offers:
`gzip` is a host without brotli, `identity` one that compresses nothing.
"""
import gzip, http.server, io, os, sys, threading

COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".ts")
TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
         ".json": "application/json", ".css": "text/css", ".html": "text/html; charset=utf-8",
         ".svg": "image/svg+xml", ".ts": "text/plain; charset=utf-8"}
# The host's preference among what the client accepts: the smallest first.
PREFERENCE = ("br", "gzip")
SUFFIX = {"br": ".br", "gzip": ".gz"}
_cache, _lock = {}, threading.Lock()


def accepted(header):
    """The codings a client accepts, from its Accept-Encoding: name -> q."""
    out = {}
    for part in (header or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        q = 1.0
        for p in params.split(";"):
            k, _, v = p.strip().partition("=")
            if k.strip().lower() == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
        out[name] = q
    return out


def choose(header, offered):
    """The coding to send: the host's first preference the client accepts
    with q > 0 (`*` stands for codings it does not name); None for identity."""
    acc = accepted(header)
    for coding in PREFERENCE:
        if coding in offered and acc.get(coding, acc.get("*", 0.0)) > 0:
            return coding
    return None


def gzipped(path, data):
    key = (path, os.stat(path).st_mtime_ns)
    with _lock:
        if key not in _cache:
            _cache[key] = gzip.compress(data, 6)  # a web server's default level
        return _cache[key]


def encoded(path, data, coding):
    """The body in `coding`: the precompressed sibling when there is one and
    it is not older than the file, else gzip on the fly; None when brotli is
    asked for a file that has no .br (the caller falls back)."""
    sibling = path + SUFFIX[coding]
    if os.path.isfile(sibling) and os.stat(sibling).st_mtime_ns >= os.stat(path).st_mtime_ns:
        with open(sibling, "rb") as f:
            return f.read()
    return gzipped(path, data) if coding == "gzip" else None


def handler_for(offered):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            if not os.path.isfile(path):
                self.send_error(404, "not found")
                return None
            with open(path, "rb") as f:
                data = f.read()
            ext = os.path.splitext(path)[1]
            encoding = None
            if ext in COMPRESSIBLE:
                want = self.headers.get("Accept-Encoding", "")
                coding = choose(want, offered)
                body = encoded(path, data, coding) if coding else None
                if body is None and coding == "br":
                    coding = choose(want, [c for c in offered if c != "br"])
                    body = encoded(path, data, coding) if coding else None
                if body is not None:
                    data, encoding = body, coding
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)

    return Handler


def main():
    args = sys.argv[1:]
    offered = list(PREFERENCE)
    if "--encodings" in args:
        i = args.index("--encodings")
        offered = [c for c in args[i + 1].split(",") if c in PREFERENCE]
        del args[i:i + 2]
    root = args[0] if args else "dist"
    port = int(args[1]) if len(args) > 1 else 8080
    handler = handler_for(offered)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), lambda *a, **k: handler(*a, directory=root, **k))
    print(f"serving {root} on http://127.0.0.1:{server.server_address[1]}/ "
          f"(port {server.server_address[1]}; encodings: {','.join(offered) or 'identity'})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
