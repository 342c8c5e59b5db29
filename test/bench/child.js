"use strict";
// Runs one implementation of one logging case in this (fresh) process and prints one JSON line:
// node test/bench/child.js <case> <implementation> <calls> <dir>
//
// "file" cases: a warm-up of calls/10 (at most 10,000) lines to the same file, written out (`flush()`,
// for the loggers that gather lines), wait until the file holds them, then time `calls` calls from
// the first call until the logger's finish() resolved AND the file holds every line; CPU time (all threads, user + system) over the same span too.
// "loop" cases: a warm-up of min(calls, 300,000) calls, then time `calls` calls.

const fs = require("node:fs");
const path = require("node:path");
const { cases } = require("./cases/logging");
const { LineCounter, waitForLines } = require("./lib/file-lines");

async function main() {
  const [caseName, implName, callsText, dir] = process.argv.slice(2);
  const benchCase = cases.find((c) => c.name === caseName);
  if (benchCase === undefined) throw new Error(`unknown case ${JSON.stringify(caseName)}`);
  const implementation = benchCase.implementations[implName];
  if (implementation === undefined) throw new Error(`case ${caseName} has no implementation ${JSON.stringify(implName)}`);
  const calls = Number(callsText);
  const file = path.join(dir, `${caseName}-${implName}.log`);
  fs.rmSync(file, { force: true });

  const result = benchCase.kind === "loop"
    ? await measureLoop(implementation, file, calls)
    : await measureFile(implementation, file, calls);
  // maxRSS: the process's peak resident set size in KiB, whatever phase it was reached in.
  const peakRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(JSON.stringify({ case: caseName, implementation: implName, calls, ...result, peakRssKb }) + "\n");
}

function warmupCalls(calls) {
  return Math.max(1, Math.min(10_000, Math.floor(calls / 10)));
}

async function measureFile(implementation, file, calls) {
  const warmup = warmupCalls(calls);
  const opened = await implementation.open(file);
  const counter = new LineCounter(file);
  implementation.write(opened, warmup);
  // Loggers that gather lines before writing them write the warm-up's rest now.
  opened.flush?.();
  await waitForLines(counter, warmup);

  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  implementation.write(opened, calls);
  const returned = process.hrtime.bigint();
  await opened.finish();
  const complete = await waitForLines(counter, warmup + calls);
  const cpu = process.cpuUsage(cpuStart);

  return {
    ns: Number(complete - start),
    cpuNs: (cpu.user + cpu.system) * 1000,
    callsNs: Number(returned - start),
    bytes: fs.statSync(file).size,
    sample: lastLine(file),
  };
}

async function measureLoop(implementation, file, calls) {
  const opened = await implementation.open(file);
  // Loops of a few ns per call need more warm-up calls before the JIT has settled.
  implementation.write(opened, Math.min(calls, 300_000));
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  implementation.write(opened, calls);
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  await opened.finish();
  const written = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (written !== 0) throw new Error(`${file} should be empty: every call was below the minimum level, found ${written} bytes`);
  return { ns: Number(end - start), cpuNs: (cpu.user + cpu.system) * 1000, callsNs: Number(end - start), bytes: 0, sample: "" };
}

function lastLine(file) {
  const size = fs.statSync(file).size;
  const length = Math.min(size, 4096);
  const buffer = Buffer.alloc(length);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, buffer, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  const lines = buffer.toString("utf8").split("\n");
  return lines[lines.length - 1] === "" ? lines[lines.length - 2] : lines[lines.length - 1];
}

let finished = false;
// An await on something that never settles would otherwise end the process silently with code 0.
process.on("beforeExit", () => {
  if (finished) return;
  process.stderr.write("the event loop emptied before the measurement finished (a finish event never came)\n");
  process.exit(1);
});

main().then(
  () => {
    finished = true;
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
