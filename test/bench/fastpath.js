"use strict";
// The foundation's hot path, measured on the built package:
//   - logger.info("hello world") to a function sink (ns/call), with a plain and the default format,
//     and to an object with write() for comparison;
//   - logger.debug("hello world") below the minimum level (ns/call);
//   - heap allocated by 1e6 below-minimum calls.
// node test/bench/fastpath.js [--calls N]
//
// Heap method: the script re-runs itself with --expose-gc and a young generation large enough
// (--min/--max-semi-space-size) that 1e6 small allocations fit without a scavenge. It collects
// twice, reads process.memoryUsage().heapUsed, makes the calls, reads heapUsed again without
// collecting, and checks with a PerformanceObserver that no GC ran in between (a GC would hide
// allocations: the result is then marked as a lower bound). A control loop that allocates one
// small array per call shows that the method does see allocations.

const { spawnSync } = require("node:child_process");
const { PerformanceObserver, performance } = require("node:perf_hooks");
const { positiveInteger } = require("./lib/args");

const SEMI_SPACE_MB = 128;

if (typeof global.gc !== "function") {
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", `--min-semi-space-size=${SEMI_SPACE_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`, __filename, ...process.argv.slice(2)],
    { stdio: "inherit", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } },
  );
  process.exit(child.status ?? 1);
}

const gcEvents = [];
new PerformanceObserver((list) => gcEvents.push(...list.getEntries())).observe({ entryTypes: ["gc"] });

function parseCalls(argv) {
  const at = argv.indexOf("--calls");
  return at === -1 ? 1_000_000 : positiveInteger("--calls", argv[at + 1]);
}

function nsPerCall(fn, calls) {
  fn(Math.min(calls, 100_000));
  const start = process.hrtime.bigint();
  fn(calls);
  return Number(process.hrtime.bigint() - start) / calls;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Bytes of heap grown over `calls` calls of fn(calls), and whether a GC ran meanwhile. */
async function heapGrowth(fn, calls) {
  fn(1000);
  global.gc();
  global.gc();
  await tick();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  fn(calls);
  const end = performance.now();
  const after = process.memoryUsage().heapUsed;
  await tick();
  const collections = gcEvents.filter((event) => event.startTime >= start && event.startTime <= end).length;
  return { bytes: after - before, collections };
}

function describeHeap({ bytes, collections }, calls) {
  const perCall = (bytes / calls).toFixed(2);
  const note = collections === 0 ? "no GC ran during the calls" : `${collections} GC(s) ran during the calls: a lower bound`;
  return `${bytes} bytes in total, ${perCall} bytes/call (${note})`;
}

async function main() {
  const calls = parseCalls(process.argv);
  const { logger } = require("logsight");
  logger.remove();
  let lastMessage = "";
  const functionSink = (message) => {
    lastMessage = message;
  };

  const infoCalls = (n) => {
    for (let i = 0; i < n; i++) logger.info("hello world");
  };
  const debugCalls = (n) => {
    for (let i = 0; i < n; i++) logger.debug("hello world");
  };
  let kept;
  const controlCalls = (n) => {
    for (let i = 0; i < n; i++) kept = [i];
  };

  const plainId = logger.add(functionSink, { format: "{time} {level} {message}" });
  const plainNs = nsPerCall(infoCalls, calls);
  const plainSample = lastMessage;
  logger.remove(plainId);

  // A function sink receives the record, so its caller fields are looked up; an object with
  // write() gets only the text: the difference is the caller lookup.
  const streamId = logger.add({ write: functionSink }, { format: "{time} {level} {message}" });
  const streamNs = nsPerCall(infoCalls, calls);
  logger.remove(streamId);

  const defaultId = logger.add(functionSink, { colorize: false });
  const defaultNs = nsPerCall(infoCalls, Math.max(1, Math.floor(calls / 4)));
  const defaultSample = lastMessage;
  logger.remove(defaultId);

  logger.add(functionSink, { format: "{time} {level} {message}", level: "INFO" });
  lastMessage = "";
  const belowNs = nsPerCall(debugCalls, calls * 10);
  if (lastMessage !== "") throw new Error(`a debug() call below the minimum level reached the sink: ${JSON.stringify(lastMessage)}`);
  const belowHeap = await heapGrowth(debugCalls, calls);
  const controlHeap = await heapGrowth(controlCalls, calls);
  if (kept === undefined) throw new Error("control loop did not run");

  console.log(`node ${process.version}; flags: --expose-gc --min/--max-semi-space-size=${SEMI_SPACE_MB} (MB)`);
  console.log(`info("hello world") -> function sink, "{time} {level} {message}": ${plainNs.toFixed(1)} ns/call   (${JSON.stringify(plainSample)})`);
  console.log(`info("hello world") -> function sink, default format:          ${defaultNs.toFixed(1)} ns/call   (${JSON.stringify(defaultSample)})`);
  console.log(`  for comparison, an object with write(), "{time} {level} {message}": ${streamNs.toFixed(1)} ns/call (no caller lookup: the record does not reach the sink)`);
  console.log(`debug("hello world") below the minimum level (INFO):           ${belowNs.toFixed(2)} ns/call   (${(calls * 10).toLocaleString("en-US")} calls; target <= 10)`);
  console.log(`heap growth over ${calls.toLocaleString("en-US")} below-minimum calls: ${describeHeap(belowHeap, calls)}`);
  console.log(`  control, one [i] array per call:          ${describeHeap(controlHeap, calls)}`);
  console.log("  (heapUsed after two gc() calls, then again right after the loop, without collecting)");
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exitCode = 1;
});
