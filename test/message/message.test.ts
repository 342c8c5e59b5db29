import { test } from "node:test";
import assert from "node:assert/strict";
import { logger, type LogRecord } from "logsight";

interface Logged {
  text: string;
  record: LogRecord;
}

/** Logs once at INFO through a `{message}` handler and returns what the sink received. */
function logOnce(message: unknown, ...args: unknown[]): Logged {
  logger.remove();
  const seen: Logged[] = [];
  logger.add((text: string, record: LogRecord) => void seen.push({ text: text.replace(/\n$/, ""), record }), {
    format: "{message}",
    colorize: false,
    diagnose: false,
  });
  logger.info(message, ...args);
  logger.remove();
  assert.equal(seen.length, 1);
  return seen[0];
}

const text = (message: unknown, ...args: unknown[]): string => logOnce(message, ...args).text;

test("without arguments the message is not formatted", () => {
  assert.equal(text("{a} {} {{x}} }"), "{a} {} {{x}} }");
});

test("fields: auto-numbered, indexed, named, escapes", () => {
  const cases: [string, unknown[], string][] = [
    ["{} + {} = {}", [1, 2, 3], "1 + 2 = 3"],
    ["{1}{0}{1}", ["a", "b"], "bab"],
    ["{name} is {age}", [{ name: "ada", age: 36 }], "ada is 36"],
    ["{} and {x}", [5, { x: 7 }], "5 and 7"],
    ["{{}} {} {{{}}}", [1, 2], "{} 1 {2}"],
    ["{{literal}} }}", [1], "{literal} } 1"],
    ["{!r} {!s} {!a}", ["hé", "hé", "hé"], "'hé' hé 'h\\xe9'"],
    ["{0!r:>6}", ["ab"], "  'ab'"],
  ];
  for (const [message, args, expected] of cases) assert.equal(text(message, ...args), expected, message);
});

test("access: attributes, items, chains, maps", () => {
  const cases: [string, unknown[], string][] = [
    ["{0[1]} {0.length}", [[5, 6]], "6 2"],
    ["{user.name} {user[roles][0]}", [{ user: { name: "ada", roles: ["admin"] } }], "ada admin"],
    ["{.x} {[0]}", [{ x: 9 }, [7]], "9 7"],
    ["{0[key]} {0[1]}", [new Map<unknown, unknown>([["key", "v"], [1, "one"]])], "v one"],
    ["{0.message}", [new Error("boom")], "boom"],
    ["{0[-1]}", [[1, 2]], "{0[-1]}"],
  ];
  for (const [message, args, expected] of cases) assert.equal(text(message, ...args), expected, message);
});

test("what a value shows as", () => {
  const cases: [unknown, string][] = [
    ["as-is", "as-is"],
    [12, "12"],
    [1.5, "1.5"],
    [12n, "12"],
    [true, "true"],
    [null, "null"],
    [undefined, "undefined"],
    [{ a: 1, b: "x" }, "{ a: 1, b: 'x' }"],
    [[1, [2, { c: 3 }]], "[ 1, [ 2, { c: 3 } ] ]"],
    [new TypeError("bad"), "TypeError: bad"],
    [new URL("https://example.com/a?b=1"), "https://example.com/a?b=1"],
    [new Map([[1, 2]]), "Map(1) { 1 => 2 }"],
    [Symbol("s"), "Symbol(s)"],
  ];
  for (const [value, expected] of cases) assert.equal(text("{}", value), expected, String(expected));
});

test("a field that cannot be resolved stays verbatim; the rest still formats", () => {
  const cases: [string, unknown[], string][] = [
    ["{} {}", [1], "1 {}"],
    ["{3} {0}", ["a"], "{3} a"],
    ["{missing} {}", [1], "{missing} 1"],
    ["{missing} {}", [1, { other: 2 }], "{missing} 1"],
    ["{0.nope} {0}", [{}], "{0.nope} {}"],
    ["{0[9]} ok", [[1]], "{0[9]} ok"],
    ["{0.a.b} ok", [{ a: null }], "{0.a.b} ok"],
    ["{:d} {}", ["x", "y"], "{:d} y"],
    ["{!x} {}", [1], "{!x} 1"],
    ["{0.} {0}", [1], "{0.} 1"],
    ["{0[} {0}", [1], "{0[} 1"],
    ["a } b {", [1], "a } b { 1"],
    ["{} {", [1], "1 {"],
    ["{x}", [Object.create({ x: "inherited" })], "{x} {}"],
  ];
  for (const [message, args, expected] of cases) assert.equal(text(message, ...args), expected, message);
});

