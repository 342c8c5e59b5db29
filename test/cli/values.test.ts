import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExpected, diagnose, plainNode } from "./helpers";

/** The traceback the CLI printed before node's own report (the same bytes plain node prints). */
function tracebackOf(args: readonly string[]): string {
  const plain = plainNode(args);
  const traced = diagnose(args);
  assert.equal(traced.status, plain.status);
  assert.ok(traced.stderr.endsWith(plain.stderr), traced.stderr);
  return traced.stderr.slice(0, traced.stderr.length - plain.stderr.length);
}

test("value kinds: the CLI's traceback is byte for byte formatException's of the same crash", () => {
  const fromCli = tracebackOf(["fixtures/cli/kinds.js"]);
  const inProcess = plainNode(["-r", "./fixtures/cli/format-exception.js", "fixtures/cli/kinds.js"]);
  const report = plainNode(["fixtures/cli/kinds.js"]).stderr;
  assert.ok(inProcess.stderr.endsWith(report));
  assert.equal(fromCli, inProcess.stderr.slice(0, inProcess.stderr.length - report.length));
  checkExpected("kinds", fromCli);
  for (const shown of ["Promise { 1 }", "Promise { <pending> }", "Promise { <rejected> 'no' }", "[String: 'b']", "[Number: -0]", "[BigInt: 10n]", "ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }", "WeakMap { <items unknown> }", "[ 1, <1 empty item>, 3 ]"]) {
    assert.ok(fromCli.includes(shown), shown);
  }
});

test("huge values are shown with their true sizes", () => {
  const traceback = tracebackOf(["fixtures/cli/huge.js"]);
  assert.match(traceback, /Map\(50000\) \{/);
  assert.match(traceback, /Set\(100\) \{ 0, 1, 2/);
  assert.match(traceback, /\.\.\. 999990 more items/);
  assert.match(traceback, /└ 1000000\n/);
});
