import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");
const child = path.join(root, "fixtures", "diagnose", "support", "describe-cost.js");

function measure(...args: string[]): { smallMs: number; hugeMs: number } {
  const result = spawnSync(process.execPath, [child, ...args], { cwd: root, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { smallMs: number; hugeMs: number };
}

test("a traceback over a 1e6-item array, a 2 MB string and a Map(50000) costs about what small values cost", () => {
  const { smallMs, hugeMs } = measure();
  // The target is 1x (the same entries are shown); 3x leaves room for a loaded machine.
  assert.ok(hugeMs <= smallMs * 3, `huge values ${hugeMs.toFixed(2)} ms, small values ${smallMs.toFixed(2)} ms`);
});
