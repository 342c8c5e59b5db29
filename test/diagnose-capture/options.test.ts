import { test } from "node:test";
import assert from "node:assert/strict";
import { isCapturing, startCapture, getCapture, lastThrown } from "../../diagnose/capture/index";

test("bad options name the option and the value", () => {
  const table: Array<[options: unknown, pattern: RegExp]> = [
    [{ mode: "sometimes" }, /option "mode" .*got 'sometimes'/],
    [{ rate: 0 }, /option "rate" .*got 0/],
    [{ rate: -5 }, /option "rate" .*got -5/],
    [{ rate: Number.NaN }, /option "rate" .*got NaN/],
    [{ rate: Infinity }, /option "rate" .*got Infinity/],
    [{ rate: "50" }, /option "rate" .*got '50'/],
    [{ includeNodeModules: "yes" }, /option "includeNodeModules" .*got 'yes'/],
    [{ overRate: "never" }, /option "overRate" must be "uncaught" or "off", got 'never'/],
    ["all", /options must be an object, got 'all'/],
  ];
  for (const [options, pattern] of table) {
    assert.throws(() => startCapture(options as never), pattern);
  }
  assert.equal(isCapturing(), false);
});

test("without a session nothing is recorded", () => {
  assert.equal(getCapture(new Error("never thrown")), undefined);
  assert.equal(getCapture("text"), undefined);
  assert.equal(lastThrown(), undefined);
});
