"use strict";
// The first logger.exception() of a process: a throw 5 app frames deep, captured, then logged with
// an annotated traceback. Each run is a fresh process; prints medians of wall and CPU time (CPU time
// is less disturbed by other load on the machine). Run after the build:
//   node test/bench/first-exception.js [--runs N] [--root DIR]
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { FIVE_FRAME_THROW } = require("./lib/five-frames");

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(option("--runs", "7"));
const root = path.resolve(option("--root", path.resolve(__dirname, "..", "..")));

const child = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const { logger } = require(${JSON.stringify(root)});
logger.remove();
let written = "";
logger.add((m) => { written += m; }, { diagnose: true, backtrace: true, colorize: false });
${FIVE_FRAME_THROW}
const wall0 = process.hrtime.bigint(), cpu0 = cpu();
logger.exception("Order failed", error);
const wallMs = Number(process.hrtime.bigint() - wall0) / 1e6, cpuMs = cpu() - cpu0;
if (!written.includes("count")) throw new Error("no annotated traceback");
console.log(JSON.stringify({ wallMs, cpuMs }));
`;

// In a real file, so that its source lines can be read and annotated.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-first-exception-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
const program = path.join(scratch, "orders.js");
fs.writeFileSync(program, child);

const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, [program], { cwd: os.tmpdir(), encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } });
  results.push(JSON.parse(out));
}
console.log(
  "first logger.exception() in a fresh process, median of %d: %s ms wall, %s ms CPU (load average %s)",
  runs,
  median(results.map((r) => r.wallMs)).toFixed(1),
  median(results.map((r) => r.cpuMs)).toFixed(1),
  os.loadavg().map((n) => n.toFixed(1)).join(" "),
);
