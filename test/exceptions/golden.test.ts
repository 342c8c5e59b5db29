import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";

// Each fixture prints through the logger; its whole output and exit code are compared with the
// expected file. UPDATE_EXPECTED=1 rewrites the expected files (read them before committing).
const dir = path.join(repoRoot, "fixtures", "exceptions");
const cases: { name: string; status: number; env?: NodeJS.ProcessEnv; ext?: string; expected?: string }[] = [
  { name: "checkout", status: 0 },
  { name: "catch-wrapper", status: 0 },
  { name: "no-exception", status: 0 },
  { name: "uncaught-rejection", status: 1 },
  { name: "cause-chain", status: 0, env: { NODE_ENV: "production" } },
  { name: "async-catch", status: 0 },
  { name: "async-catch-tla", status: 0, ext: ".mjs" },
  { name: "async-timers", status: 0, env: { LOGSIGHT_CAPTURE: "all" } },
  // The same frames from error.stack alone.
  { name: "async-timers", status: 0, env: { LOGSIGHT_CAPTURE: "off" }, expected: "async-timers.capture-off" },
];

function normalise(text: string): string {
  return text.replace(/process 'MainProcess' \(\d+\)/g, "process 'MainProcess' (PID)");
}

for (const { name, status, env, ext = ".js", expected = name } of cases) {
  test(`logger output for fixtures/exceptions/${name}${ext}${expected === name ? "" : ` (${expected}.expected.txt)`}`, () => {
    const result = spawnSync(process.execPath, [path.join(dir, `${name}${ext}`)], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, NODE_ENV: undefined, ...env },
      timeout: 60_000,
    });
    const actual = normalise(result.stdout);
    const expectedFile = path.join(dir, `${expected}.expected.txt`);
    if (process.env.UPDATE_EXPECTED === "1") fs.writeFileSync(expectedFile, actual);
    assert.equal(result.status, status, result.stderr);
    assert.equal(actual, fs.readFileSync(expectedFile, "utf8"));
  });
}
