import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExpected, diagnose, plainNode } from "./helpers";

// With --all a caught throw's values are captured while it is paused; its traceback is rendered and
// printed once the program's current task is done, or at its exit or crash, whichever comes first.

const HEAD = "Traceback (most recent call last):";

function tracebacks(stderr: string): string[] {
  return stderr.split(HEAD).slice(1).map((part) => HEAD + part);
}

test("--all: a caught throw shows the values of the throw, not those the program set after catching it", () => {
  const traced = diagnose(["--all", "fixtures/cli/deferred.js", "mutate"]);
  assert.equal(traced.status, 0, traced.stderr);
  assert.equal(traced.stdout, "attempt 2, quantity 3\n");
  assert.equal(tracebacks(traced.stderr).length, 1, traced.stderr);
  checkExpected("deferred", traced.stderr);
});

test("--all: a traceback still pending when the program calls process.exit() is printed", () => {
  const traced = diagnose(["--all", "fixtures/cli/deferred.js", "exit"]);
  assert.equal(traced.status, 0, traced.stderr);
  assert.equal(traced.stdout, "attempt 2, quantity 3\n");
  // The same text as when the program goes on.
  assert.equal(traced.stderr, diagnose(["--all", "fixtures/cli/deferred.js", "mutate"]).stderr);
});

test("--all: caught throws pending at a crash are printed before the crash's traceback and node's report", () => {
  const plain = plainNode(["fixtures/cli/deferred.js", "crash"]);
  const traced = diagnose(["--all", "fixtures/cli/deferred.js", "crash"]);
  assert.equal(traced.status, 1, traced.stderr);
  assert.equal(traced.stdout, plain.stdout);
  assert.ok(traced.stderr.endsWith(plain.stderr), traced.stderr);
  const [caught, crash, ...rest] = tracebacks(traced.stderr.slice(0, traced.stderr.length - plain.stderr.length));
  assert.equal(rest.length, 0);
  assert.match(caught!, /RangeError: quantity 12 over 10\n$/);
  assert.match(crash!, /\{ id: 9, quantity: 40 \}/);
  assert.match(crash!, /RangeError: quantity 40 over 10\n$/);
});

test("--all: two primitives thrown in the same task each keep their own values", () => {
  const traced = diagnose(["--all", "fixtures/cli/deferred.js", "primitives"]);
  assert.equal(traced.status, 0, traced.stderr);
  const [first, second, ...rest] = tracebacks(traced.stderr);
  assert.equal(rest.length, 0);
  assert.match(first!, /throw `rejected \$\{code\}`;\n {22}└ 404\n\nThrown string: 'rejected 404'\n$/);
  assert.match(second!, /throw `rejected \$\{code\}`;\n {22}└ 500\n\nThrown string: 'rejected 500'\n$/);
});
