"use strict";
// Case 8: what importing a package costs a fresh process, CommonJS and ESM. Two measures:
// "process": wall time of `node -e "require(X)"` minus that of `node -e ""` (medians);
// "in-process": hrtime around the require()/import() inside the process, and its CPU time (user +
// system), which other load on the machine disturbs far less than wall time. Run with cwd = the repo.

const { spawnSync } = require("node:child_process");
const { median } = require("../lib/stats");

// The empty module shows Node's own cost of a first require()/import() from -e (module loader
// set-up), which every package pays. "logsight, no default handler" shows what the stderr handler
// added at import costs (its diagnose option starts the capture session).
const SUBJECTS = [
  { label: "(an empty module)", specifier: "./test/bench/lib/empty-module.js", env: {} },
  { label: "logsight", specifier: "logsight", env: {}, own: true },
  { label: "logsight, LOGSIGHT_AUTOINIT=false", specifier: "logsight", env: { LOGSIGHT_AUTOINIT: "false" } },
  { label: "pino", specifier: "pino", env: {} },
  { label: "winston", specifier: "winston", env: {} },
];
const BASELINE = { label: "baseline", specifier: null, env: {} };

function script(specifier, mode) {
  if (specifier === null) return "";
  const load = mode === "esm" ? `await import(${JSON.stringify(specifier)})` : `require(${JSON.stringify(specifier)})`;
  return `const c = process.cpuUsage(); const t = process.hrtime.bigint(); ${load}; const ns = process.hrtime.bigint() - t; const u = process.cpuUsage(c); process.stdout.write(ns + " " + (u.user + u.system));`;
}

function runOnce(subject, mode, cwd) {
  const code = script(subject.specifier, mode);
  const args = mode === "esm" ? ["--input-type=module", "-e", code] : ["-e", code];
  const env = { ...process.env, LOGSIGHT_AUTOINIT: undefined, ...subject.env };
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    throw new Error(`importing ${subject.label} (${mode}) failed: ${(child.stderr || "").trim().split("\n").slice(0, 6).join("\n")}`);
  }
  if (subject.specifier === null) return { wallMs, inProcessMs: 0, cpuMs: 0 };
  const [ns, cpuUs] = child.stdout.trim().split(" ").map(Number);
  return { wallMs, inProcessMs: ns / 1e6, cpuMs: cpuUs / 1000 };
}

/** Returns [{ label, own, cjs: { processMs, inProcessMs }, esm: {...} } | { label, own, error }]. */
function measureImportTimes({ rounds, cwd }) {
  const samples = new Map();
  const errors = new Map();
  const key = (subject, mode) => `${subject.label}:${mode}`;
  for (let round = 0; round <= rounds; round++) {
    for (const mode of ["cjs", "esm"]) {
      for (const subject of [BASELINE, ...SUBJECTS]) {
        if (errors.has(subject.label)) continue;
        let sample;
        try {
          sample = runOnce(subject, mode, cwd);
        } catch (error) {
          errors.set(subject.label, error.message);
          continue;
        }
        if (round === 0) continue; // warm-up: file system caches
        const list = samples.get(key(subject, mode)) || [];
        list.push(sample);
        samples.set(key(subject, mode), list);
      }
    }
  }
  if (errors.has(BASELINE.label)) throw new Error(errors.get(BASELINE.label));
  return SUBJECTS.map((subject) => {
    if (errors.has(subject.label)) return { label: subject.label, own: subject.own === true, error: errors.get(subject.label) };
    const result = { label: subject.label, own: subject.own === true };
    for (const mode of ["cjs", "esm"]) {
      const runs = samples.get(key(subject, mode));
      const baseline = median(samples.get(key(BASELINE, mode)).map((s) => s.wallMs));
      result[mode] = {
        processMs: median(runs.map((s) => s.wallMs)) - baseline,
        inProcessMs: median(runs.map((s) => s.inProcessMs)),
        cpuMs: median(runs.map((s) => s.cpuMs)),
      };
    }
    return result;
  });
}

module.exports = { measureImportTimes };
