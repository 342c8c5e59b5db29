import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { LOADER_HEAD, TIMEOUT, checkCrash, diagnose, fixtures, root } from "./helpers";

test("a TypeScript program run through tsx is annotated on its TypeScript lines", () => {
  checkCrash("typed", ["--import", "tsx", "fixtures/cli/typed.ts"], { exitCode: 1, tracebackFirst: true, reportHead: LOADER_HEAD });
});

test("TypeScript compiled by tsc with source maps is annotated on its TypeScript lines", () => {
  const dir = fs.mkdtempSync(path.join(root, "fixtures", "cli", "build-"));
  try {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const compiled = spawnSync(process.execPath, [tsc, "--outDir", dir, "--sourceMap", "--target", "ES2022", "--module", "commonjs", "--strict", "--noCheck", "--types", "node", path.join(fixtures, "typed.ts")], { cwd: root, encoding: "utf8", timeout: TIMEOUT });
    assert.equal(compiled.status, 0, compiled.stdout);
    const script = path.relative(root, path.join(dir, "typed.js"));
    const traced = diagnose([script]);
    assert.equal(traced.status, 1);
    assert.match(traced.stderr, /File "fixtures\/cli\/typed\.ts", line 8, in discount\n {4}if \(rate > 1\) throw new RangeError/);
    assert.match(traced.stderr, /└ 1\.2\n/);
    assert.match(traced.stderr, /└ \{ code: 'SPRING', percent: 120 \}/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
