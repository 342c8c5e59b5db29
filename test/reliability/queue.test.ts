import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createQueuedWriter } from "../../dist/src/enqueue/index.js";
import type { LogRecord, SinkWriter } from "logsight";
import { tempDir } from "./support";

const NO_RECORD = null as unknown as LogRecord;

function withDir(run: (dir: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = tempDir();
    try {
      await run(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

function collectErrors(): { errors: unknown[]; report: (error: unknown) => void } {
  const errors: unknown[] = [];
  return { errors, report: (error) => errors.push(error) };
}

test(
  "a worker-thread file queue writes every message, in order, byte for byte, by the time complete() resolves",
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const { errors, report } = collectErrors();
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, {}, report);
    const expected: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const message = `${i} ${"é€😀".repeat(i % 7)} ${"x".repeat(i % 300)}\n`;
      expected.push(message);
      writer.write(message, NO_RECORD);
    }
    await writer.complete();
    assert.equal(fs.readFileSync(file, "utf8"), expected.join(""));
    writer.stop();
    assert.deepEqual(errors, []);
  }),
);

test(
  "messages bigger than the whole ring cross it in pieces and arrive whole, between their neighbours",
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, { capacity: 4096 }, () => {});
    const huge = "€".repeat(100_000) + "\n";
    const messages = ["before\n", huge, "middle\n", "y".repeat(3000) + "\n", huge, "after\n"];
    for (const message of messages) writer.write(message, NO_RECORD);
    await writer.complete();
    assert.equal(fs.readFileSync(file, "utf8"), messages.join(""));
    writer.stop();
  }),
);

test(
  "lone surrogates are written as U+FFFD, like any UTF-8 write",
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, {}, () => {});
    const message = "a\ud800b\udfffc\n";
    writer.write(message, NO_RECORD);
    await writer.complete();
    assert.equal(fs.readFileSync(file, "utf8"), Buffer.from(message, "utf8").toString("utf8"));
    writer.stop();
  }),
);

test(
  "bursts reach the file without complete(): after a batch the writer waits a moment, then looks again by itself",
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const { errors, report } = collectErrors();
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, {}, report);
    const expected: string[] = [];
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 500; i++) {
        const message = `burst ${burst} line ${i}\n`;
        expected.push(message);
        writer.write(message, NO_RECORD);
      }
      const want = expected.join("");
      const deadline = Date.now() + 10_000;
      while (!(fs.existsSync(file) && fs.readFileSync(file, "utf8") === want) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      assert.equal(fs.readFileSync(file, "utf8"), want, `after burst ${burst}`);
    }
    writer.stop();
    assert.deepEqual(errors, []);
  }),
);

test(
  'overflow "block" with a tiny ring: the caller waits, nothing is lost',
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, { capacity: 1, overflow: "block" }, () => {});
    for (let i = 0; i < 20_000; i++) writer.write(`line ${i}\n`, NO_RECORD);
    await writer.complete();
    const lines = fs.readFileSync(file, "utf8").split("\n");
    assert.equal(lines.length - 1, 20_000);
    assert.equal(lines[19_999], "line 19999");
    writer.stop();
  }),
);

test(
  'overflow "drop": what does not fit is dropped and counted; written + reported-dropped = sent',
  withDir(async (dir) => {
    const file = path.join(dir, "out.log");
    const { errors, report } = collectErrors();
    // The worker needs a while to start; 20,000 lines into a 4 KiB ring cannot all fit meanwhile.
    const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, { capacity: 4096, overflow: "drop" }, report);
    for (let i = 0; i < 20_000; i++) writer.write(`line ${i}\n`, NO_RECORD);
    await writer.complete();
    const written = fs.readFileSync(file, "utf8").split("\n").length - 1;
    let dropped = 0;
    for (const error of errors) {
      const match = /^(\d+) messages? (?:was|were) dropped: the enqueue queue was full \(overflow: "drop"\)$/.exec((error as Error).message);
      assert.ok(match, `unexpected report: ${String(error)}`);
      dropped += Number(match[1]);
    }
    assert.ok(dropped > 0, "some lines should have been dropped");
    assert.equal(written + dropped, 20_000);
    writer.stop();
  }),
);

test(
  "rotation still happens when the worker owns the file sink",
  withDir(async (dir) => {
    const file = path.join(dir, "app.log");
    const { errors, report } = collectErrors();
    const writer = createQueuedWriter({ kind: "file", path: file, options: { rotation: "10 KB" } }, {}, report);
    const line = "r".repeat(99) + "\n";
    for (let i = 0; i < 500; i++) writer.write(line, NO_RECORD);
    writer.stop();
    const files = fs.readdirSync(dir);
    assert.ok(files.length >= 5, `expected rotated files, got ${files.join(", ")}`);
    let total = 0;
    for (const name of files) {
      const size = fs.statSync(path.join(dir, name)).size;
      assert.ok(size <= 10_000, `${name} holds ${size} bytes`);
      total += size;
    }
    assert.equal(total, 500 * 100);
    assert.deepEqual(errors, []);
  }),
);

