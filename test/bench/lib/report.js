"use strict";
// The bench's printed report: the logging table (wall and CPU), what each case wrote, the
// diagnose and import sections. Ratios are always other cost / logsight cost (> 1: logsight faster).

const { median } = require("./stats");
const { formatTable, formatNumber } = require("./table");

const OWNER_OUTPUT_LINES = 20;
const OWNER_OUTPUT_TAIL = 8;

/** other cost / logsight cost: > 1 means logsight is faster. */
function speedRatio(results, other, key = "median") {
  const mine = results.logsight && results.logsight[key];
  const theirs = results[other] && results[other][key];
  if (!(mine > 0) || !(theirs > 0)) return undefined;
  return theirs / mine;
}

function verdict(met) {
  return met === true ? "met" : met === false ? "MISSED" : "not measured";
}

/**
 * One row per case and implementation: wall and CPU ns per call, peak RSS, and each as a ratio
 * against logsight (other / logsight: > 1 means logsight is faster, or for memory, smaller).
 */
function printLoggingTable(measured) {
  const rows = [];
  const notes = [];
  for (const { benchCase, results } of measured) {
    const mine = results.logsight;
    for (const [name, result] of Object.entries(results)) {
      const head = [String(benchCase.number), benchCase.name, name];
      if (result.skipped !== undefined) {
        notes.push(`  case ${benchCase.number} ${benchCase.name}: ${name} skipped: ${result.skipped}`);
        continue;
      }
      if (result.error !== undefined) {
        rows.push([...head, "failed", "", "", "", "", ""]);
        continue;
      }
      const own = name === "logsight";
      const spreadText = result.nsPerCall.length < 2 ? "" : ` ±${Math.round(result.spread * 100)}%`;
      const wallRatio = speedRatio(results, name);
      const cpuRatio = speedRatio(results, name, "cpuMedian");
      const rssRatio = !own && mine && mine.rssMedianKb > 0 && result.rssMedianKb > 0 ? mine.rssMedianKb / result.rssMedianKb : undefined;
      rows.push([
        ...head,
        `${formatNumber(result.median, result.median < 100 ? 1 : 0)}${spreadText}`,
        formatNumber(result.cpuMedian, result.cpuMedian < 100 ? 1 : 0),
        formatNumber(result.rssMedianKb / 1024, 0),
        own || wallRatio === undefined ? "" : `${wallRatio.toFixed(2)}x`,
        own || cpuRatio === undefined ? "" : `${cpuRatio.toFixed(2)}x`,
        rssRatio === undefined ? "" : `${rssRatio.toFixed(2)}x`,
      ]);
    }
  }
  console.log(formatTable(
    ["#", "case", "implementation", "ns/call", "cpu ns/call", "peak RSS MB", "logsight speed (wall)", "logsight speed (cpu)", "logsight RSS"],
    rows,
    ["r", "l", "l", "r", "r", "r", "r", "r", "r"],
  ));
  for (const note of notes) console.log(note);
  console.log("ns/call: median over the measured runs of (time from the first call until the file holds every line) / calls;");
  console.log("  ±: (max - min) / median of those runs. Case below-level: time of the calls only (nothing is written).");
  console.log("cpu ns/call: user + system CPU time of the process (all threads) over the same span: less disturbed by other load.");
  console.log("peak RSS: the process's maximum resident set size (warm-up and measured calls).");
  console.log("logsight speed: other ns/call / logsight ns/call (> 1: logsight is faster); logsight RSS: logsight's peak RSS / the other's (< 1: smaller).");
}

function printCaseDetails(measured) {
  console.log("\nWhat each case writes (last line of the file) and where the time goes:");
  for (const { benchCase, results } of measured) {
    console.log(`  ${benchCase.number} ${benchCase.name}: ${benchCase.title}`);
    for (const [name, result] of Object.entries(results)) {
      if (result.skipped !== undefined) {
        console.log(`    ${name.padEnd(16)} skipped: ${result.skipped}`);
        continue;
      }
      if (result.error !== undefined) {
        console.log(`    ${name.padEnd(16)} FAILED: ${result.error.split("\n").join("\n      ")}`);
        continue;
      }
      const returned = median(result.returnNsPerCall);
      const detail = benchCase.kind === "file"
        ? `calls return after ${formatNumber(returned, 0)} ns/call, ${formatNumber(result.bytesPerLine, 0)} bytes/line: ${truncate(result.sample, 150)}`
        : `${formatNumber(result.calls)} calls`;
      console.log(`    ${name.padEnd(16)} ${detail}`);
    }
  }
}

function truncate(text, length) {
  if (text === undefined) return "";
  return text.length <= length ? text : `${text.slice(0, length)}… (${text.length} chars)`;
}

