import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fixtures, repoRoot, tempDir } from "./support";

const LINES = 24_000; // about 24 MiB of ~1 KiB lines: more than the 16 MiB bound and the pipe together
const BOUND = 16 * 1024 * 1024;
const AFTER = 100;

async function waitFor(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

const ticks = (dir: string): number => {
  try {
    return fs.statSync(path.join(dir, "heartbeat")).size;
  } catch {
    return 0;
  }
};

/** Spawns the child with a pipe nobody reads, then, after the checks, reads everything. */
async function runStalled(variant: string): Promise<{ output: string; tickGain: number; code: number | null; signal: string | null }> {
  const dir = tempDir();
  const useStdout = variant === "stdout";
  const child = spawn(process.execPath, [path.join(fixtures, "stalled-reader-child.js"), dir, variant, String(LINES)], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, LOGSIGHT_DIAGNOSE: "false" },
    stdio: useStdout ? ["ignore", "pipe", "pipe"] : ["ignore", "ignore", "pipe"],
  });
  const pipe = useStdout ? child.stdout! : child.stderr!;
  pipe.pause();
  // With stdout stalled, stderr (where reports go) is read all along.
  let reportsText = "";
  if (useStdout) child.stderr!.setEncoding("utf8").on("data", (text: string) => (reportsText += text));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  try {
    await waitFor(() => fs.existsSync(path.join(dir, "logged")) || child.exitCode !== null, "the child to log every line");
    // The reader still reads nothing: the child's event loop must keep running.
    const before = ticks(dir);
    await sleep(5000);
    const tickGain = ticks(dir) - before;
    const chunks: Buffer[] = [];
    let received = 0;
    pipe.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    const ended = new Promise((resolve) => pipe.on("end", resolve));
    pipe.resume();
    // Once a few MiB have been read there is room again: the child logs AFTER lines and exits at once.
    await waitFor(() => received > 4 * 1024 * 1024, "the first 4 MiB");
    fs.writeFileSync(path.join(dir, "go"), "");
    const { code, signal } = await exited;
    await ended;
    return { output: Buffer.concat(chunks).toString("utf8") + reportsText, tickGain, code, signal };
  } finally {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const variant of ["default", "enqueue", "stdout", "stream", "stream-enqueue"]) {
  test(`a reader that stops reading does not freeze the process; lines within the bound arrive in order, the drops are counted (${variant})`, { timeout: 120_000 }, async () => {
    const { output, tickGain, code, signal } = await runStalled(variant);
    // 50 ms ticks: about 100 in 5 s; 10 leaves room for a loaded machine, and a frozen loop makes 0.
    assert.ok(tickGain >= 10, `the heartbeat ticked ${tickGain} times in 5 s while the reader was stalled`);
    assert.equal(signal, null);
    assert.equal(code, 0);
    const numbers: number[] = [];
    let lineBytes = 0;
    let after = 0;
    const reports: string[] = [];
    for (const line of output.split("\n")) {
      const match = /line (\d+) x{1000}$/.exec(line);
      if (match) {
        numbers.push(Number(match[1]));
        lineBytes += Buffer.byteLength(line) + 1;
      }
      else if (/\bafter$/.test(line)) after++;
      else if (line !== "") reports.push(line);
    }
    const disorder = numbers.findIndex((n, i) => i > 0 && n <= numbers[i - 1]!);
    const ranges: string[] = [];
    let start = numbers[0];
    numbers.forEach((n, i) => {
      if (i + 1 === numbers.length || numbers[i + 1] !== n + 1) {
        ranges.push(`${start}-${n}`);
        start = numbers[i + 1];
      }
    });
    if (disorder >= 0) console.log("RANGES", ranges.join(" "), reports);
    assert.equal(disorder, -1, `lines arrive in order: ${numbers.slice(Math.max(0, disorder - 3), disorder + 3).join(", ")}`);
    assert.equal(numbers[0], 0, "the first line is there");
    assert.equal(after, AFTER, "the lines logged once the reader is back arrive (and survive process.exit)");
    // Everything up to the bound is kept: at least 15 of its 16 MiB worth of lines arrive.
    assert.ok(lineBytes >= BOUND - 1024 * 1024, `${numbers.length} lines (${lineBytes} bytes) arrived`);
    assert.ok(numbers.length < LINES, "some lines were dropped");
    assert.equal(reports.length, 1, `one report of the drops: ${reports.join(" / ").slice(0, 2000)}`);
    const dropped = /(\d+) messages were dropped/.exec(reports[0]!);
    assert.ok(dropped, reports[0]);
    assert.equal(numbers.length + Number(dropped[1]), LINES, "every line either arrived or was counted as dropped");
  });
}
