import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import * as path from "node:path";
import { logger } from "logsight";

beforeEach(() => logger.remove());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function pinoLines(log: () => void): any[] {
  const lines: string[] = [];
  const id = logger.add((message) => void lines.push(message), { serialize: "pino", level: "TRACE" });
  try {
    log();
  } finally {
    logger.remove(id);
  }
  return lines.map((line) => {
    assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"), `one JSON line: ${JSON.stringify(line)}`);
    return JSON.parse(line);
  });
}

test("pino's line: level number, time in epoch ms, pid, hostname, extra flattened, msg last", () => {
  const before = Date.now();
  const [line] = pinoLines(() => logger.child({ reqId: "req-1" }).info({ userId: 42 }, "user %s logged in", "ada"));
  assert.deepEqual(Object.keys(line), ["level", "time", "pid", "hostname", "reqId", "userId", "msg"]);
  assert.equal(line.level, 30);
  assert.ok(line.time >= before && line.time <= Date.now(), `time ${line.time} is epoch ms`);
  assert.equal(line.pid, process.pid);
  assert.equal(line.hostname, hostname());
  assert.equal(line.reqId, "req-1");
  assert.equal(line.userId, 42);
  assert.equal(line.msg, "user ada logged in");
});

test("levels map onto pino's numbers, custom levels in between", () => {
  logger.level("NOTICE", { no: 27 });
  const lines = pinoLines(() => {
    logger.trace("t");
    logger.debug("d");
    logger.info("i");
    logger.success("s");
    logger.log("NOTICE", "n");
    logger.warn("w");
    logger.error("e");
    logger.fatal("f");
  });
  assert.deepEqual(lines.map((l) => [l.msg, l.level]), [["t", 10], ["d", 20], ["i", 30], ["s", 35], ["n", 37], ["w", 40], ["e", 50], ["f", 60]]);
});

test("the exception is err: { type, message, stack, own fields, cause }", () => {
  const root = new RangeError("card expired");
  const error = Object.assign(new TypeError("payment failed", { cause: root }), { code: "E_PAY", amount: 12n });
  const [line] = pinoLines(() => logger.error({ err: error, orderId: 7 }, "checkout"));
  assert.deepEqual(Object.keys(line), ["level", "time", "pid", "hostname", "orderId", "err", "msg"]);
  assert.equal(line.err.type, "TypeError");
  assert.equal(line.err.message, "payment failed");
  assert.equal(line.err.stack, error.stack);
  assert.equal(line.err.code, "E_PAY");
  assert.equal(line.err.amount, "12");
  assert.deepEqual(line.err.cause, { type: "RangeError", message: "card expired", stack: root.stack });

  const [thrown] = pinoLines(() => logger.opt({ exception: "a string" }).error("odd"));
  assert.deepEqual(thrown.err, { type: "string", message: "a string" });
  const aggregate = new AggregateError([new Error("a"), new Error("b")], "both");
  const [many] = pinoLines(() => logger.error("x", aggregate));
  assert.deepEqual(many.err.aggregateErrors.map((e: { message: string }) => e.message), ["a", "b"]);
});

test("hostile values never break the line", () => {
  const cyclic: { [key: string]: unknown } = { name: "loop" };
  cyclic.self = cyclic;
  const [line] = pinoLines(() => logger.info("m", { cyclic, big: 10n, when: new Date(0), nested: { map: new Map([["k", 1]]) } }));
  assert.deepEqual(line.cyclic, { name: "loop", self: "[Circular]" });
  assert.equal(line.big, "10");
  assert.equal(line.when, "1970-01-01T00:00:00.000Z");
  assert.deepEqual(line.nested, { map: { k: 1 } });
});

test('serialize: true keeps loguru\'s shape and now carries the stack in its exception', () => {
  const lines: string[] = [];
  const error = new Error("boom");
  logger.add((message) => void lines.push(message), { serialize: true, format: "{message}", diagnose: false });
  logger.error("failed", error);
  logger.remove();
  const exception = JSON.parse(lines[0]).record.exception;
  assert.deepEqual(exception, { type: "Error", value: "boom", traceback: true, stack: error.stack });
});

test("serialize accepts a boolean or \"pino\" and names the value otherwise", () => {
  assert.throws(() => logger.add(() => {}, { serialize: "bunyan" as never }), /Invalid serialize "bunyan": it should be a boolean or "pino"/);
});

test("pino-pretty reads the lines (node app.js | pino-pretty)", () => {
  const program = `
    const { logger } = require("logsight");
    logger.remove();
    logger.add(process.stdout, { serialize: "pino" });
    logger.child({ reqId: "req-7" }).info({ userId: 42 }, "user %s logged in", "ada");
    logger.warn("disk {:.0%} full", 0.93);
    logger.error({ err: new TypeError("payment failed", { cause: new Error("card expired") }) }, "checkout failed");
  `;
  const app = spawnSync(process.execPath, ["-e", program], { encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } });
  assert.equal(app.status, 0, app.stderr);
  const prettyBin = path.join(path.dirname(require.resolve("pino-pretty/package.json")), "bin.js");
  const pretty = spawnSync(process.execPath, [prettyBin, "--colorize", "false"], { input: app.stdout, encoding: "utf8" });
  assert.equal(pretty.status, 0, pretty.stderr);
  const out = pretty.stdout;
  assert.match(out, /INFO \(\d+\): user ada logged in\n\s+reqId: "req-7"\n\s+userId: 42/);
  assert.match(out, /WARN \(\d+\): disk 93% full/);
  assert.match(out, /ERROR \(\d+\): checkout failed\n\s+err: \{\n\s+"type": "TypeError",\n\s+"message": "payment failed",\n\s+"stack":\n\s+TypeError: payment failed\n\s+at /);
  assert.match(out, /"cause": \{\n\s+"type": "Error",\n\s+"message": "card expired"/);
  assert.doesNotMatch(out, /^\{"level"/m, "every line was parsed (an unparsed line is echoed as is)");
});

test("an error whose cause or exception is a Proxy with throwing traps keeps its err", () => {
  let traps = 0;
  const hostile = new Proxy({}, {
    get: () => { traps++; throw new Error("get trap"); },
    getPrototypeOf: () => { traps++; throw new Error("getPrototypeOf trap"); },
  });
  const error = new TypeError("payment failed", { cause: hostile });
  const [line] = pinoLines(() => logger.error({ err: error, orderId: 7 }, "checkout"));
  assert.equal(line.serializeError, undefined);
  assert.equal(line.orderId, 7);
  assert.equal(line.err.type, "TypeError");
  assert.equal(line.err.message, "payment failed");
  assert.equal(line.err.stack, error.stack);
  assert.match(line.err.cause, /^\[Unreadable: Error: \w+ trap\]$/);
  const [thrown] = pinoLines(() => logger.opt({ exception: hostile }).error("odd"));
  assert.equal(thrown.serializeError, undefined);
  assert.equal(thrown.err.type, "object");
  assert.equal(thrown.msg, "odd");
  // JSON output reads objects as JSON.stringify would (the traps ran, and threw, inside its walk).
  assert.ok(traps > 0);
});
