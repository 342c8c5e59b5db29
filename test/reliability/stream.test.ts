import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Writable } from "node:stream";
import { createStreamSink, MAX_UNWRITTEN_BYTES } from "../../dist/src/sinks/stream.js";
import type { LogRecord } from "logsight";
import { fixtures, repoRoot, tempDir } from "./support";

const NO_RECORD = null as unknown as LogRecord;

function runUntilFirstOutput(args: string[]): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(fixtures, "epipe-child.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOGSIGHT_AUTOINIT: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // What `| head -1` does: read a little, then close the pipe.
    child.stdout.once("data", () => child.stdout.destroy());
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // stderr may still hold a last chunk; it is read before the result is used.
      child.stderr.once("close", () => resolve({ code, signal, stderr }));
      if (child.stderr.closed) resolve({ code, signal, stderr });
    });
  });
}

for (const mode of ["", "enqueue"]) {
  test(`stdout whose reader has gone (EPIPE) ends that handler quietly, never the program${mode ? " (enqueue)" : ""}`, async () => {
    const dir = tempDir();
    try {
      const marker = path.join(dir, "marker");
      const { code, signal, stderr } = await runUntilFirstOutput([marker, mode]);
      assert.equal(signal, null, `killed; it ${fs.existsSync(marker) ? "had" : "had not"} reached its end`);
      assert.equal(code, 0, stderr);
      assert.equal(stderr, "");
      assert.equal(fs.readFileSync(marker, "utf8"), "survived");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("a stream that stops taking data is buffered up to a bound, then messages are dropped and counted", async () => {
  const callbacks: Array<() => void> = [];
  let received = 0;
  const stalled = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callbacks.push(callback);
    },
  });
  const errors: Error[] = [];
  const sink = createStreamSink(stalled, (error) => errors.push(error as Error));
  const message = "m".repeat(2047) + "\n";
  const sent = 20_000;
  for (let i = 0; i < sent; i++) sink.write(message, NO_RECORD);
  assert.ok(stalled.writableLength <= MAX_UNWRITTEN_BYTES + message.length, `${stalled.writableLength} bytes held`);
  assert.deepEqual(errors, [], "the count is reported once the stream drains, not per message");

  // The reader comes back: everything held is written, and the drop count reported once.
  while (callbacks.length > 0 || stalled.writableLength > 0) {
    callbacks.splice(0).forEach((callback) => callback());
    await new Promise((resolve) => setImmediate(resolve));
  }
  const written = received / message.length;
  assert.equal(errors.length, 1);
  const match = /^(\d+) messages were dropped: the stream had more than \d+ bytes waiting to be written$/.exec(errors[0].message);
  assert.ok(match, errors[0].message);
  assert.equal(written + Number(match[1]), sent);
  sink.write("after\n", NO_RECORD);
  sink.stop();
});

test("another error emitted by a stream is reported once and stops that handler, without crashing", async () => {
  const stream = new Writable({
    write(_chunk, _encoding, callback) {
      callback(Object.assign(new Error("disk on fire"), { code: "EIO" }));
    },
  });
  const errors: Error[] = [];
  const sink = createStreamSink(stream, (error) => errors.push(error as Error));
  sink.write("one\n", NO_RECORD);
  await new Promise((resolve) => setImmediate(resolve));
  sink.write("two\n", NO_RECORD);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(errors.map((e) => e.message), ["disk on fire"]);
  sink.stop();
});

test("process.stderr replaced by the application (test runners do this) still receives the messages", () => {
  const captured: string[] = [];
  const original = process.stderr.write;
  const sink = createStreamSink(process.stderr);
  process.stderr.write = ((chunk: string) => {
    captured.push(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    sink.write("seen by the replacement\n", NO_RECORD);
  } finally {
    process.stderr.write = original;
  }
  sink.stop();
  assert.deepEqual(captured, ["seen by the replacement\n"]);
});
