"use strict";
// Case 8: what importing a package costs a fresh process, CommonJS and ESM. Two measures:
// "process": wall time of `node -e "require(X)"` minus that of `node -e ""` (medians);
// "in-process": hrtime around the require()/import() inside the process.

const { spawnSync } = require("node:child_process");
const { median } = require("../lib/stats");

const PACKAGES = ["logsight", "pino", "winston"];

function script(pkg, mode) {
  if (pkg === null) return "";
  const load = mode === "esm" ? `await import(${JSON.stringify(pkg)})` : `require(${JSON.stringify(pkg)})`;
  return `const t = process.hrtime.bigint(); ${load}; process.stdout.write(String(process.hrtime.bigint() - t));`;
}

function runOnce(pkg, mode, cwd) {
  const args = mode === "esm" ? ["--input-type=module", "-e", script(pkg, mode)] : ["-e", script(pkg, mode)];
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: undefined } });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) throw new Error(`importing ${pkg} (${mode}) failed: ${child.stderr.trim().split("\n").slice(0, 6).join("\n")}`);
  return { wallMs, inProcessMs: pkg === null ? 0 : Number(child.stdout) / 1e6 };
}

/** Returns { [pkg]: { cjs: {processMs, inProcessMs}, esm: {...} } | { error } }. */
function measureImportTimes({ rounds, cwd }) {
  const samples = {};
  const errors = {};
  const key = (pkg, mode) => `${pkg ?? "baseline"}:${mode}`;
  for (let round = 0; round <= rounds; round++) {
    for (const mode of ["cjs", "esm"]) {
      for (const pkg of [null, ...PACKAGES]) {
        if (errors[pkg]) continue;
        let sample;
        try {
          sample = runOnce(pkg, mode, cwd);
        } catch (error) {
          errors[pkg] = error.message;
          continue;
        }
        if (round === 0) continue; // warm-up: file system caches
        (samples[key(pkg, mode)] ??= []).push(sample);
      }
    }
  }
  const results = {};
  for (const pkg of PACKAGES) {
    if (errors[pkg]) {
      results[pkg] = { error: errors[pkg] };
      continue;
    }
    results[pkg] = {};
    for (const mode of ["cjs", "esm"]) {
      const runs = samples[key(pkg, mode)];
      const baseline = median(samples[key(null, mode)].map((s) => s.wallMs));
      results[pkg][mode] = {
        processMs: median(runs.map((s) => s.wallMs)) - baseline,
        inProcessMs: median(runs.map((s) => s.inProcessMs)),
      };
    }
  }
  return results;
}

module.exports = { measureImportTimes, PACKAGES };
