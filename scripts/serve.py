#!/usr/bin/env python3
"""Serves dist/ on 127.0.0.1 as a documentation site would: gzip for every
compressible response the browser accepts it for, `application/wasm` for the
module (so that the page compiles it while it downloads), no caching games.
Used by `make serve` and by the end-to-end tests, whose size gate measures
what a browser transfers from it.

    scripts/serve.py DIR [PORT]     (PORT 0 picks a free one; prints it)
"""
import gzip, http.server, os, sys, threading

COMPRESSIBLE = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".ts")
TYPES = {".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
         ".json": "application/json", ".css": "text/css", ".html": "text/html; charset=utf-8",
         ".svg": "image/svg+xml", ".ts": "text/plain; charset=utf-8"}
_cache, _lock = {}, threading.Lock()


def gzipped(path, data):
    key = (path, os.stat(path).st_mtime_ns)
    with _lock:
        if key not in _cache:
            _cache[key] = gzip.compress(data, 6)  # what a web server's default level gives
        return _cache[key]


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
        if ext in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            data, encoding = gzipped(path, data), "gzip"
        self.send_response(200)
        self.send_header("Content-Type", TYPES.get(ext, "application/octet-stream"))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        import io
        return io.BytesIO(data)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "dist"
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8080
    handler = lambda *a, **k: Handler(*a, directory=root, **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"serving {root} on http://127.0.0.1:{server.server_address[1]}/ (port {server.server_address[1]})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
