// The emitted TypeScript types describe the JS API: a documentation site's
// typical use type-checks with tsc (strict).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { root } from "./helpers.mjs";

test("the JS API's TypeScript types check", () => {
  const tsc = join(root, "tests", "e2e", "node_modules", ".bin", "tsc");
  const out = execFileSync(tsc, ["--noEmit", "--strict", "--target", "es2022", "--module", "es2022",
    "--moduleResolution", "bundler", "--skipLibCheck", "false", join(root, "tests", "e2e", "types-check.ts")],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  assert.equal(out, "");
});
