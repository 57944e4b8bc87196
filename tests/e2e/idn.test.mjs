// Internationalised names. The page and the JS API carry no Unicode tables:
// the JavaScript engine answers the core's Unicode questions (its URL
// parser for UTS #46, its RegExp Script and Script_Extensions properties);
// the CLI asks ICU4X. Each row goes through the CLI (`check -o json`), the
// JS API in Node and the JS API in Chromium, and the findings on the name
// must agree — but for the rows listed, with their reasons, where Node's
// own URL parser (ada) departs from UTS #46.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { api, chromium, cli, fixtures, serve } from "./helpers.mjs";

/** (name, what it tries) */
const names = [
  ["bücher.example", "a Latin IDN"],
  ["BÜCHER.example", "case folded first"],
  ["例え.テスト", "Japanese, both labels converted"],
  ["c\u0430che.example.com", "a Cyrillic а among Latin letters: mixed scripts"],
  ["xn--cche-53d.example.com", "the same look-alike as its A-label"],
  ["p\u03bfrt.example.com", "a Greek omicron among Latin letters"],
  ["\u043a\u044d\u0448.example.com", "all Cyrillic: one script"],
  ["xn--bcher-kva.example", "a valid A-label"],
  ["xn--zz.example", "an A-label that does not decode"],
  ["xn--abc.example", "an A-label that decodes to ASCII only"],
  ["xn--bcher-KVA.example", "upper-case Punycode"],
  ["faß.de", "ß kept (nontransitional)"],
  ["\ufb01le.example", "the fi ligature maps to fi"],
  ["\uff41\uff42\uff43.example", "full-width letters map to ASCII"],
  ["cache\u3002example\u3002com", "ideographic full stops are dots"],
  ["\u05e9\u05dc\u05d5\u05dd.example", "a right-to-left label"],
  ["\u0661\u0662\u0663.example", "Arabic-Indic digits alone: fails the bidi rule"],
  ["a\u200d\u0431.example", "a zero-width joiner outside its context"],
  ["\u0301x.example", "a label that starts with a combining mark"],
  ["x\u0301.example", "a combining mark after a letter"],
  ["\ud83d\ude00.example", "an emoji"],
  ["\uff58.\uff11", "full-width, ending in a number"],
  ["cache.example.\uff11\uff12\uff13", "a full-width numeric top label"],
  ["\u2168.example", "Roman numeral nine maps to ix"],
  ["\u00ad.example", "a soft hyphen alone maps to nothing"],
  ["a\u00adb.example", "a soft hyphen inside is dropped"],
  ["\u1e9e.example", "capital sharp s maps to ß (UTS #46 since Unicode 15.1)"],
  ["\u0130stanbul.example", "dotted capital I"],
  ["\u03c2.example", "final sigma kept"],
  ["c\u0430che\u2024example.com", "a one-dot leader is not a dot"],
  ["\u65e5\u672c\u3054.example", "Han with Hiragana: Japanese, one writing system"],
  ["\u3042\uc548.example", "Hiragana with Hangul: mixed"],
  ["\u05d0a.example", "Hebrew with Latin"],
  ["\u0e01\u0e32.example", "Thai"],
  ["a\u0600b.example", "an Arabic number sign among Latin letters"],
  ["\u1100\u1161.example", "conjoining jamo (Hangul)"],
  ["ab\u0300\u0300\u0300.example", "stacked combining marks"],
];

/** Rows where Node's URL parser (ada, its own UTS #46) answers otherwise,
 *  and why; the test fails when one of them starts to agree, too. */
const nodeDiffers = new Map([
  ["\u0661\u0662\u0663.example", "ada does not apply the bidi rule (CheckBidi), which WHATWG URL asks for"],
  ["\u1e9e.example", "ada maps ẞ to ss, as UTS #46 did before Unicode 15.1"],
]);

const roles = [["ingress", "--external-fqdn", "externalFqdn"], ["node", "--node-fqdn", "nodeFqdn"]];

/** The CLI's findings on the name, sorted, per row and role. */
function reference() {
  const leaf = join(fixtures(), "leaf.pem");
  const out = {};
  for (const [name] of names) {
    for (const [role, flag, field] of roles) {
      const g = JSON.parse(cli(["check", "--cert", leaf, flag, name, "-o", "json"]).stdout);
      out[`${role} ${name}`] = lines(g.findings, field);
    }
  }
  return out;
}
const lines = (findings, field) => findings.filter((f) => f.field === field).map((f) => `${f.code}: ${f.message}`).sort();

/** Rows whose findings differ from the CLI's, as readable lines. */
function compare(ref, got, engine) {
  const differ = [];
  for (const [name, why] of names) {
    for (const [role] of roles) {
      const key = `${role} ${name}`;
      if (JSON.stringify(ref[key]) !== JSON.stringify(got[key])) {
        differ.push(`${JSON.stringify(name)} (${role}, ${why}):\n  CLI  ${ref[key].join(" | ")}\n  ${engine} ${got[key].join(" | ")}`);
      }
    }
  }
  return differ;
}

let ref, browser, server;
before(async () => {
  ref = reference();
  browser = await chromium();
  server = await serve();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

test("internationalised names: Node's engine agrees with ICU4X but where listed", async () => {
  const m = await api();
  const got = {};
  for (const [name] of names) {
    for (const [role, , field] of roles) got[`${role} ${name}`] = lines(m.validateFqdn(name, role).findings, field);
  }
  const differ = compare(ref, got, "Node");
  const expected = [...nodeDiffers.keys()].flatMap((n) => roles.map(([role]) => `${JSON.stringify(n)} (${role},`));
  const unexpected = differ.filter((d) => !expected.some((e) => d.startsWith(e)));
  assert.deepEqual(unexpected, [], "differences not listed");
  assert.equal(differ.length, expected.length, "a listed difference no longer differs: take it off the list");
});

test("internationalised names: Chromium's engine agrees with ICU4X", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "index.html");
  // The JS API module as a documentation site loads it, from the same origin.
  const got = await page.evaluate(async ({ names, roles }) => {
    const m = await import("/pkg/msr-expose.js");
    await m.default({ module_or_path: "/pkg/msr-expose_bg.wasm" });
    const out = {};
    for (const [name] of names) {
      for (const [role, , field] of roles) {
        out[`${role} ${name}`] = m.validateFqdn(name, role).findings
          .filter((f) => f.field === field).map((f) => `${f.code}: ${f.message}`).sort();
      }
    }
    return out;
  }, { names, roles });
  assert.deepEqual(compare(ref, got, "Chromium"), []);
  await context.close();
});

test("internationalised names in the page: the homograph warning and the A-label", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "index.html");
  await page.waitForSelector("html[data-msr-expose-ready]");
  await page.fill("#node-fqdn", "c\u0430che.example.com");
  await page.waitForSelector("#node-fqdn-findings [data-code='fqdn.mixed_script']");
  const text = await page.textContent("#node-fqdn-findings");
  assert.match(text, /Latin \(c, h, e\) with Cyrillic \(\u0430 U\+0430\)/);
  assert.match(text, /xn--cche-53d\.example\.com/);
  await context.close();
});
