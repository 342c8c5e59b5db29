import { test } from "node:test";
import assert from "node:assert/strict";
import { RECORDING_HANDLER, runApp, recordWith, type Seen } from "./app-run";

// A real Fastify server with `loggerInstance: logger` and no adapter, serving a request that logs,
// one whose route runs at logLevel "warn", and one that throws.
const server = `
const { logger } = require("logsight");
const fastify = require("fastify");
${RECORDING_HANDLER}

const app = fastify({ loggerInstance: logger });

app.get("/hello/:name", async (request) => {
  request.log.info("greeting %s", request.params.name);
  request.log.child({ step: "lookup" }).debug({ cache: "miss" }, "looked up");
  return { hello: request.params.name };
});

app.get("/health", { logLevel: "warn" }, async (request) => {
  request.log.info("not logged: the route is at warn");
  request.log.warn("health check is slow");
  return { ok: true };
});

function priceOf(cart, coupon, request) {
  if (coupon.percent > 100) throw new RangeError("bad coupon " + coupon.code);
  return cart.total * (1 - coupon.percent / 100);
}

app.get("/checkout", async (request) => {
  const cart = { total: 80, items: 2 };
  const coupon = { code: request.query.coupon, percent: 120 };
  return { total: priceOf(cart, coupon, request) };
});

app.listen({ port: 0, host: "127.0.0.1" }).then(async (address) => {
  const statuses = [];
  for (const path of ["/hello/ada", "/health", "/checkout?coupon=SPRING"]) statuses.push((await fetch(address + path)).status);
  await app.close();
  process.stdout.write(JSON.stringify({ statuses, seen }));
});
`;


test("fastify({ loggerInstance: logger }) logs requests with reqId, route levels, children and annotated tracebacks", () => {
  const { statuses, seen } = runApp<{ statuses: number[]; seen: Seen[] }>(server, "fastify-app");
  assert.deepEqual(statuses, [200, 200, 500]);

  const byMessage = (message: string): Seen => recordWith(seen, message);

  const incoming = seen.filter((s) => s.message === "incoming request");
  assert.equal(incoming.length, 2, "the /health route at warn drops its info lines");
  const reqIds = incoming.map((s) => s.extra.reqId);
  assert.ok(reqIds.every((id) => typeof id === "string" && id !== ""), `reqIds ${reqIds}`);
  assert.notEqual(reqIds[0], reqIds[1]);
  // pino's standard request/response summaries, from Fastify's own serializers.
  assert.deepEqual(Object.keys(incoming[0].extra.req as object).sort(), ["host", "method", "remoteAddress", "remotePort", "url"]);
  assert.deepEqual({ method: (incoming[0].extra.req as { method: string }).method, url: (incoming[0].extra.req as { url: string }).url }, { method: "GET", url: "/hello/ada" });

  const greeting = byMessage("greeting ada");
  assert.equal(greeting.level, "INFO");
  assert.equal(greeting.extra.reqId, reqIds[0]);
  const child = byMessage("looked up");
  assert.deepEqual(child.extra, { reqId: reqIds[0], step: "lookup", cache: "miss" });

  const completed = seen.filter((s) => s.message === "request completed");
  assert.equal(completed.length, 2);
  assert.deepEqual(completed[0].extra.res, { statusCode: 200 });
  assert.equal(typeof completed[0].extra.responseTime, "number");
  assert.equal(completed[0].extra.reqId, reqIds[0]);

  assert.ok(!seen.some((s) => s.message.startsWith("not logged")));
  assert.equal(byMessage("health check is slow").level, "WARNING");

  const failure = byMessage("bad coupon SPRING");
  assert.equal(failure.level, "ERROR");
  assert.equal(failure.extra.reqId, reqIds[1]);
  assert.deepEqual({ ...(failure.extra.req as object), remotePort: 0 }, { ...(incoming[1].extra.req as object), remotePort: 0 });
  assert.deepEqual(failure.extra.res, { statusCode: 500 });
  assert.equal(failure.extra.err, undefined, "the error is the record's exception, not an extra field");
  const traceback = failure.text;
  assert.match(traceback, /^ERROR bad coupon SPRING\nTraceback \(most recent call last\):\n/);
  assert.match(traceback, /File "test\/\.tmp\/fastify-app-[\w-]+\.js", line \d+, in priceOf\n    if \(coupon\.percent > 100\) throw new RangeError\("bad coupon " \+ coupon\.code\);\n/);
  assert.match(traceback, /└ \{ code: 'SPRING', percent: 120 \}/);
  // Fastify's request in a traceback is a one-line summary of its raw request.
  assert.match(traceback, /└ IncomingMessage \{ method: 'GET', url: '\/checkout\?coupon=SPRING' \}\n/);
  assert.doesNotMatch(traceback, /more lines/);
  assert.match(traceback, /RangeError: bad coupon SPRING\n$/);
});
