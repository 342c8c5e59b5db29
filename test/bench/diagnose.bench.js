"use strict";
// Render cost of annotated tracebacks (run after the build: `node test/bench/diagnose.bench.js`).
// Targets (DESIGN.md §9): first colored traceback adds ≤ 50 ms; then a 5-frame annotated colored
// traceback renders in ≤ 1 ms.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { FIVE_FRAME_THROW } = require("./lib/five-frames");

const root = path.resolve(__dirname, "..", "..");
const RUNS = 2000;

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `source` in a fresh node process (cwd = repo root) and returns what it prints, parsed. */
function fresh(source) {
  return JSON.parse(execFileSync(process.execPath, ["-e", source], { cwd: root, encoding: "utf8" }));
}

// The throwing code lives in a real file so that its source lines can be read and annotated.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-diagnose-bench-"));
process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
const scenario = path.join(scratch, "orders.js");
fs.writeFileSync(scenario, `"use strict";
const { formatException, startCapture } = require(${JSON.stringify(path.join(root, "dist", "diagnose", "index.js"))});
startCapture();
${FIVE_FRAME_THROW}
module.exports = { error, formatException };
`);
const FIVE_FRAMES = `const { error, formatException } = require(${JSON.stringify(scenario)});`;

function inProcessRender() {
  return fresh(`${FIVE_FRAMES}
    const { clearSourceCache } = require("./dist/diagnose/source.js");
    const median = (v) => v.slice().sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const result = {};
    for (const colorize of [false, true]) {
      for (let i = 0; i < 200; i++) formatException(error, { colorize });
      const cached = [];
      for (let i = 0; i < ${RUNS}; i++) { const t = process.hrtime.bigint(); formatException(error, { colorize }); cached.push(Number(process.hrtime.bigint() - t) / 1e6); }
      const uncached = [];
      for (let i = 0; i < ${RUNS / 4}; i++) { clearSourceCache(); const t = process.hrtime.bigint(); formatException(error, { colorize }); uncached.push(Number(process.hrtime.bigint() - t) / 1e6); }
      result[colorize ? "colored" : "plain"] = { cachedLines: median(cached), uncachedLines: median(uncached) };
    }
    result.sample = formatException(error, { colorize: false });
    console.log(JSON.stringify(result));
  `);
}

function firstTraceback(options) {
  return fresh(`${FIVE_FRAMES}
    const t = process.hrtime.bigint();
    formatException(error, ${JSON.stringify(options)});
    console.log(JSON.stringify(Number(process.hrtime.bigint() - t) / 1e6));
  `);
}

/** cli-highlight is not a dependency (it missed DESIGN §9's budget); measured only when installed by hand. */
function cliHighlightCost(lines) {
  try {
    require.resolve("cli-highlight");
  } catch {
    return null;
  }
  return fresh(`
    const lines = ${JSON.stringify(lines)};
    let t = process.hrtime.bigint();
    const { highlight } = require("cli-highlight");
    const load = Number(process.hrtime.bigint() - t) / 1e6;
    const times = [];
    for (let i = 0; i < 300; i++) { const line = lines[i % lines.length]; t = process.hrtime.bigint(); highlight(line, { language: "javascript", ignoreIllegals: true }); times.push(Number(process.hrtime.bigint() - t) / 1e6); }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ load, perLine: times[times.length >> 1] }));
  `);
}

function acornCost(lines) {
  return fresh(`
    const lines = ${JSON.stringify(lines)};
    let t = process.hrtime.bigint();
    const { analyzeLine, clearSourceCache } = require("./dist/diagnose/source.js");
    const { highlightLine } = require("./dist/diagnose/highlight.js");
    analyzeLine("warm");
    const load = Number(process.hrtime.bigint() - t) / 1e6;
    const times = [];
    for (let i = 0; i < 3000; i++) { const line = lines[i % lines.length]; clearSourceCache(); t = process.hrtime.bigint(); const a = analyzeLine(line); highlightLine(line, a.tokens); times.push(Number(process.hrtime.bigint() - t) / 1e6); }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ load, perLine: times[times.length >> 1] }));
  `);
}

const render = inProcessRender();
const sourceLines = render.sample.split("\n").filter((l) => /^ {4}[^ │└]/.test(l)).map((l) => l.trim());
const firstBare = median([0, 1, 2, 3, 4].map(() => firstTraceback({ diagnose: false, colorize: false })));
const firstPlain = median([0, 1, 2, 3, 4].map(() => firstTraceback({ colorize: false })));
const firstColored = median([0, 1, 2, 3, 4].map(() => firstTraceback({ colorize: true })));
const cli = cliHighlightCost(sourceLines);
const acorn = acornCost(sourceLines);

const ms = (n) => `${n.toFixed(3)} ms`;
console.log(render.sample);
console.log("5-frame annotated traceback, median of %d renders after warm-up:", RUNS);
console.log("  plain:   %s (source lines cached), %s (tokenized anew)", ms(render.plain.cachedLines), ms(render.plain.uncachedLines));
console.log("  colored: %s (source lines cached), %s (tokenized anew)   target ≤ 1 ms", ms(render.colored.cachedLines), ms(render.colored.uncachedLines));
console.log("first traceback in a fresh process (median of 5): no diagnose/no color %s, annotated %s, annotated+colored %s   target: colored adds ≤ 50 ms", ms(firstBare), ms(firstPlain), ms(firstColored));
console.log("acorn tokens + coloring: load %s, %s per line", ms(acorn.load), ms(acorn.perLine));
if (cli) console.log("cli-highlight:           load %s, %s per line", ms(cli.load), ms(cli.perLine));
else console.log("cli-highlight:           not installed (npm install --no-save cli-highlight to compare)");
console.log("load average while measuring: %s", os.loadavg().map((n) => n.toFixed(2)).join(" "));
