import { test } from "node:test";
import assert from "node:assert/strict";
import * as util from "node:util";
import { describeValue, lookupMember, lookupVariable } from "../../diagnose/values";
import { errorMessage } from "../../diagnose/preview";

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
  assert.equal(shown, "{ inner: Proxy [Object] }");
  assert.equal(describeValue(proxy), "Proxy [Object]");
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
  assert.match(long, /\.\.\. 410 more characters$/);
  const big = describeValue(Array.from({ length: 50 }, (_, i) => ({ id: i, label: `item ${i}` })));
  const lines = big.split("\n");
  assert.ok(lines.length > 1 && lines.length <= 6, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 128));
  assert.match(lines[lines.length - 2]!, /^ {2}\.\.\. 47 more items$/);
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

test("a Symbol.toStringTag getter, a user stack getter and a lazy message are never run", () => {
  const calls = { tag: 0, stack: 0, message: 0 };
  class Tagged {
    id = 1;
    get [Symbol.toStringTag](): string {
      calls.tag++;
      return "Tag";
    }
  }
  class LazyError extends Error {
    get message(): string {
      calls.message++;
      return "computed";
    }
  }
  const lazy = new LazyError();
  const custom = new Error("data message");
  Object.defineProperty(custom, "stack", { get: () => { calls.stack++; return "Error: from getter"; } });
  assert.equal(describeValue(new Tagged()), "Tagged { id: 1 }");
  assert.equal(describeValue(Promise.resolve(new Tagged())), "Promise { Tagged { id: 1 } }");
  assert.equal(describeValue([lazy, custom]), "[ [LazyError], [Error: data message] ]");
  assert.deepEqual(calls, { tag: 0, stack: 0, message: 0 });
});

test("a message getter is recovered from V8's stack header without running it", () => {
  let runs = 0;
  const error = new Error("first line\nsecond line");
  void error.stack; // formatted, as the engine does when the capture pauses on the throw
  Object.defineProperty(error, "message", { get: () => { runs++; return "from getter"; }, configurable: true });
  assert.equal(errorMessage(error), "first line\nsecond line");
  assert.equal(runs, 0);
});

test("members: absent reads as undefined; behind a getter or a proxy it is not read", () => {
  const order = { customer: { name: "Ada" } };
  assert.deepEqual(lookupMember(order.customer, "address"), { found: true, value: undefined });
  assert.deepEqual(lookupMember(Object.create(null), "x"), { found: true, value: undefined });
  assert.deepEqual(lookupMember("abc", "1"), { found: true, value: "b" });
  const guarded = Object.create(new Proxy({}, {}));
  assert.deepEqual(lookupMember(guarded, "x"), { found: false });
  assert.deepEqual(lookupMember({ get x() { return 1; } }, "x"), { found: false });
});

test("true sizes: Map(50000), arrays, typed arrays, Sets, long strings", () => {
  const map = new Map(Array.from({ length: 50_000 }, (_, i) => [i, i]));
  assert.match(describeValue(map), /^Map\(50000\) \{/);
  assert.match(describeValue(map), /\.\.\. 4999\d more items/);
  assert.equal(describeValue(new Set([1, 2])), "Set(2) { 1, 2 }");
  assert.equal(describeValue(new Uint8Array(3)), "Uint8Array(3) [ 0, 0, 0 ]");
  assert.equal(describeValue(Array.from({ length: 12 }, (_, i) => i)), "[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more items ]");
  // eslint-disable-next-line no-sparse-arrays
  assert.equal(describeValue([1, , , 4]), "[ 1, <2 empty items>, 4 ]");
  const byId: Record<string, number> = {};
  for (let i = 0; i < 30; i++) byId[`id${i}`] = i;
  assert.match(describeValue(byId), /\.\.\. 27 more properties\n\}$/);
});

test("util.inspect notation for common values", () => {
  const table: [unknown, string][] = [
    ["it's", `"it's"`],
    ["a\nb", "'a\\nb'"],
    [-0, "-0"],
    [10n, "10n"],
    [Symbol("s"), "Symbol(s)"],
    [null, "null"],
    [undefined, "undefined"],
    [new Date(0), "1970-01-01T00:00:00.000Z"],
    [/a+/gi, "/a+/gi"],
    [async function load() {}, "[AsyncFunction: load]"],
    [() => 1, "[Function (anonymous)]"],
    [Object.create(null), "[Object: null prototype] {}"],
    [{ "a-b": 1, [Symbol("k")]: 2 }, "{ 'a-b': 1, [Symbol(k)]: 2 }"],
    [{ a: { b: { c: 1 } } }, "{ a: { b: [Object] } }"],
    [new WeakMap(), "WeakMap { <items unknown> }"],
    [Object(1), "[Number: 1]"],
    [Object(Symbol("s")), "[Symbol: Symbol(s)]"],
    [new ArrayBuffer(2), "ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }"],
    [Object.assign([1, 2], { extra: true }), "[ 1, 2, extra: true ]"],
    [Object.assign(function helper() {}, { retries: 2 }), "[Function: helper] { retries: 2 }"],
    [new Map([["a", 1]]).entries(), "[Map Iterator] { <items unknown> }"],
    [Promise.resolve(1), "Promise { 1 }"],
    [new Promise(() => {}), "Promise { <pending> }"],
  ];
  for (const [value, expected] of table) assert.equal(describeValue(value), expected);
  const circular: Record<string, unknown> = { name: "loop" };
  circular.self = circular;
  assert.equal(describeValue(circular), "<ref *1> { name: 'loop', self: [Circular *1] }");
});

test("describing a huge value costs what describing a small one that shows as much costs", () => {
  // Each pair shows the same number of entries; only the size behind them differs.
  const small = [Array.from({ length: 11 }, (_, i) => i), "y".repeat(200), new Map(Array.from({ length: 11 }, (_, i) => [`k${i}`, { hits: i }]))];
  const huge = [Array.from({ length: 1_000_000 }, (_, i) => i), "y".repeat(2 * 1024 * 1024), new Map(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, { hits: i }]))];
  const time = (values: unknown[]): number => {
    let best = Infinity;
    for (let run = 0; run < 15; run++) {
      const start = process.hrtime.bigint();
      for (const value of values) describeValue(value);
      best = Math.min(best, Number(process.hrtime.bigint() - start));
    }
    return best;
  };
  time(small);
  const baseline = time(small);
  const measured = time(huge);
  // The target is 1x; 3x leaves room for a loaded machine.
  assert.ok(measured <= baseline * 3, `huge ${measured} ns against small ${baseline} ns`);
});
