import { test } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";
import { collect, runNode } from "../helpers";

test("a throwing patcher never makes the call throw: it is reported once, every record is still written", () => {
  const result = runNode(`
    const { logger } = require("logsight");
    logger.remove();
    logger.add((m) => process.stdout.write(m), { format: "{message} {extra[step]}" });
    const log = logger.patch(function addStep(record) { record.extra.step = "patched"; throw new Error("patcher bug"); });
    for (let i = 0; i < 3; i++) log.info("call " + i);
    logger.configure({ patcher: () => { throw new TypeError("configured patcher bug"); } });
    logger.info("after configure");
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, "call 0 patched\ncall 1 patched\ncall 2 patched\nafter configure {extra[step]}\n");
  const reports = result.stderr.match(/--- Logging error in logsight patcher [^\n]*---/g) ?? [];
  assert.deepEqual(reports, [
    "--- Logging error in logsight patcher addStep ---",
    "--- Logging error in logsight patcher patcher ---",
  ]);
  assert.match(result.stderr, /Error: patcher bug/);
  assert.match(result.stderr, /TypeError: configured patcher bug/);
  assert.equal((result.stderr.match(/--- End of logging error ---/g) ?? []).length, 2);
});

test("opt({ exception: revokedProxy }) logs without throwing", () => {
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const { messages, records } = collect({ format: "{message}\n{exception}", diagnose: false });
  assert.doesNotThrow(() => logger.opt({ exception: revoked.proxy }).error("failed"));
  assert.doesNotThrow(() => logger.error("failed {}", "again", revoked.proxy));
  assert.equal(records.length, 2);
  assert.equal(records[0].exception?.type, "Proxy");
  assert.match(messages[0], /^failed\n/);
  // A Proxy is never taken for the trailing Error (telling would run its traps): it is shown, unopened.
  assert.equal(messages[1], "failed again <Revoked Proxy>\n\n");
});

test("bind(), contextualize() and kwargs with proxies whose traps throw never throw", () => {
  const throwing = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error("ownKeys trap");
      },
      getPrototypeOf() {
        throw new Error("getPrototypeOf trap");
      },
    },
  );
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const { messages, records } = collect({ format: "{message} {extra}", serialize: false });
  assert.doesNotThrow(() => logger.bind(throwing).info("bound"));
  assert.doesNotThrow(() => logger.bind(revoked.proxy).info("bound revoked"));
  assert.doesNotThrow(() => logger.contextualize(throwing, () => logger.info("in context")));
  assert.doesNotThrow(() => logger.info("kwargs {}", "x", throwing));
  assert.doesNotThrow(() => logger.bind({ a: 1, get b(): never { throw new Error("getter"); } }).info("getter"));
  assert.deepEqual(messages, [
    "bound {}\n",
    "bound revoked {}\n",
    "in context {}\n",
    "kwargs x Proxy [Object] {}\n",
    "getter { a: 1, b: '[Unreadable: Error: getter]' }\n",
  ]);
  assert.equal(records.length, 5);
});
