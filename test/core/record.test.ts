import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { logger } from "logsight";
import { collect, runNode, tempDir } from "../helpers";

beforeEach(() => logger.remove());

test("a record has every field of the contract", () => {
  const { records } = collect();
  function placeOrder() {
    logger.info("placed", { order: 7 });
  }
  placeOrder();
  const r = records[0];
  assert.deepEqual(Object.keys(r).sort(), [
    "elapsed",
    "exception",
    "extra",
    "file",
    "function",
    "level",
    "line",
    "message",
    "module",
    "name",
    "process",
    "thread",
    "time",
  ]);
  assert.equal(r.function, "placeOrder");
  assert.equal(r.file.name, "record.test.ts");
  assert.equal(r.file.path, __filename);
  assert.equal(r.module, "record.test");
  assert.equal(r.name, "logsight/test/core/record.test");
  assert.equal(r.line, 14);
  assert.deepEqual(r.extra, { order: 7 });
  assert.equal(r.exception, null);
  assert.equal(r.process.id, process.pid);
  assert.equal(r.thread.name, "MainThread");
  assert.equal(r.level.name, "INFO");
});

test("the string forms of record fields in a template", () => {
  const { messages } = collect({ format: "{level}|{file}|{process}|{thread}|{module}|{function}" });
  logger.info("x");
  assert.equal(messages[0], `INFO|record.test.ts|${process.pid}|0|record.test|<anonymous>\n`);
});

