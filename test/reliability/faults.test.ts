import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { fixtures, repoRoot, runFixture, tempDir } from "./support";

function withDir<T>(use: (dir: string) => T): T {
  const dir = tempDir();
  try {
    return use(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The "line <n>" numbers in every file of a directory, archives decompressed. */
function loggedNumbers(dir: string): number[] {
  const numbers: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const data = fs.readFileSync(path.join(dir, name));
    const text = name.endsWith(".gz") ? zlib.gunzipSync(data).toString("utf8") : data.toString("utf8");
    for (const match of text.matchAll(/^line (\d+) /gm)) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => a - b);
}

const logFiles = (dir: string): string[] => fs.readdirSync(dir).filter((name) => !name.startsWith("."));

test("retention is applied on the way out: rotation, retention 3, process.exit(0) right after leaves at most 4 files (3 rotated, the current one)", () => {
  withDir((dir) => {
    const result = runFixture("faults-child.js", ["retention-exit", dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    const files = logFiles(dir);
    assert.ok(files.length <= 4, `${files.length} files left: ${files.join(", ")}`);
    // The files kept are the newest: their lines are the last ones logged, without a gap.
    const numbers = loggedNumbers(dir);
    assert.equal(numbers.at(-1), 99);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => 100 - numbers.length + i));
  });
});

test("compression at exit: rotated files waiting for gz are compressed, and retention keeps the newest", () => {
  withDir((dir) => {
    const result = runFixture("faults-child.js", ["compression-exit", dir]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
    const files = logFiles(dir);
    assert.ok(files.length <= 4, `${files.length} files left: ${files.join(", ")}`);
    assert.deepEqual(files.filter((name) => !/^app(\.\d{4}-[\d_-]+)?\.log(\.gz)?$/.test(name)), [], "only logs and archives");
    assert.ok(files.filter((name) => name.endsWith(".gz")).length >= files.length - 1, `every rotated file compressed: ${files.join(", ")}`);
    const numbers = loggedNumbers(dir);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => 100 - numbers.length + i));
  });
});

test("retention orders by rotation time, not mtime, and spares files waiting for compression (3 runs)", () => {
  for (let run = 0; run < 3; run++) {
    withDir((dir) => {
      const result = runFixture("faults-child.js", ["compression-race", dir]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(result.stderr, "", "no error block (ENOENT)");
      // Retention 3 keeps 3 rotated files (compressed) besides the one being written.
      const files = logFiles(dir);
      assert.equal(files.length, 4, files.join(", "));
      assert.equal(files.filter((name) => name.endsWith(".gz")).length, 3, files.join(", "));
      // Kept are the newest: the last lines, without a gap.
      const numbers = loggedNumbers(dir);
      assert.equal(numbers.at(-1), 99);
      assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => 100 - numbers.length + i), `run ${run}`);
    });
  }
});

test("an async sink's writes still pending at process.exit() are counted on stderr", () => {
  withDir((dir) => {
    const result = runFixture("faults-child.js", ["async-exit", dir]);
    assert.equal(result.status, 0, result.stderr);
    const written = fs.existsSync(path.join(dir, "out.log")) ? fs.readFileSync(path.join(dir, "out.log"), "utf8").split("\n").length - 1 : 0;
    const match = /^logsight: handler #\d+ \(<function anonymous>\): (\d+) messages were still being written by this async sink when the process exited, and may be lost \(await logger\.complete\(\) before exiting\)$/m.exec(result.stderr);
    assert.ok(match, `stderr: ${result.stderr.slice(0, 500)}`);
    assert.equal(Number(match[1]) + written, 20000);
  });
});

const FULL_REPORT = /^--- Logging error in logsight handler #\d+/gm;
const SUMMARY = /^logsight: handler #\d+ \(.*\) failed (\d+) more times?; the last: .+$/gm;

