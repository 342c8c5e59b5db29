"use strict";
// What the default secret names cost on the default format: the same calls with the default list
// on and with `configure({ redact: false })`, in alternating rounds; prints the median CPU time
// per call of each (process.cpuUsage, so that other processes on a busy machine weigh less than in
// wall time) and their ratio.
// node test/bench/redact.js [--calls N] [--rounds N]
const { logger } = require("../../dist/src/index.js");
const { positiveInteger } = require("./lib/args");

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : positiveInteger(name, process.argv[at + 1]);
}
const calls = option("--calls", 200_000);
const rounds = option("--rounds", 7);

// An object with write(), like a stream sink, that keeps only the byte count: the file system
// stays out of the measurement.
let bytes = 0;
const sink = { write: (text) => void (bytes += text.length) };

const user = { id: 42, name: "ada", roles: ["admin", "dev"] };
const cases = {
  "info(text)": () => logger.info("GET /orders 200"),
  "info(fields, args)": () => logger.info("user {} did {}", "ada", "checkout"),
  "info(kwargs)": () => logger.info("request done", { status: 200, ms: 12, path: "/orders" }),
  "info({user}, object)": () => logger.info("login {user} from {ip}", { user, ip: "10.0.0.1" }),
  "bind + info": () => logger.bind({ requestId: "r-1", route: "/orders" }).info("handled {}", 200),
};

function run(fn) {
  const start = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / calls;
}

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];

function setup(redact) {
  logger.configure({ handlers: [{ sink, colorize: false, diagnose: false }], redact });
}

console.log(`default format, ${calls} calls per round, ${rounds} rounds, median CPU ns/call (Node ${process.version})`);
console.log("case                      default list   redact: false   ratio");
let totalOn = 0;
let totalOff = 0;
for (const [name, fn] of Object.entries(cases)) {
  const on = [];
  const off = [];
  for (const redact of [[], false]) {
    setup(redact);
    run(fn);
  }
  for (let round = 0; round < rounds; round++) {
    setup([]);
    on.push(run(fn));
    setup(false);
    off.push(run(fn));
  }
  const a = median(on);
  const b = median(off);
  totalOn += a;
  totalOff += b;
  console.log(`${name.padEnd(26)}${a.toFixed(0).padStart(10)}   ${b.toFixed(0).padStart(12)}   ${(a / b).toFixed(3).padStart(7)}`);
}
console.log(`${"all cases".padEnd(26)}${totalOn.toFixed(0).padStart(10)}   ${totalOff.toFixed(0).padStart(12)}   ${(totalOn / totalOff).toFixed(3).padStart(7)}`);
if (bytes === 0) throw new Error("nothing was written");
