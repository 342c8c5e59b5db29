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

// Node emits a worker's error either from its message or at its exit, whichever comes first; the
// second way adds two internal lines to its report, with or without the CLI.
const EMITTED_AT_EXIT = / {4}at \[kOnExit\] \(node:internal\/worker:\d+:\d+\)\n {4}at Worker\.<computed>\.onexit \(node:internal\/worker:\d+:\d+\)\n/;

test("an uncaught error in a worker thread is annotated from the worker's own frames", () => {
  checkCrash("worker", ["fixtures/cli/worker.js", "fail"], { exitCode: 1, tracebackFirst: true, sameReport: (stderr) => stderr.replace(EMITTED_AT_EXIT, "") });
});

for (const extension of ["js", "mjs"]) {
  const script = `fixtures/cli/worker-execargv.${extension}`;

  test(`a worker given its own execArgv (${extension}) runs as under plain node and sees only the flags it was given`, () => {
    const plain = plainNode([script, "ok"]);
    const traced = diagnose([script, "ok"]);
    assert.equal(traced.status, 0, traced.stderr);
    assert.equal(traced.stderr, "");
    assert.equal(traced.stdout, plain.stdout);
    assert.equal(traced.stdout, `worker execArgv: ${extension === "js" ? '["--no-warnings"]' : "[]"}\ntotal: 72\n`);
  });

  test(`an uncaught error in a worker given its own execArgv (${extension}) is annotated too`, () => {
    checkCrash(`worker-execargv-${extension}`, [script, "fail"], { exitCode: 1, tracebackFirst: true, sameReport: (stderr) => stderr.replace(EMITTED_AT_EXIT, "") });
  });
}
