import { test } from "node:test";
import assert from "node:assert/strict";
import { logger, type LogRecord } from "logsight";
import { collect } from "../helpers";

const HOSTILE = '{"__proto__": {"audit": true}, "constructor": {"prototype": {"x": 1}}, "prototype": 7}';

function assertPlainOwnKeys(record: LogRecord): void {
  const extra = record.extra;
  assert.equal(Object.getPrototypeOf(extra), Object.prototype);
  assert.equal((extra as { audit?: unknown }).audit, undefined);
  assert.deepEqual(Object.getOwnPropertyDescriptor(extra, "__proto__")?.value, { audit: true });
  assert.deepEqual(Object.getOwnPropertyDescriptor(extra, "constructor")?.value, { prototype: { x: 1 } });
  assert.equal(Object.getOwnPropertyDescriptor(extra, "prototype")?.value, 7);
  assert.equal(({} as { audit?: unknown }).audit, undefined);
}

test("kwargs parsed from JSON: __proto__, constructor, prototype are plain own keys of record.extra", () => {
  const passed: LogRecord[] = [];
  const { records } = collect();
  logger.add(() => {}, { filter: (record) => record.extra.audit === true && passed.push(record) > 0 });
  logger.info("request", JSON.parse(HOSTILE));
  assert.equal(passed.length, 0, "a filter testing record.extra.audit must not pass");
  assertPlainOwnKeys(records[0]);
});

test("bind() and contextualize() keep those keys as own keys too", () => {
  const { records } = collect();
  logger.bind(JSON.parse(HOSTILE)).info("bound");
  logger.contextualize(JSON.parse(HOSTILE), () => logger.info("in context"));
  logger.configure({ extra: JSON.parse(HOSTILE) });
  logger.info("configured");
  logger.configure({ extra: {} });
  assert.equal(records.length, 3);
  for (const record of records) assertPlainOwnKeys(record);
});

test("a patcher assigning record.extra.__proto__ sets an own key, not the prototype", () => {
  const { records } = collect();
  const parsed = JSON.parse(HOSTILE) as { [key: string]: unknown };
  logger
    .patch((record) => {
      for (const key of Object.keys(parsed)) record.extra[key] = parsed[key];
    })
    .info("patched");
  assertPlainOwnKeys(records[0]);
});

test("opt({lazy: true}) kwargs with a __proto__ key stay own keys", () => {
  const { records } = collect();
  logger.opt({ lazy: true }).info("lazy", JSON.parse('{"__proto__": {"audit": true}}'));
  assert.equal(Object.getPrototypeOf(records[0].extra), Object.prototype);
  assert.equal((records[0].extra as { audit?: unknown }).audit, undefined);
});
