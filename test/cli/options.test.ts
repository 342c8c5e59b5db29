import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExpected, diagnose } from "./helpers";

test("--all prints a caught exception and the program goes on", () => {
  const traced = diagnose(["--all", "fixtures/cli/caught.js"]);
  assert.equal(traced.status, 0);
  assert.equal(traced.stdout, "fallback after empty input\n");
  checkExpected("caught", traced.stderr);
  const quiet = diagnose(["fixtures/cli/caught.js"]);
  assert.equal(quiet.stderr, "");
});

test("--colorize adds ANSI colors, --no-colorize none", () => {
  assert.match(diagnose(["--colorize", "fixtures/cli/timer.js"]).stderr, /\x1b\[/);
  assert.doesNotMatch(diagnose(["--no-colorize", "fixtures/cli/timer.js"]).stderr, /\x1b\[/);
});

test("bad command lines are refused with a message naming the problem", () => {
  const unknown = diagnose(["--colour", "fixtures/cli/clean.js"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option "--colour"/);
  const rate = diagnose(["--rate=0", "fixtures/cli/clean.js"]);
  assert.equal(rate.status, 2);
  assert.match(rate.stderr, /option --rate must be a positive integer, got "0"/);
  const notNode = diagnose(["--", "python3", "x.py"]);
  assert.equal(notNode.status, 2);
  assert.match(notNode.stderr, /must start with node, got "python3"/);
  assert.equal(diagnose([]).status, 2);
});
