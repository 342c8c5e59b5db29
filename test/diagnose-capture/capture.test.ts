import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FIXTURES, runFixture, runScenario, variablesOf } from "./run-fixture";
import { burstSize } from "../../diagnose/capture/budget";

function writeLibraryApp(dir: string): string {
  const library = path.join(dir, "node_modules", "pkg");
  fs.mkdirSync(library, { recursive: true });
  fs.writeFileSync(
    path.join(library, "index.js"),
    "exports.parse = function parse(text) {\n  const libraryLocal = text.length;\n  throw new SyntaxError('cannot parse ' + libraryLocal);\n};\n",
  );
  const app = path.join(dir, "app.js");
  fs.writeFileSync(
    app,
    [
      `const capture = require(${JSON.stringify(path.join(FIXTURES, "load-capture.js"))});`,
      `const { summarizeCapture } = require(${JSON.stringify(path.join(FIXTURES, "summarize.js"))});`,
      `capture.startCapture({ includeNodeModules: process.argv[2] === "include" });`,
      `function readConfig(source) {`,
      `  return require("pkg").parse(source);`,
      `}`,
      `try { readConfig("{oops"); } catch (error) {`,
      `  process.stdout.write(JSON.stringify({ frames: summarizeCapture(capture.getCapture(error)) }) + "\\n");`,
      `}`,
      ``,
    ].join("\n"),
  );
  return app;
}