function printDiagnose(result, owners) {
  console.log("\n7 diagnose: a RangeError thrown 5 app frames deep, caught; capture mode \"all\" (rate unlimited)");
  if (result.error !== undefined) {
    console.log(`  FAILED: ${result.error}`);
  } else {
    console.log(formatTable(
      ["measure", "median", "budget (DESIGN.md)", "result"],
      [
        ["throw + catch, no capture session", `${formatNumber(result.usPerThrowUncaptured, 1)} us`, "", ""],
        ["throw + catch, captured", `${formatNumber(result.usPerThrowCaptured, 0)} us`, "0.5-3 ms measured range", ""],
        ["capture cost per throw", `${formatNumber(result.usPerThrowCaptured - result.usPerThrowUncaptured, 0)} us`, "", ""],
        ["first render, plain (cold process)", `${formatNumber(result.plainFirstMs, 1)} ms`, "", ""],
        ["render, plain, after the first", `${formatNumber(result.plainMsPerRender, 2)} ms`, "", ""],
        ["first render, colored (cold process)", `${formatNumber(result.coloredFirstMs, 1)} ms`, "<= 50 ms", verdict(result.coloredFirstMs <= 50)],
        ["render, colored, after the first", `${formatNumber(result.coloredMsPerRender, 2)} ms`, "<= 1 ms", verdict(result.coloredMsPerRender <= 1)],
      ],
      ["l", "r", "l", "l"],
    ));
    console.log(`  ${result.captured} of ${result.throws} throws captured in every run; ${result.frames} app frames rendered; values annotated: ${result.annotated ? "yes" : "NO"}.`);
    console.log("  pino and winston have no equivalent (they print error.stack).");
  }
  for (const { script, status, output } of owners) {
    console.log(`\n  ${script} (exit ${status}):`);
    let lines = output.split("\n");
    if (lines.length > OWNER_OUTPUT_LINES) {
      console.log(`    (${lines.length - OWNER_OUTPUT_TAIL} earlier lines omitted: run the script to see them)`);
      lines = lines.slice(-OWNER_OUTPUT_TAIL);
    }
    console.log(lines.map((line) => `    ${line}`).join("\n"));
  }
}

function printImportTimes(results) {
  console.log("\n8 import: cost of loading the package in a fresh process (milliseconds, medians)");
  const rows = results.map((result) => {
    const label = result.label;
    if (result.error !== undefined) return [label, "failed", "", "", "", "", ""];
    return [
      label,
      formatNumber(result.cjs.cpuMs, 1),
      formatNumber(result.esm.cpuMs, 1),
      formatNumber(result.cjs.processMs, 1),
      formatNumber(result.esm.processMs, 1),
      formatNumber(result.cjs.inProcessMs, 1),
      formatNumber(result.esm.inProcessMs, 1),
    ];
  });
  console.log(formatTable(
    ["package", "require: CPU", "import: CPU", "require: process", "import: process", "require: in-process", "import: in-process"],
    rows,
    ["l", "r", "r", "r", "r", "r", "r"],
  ));
  console.log("  CPU: CPU time (user + system) of the require()/import() itself, which other load on the machine disturbs far less than wall time;");
  console.log('  process: wall time of `node -e "require(X)"` (or --input-type=module with `await import(X)`) minus the same with nothing loaded;');
  console.log("  in-process: hrtime around the require()/import() itself. Lower is better. logsight loads with its default stderr handler.");
  console.log("  (an empty module): what Node itself charges for a first require()/import() from -e; every package's numbers include it.");
  console.log("  LOGSIGHT_AUTOINIT=false: without the default stderr handler, whose diagnose option starts the capture session at import.");
  for (const result of results) {
    if (result.error !== undefined) console.log(`  ${result.label}: ${result.error}`);
  }
}

function printAppTax({ modes, rows, imports }) {
  console.log("\n10 app-tax: an application that never logs, with logsight imported in each mode (CPU time / CPU time without logsight, medians)");
  const withLogsight = modes.filter((mode) => mode.withLogsight);
  const tableRows = rows.map((row) => [
    row.label,
    `${formatNumber(row.baseMs, 0)} ms`,
    ...withLogsight.map((mode) => {
      const cell = row.cells[mode.name];
      return `${cell.ratio.toFixed(2)}x ±${Math.round(cell.spread * 100)}%`;
    }),
  ]);
  tableRows.push(["import: CPU time of require(\"logsight\")", "", ...withLogsight.map((mode) => `${formatNumber(imports[mode.name].cpuMs, 1)} ms`)]);
  tableRows.push(["import: wall time", "", ...withLogsight.map((mode) => `${formatNumber(imports[mode.name].wallMs, 1)} ms`)]);
  tableRows.push(["inspector session after import", "", ...withLogsight.map((mode) => (mode.capturing ? "yes" : "no"))]);
  console.log(formatTable(
    ["workload", "no logsight", ...withLogsight.map((mode) => mode.label)],
    tableRows,
    ["l", "r", ...withLogsight.map(() => "r")],
  ));
  console.log("  Each cell: one fresh process per run, the workload once untimed (a tenth of its size) then timed (CPU time, user + system,");
  console.log("  all threads); ±: (max - min) / median of the mode's runs. import: around require(\"logsight\") in the same processes.");
  console.log("  default (no TTY): the children's stderr is a pipe, so the rules of a non-interactive process apply; an interactive");
  console.log("  terminal's default is LOGSIGHT_CAPTURE=all. LOGSIGHT_CAPTURE_OVER_RATE=off: past the capture rate the debugger is off");
  console.log("  for the backoff (at first the budget's refill time, doubling while bursts go on); the throwing workloads' untimed run");
  console.log("  already exceeds the rate.");
}

module.exports = { speedRatio, verdict, printLoggingTable, printCaseDetails, printDiagnose, printImportTimes, printAppTax };
