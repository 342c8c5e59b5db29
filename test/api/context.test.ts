import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { logger } from "logsight";
import { collect } from "../helpers";

beforeEach(() => {
  logger.remove();
  logger.configure({ extra: {}, patcher: null });
});

test("bind() returns a logger whose records carry the values; the original is unchanged", () => {
  const { records } = collect();
  const child = logger.bind({ user: "ada", request: 1 });
  child.info("a");
  child.bind({ request: 2 }).info("b");
  logger.info("c");
  assert.deepEqual(
    records.map((r) => r.extra),
    [{ user: "ada", request: 1 }, { user: "ada", request: 2 }, {}],
  );
});

test("extra precedence: configure extra < contextualize < bind < call kwargs", () => {
  const { records } = collect({ format: "{extra[k]}" });
  logger.configure({ extra: { k: "configure", a: 1 } });
  logger.info("x");
  logger.contextualize({ k: "context", b: 2 }, () => {
    logger.info("x");
    logger.bind({ k: "bind", c: 3 }).info("x");
    logger.bind({ k: "bind" }).info("x", { k: "kwargs", d: 4 });
  });
  assert.deepEqual(
    records.map((r) => r.extra),
    [
      { k: "configure", a: 1 },
      { k: "context", a: 1, b: 2 },
      { k: "bind", a: 1, b: 2, c: 3 },
      { k: "kwargs", a: 1, b: 2, d: 4 },
    ],
  );
});

test("contextualize() works for sync and async functions, nests, and is restored after", async () => {
  const { records } = collect();
  const result = logger.contextualize({ a: 1 }, () => {
    logger.contextualize({ b: 2 }, () => logger.info("nested"));
    logger.info("outer");
    return 42;
  });
  assert.equal(result, 42);
  logger.info("after");
  const asyncResult = await logger.contextualize({ task: "t1" }, async () => {
    await sleep(5);
    logger.info("after await");
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        logger.info("in timer");
        resolve();
      }, 5),
    );
    return "done";
  });
  assert.equal(asyncResult, "done");
  assert.deepEqual(
    records.map((r) => [r.message, r.extra]),
    [
      ["nested", { a: 1, b: 2 }],
      ["outer", { a: 1 }],
      ["after", {}],
      ["after await", { task: "t1" }],
      ["in timer", { task: "t1" }],
    ],
  );
});

test("contextualize() keeps concurrent requests apart", async () => {
  const { records } = collect();
  const releases = new Map<number, () => void>();
  const handle = (id: number) =>
    logger.contextualize({ request: id }, async () => {
      logger.info(`start ${id}`);
      await new Promise<void>((resolve) => releases.set(id, resolve));
      await sleep(1);
      logger.info(`end ${id}`);
    });
  const all = Promise.all([handle(1), handle(2), handle(3)]);
  // All three are suspended inside their contexts before any resumes; they resume in the order 2, 3, 1.
  for (const id of [2, 3, 1]) {
    releases.get(id)!();
    await sleep(5);
  }
  await all;
  assert.deepEqual(
    records.map((r) => `${r.message}:${String(r.extra.request)}`),
    ["start 1:1", "start 2:2", "start 3:3", "end 2:2", "end 3:3", "end 1:1"],
  );
});

test("contextualize() rejects bad arguments", () => {
  assert.throws(() => logger.contextualize(null as never, () => 1), /Invalid contextualize\(\) values/);
  assert.throws(() => logger.contextualize({}, 1 as never), /needs a function/);
});

test("patch() runs after the configure patcher; both can change any field", () => {
  const { messages } = collect({ format: "{extra[order]} {message}" });
  logger.configure({ patcher: (r) => (r.extra.order = "configure") });
  const patched = logger.patch((r) => {
    r.extra.order += ">patch";
    r.message = r.message.toUpperCase();
  });
  patched.info("hello");
  logger.info("plain");
  assert.deepEqual(messages, ["configure>patch HELLO\n", "configure plain\n"]);
});