// Each test runs its own child process, so they can run side by side.
describe("capture engine", { concurrency: 4 }, () => {
  test("nested calls: innermost frame first, 1-based lines, each frame's locals", async () => {
    const { frames, stack, last } = await runScenario("nested");
    assert.deepEqual(
      frames.slice(0, 3).map((frame: any) => frame.functionName),
      ["c", "b", "a"],
    );
    assert.deepEqual(variablesOf(frames[0], "local"), { z: { value: 3 }, doubled: { value: 6 } });
    assert.deepEqual(variablesOf(frames[1], "local"), { y: { value: 2 } });
    assert.deepEqual(variablesOf(frames[2], "local"), { x: { value: 1 } });
    // The throwing frame is paused at the `throw` statement; callers at their call sites, as in error.stack.
    assert.equal(frames[0].line, stack[0].line);
    assert.equal(frames[0].column, 3);
    for (let i = 1; i < 4; i++) {
      assert.deepEqual({ line: frames[i].line, column: frames[i].column }, { line: stack[i].line, column: stack[i].column });
    }
    assert.ok(frames.every((frame: any) => frame.url.startsWith("file://") && frame.file === "scenarios.js"));
    assert.ok(frames.every((frame: any) => frame.scopes.every((scope: any) => scope.type !== "global")));
    assert.equal(last, true);
  });

  test("closure scopes are captured", async () => {
    const { frames } = await runScenario("nested");
    assert.deepEqual(variablesOf(frames[0], "closure")?.a, { function: "a" });
  });

  test("a catch block's scope holds the caught error", async () => {
    const { frames } = await runScenario("catchScope");
    assert.equal(frames[0].functionName, "catchScope");
    assert.deepEqual(variablesOf(frames[0], "catch"), { first: { error: "c failed with 24" } });
    assert.deepEqual(variablesOf(frames[0], "block"), { note: { value: "while handling" } });
  });

  test("block scopes of a loop hold its `let` bindings", async () => {
    const { frames } = await runScenario("blockScope");
    assert.equal(frames[0].functionName, "loop");
    const blocks = frames[0].scopes.filter((scope: any) => scope.type === "block").map((scope: any) => scope.variables);
    assert.deepEqual(blocks, [{ square: { value: 4 } }, { i: { value: 2 } }]);
    assert.deepEqual(variablesOf(frames[0], "local"), { limit: { value: 5 } });
  });

  test("the first capture wins when an error is thrown again", async () => {
    const { frames } = await runScenario("rethrow");
    assert.deepEqual(frames.slice(0, 3).map((frame: any) => frame.functionName), ["c", "b", "a"]);
    assert.deepEqual(variablesOf(frames[0], "local"), { z: { value: 102 }, doubled: { value: 204 } });
    assert.ok(!frames.some((frame: any) => frame.functionName === "handle"));
  });

  test("a thrown primitive is found through the last-thrown slot", async () => {
    const { thrown, frames, last, other } = await runScenario("primitive");
    assert.equal(thrown, "plain text A");
    assert.equal(frames[0].functionName, "throwsText");
    assert.deepEqual(variablesOf(frames[0], "local"), { label: { value: "A" } });
    assert.deepEqual(last, { value: "plain text A" });
    assert.equal(other, true);
  });

  test("capturing a thrown proxy runs none of its traps nor any getter in scope", async () => {
    const result = await runScenario("noUserCode");
    assert.deepEqual(result, { same: true, callsAfterThrow: [], captured: true, functionName: "throwsProxy" });
  });

  test("undefined, null, bigint, symbol, NaN, -0 and functions thrown are all recorded", async () => {
    const result = await runScenario("oddValues");
    for (const name of ["undefined", "null", "bigint", "symbol", "nan", "negativeZero", "fn"]) {
      assert.deepEqual(result[name], { lastMatches: true, captured: true }, name);
    }
  });

  test("a promise rejection captures the executor's frame", async () => {
    const { frames } = await runScenario("promiseRejection");
    assert.equal(frames[0].functionName, "");
    assert.deepEqual(variablesOf(frames[0], "local")?.inExecutor, { value: "executor value" });
    assert.equal(frames[1].functionName, "promiseRejection");
  });

  test("an async function after `await` captures the executing part", async () => {
    const { frames } = await runScenario("asyncFunction");
    assert.equal(frames.length, 1);
    assert.equal(frames[0].functionName, "load");
    assert.deepEqual(variablesOf(frames[0], "local"), { id: { value: 7 }, row: { type: "object" } });
  });

  test("an ES module's top-level bindings are a module scope", async () => {
    const { result } = await runFixture(path.join(FIXTURES, "module-scope.mjs"));
    const [frame] = result.frames;
    assert.equal(frame.line, 13);
    assert.deepEqual(variablesOf(frame, "block"), { reading: { value: 42 } });
    assert.deepEqual(variablesOf(frame, "module")?.threshold, { value: 10 });
  });

  test('"uncaught" mode ignores caught throws', async () => {
    const result = await runScenario("uncaughtModeCaught");
    assert.deepEqual(result, { capturing: true, frames: null, last: true });
  });

  test('"uncaught" mode captures an uncaught exception', async () => {
    const { frames } = await runScenario("uncaughtModeUncaught");
    assert.deepEqual(frames.slice(0, 3).map((frame: any) => frame.functionName), ["c", "b", "a"]);
    assert.deepEqual(variablesOf(frames[2], "local"), { x: { value: 5 } });
  });

  test('"uncaught" mode captures an unhandled rejection', async () => {
    const { frames } = await runScenario("uncaughtModeRejection");
    assert.equal(frames[0].functionName, "save");
    assert.deepEqual(variablesOf(frames[0], "local"), { record: { type: "object" }, attempt: { value: 3 } });
  });

  test("stopCapture() and mode \"off\" leave nothing capturing", async () => {
    const result = await runScenario("stopped");
    assert.deepEqual(result, { wasCapturing: true, capturing: false, frames: null, framesOff: null });
  });

  test("capture can start again after a stop", async () => {
    const { capturing, frames } = await runScenario("restarted");
    assert.equal(capturing, true);
    assert.deepEqual(variablesOf(frames[0], "local"), { z: { value: 5 }, doubled: { value: 10 } });
  });

  test("a `debugger;` statement does not stop the program", async () => {
    assert.deepEqual(await runScenario("debuggerStatement"), { passes: 3 });
  });

  test("past the rate, caught throws are not captured until the backoff ends", async () => {
    const { rate, burst, burstMs, duringBackoff, afterBackoff } = await runScenario("budget");
    // A burst of a fifth of the rate, not a whole second's worth, plus what the bucket refilled while
    // the burst's pauses ran (slow on a loaded machine); then nothing until the backoff ends and the
    // budget has refilled.
    const refilled = Math.ceil((rate * burstMs) / 1000);
    assert.ok(burst >= burstSize(rate) && burst <= burstSize(rate) + refilled, `captured ${burst} of 200 in ${burstMs} ms with a rate of ${rate}`);
    assert.equal(duringBackoff, 0);
    assert.equal(afterBackoff, Math.min(5, burstSize(rate)));
  });

  test("an uncaught exception is captured during the backoff", async () => {
    const { frames } = await runScenario("budgetKeepsUncaught");
    assert.deepEqual(variablesOf(frames[2], "local"), { x: { value: 1000 } });
  });

  test("with overRate \"off\" the debugger is off during the backoff (an uncaught throw has no values), then on again", async () => {
    const { during, capturing, after } = await runScenario("budgetOverRateOff");
    assert.equal(during, null);
    assert.equal(capturing, true);
    assert.deepEqual(variablesOf(after[2], "local"), { x: { value: 2000 } });
  });

  test("another debugger attached: one warning, no session, no capture", async () => {
    const { result, stderr } = await runFixture(path.join(FIXTURES, "scenarios.js"), ["debuggerAttached"]);
    assert.equal(result.capturing, false);
    assert.equal(result.frames, null);
    assert.equal(result.warnings.length, 1);
    assert.equal(result.warnings[0].code, "LOGSIGHT_DEBUGGER_ATTACHED");
    assert.match(stderr, /LogsightWarning/);
  });

  test("a debugger opened after the start stops the capture with one warning", async () => {
    const result = await runScenario("debuggerAttachedLater");
    assert.deepEqual(result, {
      before: true,
      after: false,
      captured: 0,
      warnings: [{ name: "LogsightWarning", code: "LOGSIGHT_DEBUGGER_ATTACHED" }],
    });
  });

  test("each worker thread captures its own throws", async () => {
    const { result } = await runFixture(path.join(FIXTURES, "worker-main.js"));
    assert.equal(result.mainFrames[0].functionName, "mainThrows");
    assert.deepEqual(variablesOf(result.mainFrames[0], "local"), { onMain: { value: "M" } });
    assert.equal(result.fromWorker.capturing, true);
    assert.equal(result.fromWorker.frames[0].functionName, "inWorker");
    assert.equal(result.fromWorker.frames[0].file, "worker-thread.js");
    assert.deepEqual(variablesOf(result.fromWorker.frames[0], "local"), { factor: { value: 6 }, product: { value: 42 } });
  });

  test("node_modules frames have no scopes by default and have them with includeNodeModules", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-capture-"));
    try {
      const app = writeLibraryApp(dir);
      const excluded = (await runFixture(app, [], { cwd: dir })).result.frames;
      assert.deepEqual(excluded.map((frame: any) => frame.functionName), ["readConfig", ""]);
      assert.deepEqual(variablesOf(excluded[0], "local"), { source: { value: "{oops" } });
      const included = (await runFixture(app, ["include"], { cwd: dir })).result.frames;
      assert.deepEqual(included.map((frame: any) => frame.functionName), ["parse", "readConfig", ""]);
      assert.deepEqual(variablesOf(included[0], "local"), { text: { value: "{oops" }, libraryLocal: { value: 5 } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
