import { test } from "node:test";
import assert from "node:assert/strict";
import { formatException } from "../../dist/diagnose/index.js";

// A framework keeps a route handler passed inline and calls it with a plain object as `this`
// (Fastify does): V8 names that frame `Object.<anonymous>`, as it names a CommonJS module's top level.
const route: { handler?: (request: object) => unknown } = {};
function register(handler: (request: object) => unknown): void {
  route.handler = handler;
}
register((request) => (request as { customer: { address: string } }).customer.address);

test("an anonymous handler called with a plain object as this is <anonymous>, not <module>", () => {
  let error: unknown;
  try {
    route.handler!.call({}, {});
  } catch (e) {
    error = e;
  }
  assert.match((error as Error).stack!.split("\n")[1]!, /^\s+at Object\.<anonymous> /);
  const text = formatException(error, { colorize: false, diagnose: false });
  const handlerFrame = text.split("\n").find((line) => line.includes("anonymous-method.test.ts") && line.includes("line 11"));
  assert.ok(handlerFrame, text);
  assert.match(handlerFrame, /, in <anonymous>$/);
});
