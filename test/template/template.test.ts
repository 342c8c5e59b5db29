import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { threadId } from "node:worker_threads";
import { logger, type LogRecord, type RecordTime } from "logsight";

/** What a handler with this format writes for `logger.bind(extra).info(message)`. */
function render(format: string, extra: { [key: string]: unknown } = {}, patch?: (record: LogRecord) => void): string {
  logger.remove();
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format, colorize: false, diagnose: false });
  let bound = logger.bind(extra);
  if (patch) bound = bound.patch(patch);
  bound.info("hello");
  logger.remove();
  assert.equal(out.length, 1);
  return out[0].replace(/\n$/, "");
}

test("record fields show their default part", () => {
  assert.equal(render("{level}|{level.no}|{level.name}"), "INFO|20|INFO");
  assert.equal(render("{message}|{message!r}|{message:>7}|{message:.3}"), "hello|'hello'|  hello|hel");
  assert.equal(render("{process}|{process.id}|{process.name}"), `${process.pid}|${process.pid}|${render("{process.name}")}`);
  assert.equal(render("{thread}|{thread.name}"), `${threadId}|MainThread`);
  assert.equal(render("{file}|{module}"), `${path.basename(__filename)}|${path.basename(__filename).replace(/\.[^.]*$/, "")}`);
  assert.equal(render("{file.path}"), __filename);
  assert.equal(render("{function}"), "render");
  assert.match(render("{line}"), /^\d+$/);
  assert.match(render("{name}"), /^logsight\/test\/template\/template(\.test)?$/);
});

test("format specs apply to record fields", () => {
  assert.equal(render("[{level: <8}]"), "[INFO    ]");
  assert.equal(render("[{level:*^10}]"), "[***INFO***]");
  assert.equal(render("[{level.no:03d}] [{level.no:#x}]"), "[020] [0x14]");
  assert.equal(render("[{level:{extra[w]}}]", { w: 6 }), "[INFO  ]");
});

test("extra: the whole object, its items, and missing items left verbatim", () => {
  assert.equal(render("{extra}", { ip: "1.2.3.4", n: 1 }), "{ ip: '1.2.3.4', n: 1 }");
  assert.equal(render("{extra}"), "{}");
  assert.equal(render("{extra[ip]} {extra[user][name]} {extra[user].roles[1]}", { ip: "10.0.0.1", user: { name: "ada", roles: ["a", "b"] } }), "10.0.0.1 ada b");
  assert.equal(render("{extra[nope]} and {extra.nope} still", {}), "{extra[nope]} and {extra.nope} still");
  assert.equal(render("{level.nope}"), "{level.nope}");
});

test("{elapsed} reads like Python's timedelta", () => {
  const cases: [number, string][] = [
    [123456, "0:00:00.123456"],
    [5_000_000, "0:00:05"],
    [3_723_000_042, "1:02:03.000042"],
    [86_400_000_000 + 7_384_000_005, "1 day, 2:03:04.000005"],
    [3 * 86_400_000_000, "3 days, 0:00:00"],
  ];
  for (const [microseconds, expected] of cases) {
    const elapsed = { milliseconds: Math.floor(microseconds / 1000), microseconds, totalSeconds: () => microseconds / 1e6 };
    assert.equal(render("{elapsed}", {}, (r) => { r.elapsed = elapsed; }), expected);
  }
  assert.match(render("{elapsed}"), /^0:00:\d\d(\.\d{6})?$/);
});

test("{exception} is empty without an exception, and the traceback with one", () => {
  assert.equal(render("{message}|{exception}|"), "hello||");
  logger.remove();
  const out: string[] = [];
  logger.add((text: string) => void out.push(text), { format: "{message}", colorize: false, diagnose: false });
  logger.info("failed", new RangeError("too far"));
  logger.remove();
  assert.match(out[0], /^failed\n[\s\S]*RangeError: too far\n$/);
});

test("the literal text of a template: escapes and text around fields", () => {
  assert.equal(render("{{level}} {{ {level} }}"), "{level} { INFO }");
  assert.equal(render("plain text"), "plain text");
  assert.equal(render(""), "");
});

test("a template that cannot be compiled is refused by add(), naming the field", () => {
  const bad: [string, RegExp][] = [
    ["{unknown}", /\{unknown\}/],
    ["{0}", /\{0\}/],
    ["{}", /\{\}/],
    ["{level", /\{level/],
    ["level}", /'\}'/],
    ["{level!x}", /\{level!x\}/],
    ["{extra[ip}", /\{extra\[ip\}/],
    ["{level: <8d}", /\{level: <8d\}/],
    ["{level:.}", /\{level:\.\}/],
  ];
  logger.remove();
  for (const [format, named] of bad) assert.throws(() => logger.add(() => {}, { format, diagnose: false }), named, format);
  logger.remove();
});

test("fields that need the caller are looked up only when the template reads them", () => {
  const fixed = Object.assign(new Date("2020-01-01T00:00:00Z"), { microsecond: 5 }) as RecordTime;
  // Without caller fields the record still renders every other field.
  assert.equal(render("{time:x!UTC} {level} {message}", {}, (r) => { r.time = fixed; }), "1577836800000005 INFO hello");
});
