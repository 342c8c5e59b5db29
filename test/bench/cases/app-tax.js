"use strict";
// Case 10 "app-tax": what importing logsight costs an application that never logs. The six
// workloads of app-tax-workloads.js run in fresh processes without logsight and with it imported
// in each capture mode, taking turns, one warm-up round then `runs` measured rounds; each mode's
// median is divided by the no-logsight median of the same run. The ratios are of CPU time (user +
// system, all threads), which other load on the machine disturbs less than wall time; wall-time
// medians are kept too.

const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { median, spread } = require("../lib/stats");
const { workloads } = require("./app-tax-workloads");

const CHILD = path.join(__dirname, "app-tax-child.js");

// Variables that change the default capture rules, removed so that "default" is the non-interactive
// default (the children's stderr is a pipe) whatever shell or runner started the bench.
const RULE_VARIABLES = [
  "LOGSIGHT_CAPTURE", "LOGSIGHT_CAPTURE_RATE", "LOGSIGHT_CAPTURE_OVER_RATE", "LOGSIGHT_DIAGNOSE", "LOGSIGHT_AUTOINIT", "NODE_ENV",
  "NODE_TEST_CONTEXT", "JEST_WORKER_ID", "VITEST", "VITEST_WORKER_ID", "VITEST_POOL_ID",
];

const MODES = [
  { name: "none", label: "no logsight", withLogsight: false, env: {} },
  { name: "default", label: "default (no TTY)", withLogsight: true, env: {} },
  { name: "off", label: "LOGSIGHT_CAPTURE=off", withLogsight: true, env: { LOGSIGHT_CAPTURE: "off" } },
  { name: "uncaught", label: "LOGSIGHT_CAPTURE=uncaught", withLogsight: true, env: { LOGSIGHT_CAPTURE: "uncaught" } },
  { name: "all", label: "LOGSIGHT_CAPTURE=all (TTY default)", withLogsight: true, env: { LOGSIGHT_CAPTURE: "all" } },
  {
    name: "all-over-rate-off",
    label: "all + LOGSIGHT_CAPTURE_OVER_RATE=off",
    withLogsight: true,
    env: { LOGSIGHT_CAPTURE: "all", LOGSIGHT_CAPTURE_OVER_RATE: "off" },
  },
];

function childEnv(mode) {
  const env = { ...process.env };
  for (const name of RULE_VARIABLES) delete env[name];
  return { ...env, ...mode.env };
}

function runChild(workload, mode, cwd) {
  const child = spawnSync(process.execPath, [CHILD, workload.name, mode.withLogsight ? "1" : "0"], {
    cwd,
    env: childEnv(mode),
    encoding: "utf8",
    timeout: 300_000,
  });
  if (child.status !== 0) {
    const detail = (child.stderr || String(child.error || child.signal || "")).trim().split("\n").slice(0, 8).join("\n");
    throw new Error(`app-tax ${workload.name} (${mode.label}) failed (status ${child.status}):\n${detail}`);
  }
  return JSON.parse(child.stdout.trim().split("\n").pop());
}

/**
 * Returns { modes, rows: [{ workload, label, baseMs, cells: { [mode]: { ms, ratio, spread, capturing } } }],
 * imports: { [mode]: { cpuMs, wallMs } } } with medians over `runs` rounds.
 */
function measureAppTax({ runs, cwd, only = null, progress = () => {} }) {
  const selected = only === null ? workloads : workloads.filter((w) => only.includes(w.name));
  const samples = new Map();
  const importSamples = new Map(MODES.map((mode) => [mode.name, []]));
  const capturing = new Map();
  for (let round = 0; round <= runs; round++) {
    for (const workload of selected) {
      for (const mode of MODES) {
        const outcome = runChild(workload, mode, cwd);
        capturing.set(mode.name, outcome.capturing);
        if (round === 0) continue;
        const key = `${workload.name}:${mode.name}`;
        if (!samples.has(key)) samples.set(key, []);
        samples.get(key).push({ cpuMs: outcome.cpuNs / 1e6, wallMs: outcome.ns / 1e6 });
        if (mode.withLogsight) importSamples.get(mode.name).push({ cpuMs: outcome.importCpuNs / 1e6, wallMs: outcome.importNs / 1e6 });
      }
    }
    progress(round);
  }
  const rows = selected.map((workload) => {
    const cpuOf = (mode) => samples.get(`${workload.name}:${mode}`).map((s) => s.cpuMs);
    const baseMs = median(cpuOf("none"));
    const cells = {};
    for (const mode of MODES) {
      const values = cpuOf(mode.name);
      const ms = median(values);
      const wallMs = median(samples.get(`${workload.name}:${mode.name}`).map((s) => s.wallMs));
      cells[mode.name] = { ms, wallMs, ratio: ms / baseMs, spread: spread(values) };
    }
    return { workload: workload.name, label: workload.label, baseMs, cells };
  });
  const imports = {};
  for (const mode of MODES) {
    if (!mode.withLogsight) continue;
    const runs = importSamples.get(mode.name);
    imports[mode.name] = { cpuMs: median(runs.map((s) => s.cpuMs)), wallMs: median(runs.map((s) => s.wallMs)) };
  }
  const capturingByMode = Object.fromEntries(capturing);
  return { modes: MODES.map(({ name, label, withLogsight }) => ({ name, label, withLogsight, capturing: capturingByMode[name] })), rows, imports };
}

module.exports = { measureAppTax, APP_TAX_MODES: MODES };
