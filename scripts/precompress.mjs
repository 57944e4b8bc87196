// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip) beside every
// compressible file of dist/, as a documentation host precompresses its
// static files (nginx brotli_static / gzip_static, Netlify, Cloudflare
// Pages); scripts/serve.py sends them to browsers that accept them. Node's
// own zlib (the reference brotli) writes the .br; the .gz is Zopfli's
// (Debian's zopfli, 15 iterations): gzip that every gzip reader reads,
// about 5 % smaller than zlib's level 9, for hosts that serve a
// precompressed file as it is. Prints the sizes of each file: raw, brotli,
// the .gz shipped, and zlib's level 9 for comparison (a host that
// compresses on the fly sends that or more).
//
//   node scripts/precompress.mjs DIR
import { brotliCompressSync, gzipSync, gunzipSync, constants } from "node:zlib";
import { execFileSync } from "node:child_process";
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
  const zlib9 = gzipSync(data, { level: 9 });
  let gz;
  try {
    gz = execFileSync("zopfli", ["--i15", "-c", path], { maxBuffer: 64 << 20 });
  } catch (e) {
    console.error(`precompress: zopfli failed on ${path} (${e.message}); make setup installs it (Debian package zopfli)`);
    process.exit(1);
  }
  if (!gunzipSync(gz).equals(data)) {
    console.error(`precompress: ${path}.gz does not read back as the file`);
    process.exit(1);
  }
  writeFileSync(path + ".br", br);
  writeFileSync(path + ".gz", gz);
  rows.push(`${relative(dir, path)}\t${data.length}\tbr ${br.length}\tgzip ${gz.length}\tzlib-9 ${zlib9.length}`);
}
console.log(rows.join("\n"));