test("opt() options do not chain but bind and patch state is kept", () => {
  const { messages } = collect({ format: "{extra[x]}|{message}" });
  const raw = logger.bind({ x: 1 }).opt({ raw: true });
  raw.info("raw ");
  raw.opt({}).info("formatted");
  raw.bind({ x: 2 }).info("still raw");
  assert.deepEqual(messages, ["raw ", "1|formatted\n", "still raw"]);
});

test("opt({ lazy }) calls function arguments only when some handler emits", () => {
  const { messages } = collect({ level: "INFO" });
  let calls = 0;
  const expensive = () => {
    calls++;
    return "computed";
  };
  logger.opt({ lazy: true }).debug("{}", expensive);
  assert.equal(calls, 0);
  logger.opt({ lazy: true }).info("{} {x}", expensive, { x: () => "kw" });
  assert.equal(calls, 1);
  assert.deepEqual(messages, ["computed kw\n"]);
});

test("opt({ colors }) renders the message's markup per handler, never the arguments'", () => {
  logger.remove();
  const colored: string[] = [];
  const plain: string[] = [];
  logger.add((m) => colored.push(m), { format: "{message}", colorize: true });
  logger.add((m) => plain.push(m), { format: "{message}", colorize: false });
  logger.opt({ colors: true }).info("<red>{}</red>", "<blue>arg</blue>");
  assert.deepEqual(colored, ["\x1b[31m<blue>arg</blue>\x1b[0m\n"]);
  assert.deepEqual(plain, ["<blue>arg</blue>\n"]);
});

test("opt({ record }) makes the record available to the message", () => {
  const { messages } = collect();
  logger.opt({ record: true }).warning("{record[level]} at {record.function} line {record[line]}");
  assert.match(messages[0], /^WARNING at <anonymous> line \d+\n$/);
});

test("opt({ capture: false }) keeps kwargs out of extra but still formats with them", () => {
  const { records } = collect();
  logger.opt({ capture: false }).info("{name}", { name: "x" });
  assert.equal(records[0].message, "x");
  assert.deepEqual(records[0].extra, {});
});

test("opt({ depth }) takes the caller fields from further up the stack", () => {
  const { records } = collect();
  function helper() {
    logger.opt({ depth: 1 }).info("from helper");
  }
  function business() {
    helper();
  }
  business();
  assert.equal(records[0].function, "business");
});

test("opt({ depth }) past the top of the stack takes the outermost frame, never an empty caller", async () => {
  const { records } = collect();
  await null;
  // Resumed from the microtask queue: this function is the only frame on the stack.
  (function resumed() {
    logger.opt({ depth: 1000 }).info("too deep");
  })();
  assert.equal(records.length, 1);
  // The outermost frame here is the test runner's (an async caller of this test).
  assert.notEqual(records[0].name, "");
  assert.notEqual(records[0].file.name, "");
  assert.ok(records[0].line > 0);
  assert.notEqual(records[0].function, "<unknown>");
});

test("configure() replaces handlers, adds levels, sets extra and activation, returns ids", () => {
  const seen: string[] = [];
  logger.add(() => seen.push("old"));
  const ids = logger.configure({
    handlers: [
      { sink: (m: string) => seen.push(`a:${m}`), format: "{message}" },
      { sink: (m: string) => seen.push(`b:${m}`), format: "{level} {extra[app]}", level: "NEWLVL" },
    ],
    levels: [{ name: "NEWLVL", no: 33, icon: "¤", color: "" }],
    extra: { app: "shop" },
  });
  assert.equal(ids.length, 2);
  assert.ok(ids[1] > ids[0]);
  logger.log("NEWLVL", "m");
  logger.info("i");
  assert.deepEqual(seen, ["a:m\n", "b:NEWLVL shop\n", "a:i\n"]);
  assert.throws(() => logger.configure({ handlers: {} as never }), /Invalid handlers/);
  assert.throws(() => logger.configure({ activation: [["x", "yes"]] as never }), /Invalid activation rule/);
});
