// The README's test-double example (the block after `<!-- readme-test: test-double -->`) is run
// here as written, with `@lunora/container` resolved to this build, so the documented example
// cannot go stale.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

test("the README's createContainerTestContext example runs and passes", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const marker = readme.indexOf("<!-- readme-test: test-double -->");
  assert.ok(marker >= 0, "the README lost its test-double example");
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  assert.ok(block, "no ```js block after the marker");
  const source = block[1].replaceAll('"@lunora/container"', JSON.stringify(new URL("../dist/index.js", import.meta.url).href));
  assert.ok(source.includes("createContainerTestContext"));
  const dir = mkdtempSync(join(tmpdir(), "lunora-readme-"));
  try {
    const file = join(dir, "transcode.test.mjs");
    writeFileSync(file, source);
    // A fresh test run, not a child of this one (node:test marks its children through the env).
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const out = execFileSync(process.execPath, ["--test", "--test-reporter=tap", file], { encoding: "utf8", env });
    assert.match(out, /^# pass 1$/m, out);
    assert.match(out, /^# fail 0$/m, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
