import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCrash, diagnose, plainNode } from "./helpers";

test("a program that starts worker threads runs as under plain node (the workers do not wait for a debugger)", () => {
  const plain = plainNode(["fixtures/cli/worker.js", "ok"]);
  const traced = diagnose(["fixtures/cli/worker.js", "ok"]);
  assert.equal(traced.status, 0, traced.stderr);
  assert.equal(traced.stderr, "");
  assert.equal(traced.stdout, plain.stdout);
  assert.equal(traced.stdout, "3x tea: 3\n2x cake: 2\nall done\n");
});

test("an uncaught error in a worker thread is annotated from the worker's own frames", () => {
  checkCrash("worker", ["fixtures/cli/worker.js", "fail"], { exitCode: 1, tracebackFirst: true });
});
