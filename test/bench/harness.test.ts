import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "./lib/args";
import { median, spread } from "./lib/stats";
import { LineCounter, waitForLines } from "./lib/file-lines";
import { formatTable } from "./lib/table";
import { summarizeProfile } from "./profile";

const repo = path.join(__dirname, "..", "..");

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "logsight-bench-test-"));
}

function runScript(script: string, args: string[]) {
  return spawnSync(process.execPath, [path.join(__dirname, script), ...args], { cwd: repo, encoding: "utf8", timeout: 60_000 });
}

test("options: defaults, values, and errors that name the option and the value", () => {
  assert.deepEqual(parseArgs([]), { runs: 5, calls: 100_000, cases: null, profile: false, json: null });
  assert.deepEqual(parseArgs(["--runs", "3", "--calls=10", "--case", "plain, 5", "--profile"]), {
    runs: 3,
    calls: 10,
    cases: ["plain", "5"],
    profile: true,
    json: null,
  });
  assert.throws(() => parseArgs(["--runs", "0"]), /option --runs must be a positive integer, got "0"/);
  assert.throws(() => parseArgs(["--calls", "1e3x"]), /option --calls must be a positive integer, got "1e3x"/);
  assert.throws(() => parseArgs(["--runs"]), /option --runs needs a value/);
  assert.throws(() => parseArgs(["--fast"]), /unknown option "--fast"/);
});

test("median and spread", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(spread([10, 12, 8]), 0.4);
  assert.equal(spread([7]), 0);
});

test("the line counter reads only what was appended and counts complete lines", async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, "out.log");
    const counter = new LineCounter(file);
    assert.equal(counter.update(), 0, "a missing file holds no lines");
    fs.writeFileSync(file, "a\nb\npartial");
    assert.equal(counter.update(), 2);
    fs.appendFileSync(file, " line\n" + "x\n".repeat(700_000));
    assert.equal(counter.update(), 700_003);
    await waitForLines(counter, 700_003);
    await assert.rejects(waitForLines(counter, 3), /holds 700003 lines, expected 3/);
    await assert.rejects(waitForLines(counter, 700_004, 20), /holds 700003 lines after 20 ms, expected 700004/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("tables align left and right columns", () => {
  const text = formatTable(["name", "ns"], [["a", "1"], ["long", "1,234"]], ["l", "r"]);
  assert.equal(text, "name     ns\n----  -----\na         1\nlong  1,234");
});

test("profile summary: self time per function and per file, engine pseudo-frames apart", () => {
  const frame = (functionName: string, url: string, lineNumber: number) => ({ functionName, url, lineNumber, columnNumber: 0 });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame("(root)", "", -1) },
      { id: 2, callFrame: frame("hot", "node:fs", 9) },
      { id: 3, callFrame: frame("cold", "node:fs", 19) },
      { id: 4, callFrame: frame("(garbage collector)", "", -1) },
      { id: 5, callFrame: frame("hot", "node:fs", 9) },
    ],
    samples: [2, 2, 3, 4, 5, 2],
    timeDeltas: [1000, 1000, 1000, 1000, 1000, 5000],
  };
  const text = summarizeProfile(profile, 5);
  assert.match(text, /sampled 10 ms, 9 ms in JavaScript\/native functions/);
  const rows = text.split("\n");
  const hot = rows.find((row) => row.includes("hot"));
  assert.ok(hot !== undefined && /^\s*8\.0\s+80\.0%\s+hot\s+node:fs:10$/.test(hot), hot);
  assert.ok(rows.some((row) => /^\s*1\.0\s+10\.0%\s+\(garbage collector\)/.test(row)));
  const byFile = rows.slice(rows.indexOf("by file:"));
  assert.ok(byFile.some((row) => /^\s*9\.0\s+90\.0%\s+node:fs$/.test(row)), byFile.join("\n"));
});

