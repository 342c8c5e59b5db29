"use strict";
// `npm run bench`: logsight and its peers doing the same work, each run in a fresh process,
// implementations alternating, one warm-up run then --runs measured runs; medians, ratios, peak RSS.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { parseArgs, USAGE } = require("./lib/args");
const { median, spread } = require("./lib/stats");
const { describeMachine, describeLoad } = require("./lib/machine");
const { formatTable, formatNumber } = require("./lib/table");
const { speedRatio, verdict, printLoggingTable, printCaseDetails, printDiagnose, printImportTimes, printAppTax } = require("./lib/report");
const { cases: loggingCases } = require("./cases/logging");
const { diagnoseAvailable, measureDiagnose, runOwnerScripts } = require("./cases/diagnose");
const { measureImportTimes } = require("./cases/import-time");
const { measureAppTax } = require("./cases/app-tax");
const { profileCase } = require("./profile");

const REPO = path.join(__dirname, "..", "..");
const IMPLEMENTATIONS = [
  "logsight", "pino", "pino-caller", "pino-transport", "winston", "winston-caller", "log4js-callstack", "tslog", "bunyan", "bunyan-src", "loguru",
];

let loguruCheck;
/** Python's loguru runs only where `python3` can import it; otherwise the reason, printed as a note. */
function loguruUnavailable() {
  if (loguruCheck === undefined) {
    const probe = spawnSync("python3", ["-c", "import loguru"], { encoding: "utf8", timeout: 30_000 });
    loguruCheck = probe.status === 0
      ? null
      : probe.error !== undefined
        ? `python3 not found (${probe.error.code || probe.error.message})`
        : `python3 cannot import loguru (${(probe.stderr || "").trim().split("\n").pop()})`;
  }
  return loguruCheck;
}
const ALL_CASES = [
  ...loggingCases.map((c) => ({ number: c.number, name: c.name })),
  { number: 7, name: "diagnose" },
  { number: 8, name: "import" },
  { number: 10, name: "app-tax" },
];

function selectedCases(options) {
  if (options.cases === null) return ALL_CASES;
  return options.cases.map((wanted) => {
    const found = ALL_CASES.find((c) => c.name === wanted || String(c.number) === wanted);
    if (found === undefined) {
      throw new Error(`option --case: unknown case ${JSON.stringify(wanted)}; cases: ${ALL_CASES.map((c) => `${c.number} ${c.name}`).join(", ")}`);
    }
    return found;
  });
}

function callsFor(benchCase, implName, options) {
  const scale = benchCase.implementations[implName].callsScale ?? 1;
  return Math.max(1, Math.round(options.calls * (benchCase.callsFactor ?? 1) * scale));
}