test(
  "file options holding functions keep the file sink on this thread, still queued",
  withDir(async (dir) => {
    const file = path.join(dir, "app.log");
    let asked = 0;
    const rotation = (): boolean => ++asked % 100 === 0;
    const writer = createQueuedWriter({ kind: "file", path: file, options: { rotation } }, {}, () => {});
    const record = { time: new Date() } as unknown as LogRecord;
    for (let i = 0; i < 250; i++) writer.write(`line ${i}\n`, record);
    assert.equal(asked, 0, "nothing is written during the calls");
    await writer.complete();
    assert.ok(asked >= 250);
    assert.equal(fs.readdirSync(dir).length, 3);
    writer.stop();
  }),
);

test("remove() (stop) writes what is queued and stops the sink before it returns", withDir((dir) => {
  const file = path.join(dir, "out.log");
  const writer = createQueuedWriter({ kind: "file", path: file, options: {} }, {}, () => {});
  for (let i = 0; i < 5000; i++) writer.write(`line ${i}\n`, NO_RECORD);
  writer.stop();
  assert.equal(fs.readFileSync(file, "utf8").split("\n").length - 1, 5000);
  writer.write("after stop\n", NO_RECORD);
  assert.doesNotMatch(fs.readFileSync(file, "utf8"), /after stop/);
}));

test("a local queue writes on a later turn, in order, and complete() waits for the sink", async () => {
  const written: string[] = [];
  let completed = false;
  const sink: SinkWriter = {
    write: (message) => void written.push(message),
    stop() {},
    async complete() {
      completed = true;
    },
  };
  const writer = createQueuedWriter({ kind: "local", writer: sink }, {}, () => {});
  for (let i = 0; i < 1000; i++) writer.write(`m${i}`, NO_RECORD);
  assert.equal(written.length, 0);
  await writer.complete();
  assert.equal(written.length, 1000);
  assert.equal(written[999], "m999");
  assert.ok(completed);
  writer.stop();
});

test("a local queue that is full: block writes the backlog at once, drop counts", async () => {
  const blocked: string[] = [];
  const sink = (into: string[]): SinkWriter => ({ write: (m) => void into.push(m), stop() {}, async complete() {} });
  const blocking = createQueuedWriter({ kind: "local", writer: sink(blocked) }, { capacity: 10, overflow: "block" }, () => {});
  for (let i = 0; i < 6; i++) blocking.write("abcd", NO_RECORD);
  assert.ok(blocked.length >= 4, "the backlog was written on the calling stack");
  await blocking.complete();
  assert.equal(blocked.length, 6);
  blocking.stop();

  const kept: string[] = [];
  const { errors, report } = collectErrors();
  const dropping = createQueuedWriter({ kind: "local", writer: sink(kept) }, { capacity: 10, overflow: "drop" }, report);
  for (let i = 0; i < 6; i++) dropping.write("abcd", NO_RECORD);
  await dropping.complete();
  assert.equal(kept.length, 2);
  assert.deepEqual(errors.map((e) => (e as Error).message), ['4 messages were dropped: the enqueue queue was full (overflow: "drop")']);
  dropping.stop();
});

test("a sink error inside the worker is reported and the queue goes on", withDir(async (dir) => {
  const blocker = path.join(dir, "not-a-dir");
  fs.writeFileSync(blocker, "");
  const { errors, report } = collectErrors();
  const writer = createQueuedWriter({ kind: "file", path: path.join(blocker, "sub", "out.log"), options: {} }, {}, report);
  for (let i = 0; i < 10; i++) writer.write(`line ${i}\n`, NO_RECORD);
  await writer.complete();
  assert.ok(errors.length >= 1);
  assert.match(String((errors[0] as Error).message), /ENOTDIR|EEXIST|not a directory/i);
  writer.stop();
}));

test("writes to /dev/full through the queue are reported; complete() still resolves", async () => {
  const { errors, report } = collectErrors();
  const writer = createQueuedWriter({ kind: "file", path: "/dev/full", options: {} }, {}, report);
  for (let i = 0; i < 100; i++) writer.write(`line ${i}\n`, NO_RECORD);
  await writer.complete();
  assert.ok(errors.length >= 1);
  assert.ok(errors.every((e) => (e as NodeJS.ErrnoException).code === "ENOSPC"), String(errors[0]));
  writer.stop();
});

test("invalid queue options throw, naming the option and the value; nothing is created", withDir((dir) => {
  const file = path.join(dir, "out.log");
  const target = { kind: "file" as const, path: file, options: {} };
  assert.throws(() => createQueuedWriter(target, { capacity: "big" as never }, () => {}), /Invalid capacity 'big'/);
  assert.throws(() => createQueuedWriter(target, { capacity: 0 }, () => {}), /Invalid capacity 0/);
  assert.throws(() => createQueuedWriter(target, { overflow: "sometimes" as never }, () => {}), /Invalid overflow 'sometimes'/);
  assert.throws(() => createQueuedWriter({ ...target, options: { rotation: "often" } }, {}, () => {}), /rotation/i);
  assert.throws(() => createQueuedWriter({ ...target, options: { buffering: -1 } }, {}, () => {}), /buffering/i);
  assert.throws(() => createQueuedWriter({ kind: "fd", fd: -1 }, {}, () => {}), /Invalid fd -1/);
  assert.deepEqual(fs.readdirSync(dir), []);
}));
