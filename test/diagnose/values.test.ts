import { test } from "node:test";
import assert from "node:assert/strict";
import * as util from "node:util";
import { describeValue, lookupMember, lookupVariable } from "../../diagnose/values";

test("a getter is never run to read a member", () => {
  let runs = 0;
  const order = {
    lines: [1, 2],
    get total(): number {
      runs++;
      throw new Error("getter ran");
    },
  };
  assert.deepEqual(lookupMember(order, "lines"), { found: true, value: [1, 2] });
  assert.deepEqual(lookupMember(order, "total"), { found: false });
  describeValue(order);
  assert.equal(runs, 0);
});

test("inherited data properties are found through the prototype chain", () => {
  class Base {
    greet(): string {
      return "hi";
    }
  }
  const found = lookupMember(new Base(), "greet");
  assert.equal(found.found, true);
  assert.equal(typeof (found as { value: unknown }).value, "function");
  assert.deepEqual(lookupMember("abc", "length"), { found: true, value: 3 });
  assert.deepEqual(lookupMember(new Map([[1, 2]]), "size"), { found: true, value: 1 });
  assert.deepEqual(lookupMember(undefined, "x"), { found: false });
});

test("no Proxy trap runs, neither to read a member nor to show the value", () => {
  let traps = 0;
  const handler: ProxyHandler<object> = {};
  for (const trap of ["get", "has", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf"] as const) {
    (handler as Record<string, unknown>)[trap] = () => {
      traps++;
      throw new Error(`${trap} trap ran`);
    };
  }
  const proxy = new Proxy({ secret: 1 }, handler);
  assert.deepEqual(lookupMember(proxy, "secret"), { found: false });
  assert.deepEqual(lookupMember({ inner: proxy }, "inner"), { found: true, value: proxy });
  const shown = describeValue({ inner: proxy });
  assert.match(shown, /Proxy/);
  assert.equal(traps, 0);
});

test("custom inspect functions and toString are not called", () => {
  let calls = 0;
  const value = {
    [util.inspect.custom]() {
      calls++;
      return "custom";
    },
    toString() {
      calls++;
      return "str";
    },
    n: 1,
  };
  const shown = describeValue(value);
  assert.match(shown, /n: 1/);
  assert.equal(calls, 0);
});

test("variables resolve innermost scope first; builtins in the global scope are not annotated", () => {
  const scopes = [
    { type: "local" as const, variables: { x: 1 } },
    { type: "closure" as const, variables: { x: 2, y: 3 } },
    { type: "global" as const, variables: globalThis },
  ];
  assert.deepEqual(lookupVariable(scopes, "x"), { found: true, value: 1 });
  assert.deepEqual(lookupVariable(scopes, "y"), { found: true, value: 3 });
  assert.deepEqual(lookupVariable(scopes, "Math"), { found: false });
  assert.deepEqual(lookupVariable(scopes, "missing"), { found: false });
});

test("long values are cut, big objects spread over a few lines", () => {
  const long = describeValue("x".repeat(500));
  assert.ok(long.length <= 128, `${long.length}`);
  const big = describeValue(Array.from({ length: 50 }, (_, i) => ({ id: i, label: `item ${i}` })));
  const lines = big.split("\n");
  assert.ok(lines.length > 1 && lines.length <= 6, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 128));
  assert.match(lines[lines.length - 1]!, /more lines/);
  assert.equal(describeValue(function priceOf() {}), "[Function: priceOf]");
  class Cart {
    items = [1];
  }
  assert.equal(describeValue(new Cart()), "Cart { items: [ 1 ] }");
});

test("errors as values are shown by name and message, not by stack", () => {
  assert.equal(describeValue(new RangeError("bad")), "[RangeError: bad]");
  assert.equal(describeValue([new TypeError("a")]), "[ [TypeError: a] ]");
});
