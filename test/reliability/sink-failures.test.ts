import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { numberedLines, runFixture, tempDir } from "./support";

const REPORT = /--- Logging error in logsight handler #\d+/g;

function run(scenario: string, enqueue: boolean): { stdout: string; stderr: string; reports: number; dir: string } {
  const dir = tempDir();
  const result = runFixture("failing-sinks-child.js", [scenario, dir, enqueue ? "enqueue" : ""]);
  assert.equal(result.status, 0, `exit status (stderr: ${result.stderr.slice(-800)})`);
  assert.match(result.stdout, /done\n$/, "the program went on to its end");
  return { stdout: result.stdout, stderr: result.stderr, reports: (result.stderr.match(REPORT) ?? []).length, dir };
}

for (const enqueue of [false, true]) {
  const label = enqueue ? " (enqueue)" : "";

  test(`a sink that throws on every third message: the first failure in full, the others counted, every other message written${label}`, () => {
    const { stdout, stderr, reports, dir } = run("every-third", enqueue);
    fs.rmSync(dir, { recursive: true, force: true });
    const { numbers } = numberedLines(stdout);
    assert.equal(numbers.length, 200);
    assert.deepEqual(numbers.filter((n) => n % 3 === 2), []);
    assert.equal(reports, 1);
    const summarized = [...stderr.matchAll(/^logsight: handler #\d+ \(<function anonymous>\) failed (\d+) more times?; the last: Error: sink failure on call \d+$/gm)];
    assert.equal(1 + summarized.reduce((sum, match) => sum + Number(match[1]), 0), 100);
  });

  test(`a file sink on /dev/full: the failures are reported, the program goes on${label}`, () => {
    const { stderr, reports, dir } = run("dev-full", enqueue);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.ok(reports >= 1, "at least one report");
    assert.match(stderr, /ENOSPC/);
  });

  test(`a log directory removed while logging is recreated (watch: true), or the loss reported${label}`, () => {
    const { reports, dir } = run("dir-removed", enqueue);
    try {
      const file = path.join(dir, "logs", "app.log");
      const after = fs.existsSync(file) ? numberedLines(fs.readFileSync(file, "utf8")).numbers : [];
      if (reports === 0) assert.deepEqual(after, Array.from({ length: 100 }, (_, i) => 100 + i));
      else assert.ok(after.length + reports >= 100, `${after.length} lines written, ${reports} reports`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