test("mixing automatic and manual numbering leaves the whole message verbatim, the arguments appended", () => {
  assert.equal(text("{0} {} {{x}}", "a", "b"), "{0} {} {{x}} a b");
  assert.equal(text("{} {1}", "a", "b"), "{} {1} a b");
});

test("a trailing plain object is the kwargs: named fields and extra", () => {
  const { text: shown, record } = logOnce("Request done in {ms} ms", { status: 200, ms: 12 });
  assert.equal(shown, "Request done in 12 ms");
  assert.equal(record.extra.status, 200);
  assert.equal(record.extra.ms, 12);
  const nullProto = Object.assign(Object.create(null), { k: "v" });
  assert.equal(text("{k}", nullProto), "v");
});

test("a plain object read by a positional field is not the kwargs", () => {
  const { text: shown, record } = logOnce("{}", { a: 1 });
  assert.equal(shown, "{ a: 1 }");
  assert.equal(record.extra.a, undefined);
});

test("a class instance is never the kwargs", () => {
  class Point {
    constructor(public x: number) {}
  }
  const { text: shown, record } = logOnce("{x}", new Point(1));
  assert.equal(shown, "{x} Point { x: 1 }");
  assert.equal(record.extra.x, undefined);
});

test("a trailing Error not read by a field becomes the record's exception", () => {
  const error = new Error("boom");
  const logged = logOnce("failed: {}", "checkout", error);
  assert.equal(logged.record.message, "failed: checkout");
  assert.equal(logged.record.exception?.value, error);

  const withKwargs = logOnce("failed for {user}", { user: "ada" }, error);
  assert.equal(withKwargs.record.message, "failed for ada");
  assert.equal(withKwargs.record.exception?.value, error);
  assert.equal(withKwargs.record.extra.user, "ada");

  const consumed = logOnce("failed: {}", error);
  assert.equal(consumed.text, "failed: Error: boom");
  assert.equal(consumed.record.exception, null);
});

test("a non-string message is shown like util.inspect", () => {
  assert.equal(text({ a: [1, 2] }), "{ a: [ 1, 2 ] }");
  assert.equal(text(42), "42");
  assert.equal(text(["x"], "extra arg"), "[ 'x' ] extra arg");
});

test("a logging call never throws because of its arguments", () => {
  const hostile = {
    get boom(): never {
      throw new Error("getter");
    },
    toString(): never {
      throw new Error("toString");
    },
  };
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  assert.equal(text("{0.boom} {1}", hostile, "ok"), "{0.boom} ok");
  assert.doesNotThrow(() => text("{} {}", hostile, revoked.proxy));
  assert.equal(text("{:1000000000000}", "x"), "{:1000000000000}");
  assert.equal(text("{:{:{:{}}}}", 1, 2, 3, 4), "{:{:{:{}}}} 4");
});

test("an object or array is shown on one line however many items it has, in a field, appended or as the message", () => {
  const numbers = Array.from({ length: 30 }, (_, i) => i);
  const oneLine = "[ " + numbers.join(", ") + " ]";
  assert.equal(text("{}", numbers), oneLine);
  assert.equal(text("{!r}", numbers), oneLine);
  assert.equal(text("numbers", numbers), "numbers " + oneLine);
  assert.equal(text("numbers {}", 1, numbers), "numbers 1 " + oneLine);
  assert.equal(text(numbers), oneLine);
  const words = Array.from({ length: 12 }, (_, i) => "w" + i);
  assert.equal(text("words %o", words), `words [ ${words.map((w) => `'${w}'`).join(", ")}, [length]: 12 ]`);
  assert.equal(text("{}", { nested: { numbers } }), `{ nested: { numbers: ${oneLine} } }`);
});
