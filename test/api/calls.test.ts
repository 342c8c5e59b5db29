import { test } from "node:test";
import assert from "node:assert/strict";
import { logger, type LogRecord } from "logsight";

/** Runs `call` with one `{level} {message}` handler at TRACE and returns the records it received. */
function capture(call: () => void, options: { level?: string | number } = {}): LogRecord[] {
  logger.remove();
  const seen: LogRecord[] = [];
  logger.add((_text: string, record: LogRecord) => void seen.push(record), { format: "{level} {message}", colorize: false, diagnose: false, level: options.level ?? "TRACE" });
  try {
    call();
  } finally {
    logger.remove();
  }
  return seen;
}

function one(call: () => void): LogRecord {
  const records = capture(call);
  assert.equal(records.length, 1);
  return records[0];
}

const boom = new Error("boom");
const failure = new TypeError("declined");

// The README's "How arguments are used" table, row for row.
const RESOLUTION: ReadonlyArray<{ call: string; run: () => void; message: string; extra?: object; exception?: unknown }> = [
  { call: 'info("count:", 5)', run: () => logger.info("count:", 5), message: "count: 5" },
  { call: 'info("user %s", "ada")', run: () => logger.info("user %s", "ada"), message: "user ada" },
  { call: 'info("%d%% done in %s", 50, "2s", "late")', run: () => logger.info("%d%% done in %s", 50, "2s", "late"), message: "50% done in 2s late" },
  { call: 'info("payload %j", { a: 1 })', run: () => logger.info("payload %j", { a: 1 }), message: 'payload {"a":1}', extra: {} },
  { call: 'info("{} + {} = {}", 1, 2, 3)', run: () => logger.info("{} + {} = {}", 1, 2, 3), message: "1 + 2 = 3" },
  { call: 'info("{} items", 3, "left", [1])', run: () => logger.info("{} items", 3, "left", [1]), message: "3 items left [ 1 ]" },
  { call: 'info("{} %s", "a", "b")', run: () => logger.info("{} %s", "a", "b"), message: "a %s b" },
  { call: 'info("Request done", { status: 200 })', run: () => logger.info("Request done", { status: 200 }), message: "Request done", extra: { status: 200 } },
  { call: 'info("user {name}", { name: "ada" })', run: () => logger.info("user {name}", { name: "ada" }), message: "user ada", extra: { name: "ada" } },
  { call: 'info("{}", { a: 1 })', run: () => logger.info("{}", { a: 1 }), message: "{ a: 1 }", extra: {} },
  { call: 'info("count:", 5, { unit: "kg" })', run: () => logger.info("count:", 5, { unit: "kg" }), message: "count: 5", extra: { unit: "kg" } },
  { call: 'info({ userId: 42 }, "user %s logged in", "ada")', run: () => logger.info({ userId: 42 }, "user %s logged in", "ada"), message: "user ada logged in", extra: { userId: 42 } },
  { call: 'info({ userId: 42 }, "login")', run: () => logger.info({ userId: 42 }, "login"), message: "login", extra: { userId: 42 } },
  { call: 'error({ err, orderId: 7 }, "payment failed")', run: () => logger.error({ err: failure, orderId: 7 }, "payment failed"), message: "payment failed", extra: { orderId: 7 }, exception: failure },
  { call: 'error("Payment failed", err)', run: () => logger.error("Payment failed", boom), message: "Payment failed", exception: boom },
  { call: 'error("failed: {}", "checkout", { id: 1 }, err)', run: () => logger.error("failed: {}", "checkout", { id: 1 }, boom), message: "failed: checkout", extra: { id: 1 }, exception: boom },
  { call: 'error(err, "payment %s failed", 7)', run: () => logger.error(boom, "payment %s failed", 7), message: "payment 7 failed", exception: boom },
  { call: "error(err)", run: () => logger.error(failure), message: "TypeError: declined", exception: failure },
  { call: 'info({ a: 1 })', run: () => logger.info({ a: 1 }), message: "{ a: 1 }", extra: {} },
  { call: 'info("{a}")', run: () => logger.info("{a}"), message: "{a}" },
  { call: 'info("50%s")', run: () => logger.info("50%s"), message: "50%s" },
];

test("how the arguments of a call are used (README table)", () => {
  for (const row of RESOLUTION) {
    const record = one(row.run);
    assert.equal(record.message, row.message, row.call);
    assert.deepEqual({ ...record.extra }, row.extra ?? {}, `${row.call}: extra`);
    assert.equal(record.exception?.value ?? null, row.exception ?? null, `${row.call}: exception`);
  }
});

test("an object's err is the exception only when it holds an Error", () => {
  const record = one(() => logger.warn({ err: "not an error", code: 3 }, "odd"));
  assert.deepEqual({ ...record.extra }, { err: "not an error", code: 3 });
  assert.equal(record.exception, null);
});

