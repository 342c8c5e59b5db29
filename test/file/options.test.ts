import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { logger } from "logsight";
import type { LogRecord } from "../../src/types";
import { createFileSink } from "../../src/sinks/file/index";

logger.remove();

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-file-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const record = { time: Object.assign(new Date(), { microsecond: 0 }) } as unknown as LogRecord;
const noErrors = (error: unknown) => assert.fail(String(error));

test("parent folders are created and the file is opened at add()", (t) => {
  const file = path.join(tempDir(t), "a", "b", "app.log");
  const id = logger.add(file, { format: "{message}" });
  assert.equal(fs.readFileSync(file, "utf8"), "");
  logger.info("hello");
  assert.equal(fs.readFileSync(file, "utf8"), "hello\n");
  logger.remove(id);
});

test("delay opens the file at the first message", (t) => {
  const file = path.join(tempDir(t), "app.log");
  const id = logger.add(file, { format: "{message}", delay: true });
  assert.equal(fs.existsSync(file), false);
  logger.info("first");
  assert.equal(fs.readFileSync(file, "utf8"), "first\n");
  logger.remove(id);
});

test('mode "a" appends to an existing file, mode "w" truncates it', (t) => {
  const dir = tempDir(t);
  for (const [mode, expected] of [
    ["a", "old\nnew\n"],
    ["w", "new\n"],
  ] as const) {
    const file = path.join(dir, `${mode}.log`);
    fs.writeFileSync(file, "old\n");
    const id = logger.add(file, { format: "{message}", mode });
    logger.info("new");
    logger.remove(id);
    assert.equal(fs.readFileSync(file, "utf8"), expected);
  }
});

test("encoding sets the bytes written", (t) => {
  const file = path.join(tempDir(t), "app.log");
  const id = logger.add(file, { format: "{message}", encoding: "utf16le" });
  logger.info("hé");
  logger.remove(id);
  assert.deepEqual(fs.readFileSync(file), Buffer.from("hé\n", "utf16le"));
});

test("buffering holds messages until the buffer is full, then writes them at once", (t) => {
  const file = path.join(tempDir(t), "app.log");
  const id = logger.add(file, { format: "{message}", buffering: 64 });
  logger.info("0123456789");
  assert.equal(fs.readFileSync(file, "utf8"), "");
  for (let i = 0; i < 6; i++) logger.info("0123456789");
  assert.equal(fs.readFileSync(file, "utf8"), "0123456789\n".repeat(6));
  logger.info("last");
  logger.remove(id);
  assert.equal(fs.readFileSync(file, "utf8"), `${"0123456789\n".repeat(7)}last\n`);
});

test("without watch, a moved file keeps receiving; with watch, the path is recreated", (t) => {
  const dir = tempDir(t);
  for (const watch of [false, true]) {
    const file = path.join(dir, `watch-${watch}.log`);
    const moved = `${file}.moved`;
    const id = logger.add(file, { format: "{message}", watch });
    logger.info("before");
    fs.renameSync(file, moved);
    logger.info("after");
    logger.remove(id);
    if (watch) {
      assert.equal(fs.readFileSync(moved, "utf8"), "before\n");
      assert.equal(fs.readFileSync(file, "utf8"), "after\n");
    } else {
      assert.equal(fs.readFileSync(moved, "utf8"), "before\nafter\n");
      assert.equal(fs.existsSync(file), false);
    }
  }
});

test("a file that cannot be opened makes write() throw; the next write recovers once the cause is gone", (t) => {
  const dir = tempDir(t);
  const blocker = path.join(dir, "logs");
  fs.writeFileSync(blocker, "a file where the folder should be");
  const sink = createFileSink(path.join(blocker, "app.log"), { delay: true }, noErrors);
  assert.throws(() => sink.write("lost\n", record), { code: /^(EEXIST|ENOTDIR)$/ });
  assert.throws(() => sink.write("lost again\n", record), { code: /^(EEXIST|ENOTDIR)$/ });
  fs.rmSync(blocker);
  sink.write("recovered\n", record);
  sink.stop();
  assert.equal(fs.readFileSync(path.join(blocker, "app.log"), "utf8"), "recovered\n");
});

test("with watch, a folder put in the file's place makes write() throw until it is removed", (t) => {
  const file = path.join(tempDir(t), "app.log");
  const sink = createFileSink(file, { watch: true }, noErrors);
  sink.write("one\n", record);
  fs.rmSync(file);
  fs.mkdirSync(file);
  assert.throws(() => sink.write("lost\n", record), { code: "EISDIR" });
  fs.rmdirSync(file);
  sink.write("two\n", record);
  sink.stop();
  assert.equal(fs.readFileSync(file, "utf8"), "two\n");
});

test("a full device makes write() throw ENOSPC each time without breaking the sink", () => {
  const sink = createFileSink("/dev/full", {}, noErrors);
  assert.throws(() => sink.write("x\n", record), { code: "ENOSPC" });
  assert.throws(() => sink.write("y\n", record), { code: "ENOSPC" });
  sink.stop();
});

test("through the logger, a failing file sink never makes a logging call throw, and recovers", (t) => {
  const dir = tempDir(t);
  const blocker = path.join(dir, "logs");
  fs.writeFileSync(blocker, "");
  const child = path.join(__dirname, "child-logger.js");
  const result = spawnSync(process.execPath, [child, "blocked", path.join(blocker, "app.log")], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, "still running\n");
  assert.match(result.stderr, /EEXIST|ENOTDIR/);
  assert.equal(fs.readFileSync(path.join(blocker, "app.log"), "utf8"), "kept\n");
});
