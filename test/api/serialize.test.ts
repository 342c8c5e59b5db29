import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";

beforeEach(() => logger.remove());

/** Logs through a serializing function sink and returns the one line it received. */
function serializedLine(log: () => void, format = "{level} {message}"): string {
  const lines: string[] = [];
  const id = logger.add((message) => void lines.push(message), { serialize: true, format });
  try {
    log();
  } finally {
    logger.remove(id);
  }
  assert.equal(lines.length, 1);
  return lines[0];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function serialized(log: () => void, format?: string): any {
  const line = serializedLine(log, format);
  assert.ok(line.endsWith("\n"), "the line ends with a newline");
  assert.ok(!line.slice(0, -1).includes("\n"), "one line only");
  return JSON.parse(line);
}

test("the line has loguru's shape: text and record", () => {
  const out = serialized(() => logger.bind({ user: "ada" }).warning("Request {}", "done", { status: 200 }));
  assert.deepEqual(Object.keys(out), ["text", "record"]);
  assert.equal(out.text, "WARNING Request done\n");
  const record = out.record;
  assert.deepEqual(Object.keys(record).sort(), [
    "elapsed", "exception", "extra", "file", "function", "level", "line", "message", "module", "name", "process", "thread", "time",
  ]);
  assert.equal(record.message, "Request done");
  assert.deepEqual(record.extra, { user: "ada", status: 200 });
  assert.deepEqual(record.level, { icon: "⚠️", name: "WARNING", no: 30 });
  assert.equal(record.exception, null);
  assert.deepEqual(Object.keys(record.file), ["name", "path"]);
  assert.equal(record.file.name, "serialize.test.ts");
  assert.equal(record.module, "serialize.test");
  assert.equal(typeof record.function, "string");
  assert.equal(typeof record.line, "number");
  assert.deepEqual(record.process, { id: process.pid, name: "MainProcess" });
  assert.deepEqual(record.thread.name, "MainThread");
  assert.match(record.elapsed.repr, /^\d+:\d\d:\d\d\.\d{6}$/);
  assert.equal(typeof record.elapsed.seconds, "number");
  const [h, m, s] = record.elapsed.repr.split(":").map(Number);
  assert.ok(Math.abs(h * 3600 + m * 60 + s - record.elapsed.seconds) < 1e-6, "repr and seconds agree");
});

test("time carries the local ISO form with microseconds and offset, and a float timestamp that agrees", () => {
  const before = Date.now();
  const record = serialized(() => logger.info("t")).record;
  const after = Date.now();
  assert.match(record.time.repr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$/);
  const parsed = Date.parse(record.time.repr.replace(/(\.\d{3})\d{3}/, "$1"));
  assert.equal(Math.floor(parsed / 1000), Math.floor(record.time.timestamp));
  assert.equal(record.time.repr.slice(20, 26), record.time.timestamp.toFixed(6).split(".")[1]);
  assert.ok(record.time.timestamp * 1000 >= before - 1 && record.time.timestamp * 1000 <= after + 1);
});

test("an exception is {type, value, traceback, stack}", () => {
  const error = new TypeError("bad input");
  const record = serialized(() => logger.error("failed", error), "{message}").record;
  assert.deepEqual(record.exception, { type: "TypeError", value: "bad input", traceback: true, stack: error.stack });
  const thrown = serialized(() => logger.opt({ exception: "plain string" }).error("x"), "{message}").record;
  assert.equal(thrown.exception.value, "plain string");
  assert.equal(thrown.exception.type, "string");
});

test("hostile values in extra become JSON without throwing", () => {
  const circular: { [key: string]: unknown } = { a: 1 };
  circular.self = circular;
  circular.list = [circular, { back: circular }];
  const shared = { x: 1 };
  const cause = new RangeError("inner");
  const error = Object.assign(new Error("outer", { cause }), { code: "E_OUTER" });
  const aggregate = new AggregateError([new Error("first"), "second"], "several");
  const throwingGetter = { ok: 1, get bad(): never { throw new Error("getter exploded"); } };
  const trap = (): never => { throw new Error("trap exploded"); };
  const hostileProxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap, getOwnPropertyDescriptor: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  let deep: { [key: string]: unknown } = {};
  const deepRoot = deep;
  for (let i = 0; i < 1000; i++) deep = (deep.next = {}) as { [key: string]: unknown };

  const extra = serialized(() =>
    logger.info("hostile", {
      circular,
      twice: [shared, shared],
      big: 2n ** 70n,
      negative: -5n,
      symbol: Symbol("tag"),
      fn: function handler() {},
      arrow: () => 1,
      error,
      aggregate,
      bytes: new Uint8Array([1, 2, 255]),
      floats: new Float64Array([0.5, NaN]),
      bigints: new BigInt64Array([7n]),
      buffer: Buffer.from("hi"),
      map: new Map<unknown, unknown>([["k", 1], [2, "two"], [{ o: 1 }, true]]),
      set: new Set([1, "a", 1]),
      date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
      invalidDate: new Date(NaN),
      regexp: /a+b/gi,
      boxed: new String("boxed"),
      missing: undefined,
      holes: [1, undefined, 3],
      nan: NaN,
      infinity: -Infinity,
      throwingGetter,
      hostileProxy,
      revoked,
      lone: "a\ud800b\udfffc",
      [`key\ud83d`]: "lone-key",
      deep: deepRoot,
      withToJSON: { toJSON: () => ({ replaced: true }) },
      badToJSON: { toJSON: () => { throw new Error("toJSON exploded"); } },
    }),
  ).record.extra;

  assert.deepEqual(extra.circular, { a: 1, self: "[Circular]", list: ["[Circular]", { back: "[Circular]" }] });
  assert.deepEqual(extra.twice, [{ x: 1 }, { x: 1 }], "a repeated reference that is not a cycle is written twice");
  assert.equal(extra.big, "1180591620717411303424");
  assert.equal(extra.negative, "-5");
  assert.equal(extra.symbol, "Symbol(tag)");
  assert.equal(extra.fn, "[Function: handler]");
  assert.equal(extra.arrow, "[Function: arrow]");
  assert.equal(extra.error.name, "Error");
  assert.equal(extra.error.message, "outer");
  assert.equal(extra.error.code, "E_OUTER");
  assert.match(extra.error.stack, /^Error: outer\n/);
  assert.equal(extra.error.cause.name, "RangeError");
  assert.equal(extra.error.cause.message, "inner");
  assert.equal(extra.aggregate.name, "AggregateError");
  assert.equal(extra.aggregate.message, "several");
  assert.equal(extra.aggregate.errors[0].message, "first");
  assert.equal(extra.aggregate.errors[1], "second");
  assert.deepEqual(extra.bytes, [1, 2, 255]);
  assert.deepEqual(extra.floats, [0.5, null]);
  assert.deepEqual(extra.bigints, ["7"]);
  assert.deepEqual(extra.buffer, [104, 105]);
  assert.deepEqual(extra.map, { k: 1, "2": "two", '{"o":1}': true });
  assert.deepEqual(extra.set, [1, "a"]);
  assert.equal(extra.date, "2024-01-02T03:04:05.006Z");
  assert.equal(extra.invalidDate, "Invalid Date");
  assert.equal(extra.regexp, "/a+b/gi");
  assert.equal(extra.boxed, "boxed");
  assert.ok(!("missing" in extra), "undefined properties are left out");
  assert.deepEqual(extra.holes, [1, null, 3]);
  assert.equal(extra.nan, null);
  assert.equal(extra.infinity, null);
  assert.deepEqual(extra.throwingGetter, { ok: 1, bad: "[Unreadable: Error: getter exploded]" });
  assert.equal(extra.hostileProxy, "[Unreadable: Error: trap exploded]");
  assert.match(extra.revoked, /^\[Unreadable: TypeError: .*revoked/);
  assert.equal(extra.lone, "a\ud800b\udfffc");
  assert.equal(extra["key\ud83d"], "lone-key");
  let depth = 0;
  for (let node = extra.deep; typeof node === "object"; node = node.next) depth++;
  assert.ok(depth > 10 && depth < 1000, `deep nesting is cut (kept ${depth} levels)`);
  assert.deepEqual(extra.withToJSON, { replaced: true });
  assert.equal(extra.badToJSON, "[Unreadable: Error: toJSON exploded]");
});

test("lone surrogates are escaped, so the line is valid UTF-8 JSON", () => {
  const line = serializedLine(() => logger.info("msg \ud800", { s: "\udc00" }));
  assert.ok(line.includes("\\ud800") && line.includes("\\udc00"));
  assert.equal(Buffer.from(line, "utf8").toString("utf8"), line, "no replacement characters after a UTF-8 round trip");
  assert.equal(JSON.parse(line).record.message, "msg \ud800");
});

test("records changed by a patcher into odd shapes still serialize", () => {
  const out = serialized(() =>
    logger
      .patch((record) => {
        const loose = record as unknown as { [key: string]: unknown };
        loose.line = 12n;
        loose.function = Symbol("fn");
        loose.name = { nested: new Map([["a", 1]]) };
        loose.time = "not a date";
        loose.elapsed = null;
      })
      .info("odd"),
  );
  assert.equal(out.record.line, "12");
  assert.equal(out.record.function, "Symbol(fn)");
  assert.deepEqual(out.record.name, { nested: { a: 1 } });
  assert.equal(out.record.time.repr, "not a date");
  assert.equal(out.record.message, "odd");
});

test("shared references that would multiply out are cut instead of hanging the call", () => {
  let node: { [key: string]: unknown } = { leaf: true };
  for (let i = 0; i < 40; i++) node = { x: node, y: node, z: node };
  const line = serializedLine(() => logger.info("wide", { node }));
  assert.ok(line.includes('"[Too large]"'));
  assert.equal(JSON.parse(line).record.message, "wide");
});

test("the common case keeps extra as given", () => {
  const extra = serialized(() => logger.bind({ a: "x", b: 1.5, c: true, d: null }).info("m")).record.extra;
  assert.deepEqual(extra, { a: "x", b: 1.5, c: true, d: null });
});

test("each line is written from its own record: fields a patcher changed, repeated and new values, key order", () => {
  const lines: string[] = [];
  const id = logger.add((message) => void lines.push(message), { serialize: true, format: "{message}" });
  try {
    logger.info("first");
    logger.info("first");
    logger.patch((record) => {
      (record as { function: unknown }).function = undefined;
      (record as { line: unknown }).line = Number.NaN;
      (record as { name: unknown }).name = 'quote " and \u2028';
      (record as { level: unknown }).level = { icon: "", name: "CUSTOM", no: 70 };
    }).info("second");
    logger.info("third");
  } finally {
    logger.remove(id);
  }
  const records = lines.map((line) => JSON.parse(line).record);
  assert.deepEqual(records.map((r) => r.message), ["first", "first", "second", "third"]);
  assert.deepEqual(Object.keys(records[2]), [
    "elapsed", "exception", "extra", "file", "level", "line", "message", "module", "name", "process", "thread", "time",
  ]);
  assert.equal(records[2].line, null);
  assert.equal(records[2].name, 'quote " and \u2028');
  assert.deepEqual(records[2].level, { icon: "", name: "CUSTOM", no: 70 });
  assert.equal(records[3].function, records[0].function);
  assert.deepEqual(records[3].level, { icon: "ℹ️", name: "INFO", no: 20 });
  assert.notEqual(records[3].name, records[2].name);
});

test("file, line, time and elapsed follow each record when they change from one record to the next", () => {
  const lines: string[] = [];
  const id = logger.add((message) => void lines.push(message), { serialize: true, format: "{message}" });
  const at = (file: unknown, line: unknown, time: unknown, microseconds: unknown) =>
    logger.patch((record) => {
      Object.assign(record, { file, line, time, elapsed: { microseconds } });
    });
  const fixed = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  const withMicro = Object.assign(new Date(fixed.getTime()), { microsecond: 678_901 });
  try {
    at({ name: "a.ts", path: "/src/a.ts" }, 10, fixed, 1_500_000).info("1");
    at({ name: "a.ts", path: "/src/a.ts" }, 11, withMicro, 86_400_000_001).info("2");
    at({ name: "b.ts", path: "/src/b.ts" }, 11, fixed, 0).info("3");
    at({ name: "a.ts", path: "/src/a.ts" }, "11", new Date(Number.NaN), 2.5).info("4");
    at({ name: 7, path: null }, 10, "noon", -1).info("5");
  } finally {
    logger.remove(id);
  }
  const records = lines.map((line) => JSON.parse(line).record);
  assert.deepEqual(records.map((r) => r.file), [
    { name: "a.ts", path: "/src/a.ts" },
    { name: "a.ts", path: "/src/a.ts" },
    { name: "b.ts", path: "/src/b.ts" },
    { name: "a.ts", path: "/src/a.ts" },
    { name: 7, path: null },
  ]);
  assert.deepEqual(records.map((r) => r.line), [10, 11, 11, "11", 10]);
  const seconds = Math.floor(fixed.getTime() / 1000);
  assert.equal(records[0].time.timestamp, seconds + 0.678);
  assert.equal(records[1].time.timestamp, seconds + 0.678901);
  assert.match(records[1].time.repr, /:05\.678901[+-]\d\d:\d\d$/);
  assert.match(records[2].time.repr, /:05\.678000[+-]\d\d:\d\d$/);
  assert.deepEqual(records[3].time, { repr: "Invalid Date", timestamp: null });
  assert.deepEqual(records[4].time, { repr: "noon", timestamp: null });
  assert.deepEqual(records.map((r) => r.elapsed), [
    { repr: "0:00:01.500000", seconds: 1.5 },
    { repr: "1 day, 0:00:00.000001", seconds: 86400.000001 },
    { repr: "0:00:00", seconds: 0 },
    // Not a whole, non-negative number of microseconds: the value as given, without seconds.
    { repr: { microseconds: 2.5 }, seconds: null },
    { repr: { microseconds: -1 }, seconds: null },
  ]);
});
