import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";
import { collect, runNode } from "../helpers";

beforeEach(() => logger.remove());

test("the logger is ready on import with handler 0 on stderr in loguru's default format", () => {
  const result = runNode(`const { logger } = require("logsight");\nfunction handle() { logger.info("hello {}", "world"); }\nhandle();`);
  assert.equal(result.status, 0);
  assert.match(
    result.stderr,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \| INFO     \| \[eval\]:handle:2 - hello world\n$/,
  );
  const removed = runNode(`const { logger } = require("logsight"); logger.remove(0); logger.info("x"); console.log(logger.add(() => {}));`);
  assert.equal(removed.stderr, "");
  assert.equal(removed.stdout.trim(), "1");
});

test("LOGSIGHT_AUTOINIT=false leaves the default handler out", () => {
  const result = runNode(`const { logger } = require("logsight"); logger.info("silent"); console.log(logger.add(() => {}));`, {
    env: { LOGSIGHT_AUTOINIT: "false" },
  });
  assert.equal(result.stderr, "");
  assert.equal(result.stdout.trim(), "0");
});

test("a stream sink: anything with write(), with flush/stop/complete called when present", async () => {
  const calls: string[] = [];
  const stream = {
    write(m: string) {
      calls.push(`write:${m}`);
    },
    flush() {
      calls.push("flush");
    },
    stop() {
      calls.push("stop");
    },
    async complete() {
      calls.push("complete");
    },
  };
  const id = logger.add(stream, { format: "{message}" });
  logger.info("a");
  await logger.complete();
  logger.remove(id);
  assert.deepEqual(calls, ["write:a\n", "flush", "complete", "stop"]);
});

test("a function sink receives the message and the record", () => {
  const { messages, records } = collect({ format: "{level} {message}" });
  logger.info("hi");
  assert.deepEqual(messages, ["INFO hi\n"]);
  assert.equal(records[0].message, "hi");
});

test("an async function sink is awaited by complete()", async () => {
  const done: string[] = [];
  logger.add(
    async (message) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done.push(message);
    },
    { format: "{message}" },
  );
  logger.info("one");
  logger.info("two");
  assert.deepEqual(done, []);
  await logger.complete();
  assert.deepEqual(done, ["one\n", "two\n"]);
});

test("handler ids are never reused and remove() of an unknown id is a clear error", () => {
  const a = logger.add(() => {});
  const b = logger.add(() => {});
  logger.remove(a);
  const c = logger.add(() => {});
  assert.ok(b > a && c > b);
  assert.throws(() => logger.remove(a), new RegExp(`There is no existing handler with id ${a}`));
  assert.throws(() => logger.remove("x" as unknown as number), /Invalid handler id "x", it should be an integer/);
});

test("remove() with no id removes every handler", () => {
  const seen: string[] = [];
  logger.add((m) => seen.push(m));
  logger.add((m) => seen.push(m));
  logger.remove();
  logger.info("gone");
  assert.deepEqual(seen, []);
});

test("add() rejects bad sinks and options with the option and value named", () => {
  assert.throws(() => logger.add(42 as never), /Cannot log to objects of type 'number'/);
  assert.throws(() => logger.add({} as never), /Cannot log to objects of type 'Object'/);
  assert.throws(() => logger.add(() => {}, { level: "LOUD" }), /level 'LOUD' does not exist/);
  assert.throws(() => logger.add(() => {}, { level: -5 }), /Invalid level -5/);
  assert.throws(() => logger.add(() => {}, { format: 3 as never }), /Invalid format 3, it should be a string or a function, not: 'number'/);
  assert.throws(() => logger.add(() => {}, { colorize: "yes" as never }), /Invalid colorize "yes"/);
  assert.throws(() => logger.add(() => {}, { serialize: 1 as never }), /Invalid serialize 1/);
  assert.throws(() => logger.add(() => {}, { rotation: "1 MB" }), /Invalid option 'rotation': it only applies to file sinks/);
  assert.throws(() => logger.add(() => {}, { colour: true } as never), /Unknown option 'colour'/);
});

test("a function format returns the template for each record (and then includes {exception} itself)", () => {
  const { messages } = collect({ format: (record) => (record.level.no >= 30 ? "!! {message}\n" : "{message}\n") });
  logger.info("calm");
  logger.warning("loud");
  assert.deepEqual(messages, ["calm\n", "!! loud\n"]);
});