test("run.js measures a case for every implementation and prints medians, ratios and targets", () => {
  const result = runScript("run.js", ["--case", "plain,below-level", "--runs", "1", "--calls", "300"]);
  assert.equal(result.status, 0, result.stderr + result.stdout);
  const out = result.stdout;
  assert.match(out, /^machine: .+, \d+ cores/m);
  assert.match(out, /^node v\d+/m);
  assert.match(out, /implementation\s+ns\/call\s+cpu ns\/call\s+peak RSS MB\s+logsight speed \(wall\)\s+logsight speed \(cpu\)\s+logsight RSS/);
  assert.match(out, /^1\s+plain\s+logsight\s+[\d,.]+\s+[\d,.]+\s+[\d,.]+$/m);
  assert.match(out, /^1\s+plain\s+pino\s+[\d,.]+\s+[\d,.]+\s+[\d,.]+\s+[\d.]+x\s+[\d.]+x\s+[\d.]+x$/m);
  assert.match(out, /^1\s+plain\s+bunyan\s+[\d,.]+\s+[\d,.]+\s+[\d,.]+\s+[\d.]+x\s+[\d.]+x\s+[\d.]+x$/m);
  assert.match(out, /^5\s+below-level\s+winston\s+[\d,.]+\s+[\d,.]+\s+[\d,.]+\s+[\d.]+x\s+[\d.]+x\s+[\d.]+x$/m);
  assert.match(out, /> 1: logsight is faster/);
  // loguru runs when python3 can import it; otherwise the table says why it was left out.
  assert.match(out, /^1\s+plain\s+loguru\s+[\d,.]+|^ {2}case 1 plain: loguru skipped: python3 (cannot import loguru|not found)/m);
  assert.match(out, /logsight {9}calls return after .* INFO hello world$/m);
  assert.match(out, /pino {13}calls return after .*"msg":"hello world"\}$/m);
  assert.match(out, /^1\s+plain\s+>= 1\.0x pino \(cpu\)\s+[\d.]+x\s+(met|MISSED)$/m);
  assert.match(out, /^1\s+plain\s+peak RSS <= 1\.5x pino\s+[\d.]+x\s+(met|MISSED)$/m);
  assert.match(out, /^5\s+below-level\s+logsight <= 10 ns\/call \(cpu\)\s+[\d.]+ ns\s+(met|MISSED)$/m);
});

test("the app-tax child runs each workload with and without logsight, and reports whether a session exists", () => {
  const child = (args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [path.join(__dirname, "cases", "app-tax-child.js"), ...args], {
      cwd: repo,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, ...env },
    });
  for (const workload of ["await", "async-calls", "all-settled", "json-parse", "deep-throw", "cpu"]) {
    const result = child([workload, "1", "200"], { LOGSIGHT_CAPTURE: "all" });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.workload, workload);
    assert.equal(report.capturing, true, "LOGSIGHT_CAPTURE=all starts a session");
    assert.ok(report.ns > 0 && report.cpuNs >= 0 && report.importNs > 0 && report.importCpuNs > 0);
  }
  const without = JSON.parse(child(["cpu", "0", "200"], {}).stdout);
  assert.deepEqual([without.capturing, without.importNs], [false, 0]);
  const off = JSON.parse(child(["cpu", "1", "200"], { LOGSIGHT_CAPTURE: "off" }).stdout);
  assert.equal(off.capturing, false);
  const unknown = child(["sleep", "0"], {});
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown workload "sleep"; workloads: await, async-calls/);
});

test("run.js rejects an unknown case, naming the option and the value", () => {
  const result = runScript("run.js", ["--case", "nosuch"]);
  assert.equal(result.status, 1);
  assert.match(result.stderr, /option --case: unknown case "nosuch"/);
});

test("a case child refuses a case it does not know", () => {
  const dir = tempDir();
  try {
    const result = runScript("child.js", ["plain", "log4js-callstack", "10", dir]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /case plain has no implementation "log4js-callstack"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the buffered case: warm-up lines held in a buffer are written out before the timed calls, and every line arrives", () => {
  const dir = tempDir();
  try {
    // 303 lines never fill a 4 KiB buffer exactly, so the last ones wait for flush() and finish().
    for (const implementation of ["logsight", "pino"]) {
      const result = runScript("child.js", ["default-buffered", implementation, "303", dir]);
      assert.equal(result.status, 0, result.stderr);
      const row = JSON.parse(result.stdout.trim());
      const lines = fs.readFileSync(path.join(dir, `default-buffered-${implementation}.log`), "utf8").split("\n");
      assert.equal(lines.length - 1, 30 + 303, implementation);
      assert.equal(row.sample, lines[lines.length - 2]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("fastpath.js reports ns/call and heap growth, and its heap method sees a known allocation", () => {
  const result = runScript("fastpath.js", ["--calls", "20000"]);
  assert.equal(result.status, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /info\("hello world"\) -> function sink, "\{time\} \{level\} \{message\}": [\d.]+ ns\/call .*INFO hello world/);
  assert.match(out, /debug\("hello world"\) below the minimum level \(INFO\): +[\d.]+ ns\/call/);
  assert.match(out, /heap growth over 20,000 below-minimum calls: -?\d+ bytes in total/);
  const control = /control, one \[i\] array per call: +(-?\d+) bytes in total/.exec(out);
  assert.ok(control !== null, out);
  assert.ok(Number(control[1]) >= 20_000 * 16, `the control loop allocates at least 16 bytes per call: ${control[1]}`);
});
