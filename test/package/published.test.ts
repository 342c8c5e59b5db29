import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";
import { packTarball } from "./pack";

const tarball = packTarball();
const bin = (name: string): string => path.join(repoRoot, "node_modules", ".bin", name);

test("are-the-types-wrong finds no problem in any resolution mode, for every entry point", () => {
  const result = spawnSync(bin("attw"), [tarball, "--format", "json"], { encoding: "utf8" });
  const report = JSON.parse(result.stdout) as { analysis: { entrypoints: object; problems: unknown[] }; problems?: unknown };
  assert.deepEqual(report.analysis.problems, []);
  assert.deepEqual(Object.keys(report.analysis.entrypoints).sort(), [".", "./diagnose", "./express", "./nest", "./otel", "./package.json"]);
  assert.equal(result.status, 0, result.stderr);
});

test("publint finds nothing to report, suggestions included", () => {
  const result = spawnSync(bin("publint"), ["run", tarball, "--strict", "--level", "suggestion"], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /All good!/);
});

test.after(() => fs.rmSync(path.dirname(tarball), { recursive: true, force: true }));