test("the leading object is never modified and never runs getters", () => {
  let reads = 0;
  const fields = { user: "ada", err: boom };
  Object.defineProperty(fields, "secret", { enumerable: false, get: () => ++reads });
  const record = one(() => logger.info(fields, "hi"));
  assert.deepEqual(Object.keys(fields), ["user", "err"]);
  assert.equal(record.exception?.value, boom);
  assert.equal(reads, 0);
});

test("warn and fatal are WARNING and CRITICAL", () => {
  const records = capture(() => {
    logger.warn("w");
    logger.fatal("f");
  });
  assert.deepEqual(records.map((r) => [r.level.name, r.message]), [["WARNING", "w"], ["CRITICAL", "f"]]);
});

test("a level is named in any case wherever a level is named", () => {
  const records = capture(() => {
    logger.log("info", "a");
    logger.log("Warning" as "warning", "b");
    logger.log("critical", "c");
    logger.log("success", "d");
  });
  assert.deepEqual(records.map((r) => r.level.name), ["INFO", "WARNING", "CRITICAL", "SUCCESS"]);
  assert.equal(logger.level("error").name, "ERROR");
  assert.equal(capture(() => {
    logger.info("below");
    logger.warn("kept");
  }, { level: "warning" }).length, 1);

  logger.remove();
  const seen: string[] = [];
  logger.add((text: string) => void seen.push(text.trim()), { format: "{message}", filter: { "": "error" } });
  logger.warn("dropped");
  logger.error("kept");
  logger.remove();
  assert.deepEqual(seen, ["kept"]);

  assert.throws(() => logger.log("verbose" as "info", "x"), /Level 'verbose' does not exist/);
  assert.throws(() => logger.log("warn" as "info", "x"), /Level 'warn' does not exist/, "pino's names are for child() options only");
  assert.throws(() => logger.add(() => {}, { level: "loud" as never }), /Invalid level 'loud'/);
});

test("a custom level is found in any case; one defined in another case stays its own level", () => {
  logger.level("NOTICE", { no: 22, color: "<cyan>" });
  const records = capture(() => logger.log("notice" as never, "n"));
  assert.equal(records[0].level.name, "NOTICE");
});

test("child(bindings) is bind(bindings)", () => {
  const record = one(() => logger.child({ reqId: "r1" }).child({ user: "ada" }).info("hi"));
  assert.deepEqual({ ...record.extra }, { reqId: "r1", user: "ada" });
  assert.throws(() => logger.child(null as never), /Invalid child\(\) bindings null/);
});

test("child(bindings, { level }) sets a minimum level for that child only", () => {
  const records = capture(() => {
    const quiet = logger.child({ route: "/health" }, { level: "warn" });
    quiet.info("dropped");
    quiet.log("debug", "dropped");
    quiet.error("kept");
    quiet.child({}).info("dropped too");
    logger.child({}, { level: "silent" }).fatal("dropped");
    logger.child({}, { level: "fatal" }).error("dropped");
    logger.info("parent kept");
  });
  assert.deepEqual(records.map((r) => r.message), ["kept", "parent kept"]);
  assert.throws(() => logger.child({}, { level: "loud" as never }), /Invalid child\(\) level 'loud'/);
});

test("child(bindings, { serializers }) applies to the bindings and to each call's leading object", () => {
  const serializers = { req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }) };
  const request = { method: "GET", url: "/a", headers: { cookie: "x" }, socket: {} };
  const child = logger.child({ req: request }, { serializers });
  const record = one(() => child.info({ req: { ...request, url: "/b" }, n: 1 }, "done"));
  assert.deepEqual(record.extra.req, { method: "GET", url: "/b" });
  assert.equal(record.extra.n, 1);
  const bound = one(() => child.info("bound"));
  assert.deepEqual(bound.extra.req, { method: "GET", url: "/a" });

  const failing = logger.child({}, { serializers: { x: () => { throw new Error("nope"); } } });
  assert.equal(one(() => failing.info({ x: 1 }, "m")).extra.x, "[Serializer failed: Error: nope]");
  assert.throws(() => logger.child({}, { serializers: { x: 1 as never } }), /serializer for 'x': it should be a function/);
});

test("opt(), configure() and parse() refuse an option they do not know, naming it", () => {
  assert.throws(() => logger.opt({ lazzy: true } as never), /Unknown option 'lazzy' for opt\(\)/);
  assert.throws(() => logger.parse("app.log", /x/, { chunks: 10 } as never), /Unknown option 'chunks' for parse\(\)/);
  assert.throws(() => logger.configure({ handler: [] } as never), /Unknown option 'handler' for configure\(\)/);
  const records = capture(() => logger.opt({ lazy: true, colors: false, raw: false, record: false, capture: true, depth: 0, exception: null }).info("known"));
  assert.deepEqual(records.map((r) => r.message), ["known"]);
});
