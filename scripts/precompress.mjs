// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip, level 9) beside
// every compressible file of dist/, as a documentation host precompresses
// its static files (nginx brotli_static / gzip_static, Netlify, Cloudflare
// Pages); scripts/serve.py sends them to browsers that accept them. Node's
// own zlib (the reference brotli and zlib) does the compressing. Prints the
// three sizes of each file.
//
//   node scripts/precompress.mjs DIR
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, extname, relative } from "node:path";

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".txt", ".ts"]);
const dir = process.argv[2] ?? "dist";

function* files(d) {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (COMPRESSIBLE.has(extname(name))) yield p;
  }
}

const rows = [];
for (const path of files(dir)) {
  const data = readFileSync(path);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
      [constants.BROTLI_PARAM_MODE]: extname(path) === ".wasm" ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  writeFileSync(path + ".br", br);
  writeFileSync(path + ".gz", gz);
  rows.push(`${relative(dir, path)}\t${data.length}\tbr ${br.length}\tgzip ${gz.length}`);
}
console.log(rows.join("\n"));
