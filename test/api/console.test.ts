import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { logger, type LogRecord } from "logsight";
import { runScript } from "../helpers";

function withCapturedConsole(run: () => void): LogRecord[] {
  logger.remove();
  const records: LogRecord[] = [];
  logger.add((_text: string, record: LogRecord) => void records.push(record), { format: "{message}", level: "TRACE", diagnose: false });
  const restore = logger.captureConsole();
  try {
    run();
  } finally {
    restore();
    logger.remove();
  }
  return records;
}

test("console methods log at their level with util.format's text, never as templates or kwargs", function consoleCalls() {
  const records = withCapturedConsole(function callsConsole() {
    console.log("count:", 5, { unit: "kg" });
    console.info("user %s has %d items", "ada", 3);
    console.debug("{a} stays", 1);
    console.warn("low disk");
    console.error(new Error("shown like console shows it").message);
  });
  assert.deepEqual(
    records.map((r) => [r.level.name, r.message]),
    [
      ["INFO", "count: 5 { unit: 'kg' }"],
      ["INFO", "user ada has 3 items"],
      ["DEBUG", "{a} stays 1"],
      ["WARNING", "low disk"],
      ["ERROR", "shown like console shows it"],
    ],
  );
  for (const record of records) {
    assert.equal(record.file.name, "console.test.ts", "the caller is the line that called console.*");
    assert.equal(record.function, "callsConsole");
    assert.deepEqual({ ...record.extra }, {});
  }
});

test("console.trace logs at TRACE with the stack of its caller", () => {
  const [record] = withCapturedConsole(function tracing() {
    console.trace("here %d", 1);
  });
  assert.equal(record.level.name, "TRACE");
  assert.equal(record.message, "here 1");
  const trace = record.exception?.value as Error;
  assert.equal(trace.name, "Trace");
  assert.match(trace.stack!.split("\n")[1], /at tracing \(.*console\.test\.ts/);
});

test("the returned function restores the console; calling it twice is harmless", () => {
  const original = console.log;
  const restore = logger.captureConsole();
  assert.notEqual(console.log, original);
  restore();
  restore();
  assert.equal(console.log, original);
});

test("a console call made from inside a sink goes to the real console instead of recursing", () => {
  logger.remove();
  const written: string[] = [];
  const originalWrite = process.stdout.write;
  logger.add((text: string) => console.log("sink saw: %s", text.trim()), { format: "{message}" });
  const restore = logger.captureConsole();
  process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    logger.info("hello");
  } finally {
    process.stdout.write = originalWrite;
    restore();
    logger.remove();
  }
  assert.deepEqual(written, ["sink saw: hello\n"]);
});

test("process warnings are logged at WARNING with their stack, from where they were emitted", async () => {
  logger.remove();
  const records: LogRecord[] = [];
  logger.add((_text: string, record: LogRecord) => void records.push(record), { format: "{message}", diagnose: false });
  const restore = logger.captureConsole();
  try {
    (function emitsWarning() {
      process.emitWarning("the old API is going away", { type: "DeprecationWarning", code: "APP001" });
    })();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    restore();
    logger.remove();
  }
  assert.equal(records.length, 1);
  const [record] = records;
  assert.equal(record.level.name, "WARNING");
  assert.equal(record.message, "[APP001] DeprecationWarning: the old API is going away");
  assert.equal(record.function, "emitsWarning");
  assert.equal(record.file.name, "console.test.ts");
  assert.match((record.exception?.value as Error).stack!, /at emitsWarning/);
});

test("Node no longer prints captured warnings itself, and prints them again once restored", () => {
  const program = `
    const { logger } = require("logsight");
    logger.remove();
    logger.add(process.stdout, { format: "{level} {message}", colorize: false });
    const restore = logger.captureConsole();
    console.log("to the logger");
    process.emitWarning("captured");
    setImmediate(() => {
      restore();
      console.log("to stdout directly");
      process.emitWarning("printed by node");
    });
  `;
  const child = spawnSync(process.execPath, ["-e", program], { encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } });
  assert.equal(child.status, 0, child.stderr);
  assert.match(child.stdout, /^INFO to the logger\nWARNING Warning: captured\nTraceback \(most recent call last\):\n[\s\S]*File "\[eval\]", line 7, in <anonymous>\n\nWarning: captured\nto stdout directly\n$/);
  assert.doesNotMatch(child.stderr, /captured/);
  assert.match(child.stderr, /Warning: printed by node/);
});

test("console methods that print through console.log or console.warn (table, timeEnd, count, assert, group) log from the line that called them", function routed() {
  const originalTable = console.table;
  const records = withCapturedConsole(function callsRouted() {
    console.table([{ a: 1 }]);
    console.time("t");
    console.timeEnd("t");
    console.count("c");
    console.assert(false, "assertion %s", "x");
    console.group("grp");
    console.groupEnd();
  });
  assert.deepEqual(
    records.map((r) => [r.level.name, r.message.split("\n")[0].replace(/[\d.]+ms$/, "N ms")]),
    [
      ["INFO", "┌─────────┬───┐"],
      ["INFO", "t: N ms"],
      ["INFO", "c: 1"],
      ["WARNING", "Assertion failed: assertion x"],
      ["INFO", "grp"],
    ],
  );
  for (const record of records) {
    assert.equal(record.file.name, "console.test.ts", `${record.message}: the caller is the line that called console.*, not ${record.name}`);
    assert.equal(record.function, "callsRouted");
  }
  assert.equal(console.table, originalTable, "restored with the rest");
});

test("a process warning that Node raises from its own code is logged from the application's line; a CommonJS top level is <module>", () => {
  const program = [
    `const { logger } = require("logsight");`,
    `logger.remove();`,
    `logger.add(process.stdout, { format: "{level} {module}:{function}:{line} {message}", colorize: false, diagnose: false });`,
    `logger.captureConsole();`,
    `console.countReset("never counted");`,
    `process.emitWarning("at the top level");`,
    `logger.warning("logged at the top level");`,
  ].join("\n");
  const child = runScript(program, { name: "warnings", env: { LOGSIGHT_AUTOINIT: "false" } });
  assert.equal(child.status, 0, child.stderr);
  const module = path.basename(child.file, ".js");
  const lines = child.stdout.split("\n").filter((line) => line.startsWith("WARNING"));
  assert.deepEqual(lines, [
    `WARNING ${module}:<module>:7 logged at the top level`,
    `WARNING ${module}:<module>:5 Warning: Count for 'never counted' does not exist`,
    `WARNING ${module}:<module>:6 Warning: at the top level`,
  ]);
});
