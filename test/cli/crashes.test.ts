import { test } from "node:test";
import { LOADER_HEAD, checkCrash } from "./helpers";

test("a crash in nested calls: annotated traceback, then node's own report, exit 1", () => {
  checkCrash("crash", ["fixtures/cli/crash.js"], { exitCode: 1, tracebackFirst: true });
});

test("values are shown without running getters or traps", () => {
  checkCrash("values", ["fixtures/cli/values.js"], { exitCode: 1, tracebackFirst: true });
});

test("a throw at the top level of an ES module keeps its values", () => {
  checkCrash("top-level", ["fixtures/cli/top-level.mjs"], { exitCode: 1, tracebackFirst: true, reportHead: LOADER_HEAD });
});

test("a crash inside a setTimeout callback", () => {
  checkCrash("timer", ["fixtures/cli/timer.js"], { exitCode: 1, tracebackFirst: true });
});

test("an unhandled rejection", () => {
  checkCrash("rejection", ["fixtures/cli/rejection.js"], { exitCode: 1, tracebackFirst: true, reportHead: /node:internal\/process\/promises:\d+\n {4}triggerUncaughtException\(err, true \/\* fromPromise \*\/\);\n {4}\^\n\n/ });
});

test("an awaited rejection at the top level of an ES module: the async function's frame with its values", () => {
  checkCrash("tla-rejection", ["fixtures/cli/tla-rejection.mjs"], { exitCode: 1, tracebackFirst: true, reportHead: LOADER_HEAD });
});

test("a rethrown error keeps the frames and values of its first throw", () => {
  checkCrash("rethrow", ["fixtures/cli/rethrow.js"], { exitCode: 1, tracebackFirst: true });
});

test("this and this.x are annotated in methods", () => {
  checkCrash("this", ["fixtures/cli/this.js"], { exitCode: 1, tracebackFirst: true });
});