// Every kind fails on every message; without enqueue each failure is one logging call.
for (const kind of ["file", "file-enqueue", "file-buffered", "function", "function-enqueue", "async-function", "stream", "stream-enqueue", "stdout", "stdout-enqueue"]) {
  test(`a sink failing on every message (${kind}): the first failure in full, then at most a summary line per second`, () => {
    withDir((dir) => {
      let result;
      if (kind.startsWith("stdout")) {
        const full = fs.openSync("/dev/full", "w");
        try {
          result = spawnSync(process.execPath, [path.join(fixtures, "faults-child.js"), "flood", dir, kind], {
            cwd: repoRoot,
            env: { ...process.env, NO_COLOR: "1", LOGSIGHT_AUTOINIT: "false" },
            stdio: ["ignore", full, "pipe"],
            encoding: "utf8",
            timeout: 60_000,
          });
        } finally {
          fs.closeSync(full);
        }
      } else {
        result = runFixture("faults-child.js", ["flood", dir, kind]);
      }
      assert.equal(result.status, 0, result.stderr);
      assert.ok(fs.existsSync(path.join(dir, "done")), "the program went on to its end");
      const fullReports = result.stderr.match(FULL_REPORT) ?? [];
      const summaries = [...result.stderr.matchAll(SUMMARY)];
      assert.equal(fullReports.length, 1, result.stderr.slice(0, 3000));
      assert.match(result.stderr, /ENOSPC/);
      // The program runs for well under a few seconds; a summary per second at most.
      assert.ok(summaries.length <= 3, `${summaries.length} summary lines`);
      const counted = 1 + summaries.reduce((sum, match) => sum + Number(match[1]), 0);
      if (kind === "file" || kind === "function" || kind === "async-function" || kind === "stream" || kind === "stdout") assert.equal(counted, 50);
      const other = result.stderr.split("\n").filter((line) => line !== "" && !SUMMARY.test(line));
      SUMMARY.lastIndex = 0;
      assert.ok(other.length < 40, `one block and summaries, not a block per message: ${other.length} lines`);
    });
  });
}

// Each variable is only checked where add() uses it; the error must still name it, and the value.
const ENV_ERRORS: Array<[string, string, string]> = [
  ["LOGSIGHT_LEVEL", "bogus", "logger.add(process.stderr)"],
  ["LOGSIGHT_LEVEL", "-3", "logger.add(process.stderr)"],
  ["LOGSIGHT_FORMAT", "{nope}", "logger.add(process.stderr)"],
  ["LOGSIGHT_FORMAT", "<red>unclosed", "logger.add(process.stderr)"],
  ["LOGSIGHT_ROTATION", "5 parsecs", "logger.add(require('node:path').join(require('node:os').tmpdir(), 'logsight-env-never-created', 'a.log'), { delay: true })"],
  ["LOGSIGHT_RETENTION", "forever", "logger.add(require('node:path').join(require('node:os').tmpdir(), 'logsight-env-never-created', 'a.log'), { delay: true })"],
  ["LOGSIGHT_COMPRESSION", "rar", "logger.add(require('node:path').join(require('node:os').tmpdir(), 'logsight-env-never-created', 'a.log'), { delay: true })"],
];

for (const [variable, value, call] of ENV_ERRORS) {
  for (const autoinit of variable === "LOGSIGHT_LEVEL" || variable === "LOGSIGHT_FORMAT" ? ["true", "false"] : ["false"]) {
    test(`${variable}=${JSON.stringify(value)} is an error naming the variable and the value (${autoinit === "true" ? "default handler, at import" : "at add()"})`, () => {
      const script = `const { logger } = require("logsight"); logger.remove(); try { ${call}; console.log("accepted"); } catch (error) { console.log(String(error)); }`;
      const result = spawnSync(process.execPath, ["-e", autoinit === "true" ? 'try { require("logsight") } catch (error) { console.log(String(error)) }' : script], {
        cwd: repoRoot,
        env: { ...process.env, NO_COLOR: "1", LOGSIGHT_AUTOINIT: autoinit, [variable]: value },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(result.status, 0, result.stderr);
      const line = result.stdout.trim();
      assert.ok(line.includes(`Invalid environment variable ${variable}=${JSON.stringify(value)}: `), line);
    });
  }
}

test("an option given to add() is not blamed on the environment variable it overrides", () => {
  const script = `const { logger } = require("logsight"); try { logger.add(process.stderr, { level: "bogus" }); } catch (error) { console.log(String(error)); }`;
  const result = spawnSync(process.execPath, ["-e", script], {
    cwd: repoRoot,
    env: { ...process.env, LOGSIGHT_AUTOINIT: "false", LOGSIGHT_LEVEL: "WARNING" },
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stdout, /LOGSIGHT_LEVEL/);
  assert.match(result.stdout, /Invalid level 'bogus'/);
});

test("LOGSIGHT_LEVEL takes a level name in any case", () => {
  for (const value of ["info", "Info", "INFO"]) {
    const result = spawnSync(process.execPath, ["-e", 'const { logger } = require("logsight"); logger.debug("hidden"); logger.info("shown");'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: "1", LOGSIGHT_LEVEL: value, LOGSIGHT_FORMAT: "{level} {message}" },
      encoding: "utf8",
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "INFO shown\n", value);
  }
});
