import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";

const child = path.join(__dirname, "child-logger.js");

function runEnding(how: string): { lines: string[]; status: number | null; signal: NodeJS.Signals | null } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-exit-"));
  try {
    const file = path.join(dir, "app.log");
    const result = spawnSync(process.execPath, [child, "end", file, how], { encoding: "utf8", timeout: 20_000 });
    const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    return { lines: text.split("\n").filter((line) => line !== ""), status: result.status, signal: result.signal };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertAllBufferedLines(lines: string[]): void {
  const logged = lines.filter((line) => line.startsWith("line "));
  assert.equal(logged.length, 1000);
  logged.forEach((line, index) => assert.equal(line, `line ${index} end`));
}

test("buffered lines reach the file when the program calls process.exit()", () => {
  const run = runEnding("exit");
  assert.equal(run.status, 3);
  assertAllBufferedLines(run.lines);
});

test("buffered lines reach the file when the event loop empties", () => {
  const run = runEnding("natural");
  assert.equal(run.status, 0);
  assertAllBufferedLines(run.lines);
});

test("buffered lines reach the file on an uncaught exception, which still ends the process", () => {
  const run = runEnding("throw");
  assert.equal(run.status, 1);
  assertAllBufferedLines(run.lines);
});

test("buffered lines reach the file on an unhandled rejection, which still ends the process", () => {
  const run = runEnding("reject");
  assert.equal(run.status, 1);
  assertAllBufferedLines(run.lines);
});

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`buffered lines reach the file on ${signal}, and the signal still ends the process`, () => {
    const run = runEnding(signal);
    assert.equal(run.signal, signal);
    assertAllBufferedLines(run.lines);
  });
}

test("an application's own SIGTERM handler, added before the sink, decides how the process ends", () => {
  const run = runEnding("own-handler-before");
  assert.equal(run.status, 0);
  assert.equal(run.signal, null);
  assertAllBufferedLines(run.lines);
  assert.equal(run.lines.at(-1), "app handler ran");
});

test("an application's own SIGTERM handler, added after the sink, still decides how the process ends", () => {
  const run = runEnding("own-handler-after");
  assert.equal(run.status, 0);
  assert.equal(run.signal, null);
  assertAllBufferedLines(run.lines);
  assert.equal(run.lines.at(-1), "app handler ran");
});

test("rotations with compression right before process.exit() leave every line in some file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-exit-rot-"));
  try {
    const result = spawnSync(process.execPath, [child, "rotate-then-exit", path.join(dir, "app.log"), "gz"], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const names = fs.readdirSync(dir);
    assert.ok(names.length > 5);
    assert.deepEqual(names.filter((name) => !/\.log(\.gz)?$/.test(name)), [], "partial archives were left");
    const lines: string[] = [];
    for (const name of names) {
      const data = fs.readFileSync(path.join(dir, name));
      const text = name.endsWith(".gz") ? zlib.gunzipSync(data).toString("utf8") : data.toString("utf8");
      lines.push(...text.split("\n").filter((line) => line !== ""));
    }
    const numbers = lines.map((line) => Number(/^line (\d+) end$/.exec(line)![1])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 200 }, (_, i) => i));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
