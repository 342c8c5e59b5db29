import { test } from "node:test";
import assert from "node:assert/strict";
import { CaptureBudget, MAX_BACKOFF_MS, burstSize, firstBackoffMs } from "../../diagnose/capture/budget";

function admitted(budget: CaptureBudget, at: number, count: number): number {
  let yes = 0;
  for (let i = 0; i < count; i++) if (budget.admit(at)) yes++;
  return yes;
}

test("the burst is a fifth of a second's captures, at least one", () => {
  assert.equal(burstSize(50), 10);
  assert.equal(burstSize(3), 1);
  assert.equal(burstSize(0.5), 1);
  assert.equal(burstSize(1000), 200);
});

test("admits a burst at once, then refills at the rate", () => {
  const budget = new CaptureBudget(50);
  assert.equal(admitted(budget, 0, 100), 10);
  assert.equal(admitted(budget, 19, 10), 0);
  assert.equal(admitted(budget, 20, 10), 1);
  assert.equal(admitted(budget, 100, 10), 4);
  // A long quiet period refills the burst, never more.
  assert.equal(admitted(budget, 60_000, 100), 10);
});

test("over a long run the average stays at the rate", () => {
  const budget = new CaptureBudget(50);
  let yes = 0;
  // A throw every millisecond for ten seconds.
  for (let at = 0; at < 10_000; at++) if (budget.admit(at)) yes++;
  assert.ok(yes >= 10 + 500 - 1 && yes <= 10 + 500, String(yes));
});

test("a fractional rate admits one, then one every 1/rate seconds", () => {
  const budget = new CaptureBudget(0.5);
  assert.equal(admitted(budget, 0, 5), 1);
  assert.equal(admitted(budget, 1999, 5), 0);
  assert.equal(admitted(budget, 2000, 5), 1);
});

test("the first backoff is the time to refill a burst", () => {
  assert.equal(firstBackoffMs(50), 200);
  assert.equal(firstBackoffMs(1), 1000);
  assert.equal(firstBackoffMs(0.01), MAX_BACKOFF_MS);
});

test("backoff doubles while bursts return, and is capped", () => {
  const budget = new CaptureBudget(1);
  const table: Array<[recoverAt: number | null, tripAt: number, backoff: number]> = [
    [null, 0, 1000],
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
  assert.equal(budget.trip(3100 + 4000 + 1), 1000);
});

test("after a backoff the budget has refilled", () => {
  const budget = new CaptureBudget(50);
  assert.equal(admitted(budget, 0, 50), 10);
  const backoff = budget.trip(0);
  budget.recover(backoff);
  assert.equal(admitted(budget, backoff, 50), 10);
});