function runChild(benchCase, implName, calls, dir) {
  const python = benchCase.implementations[implName].python;
  const [command, args] = python !== undefined
    ? ["python3", [path.join(__dirname, "loguru-child.py"), python, String(calls), path.join(dir, `${benchCase.name}-${implName}.log`)]]
    : [process.execPath, [path.join(__dirname, "child.js"), benchCase.name, implName, String(calls), dir]];
  const child = spawnSync(command, args, {
    cwd: REPO,
    encoding: "utf8",
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) {
    const detail = (child.stderr || String(child.error || child.signal || "")).trim().split("\n").slice(0, 10).join("\n");
    throw new Error(`${benchCase.name}/${implName} failed (status ${child.status}):\n${detail}`);
  }
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

/** Returns { [impl]: { nsPerCall: [..], sample, calls, bytesPerLine } | { error } }. */
function measureLoggingCase(benchCase, options, dir) {
  const impls = IMPLEMENTATIONS.filter((name) => benchCase.implementations[name] !== undefined);
  const results = Object.fromEntries(impls.map((name) => [name, { nsPerCall: [], cpuNsPerCall: [], returnNsPerCall: [], peakRssKb: [] }]));
  for (const name of impls) {
    const skipped = benchCase.implementations[name].python !== undefined ? loguruUnavailable() : null;
    if (skipped !== null) results[name].skipped = skipped;
  }
  for (let round = 0; round <= options.runs; round++) {
    for (const name of impls) {
      const result = results[name];
      if (result.error !== undefined || result.skipped !== undefined) continue;
      const calls = callsFor(benchCase, name, options);
      let outcome;
      try {
        outcome = runChild(benchCase, name, calls, dir);
      } catch (error) {
        result.error = error.message;
        continue;
      }
      if (round === 0) continue;
      result.nsPerCall.push(outcome.ns / calls);
      result.cpuNsPerCall.push(outcome.cpuNs / calls);
      result.returnNsPerCall.push(outcome.callsNs / calls);
      result.peakRssKb.push(outcome.peakRssKb);
      result.calls = calls;
      result.sample = outcome.sample;
      result.bytesPerLine = outcome.bytes / (calls + Math.max(1, Math.min(10_000, Math.floor(calls / 10))));
    }
    process.stderr.write(round === 0 ? `  case ${benchCase.number} ${benchCase.name}: warm-up done` : ` ${round}`);
  }
  process.stderr.write("\n");
  return results;
}

/** Speed targets on CPU time per call (steadier than wall time on a shared machine), memory targets on peak RSS. */
function judgeTargets(benchCase, results) {
  return (benchCase.targets || []).map((target) => {
    if (target.absolute !== undefined) {
      const value = results[target.absolute] && results[target.absolute].cpuMedian;
      const met = value !== undefined ? value <= target.atMost : undefined;
      return { text: `${target.absolute} <= ${target.atMost} ns/call (cpu)`, value: value && `${formatNumber(value, 1)} ns`, met };
    }
    if (target.rss !== undefined) {
      const mine = results.logsight && results.logsight.rssMedianKb;
      const theirs = results[target.rss] && results[target.rss].rssMedianKb;
      const ratio = mine > 0 && theirs > 0 ? mine / theirs : undefined;
      return { text: `peak RSS <= ${target.atMost.toFixed(1)}x ${target.rss}`, value: ratio && `${ratio.toFixed(2)}x`, met: ratio !== undefined ? ratio <= target.atMost : undefined };
    }
    const ratio = speedRatio(results, target.against, "cpuMedian");
    const met = ratio !== undefined ? ratio >= target.atLeast : undefined;
    return { text: `>= ${target.atLeast.toFixed(1)}x ${target.against} (cpu)`, value: ratio && `${ratio.toFixed(2)}x`, met };
  });
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const wanted = selectedCases(options);
  for (const line of describeMachine()) console.log(line);
  console.log(`runs: 1 warm-up + ${options.runs} measured per implementation, alternating; ${formatNumber(options.calls)} calls per file case; started ${new Date().toISOString()}\n`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-bench-"));
  const started = Date.now();
  const measured = [];
  const targetRows = [];
  let diagnose;
  let owners = [];
  let imports;
  let appTax;
  try {
    for (const wantedCase of wanted) {
      const benchCase = loggingCases.find((c) => c.name === wantedCase.name);
      if (benchCase !== undefined) {
        const results = measureLoggingCase(benchCase, options, dir);
        for (const result of Object.values(results)) {
          if (result.error === undefined && result.skipped === undefined) {
            result.median = median(result.nsPerCall);
            result.cpuMedian = median(result.cpuNsPerCall);
            result.spread = spread(result.nsPerCall);
            result.rssMedianKb = median(result.peakRssKb);
          }
        }
        measured.push({ benchCase, results });
        for (const target of judgeTargets(benchCase, results)) targetRows.push({ benchCase, ...target });
      } else if (wantedCase.name === "diagnose") {
        process.stderr.write("  case 7 diagnose\n");
        diagnose = diagnoseAvailable() ? measureDiagnose({ runs: options.runs }) : { error: "dist/diagnose/index.js is not built" };
        owners = runOwnerScripts();
      } else if (wantedCase.name === "import") {
        process.stderr.write("  case 8 import\n");
        imports = measureImportTimes({ rounds: Math.max(10, options.runs * 2), cwd: REPO });
      } else if (wantedCase.name === "app-tax") {
        process.stderr.write("  case 10 app-tax:");
        appTax = measureAppTax({ runs: options.runs, cwd: REPO, progress: (round) => process.stderr.write(round === 0 ? " warm-up done" : ` ${round}`) });
        process.stderr.write("\n");
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  if (measured.length > 0) {
    printLoggingTable(measured);
    printCaseDetails(measured);
  }
  if (diagnose !== undefined) {
    printDiagnose(diagnose, owners);
    if (diagnose.error === undefined) {
      targetRows.push({ benchCase: { number: 7, name: "diagnose" }, text: "colored render after the first <= 1 ms", value: `${formatNumber(diagnose.coloredMsPerRender, 2)} ms`, met: diagnose.coloredMsPerRender <= 1 });
    }
  }
  if (imports !== undefined) {
    printImportTimes(imports);
    const own = imports.find((result) => result.own);
    for (const mode of ["cjs", "esm"]) {
      const value = own.error === undefined ? own[mode].cpuMs : undefined;
      targetRows.push({ benchCase: { number: 8, name: "import" }, text: `${mode === "cjs" ? "require" : "import"} CPU time <= 25 ms`, value: value !== undefined ? `${formatNumber(value, 1)} ms` : undefined, met: value !== undefined ? value <= 25 : undefined });
    }
  }

  if (appTax !== undefined) {
    printAppTax(appTax);
    const appTaxCase = { number: 10, name: "app-tax" };
    for (const row of appTax.rows) {
      const ratio = row.cells.default.ratio;
      targetRows.push({ benchCase: appTaxCase, text: `${row.workload}, default <= 1.05x`, value: `${ratio.toFixed(2)}x`, met: ratio <= 1.05 });
    }
    const importMs = appTax.imports.default.cpuMs;
    targetRows.push({ benchCase: appTaxCase, text: "import CPU time, default <= 25 ms", value: `${formatNumber(importMs, 1)} ms`, met: importMs <= 25 });
    for (const row of appTax.rows.filter((r) => r.workload === "json-parse" || r.workload === "deep-throw")) {
      const ratio = row.cells.all.ratio;
      targetRows.push({ benchCase: appTaxCase, text: `${row.workload}, capture all < 3x`, value: `${ratio.toFixed(2)}x`, met: ratio < 3 });
      const offRatio = row.cells["all-over-rate-off"].ratio;
      targetRows.push({ benchCase: appTaxCase, text: `${row.workload}, all + over-rate off < 3x`, value: `${offRatio.toFixed(2)}x`, met: offRatio < 3 });
    }
  }

  if (targetRows.length > 0) {
    console.log("\nTargets:");
    console.log(formatTable(
      ["#", "case", "target", "measured", "result"],
      targetRows.map((t) => [String(t.benchCase.number), t.benchCase.name, t.text, t.value ?? "-", verdict(t.met)]),
      ["r", "l", "l", "r", "l"],
    ));
  }
  console.log(`\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s; ${describeLoad()}`);

  if (options.json !== null) {
    const report = {
      machine: describeMachine(),
      options,
      logging: measured.map(({ benchCase, results }) => ({ number: benchCase.number, name: benchCase.name, results })),
      diagnose,
      imports,
      appTax,
      targets: targetRows.map((t) => ({ case: t.benchCase.name, target: t.text, measured: t.value, met: t.met })),
    };
    fs.writeFileSync(options.json, JSON.stringify(report, null, 2) + "\n");
  }

  if (options.profile) {
    const missed = [...new Set(targetRows.filter((t) => t.met === false).map((t) => t.benchCase.name))];
    for (const name of missed) {
      const benchCase = loggingCases.find((c) => c.name === name);
      if (benchCase === undefined) continue;
      console.log(`\nProfile of logsight in case ${benchCase.number} ${benchCase.name} (node --cpu-prof):`);
      console.log(profileCase({ caseName: name, implName: "logsight", calls: callsFor(benchCase, "logsight", options) }));
    }
  }
}

try {
  main();
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
}
