"use strict";
// Server time of the development error page for a 10-frame captured error with a request
// (run after the build: `node test/bench/error-page.bench.js`). Target: under 20 ms.
// Prints wall and CPU medians for the first page of a fresh process (loading the page code and
// reading the sources included), then for warm pages (HTML and JSON), next to formatException()
// of the same error.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const FRESH_RUNS = Number(process.argv[2] ?? 7);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-page-bench-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
const scenario = path.join(scratch, "orders.js");
const levels = [];
for (let n = 10; n >= 1; n--) {
  const call = n === 10
    ? `const count = order.lines.length; if (count > limit) throw new RangeError("too many lines: " + count + " for " + order.owner);`
    : `const next = { ...order, depth: ${n} }; const budget = limit - order.discount; return level${n + 1}(next, budget);`;
  levels.push(`function level${n}(order, limit) {\n  const step = ${n};\n  ${call}\n}`);
}
fs.writeFileSync(scenario, `"use strict";
const { errorPage, formatException, startCapture } = require(${JSON.stringify(path.join(root, "dist", "diagnose", "index.js"))});
startCapture();
${levels.join("\n")}
let error;
try { level1({ lines: [1, 2, 3], discount: 0, owner: "ada", address: { city: "Paris", zip: "75001" } }, 2); } catch (e) { error = e; }
const request = {
  method: "POST", url: "/orders/9/charge?coupon=SPRING&page=2",
  rawHeaders: ["Host", "localhost:3000", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8", "User-Agent", "Mozilla/5.0 (X11; Linux x86_64)",
    "Accept-Language", "en-US,en;q=0.9", "Accept-Encoding", "gzip, deflate, br", "Content-Type", "application/json", "Content-Length", "52",
    "Cookie", "sid=abc123", "Authorization", "Bearer abc", "Connection", "keep-alive"],
  params: { orderId: "9" }, body: { coupon: "SPRING", qty: 2, notes: "leave at the door", password: "x" },
};
module.exports = { error, request, errorPage, formatException };
`);

// In a fresh process: the first traceback of the process, then the first page after it (the page's own first cost).
const afterTraceback = `
const { error, request, errorPage, formatException } = require(${JSON.stringify(scenario)});
const time = (fn) => { const c = process.cpuUsage(); const t = process.hrtime.bigint(); fn(); const cpu = process.cpuUsage(c); return { wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (cpu.user + cpu.system) / 1e3 }; };
const traceback = time(() => formatException(error, { colorize: false }));
const page = time(() => errorPage(error, { request, diagnose: true }));
console.log(JSON.stringify({ firstTraceback: traceback, pageAfterTraceback: page }));
`;

function fresh(source) {
  return JSON.parse(execFileSync(process.execPath, ["-e", source], { cwd: root, encoding: "utf8" }));
}

const measure = `
const { error, request, errorPage, formatException } = require(${JSON.stringify(scenario)});
const time = (fn) => { const c = process.cpuUsage(); const t = process.hrtime.bigint(); fn(); const cpu = process.cpuUsage(c); return { wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (cpu.user + cpu.system) / 1e3 }; };
const first = time(() => errorPage(error, { request, diagnose: true }));
const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
const warm = (fn, runs) => { for (let i = 0; i < 20; i++) fn(); const wall = [], cpu = []; for (let i = 0; i < runs; i++) { const t = time(fn); wall.push(t.wall); cpu.push(t.cpu); } return { wall: median(wall), cpu: median(cpu) }; };
const html = errorPage(error, { request, diagnose: true });
const frames = JSON.parse(errorPage(error, { request, diagnose: true, accept: "application/json" }).body).exception.frames.filter((f) => f.kind === "app").length;
console.log(JSON.stringify({
  first,
  html: warm(() => errorPage(error, { request, diagnose: true }), 200),
  json: warm(() => errorPage(error, { request, diagnose: true, accept: "application/json" }), 200),
  traceback: warm(() => formatException(error, { colorize: false }), 200),
  bytes: html.body.length,
  appFrames: frames,
}));
`;