test("colorize is decided per stream: isTTY, NO_COLOR, FORCE_COLOR", () => {
  const code = `const { logger } = require("logsight"); logger.remove();
    const out = []; const stream = { isTTY: process.env.TTY === "1", write(m) { out.push(m); } };
    logger.add(stream, { format: "<red>{message}</red>" }); logger.info("x"); console.log(JSON.stringify(out[0]));`;
  const run = (env: NodeJS.ProcessEnv) => JSON.parse(runNode(code, { env }).stdout) as string;
  assert.equal(run({ TTY: "1" }), "\x1b[31mx\x1b[0m\n");
  assert.equal(run({ TTY: "0" }), "x\n");
  assert.equal(run({ TTY: "1", NO_COLOR: "1" }), "x\n");
  assert.equal(run({ TTY: "0", FORCE_COLOR: "1" }), "\x1b[31mx\x1b[0m\n");
  assert.equal(run({ TTY: "1", FORCE_COLOR: "0" }), "x\n");
});

test("a failing sink is reported on stderr with the handler id, and logging goes on", () => {
  const result = runNode(`const { logger } = require("logsight"); logger.remove();
    let n = 0; const good = [];
    logger.add(() => { if (++n % 3 === 0) throw new Error("sink broke " + n); }, { format: "{message}" });
    logger.add((m) => good.push(m), { format: "{message}" });
    for (let i = 1; i <= 6; i++) logger.info("line " + i);
    console.log(good.length);`);
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), "6");
  const blocks = result.stderr.match(/--- Logging error in logsight handler #1 \(<function anonymous>\) ---/g) ?? [];
  // The first failure in full; the next one, within the second, summed up (at exit).
  assert.equal(blocks.length, 1);
  assert.match(result.stderr, /^logsight: handler #1 \(<function anonymous>\) failed 1 more time; the last: Error: sink broke 6$/m);
  assert.match(result.stderr, /Record was: .*message: 'line 3'/);
  assert.match(result.stderr, /Error: sink broke 3/);
  assert.match(result.stderr, /--- End of logging error ---/);
});

test("an async sink's rejection is reported, not fatal", async () => {
  const result = runNode(`const { logger } = require("logsight"); logger.remove();
    logger.add(async () => { throw new Error("async boom"); });
    logger.info("x"); logger.complete().then(() => console.log("done"));`);
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), "done");
  assert.match(result.stderr, /Logging error in logsight handler #1[\s\S]*async boom/);
});

test("catch: false lets a sink's error propagate to the caller", () => {
  logger.add(() => {
    throw new Error("propagated");
  }, { catch: false });
  assert.throws(() => logger.info("x"), /propagated/);
});

test("logging from inside a sink is refused instead of recursing", () => {
  const errors: unknown[] = [];
  logger.add(
    () => {
      try {
        logger.info("inner");
      } catch (error) {
        errors.push(error);
      }
    },
    { catch: false },
  );
  logger.info("outer");
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /refused a logging call made from inside a sink/);
});

test("configure({ handlers }) replaces the handlers only when every new one is accepted: a refused one leaves the old ones in place", () => {
  const { messages } = collect();
  const before: string[] = [];
  const first = logger.add((m) => void before.push(m), { format: "{message}" });
  const added: string[] = [];
  assert.throws(
    () => logger.configure({ handlers: [{ sink: (m: string) => void added.push(m), format: "{message}" }, { sink: () => {}, level: "bogus" }] }),
    /Invalid level 'bogus'/,
  );
  logger.info("still logged");
  assert.deepEqual(messages, ["still logged\n"]);
  assert.deepEqual(before, ["still logged\n"]);
  assert.deepEqual(added, [], "the new handler added before the refused one was removed again");
  const ids = logger.configure({ handlers: [{ sink: (m: string) => void added.push(m), format: "{message}" }] });
  assert.equal(ids.length, 1);
  assert.ok(ids[0] > first);
  logger.info("replaced");
  assert.deepEqual(messages, ["still logged\n"]);
  assert.deepEqual(added, ["replaced\n"]);
  assert.throws(() => logger.remove(first), /There is no existing handler with id/);
});
