import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { burstSize } from "../../diagnose/capture/budget";
import { diagnose, plainNode } from "./helpers";

const RATE = 50;
const SKIPPED = /^logsight-diagnose: caught exceptions thrown during (\d+) ms were not shown \(over the capture budget of 50 a second\)$/m;

function loopTimes(stdout: string): { wall: number; cpu: number } {
  const wall = /^loop ms: ([\d.]+)$/m.exec(stdout);
  const cpu = /^loop cpu ms: ([\d.]+)$/m.exec(stdout);
  assert.ok(wall !== null && cpu !== null, stdout);
  return { wall: Number(wall[1]), cpu: Number(cpu[1]) };
}

for (const where of ["top-level", "callback"]) {
  test(`--all: 10,000 caught throws (${where}) keep the budget, say what was left out, skip a dependency's own throws, and stay within 3x of plain node`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-cli-all-"));
    try {
      // A dependency that throws and catches while it loads (feature detection).
      const dependency = path.join(dir, "node_modules", "probe", "index.js");
      fs.mkdirSync(path.dirname(dependency), { recursive: true });
      fs.writeFileSync(dependency, '"use strict";\nlet features = 0;\nfor (let i = 0; i < 5; i++) {\n  try { JSON.parse(`{bad ${i}`); } catch { features++; }\n}\nmodule.exports = { features };\n');
      const args = ["fixtures/cli/loop.js", dependency, ...(where === "callback" ? ["callback"] : [])];
      // Best of five runs each, alternated, so that a busy moment of the machine hits both sides.
      const plainRuns: Array<{ wall: number; cpu: number }> = [];
      const tracedRuns: Array<{ wall: number; cpu: number }> = [];
      for (let run = 0; run < 5; run++) {
        const plain = plainNode(args);
        assert.equal(plain.status, 0, plain.stderr);
        plainRuns.push(loopTimes(plain.stdout));
        const traced = diagnose(["--all", ...args]);
        assert.equal(traced.status, 0, traced.stderr);
        assert.match(traced.stdout, /^failures: 10000$/m);
        const times = loopTimes(traced.stdout);
        tracedRuns.push(times);
        const tracebacks = traced.stderr.split("Traceback (most recent call last):").length - 1;
        // The budget holds a burst and refills at the rate (the dependency's 5 throws count too).
        const admissible = burstSize(RATE) + Math.ceil((RATE * times.wall) / 1000);
        assert.ok(tracebacks >= 1 && tracebacks <= admissible, `${tracebacks} tracebacks in ${times.wall} ms`);
        assert.doesNotMatch(traced.stderr, /probe|JSON\.parse/);
        assert.match(traced.stderr, /File "fixtures\/cli\/loop\.js", line 10, in parse\n/);
        // The first caught throw is shown; the rest of the loop ran while the budget was out, and the
        // output says so (once, at exit, as the loop never gave the budget's timer a turn).
        assert.match(traced.stderr, /^SyntaxError: not a number: x0$/m);
        const skipped = traced.stderr.match(new RegExp(SKIPPED.source, "gm")) ?? [];
        assert.equal(skipped.length, 1, traced.stderr.slice(-500));
        assert.ok(traced.stderr.endsWith(`${skipped[0]}\n`), traced.stderr.slice(-500));
      }
      const best = (runs: Array<{ wall: number; cpu: number }>, key: "wall" | "cpu"): number => Math.min(...runs.map((run) => run[key]));
      const cpuRatio = best(tracedRuns, "cpu") / best(plainRuns, "cpu");
      const wallRatio = best(tracedRuns, "wall") / best(plainRuns, "wall");
      // The target is 2x. Measured on this machine (see the issue notes): 1.7-1.8x at the top level
      // (5 pauses of ~1-3 ms once the dependency's throws took their share of the burst, the
      // uncaught-only tax on the other throws, and node's module loader frames, which the preload's
      // modules made slower to walk for each new Error), ~1.5x in a callback. The bound is 3x because
      // this 2-core machine is shared and loaded; CPU time is compared, which a busy machine disturbs
      // far less than wall time (shown for information).
      const detail = `--all loop ${JSON.stringify(tracedRuns)}, plain ${JSON.stringify(plainRuns)} (CPU ratio ${cpuRatio.toFixed(2)}, wall ratio ${wallRatio.toFixed(2)})`;
      assert.ok(cpuRatio < 3, detail);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