// Through Express: the errorPage() call errorLogger() makes for each failing request (a new error
// with its own capture each time), timed by wrapping the function the middleware calls.
const expressApp = path.join(scratch, "app.js");
fs.writeFileSync(expressApp, `"use strict";
const diagnose = require(${JSON.stringify(path.join(root, "dist", "diagnose", "index.js"))});
const errorPage = diagnose.errorPage;
const calls = [];
diagnose.errorPage = function timedErrorPage(...args) {
  const c = process.cpuUsage(); const t = process.hrtime.bigint();
  const response = errorPage.apply(this, args);
  const cpu = process.cpuUsage(c);
  calls.push({ wall: Number(process.hrtime.bigint() - t) / 1e6, cpu: (cpu.user + cpu.system) / 1e3 });
  return response;
};
const express = require(${JSON.stringify(require.resolve("express", { paths: [root] }))});
const { logger } = require(${JSON.stringify(path.join(root, "dist", "src", "index.js"))});
const { requestLogger, errorLogger } = require(${JSON.stringify(path.join(root, "dist", "src", "integrations", "express.js"))});
logger.remove();
logger.add(() => {}, { diagnose: true });
${levels.join("\n")}
const app = express();
app.use(requestLogger());
app.get("/orders/:id", (req, res) => { res.json(level1({ lines: [1, 2, 3], discount: 0, owner: "ada", id: req.params.id }, 2)); });
app.use(errorLogger());
const server = app.listen(0, "127.0.0.1", async () => {
  const url = "http://127.0.0.1:" + server.address().port + "/orders/9?coupon=SPRING";
  // Spaced out, so that every throw is captured (the capture budget is 50 a second).
  for (let i = 0; i < 40; i++) {
    await (await fetch(url, { headers: { accept: "text/html" } })).text();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  server.close();
  const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const rest = calls.slice(1);
  console.log(JSON.stringify({ first: calls[0], wall: median(rest.map((c) => c.wall)), cpu: median(rest.map((c) => c.cpu)) }));
});
`);

const results = [];
for (let i = 0; i < FRESH_RUNS; i++) {
  const express = JSON.parse(execFileSync(process.execPath, [expressApp], { cwd: root, encoding: "utf8" }));
  results.push({ ...fresh(measure), ...fresh(afterTraceback), express: { firstWall: express.first.wall, firstCpu: express.first.cpu, wall: express.wall, cpu: express.cpu } });
}
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
const pick = (key, field) => median(results.map((r) => r[key][field])).toFixed(2);
console.log(`error page for a ${results[0].appFrames}-frame captured error with a request (${results[0].bytes} bytes of HTML), median of ${FRESH_RUNS} fresh processes; load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
console.log(`  first page of the process (loads the page code, reads the sources): wall ${pick("first", "wall")} ms, CPU ${pick("first", "cpu")} ms`);
console.log(`  first traceback of the process (formatException), for comparison: wall ${pick("firstTraceback", "wall")} ms, CPU ${pick("firstTraceback", "cpu")} ms`);
console.log(`  first page after that traceback (the page's own first cost):   wall ${pick("pageAfterTraceback", "wall")} ms, CPU ${pick("pageAfterTraceback", "cpu")} ms`);
console.log(`  warm HTML page:                                                 wall ${pick("html", "wall")} ms, CPU ${pick("html", "cpu")} ms`);
console.log(`  warm JSON:                                                      wall ${pick("json", "wall")} ms, CPU ${pick("json", "cpu")} ms`);
console.log(`  formatException() of the same error, warm:                      wall ${pick("traceback", "wall")} ms, CPU ${pick("traceback", "cpu")} ms`);
console.log(`  in Express's errorLogger(), a new captured error per request: first page wall ${pick("express", "firstWall")} ms, CPU ${pick("express", "firstCpu")} ms; then wall ${pick("express", "wall")} ms, CPU ${pick("express", "cpu")} ms`);
