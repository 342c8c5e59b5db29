import { test } from "node:test";
import assert from "node:assert/strict";
import { CaptureBudget, FIRST_BACKOFF_MS, MAX_BACKOFF_MS } from "../../diagnose/capture/budget";

function admitted(budget: CaptureBudget, at: number, count: number): number {
  let yes = 0;
  for (let i = 0; i < count; i++) if (budget.admit(at)) yes++;
  return yes;
}

test("admits `rate` captures per one-second window", () => {
  const budget = new CaptureBudget(3);
  assert.equal(admitted(budget, 0, 10), 3);
  assert.equal(admitted(budget, 999, 10), 0);
  assert.equal(admitted(budget, 1000, 10), 3);
});

test("a fractional rate rounds up within a window", () => {
  const budget = new CaptureBudget(0.5);
  assert.equal(admitted(budget, 0, 5), 1);
});

test("backoff starts at one second, doubles while bursts return, and is capped", () => {
  const budget = new CaptureBudget(1);
  const table: Array<[recoverAt: number | null, tripAt: number, backoff: number]> = [
    [null, 0, FIRST_BACKOFF_MS],
    [1000, 1100, 2000],
    [3100, 3200, 4000],
    [7200, 7300, 8000],
    [15_300, 15_400, 16_000],
    [31_400, 31_500, MAX_BACKOFF_MS],
    [61_500, 61_600, MAX_BACKOFF_MS],
  ];
  for (const [recoverAt, tripAt, backoff] of table) {
    if (recoverAt !== null) budget.recover(recoverAt);
    assert.equal(budget.trip(tripAt), backoff, `trip at ${tripAt}`);
  }
});

test("a quiet period after recovery resets the backoff", () => {
  const budget = new CaptureBudget(1);
  budget.trip(0);
  budget.recover(1000);
  assert.equal(budget.trip(1100), 2000);
  budget.recover(3100);
  assert.equal(budget.trip(3100 + 4000 + 1), FIRST_BACKOFF_MS);
});

test("recovery opens a fresh window", () => {
  const budget = new CaptureBudget(2);
  assert.equal(admitted(budget, 0, 5), 2);
  budget.trip(0);
  budget.recover(500);
  assert.equal(admitted(budget, 500, 5), 2);
});
