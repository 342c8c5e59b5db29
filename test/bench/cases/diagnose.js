"use strict";
// Case 7: the diagnostics engine. Runs ./diagnose-child.js in fresh processes, and the engine
// owners' own bench scripts (test/bench/diagnose.bench.* and capture.bench.*) when they exist.

const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { median } = require("../lib/stats");

const BENCH_DIR = path.join(__dirname, "..");
const REPO = path.join(BENCH_DIR, "..", "..");

function diagnoseAvailable() {
  return fs.existsSync(path.join(REPO, "dist", "diagnose", "index.js"));
}

function measureDiagnose({ runs, throws = 200 }) {
  const samples = { plain: [], colored: [] };
  for (let round = 0; round <= runs; round++) {
    for (const mode of ["plain", "colored"]) {
      const child = spawnSync(process.execPath, [path.join(__dirname, "diagnose-child.js"), String(throws), mode], {
        cwd: REPO,
        encoding: "utf8",
        timeout: 120_000,
      });
      if (child.status !== 0) {
        const detail = (child.stderr || String(child.error || "")).trim().split("\n").slice(0, 8).join("\n");
        return { error: `diagnose-child.js ${mode} failed (status ${child.status}): ${detail}` };
      }
      if (round > 0) samples[mode].push(JSON.parse(child.stdout.trim().split("\n").pop()));
    }
  }
  const all = [...samples.plain, ...samples.colored];
  const pick = (list, key) => median(list.map((s) => s[key]));
  return {
    throws,
    usPerThrowUncaptured: pick(all, "usPerThrowUncaptured"),
    usPerThrowCaptured: pick(all, "usPerThrowCaptured"),
    captured: Math.min(...all.map((s) => s.captured)),
    frames: all[0].frames,
    annotated: all.every((s) => s.annotated),
    plainFirstMs: pick(samples.plain, "firstRenderMs"),
    plainMsPerRender: pick(samples.plain, "msPerRender"),
    coloredFirstMs: pick(samples.colored, "firstRenderMs"),
    coloredMsPerRender: pick(samples.colored, "msPerRender"),
    sample: samples.plain[0].sample,
  };
}

/** The owners' bench scripts, run as they are; returns [{ script, status, output }]. */
function runOwnerScripts() {
  const scripts = fs.readdirSync(BENCH_DIR)
    .filter((name) => /^(diagnose|capture)\.bench\.(c?js|mjs|ts|mts)$/.test(name))
    .sort();
  return scripts.map((name) => {
    const typescript = /\.m?ts$/.test(name);
    const args = typescript ? ["--import", "tsx", path.join(BENCH_DIR, name)] : [path.join(BENCH_DIR, name)];
    const child = spawnSync(process.execPath, args, { cwd: REPO, encoding: "utf8", timeout: 180_000 });
    const output = `${child.stdout || ""}${child.status === 0 ? "" : child.stderr || ""}`.trimEnd();
    return { script: `test/bench/${name}`, status: child.status ?? child.signal, output };
  });
}

module.exports = { diagnoseAvailable, measureDiagnose, runOwnerScripts };
