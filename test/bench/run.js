"use strict";
// `npm run bench`: logsight, pino and winston doing the same work, each run in a fresh process,
// implementations alternating, one warm-up run then --runs measured runs; medians and ratios.

const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { parseArgs, USAGE } = require("./lib/args");
const { median, spread } = require("./lib/stats");
const { describeMachine, describeLoad } = require("./lib/machine");
const { formatTable, formatNumber } = require("./lib/table");
const { cases: loggingCases } = require("./cases/logging");
const { diagnoseAvailable, measureDiagnose, runOwnerScripts } = require("./cases/diagnose");
const { measureImportTimes } = require("./cases/import-time");
const { profileCase } = require("./profile");

const REPO = path.join(__dirname, "..", "..");
const OWNER_OUTPUT_LINES = 20;
const OWNER_OUTPUT_TAIL = 8;
const IMPLEMENTATIONS = ["logsight", "pino", "winston"];
const ALL_CASES = [
  ...loggingCases.map((c) => ({ number: c.number, name: c.name })),
  { number: 7, name: "diagnose" },
  { number: 8, name: "import" },
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
  const child = spawnSync(process.execPath, [path.join(__dirname, "child.js"), benchCase.name, implName, String(calls), dir], {
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
  const results = Object.fromEntries(impls.map((name) => [name, { nsPerCall: [], cpuNsPerCall: [], returnNsPerCall: [] }]));
  for (let round = 0; round <= options.runs; round++) {
    for (const name of impls) {
      const result = results[name];
      if (result.error !== undefined) continue;
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
      result.calls = calls;
      result.sample = outcome.sample;
      result.bytesPerLine = outcome.bytes / (calls + Math.max(1, Math.min(10_000, Math.floor(calls / 10))));
    }
    process.stderr.write(round === 0 ? `  case ${benchCase.number} ${benchCase.name}: warm-up done` : ` ${round}`);
  }
  process.stderr.write("\n");
  return results;
}

/** other cost / logsight cost: > 1 means logsight is faster. */
function speedRatio(results, other, key = "median") {
  const mine = results.logsight && results.logsight[key];
  const theirs = results[other] && results[other][key];
  if (!(mine > 0) || !(theirs > 0)) return undefined;
  return theirs / mine;
}

function judgeTargets(benchCase, results) {
  return (benchCase.targets || []).map((target) => {
    if (target.absolute !== undefined) {
      const value = results[target.absolute] && results[target.absolute].median;
      const met = value !== undefined ? value <= target.atMost : undefined;
      return { text: `${target.absolute} <= ${target.atMost} ns/call`, value: value && `${formatNumber(value, 1)} ns`, met };
    }
    const ratio = speedRatio(results, target.against);
    const met = ratio !== undefined ? ratio >= target.atLeast : undefined;
    return { text: `>= ${target.atLeast.toFixed(1)}x ${target.against}`, value: ratio && `${ratio.toFixed(2)}x`, met };
  });
}

function verdict(met) {
  return met === true ? "met" : met === false ? "MISSED" : "not measured";
}

function printLoggingTable(measured) {
  const rows = [];
  for (const { benchCase, results } of measured) {
    const cell = (name) => {
      const result = results[name];
      if (result === undefined) return "";
      if (result.error !== undefined) return "failed";
      const spreadText = result.nsPerCall.length < 2 ? "" : ` ±${Math.round(result.spread * 100)}%`;
      return `${formatNumber(result.median, result.median < 100 ? 1 : 0)}${spreadText}`;
    };
    const ratio = (name) => {
      const value = speedRatio(results, name);
      return value === undefined ? "" : `${value.toFixed(2)}x`;
    };
    rows.push([String(benchCase.number), benchCase.name, cell("logsight"), cell("pino"), cell("winston"), ratio("pino"), ratio("winston")]);
  }
  console.log(formatTable(
    ["#", "case", "logsight ns/call", "pino ns/call", "winston ns/call", "logsight vs pino", "logsight vs winston"],
    rows,
    ["r", "l", "r", "r", "r", "r", "r"],
  ));
  console.log("ns/call: median over the measured runs of (time from the first call until the file holds every line) / calls;");
  console.log("  ±: (max - min) / median of those runs. Case below-level: time of the calls only (nothing is written).");
  console.log("ratio: throughput of logsight / throughput of the other (= other ns/call / logsight ns/call): > 1 means logsight is faster.");

  console.log("\nCPU time over the same span (user + system, all threads of the process; less sensitive to other load on the machine):");
  const cpuRows = measured.map(({ benchCase, results }) => {
    const cell = (name) => (results[name] === undefined || results[name].error !== undefined ? "" : formatNumber(results[name].cpuMedian, results[name].cpuMedian < 100 ? 1 : 0));
    const ratio = (name) => {
      const value = speedRatio(results, name, "cpuMedian");
      return value === undefined ? "" : `${value.toFixed(2)}x`;
    };
    return [String(benchCase.number), benchCase.name, cell("logsight"), cell("pino"), cell("winston"), ratio("pino"), ratio("winston")];
  });
  console.log(formatTable(
    ["#", "case", "logsight cpu ns/call", "pino cpu ns/call", "winston cpu ns/call", "logsight vs pino", "logsight vs winston"],
    cpuRows,
    ["r", "l", "r", "r", "r", "r", "r"],
  ));
  console.log("ratio: other CPU ns/call / logsight CPU ns/call: > 1 means logsight uses less CPU per call.");
}

function printCaseDetails(measured) {
  console.log("\nWhat each case writes (last line of the file) and where the time goes:");
  for (const { benchCase, results } of measured) {
    console.log(`  ${benchCase.number} ${benchCase.name}: ${benchCase.title}`);
    for (const [name, result] of Object.entries(results)) {
      if (result.error !== undefined) {
        console.log(`    ${name.padEnd(8)} FAILED: ${result.error.split("\n").join("\n      ")}`);
        continue;
      }
      const returned = median(result.returnNsPerCall);
      const detail = benchCase.kind === "file"
        ? `calls return after ${formatNumber(returned, 0)} ns/call, ${formatNumber(result.bytesPerLine, 0)} bytes/line: ${truncate(result.sample, 150)}`
        : `${formatNumber(result.calls)} calls`;
      console.log(`    ${name.padEnd(8)} ${detail}`);
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
    if (result.error !== undefined) return [label, "failed", "", "", ""];
    return [label, formatNumber(result.cjs.processMs, 1), formatNumber(result.esm.processMs, 1), formatNumber(result.cjs.inProcessMs, 1), formatNumber(result.esm.inProcessMs, 1)];
  });
  console.log(formatTable(
    ["package", "require: process", "import: process", "require: in-process", "import: in-process"],
    rows,
    ["l", "r", "r", "r", "r"],
  ));
  console.log('  process: wall time of `node -e "require(X)"` (or --input-type=module with `await import(X)`) minus the same with nothing loaded;');
  console.log("  in-process: hrtime around the require()/import() itself. Lower is better. logsight loads with its default stderr handler.");
  console.log("  (an empty module): what Node itself charges for a first require()/import() from -e; every package's numbers include it.");
  console.log("  LOGSIGHT_AUTOINIT=false: without the default stderr handler, whose diagnose option starts the capture session at import.");
  for (const result of results) {
    if (result.error !== undefined) console.log(`  ${result.label}: ${result.error}`);
  }
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
  try {
    for (const wantedCase of wanted) {
      const benchCase = loggingCases.find((c) => c.name === wantedCase.name);
      if (benchCase !== undefined) {
        const results = measureLoggingCase(benchCase, options, dir);
        for (const result of Object.values(results)) {
          if (result.error === undefined) {
            result.median = median(result.nsPerCall);
            result.cpuMedian = median(result.cpuNsPerCall);
            result.spread = spread(result.nsPerCall);
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
      const value = own.error === undefined ? own[mode].processMs : undefined;
      targetRows.push({ benchCase: { number: 8, name: "import" }, text: `${mode === "cjs" ? "require" : "import"} <= 25 ms`, value: value !== undefined ? `${formatNumber(value, 1)} ms` : undefined, met: value !== undefined ? value <= 25 : undefined });
    }
  }

  if (targetRows.length > 0) {
    console.log("\nTargets (issue 7):");
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