test("time has microseconds and the local UTC offset; {time} alone is ISO 8601", () => {
  const { records, messages } = collect({ format: "{time}" });
  const before = Date.now();
  logger.info("t");
  const r = records[0];
  assert.ok(r.time instanceof Date);
  assert.ok(Math.abs(r.time.getTime() - before) < 1000);
  assert.ok(Number.isInteger(r.time.microsecond) && r.time.microsecond >= 0 && r.time.microsecond < 1_000_000);
  assert.equal(Math.floor(r.time.microsecond / 1000), r.time.getMilliseconds());
  assert.match(messages[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d\n$/);
});

test("elapsed counts from the logger's load and shows as H:MM:SS.ffffff", () => {
  const { records, messages } = collect({ format: "{elapsed}" });
  logger.info("e");
  assert.ok(records[0].elapsed.microseconds > 0);
  assert.match(messages[0], /^0:00:\d\d\.\d{6}\n$/);
  assert.equal(records[0].elapsed.totalSeconds(), records[0].elapsed.microseconds / 1e6);
});

test("caller fields: class methods, module top level, ESM files, and package-relative names", () => {
  const dir = tempDir();
  const pkg = path.join(dir, "node_modules", "shop-lib");
  fs.mkdirSync(path.join(pkg, "src", "db"), { recursive: true });
  fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "shop-lib", version: "1.0.0" }));
  fs.writeFileSync(
    path.join(pkg, "src", "db", "pool.js"),
    `const { logger } = require(${JSON.stringify(require.resolve("logsight"))});
class Pool {
  connect() { logger.info("connect"); }
}
logger.info("top");
module.exports = { Pool, run: () => logger.info("arrow") };
`,
  );
  fs.writeFileSync(
    path.join(dir, "main.mjs"),
    `import { logger } from ${JSON.stringify(require("node:url").pathToFileURL(path.join(__dirname, "..", "..", "dist", "src", "index.mjs")).href)};
logger.info("esm top");
`,
  );
  const result = runNode(
    `const { logger } = require("logsight"); logger.remove();
     logger.add((m) => process.stdout.write(m), { format: "{name}|{function}|{line}|{file}|{module}|{message}" });
     const { Pool, run } = require(${JSON.stringify(path.join(pkg, "src", "db", "pool.js"))});
     new Pool().connect(); run();
     import(${JSON.stringify(path.join(dir, "main.mjs"))});`,
  );
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.deepEqual(lines.slice(0, 3), [
    "shop-lib/src/db/pool|<module>|5|pool.js|pool|top",
    "shop-lib/src/db/pool|Pool.connect|3|pool.js|pool|connect",
    "shop-lib/src/db/pool|run|6|pool.js|pool|arrow",
  ]);
  assert.match(lines[3], /^.*main\|<module>\|2\|main\.mjs\|main\|esm top$/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("bound and call extra reach the record", () => {
  const { records } = collect();
  logger.bind({ user: "ada" }).info("m", { ip: "1.2.3.4" });
  assert.deepEqual(records[0].extra, { user: "ada", ip: "1.2.3.4" });
});

test("the thread field names a worker_threads worker", async () => {
  const code = `const { logger } = require(${JSON.stringify(require.resolve("logsight"))}); logger.remove();
    const { parentPort, threadId } = require("node:worker_threads");
    logger.add((m, r) => parentPort.postMessage({ id: r.thread.id, name: r.thread.name, threadId }));
    logger.info("from worker");`;
  const worker = new Worker(code, { eval: true });
  const message = await new Promise<{ id: number; name: string; threadId: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  assert.equal(message.id, message.threadId);
  assert.notEqual(message.id, 0);
  assert.notEqual(message.name, "MainThread");
});

test("caller lines are source-mapped when source maps are enabled", () => {
  const dir = tempDir();
  // A compiled file whose line 1 maps to line 10 of its source.
  const map = { version: 3, sources: ["orig.ts"], names: [], mappings: ";;;;;;;;;;AAAA" };
  fs.writeFileSync(
    path.join(dir, "gen.js"),
    `module.exports = (logger) => { logger.info("mapped"); };\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(
      JSON.stringify({ ...map, mappings: "AASA" }),
    ).toString("base64")}\n`,
  );
  const result = runNode(
    `const { logger } = require("logsight"); logger.remove();
     logger.add((m) => process.stdout.write(m), { format: "{line}" });
     require(${JSON.stringify(path.join(dir, "gen.js"))})(logger);`,
    { args: ["--enable-source-maps"] },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, "10\n");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("caller fields stay right when a call site repeats: each column, each receiver class, each eval", () => {
  const { records } = collect();
  class Store {
    save(): void {
      logger.info("a"); logger.info("b");
    }
  }
  class Cache extends Store {}
  for (let i = 0; i < 3; i++) {
    new Store().save();
    new Cache().save();
  }
  const seen = records.map((r) => `${r.function}:${r.line}:${r.message}`);
  const line = records[0]!.line;
  assert.deepEqual(seen.slice(0, 4), [`Store.save:${line}:a`, `Store.save:${line}:b`, `Cache.save:${line}:a`, `Cache.save:${line}:b`]);
  assert.deepEqual(seen.slice(4), [...seen.slice(0, 4), ...seen.slice(0, 4)]);
  // Two evaluated scripts share no script name: their equal positions must not share a caller.
  records.length = 0;
  const run = (code: string): void => {
    (0, eval)(code);
  };
  (globalThis as { __logger?: unknown }).__logger = logger;
  run("function first() { __logger.info('x') }; first()");
  run("function other() { __logger.info('y') }; other()");
  delete (globalThis as { __logger?: unknown }).__logger;
  assert.deepEqual(records.map((r) => r.function), ["first", "other"]);
});

test("a nameless function run from the microtask queue is <anonymous>; a module's top level after an await stays <module>", () => {
  const dir = tempDir();
  const indexUrl = require("node:url").pathToFileURL(path.join(__dirname, "..", "..", "dist", "src", "index.mjs")).href;
  const main = path.join(dir, "main.mjs");
  fs.writeFileSync(
    main,
    `import { logger } from ${JSON.stringify(indexUrl)};
logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{line}|{function}|{message}" });
logger.info("top");
await null;
logger.info("top after await");
(async () => { await null; logger.info("async arrow after await"); })();
Promise.resolve().then(() => logger.info("then callback"));
queueMicrotask(() => logger.info("microtask"));
(async function named() { await null; logger.info("named after await"); })();
`,
  );
  const result = (require("node:child_process") as typeof import("node:child_process")).spawnSync(process.execPath, [main], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n").sort(), [
    "10|named|named after await",
    "4|<module>|top",
    "6|<module>|top after await",
    "7|<anonymous>|async arrow after await",
    "8|<anonymous>|then callback",
    "9|<anonymous>|microtask",
  ]);
});
