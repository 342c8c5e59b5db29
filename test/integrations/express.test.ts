import { test } from "node:test";
import assert from "node:assert/strict";
import { runScript } from "../helpers";
import { RECORDING_HANDLER, runApp, type Seen } from "./app-run";

// A real Express app with logsight/express: a request that logs, one that throws in an async route.
const app = `
const { logger } = require("logsight");
const { requestLogger, errorLogger } = require("logsight/express");
const express = require("express");
${RECORDING_HANDLER}

const app = express();
app.use(requestLogger());

app.get("/users/:id", (req, res) => {
  logger.info("loading user {}", req.params.id);
  setTimeout(() => {
    logger.debug("still inside the request after a timer");
    res.json({ id: req.params.id });
  }, 1);
});

function chargeOrder(order, req) {
  if (order.total < 0) throw new RangeError("negative total for order " + order.id);
  return order.total;
}

app.post("/orders/:orderId/charge", async (req, res) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  const order = { id: req.params.orderId, total: -5 };
  res.json({ charged: chargeOrder(order, req) });
});

app.use(errorLogger());

const server = app.listen(0, "127.0.0.1", async () => {
  const base = "http://127.0.0.1:" + server.address().port;
  const ok = await fetch(base + "/users/42", { headers: { "x-request-id": "incoming-7" } });
  const failed = await fetch(base + "/orders/9/charge?coupon=SPRING", { method: "POST" });
  const results = [ok.status, ok.headers.get("x-request-id"), failed.status, failed.headers.get("x-request-id"), await failed.text()];
  server.close(() => process.stdout.write(JSON.stringify({ results, seen })));
});
`;


test("logsight/express: request ids in every record, one access line, errors with their request and annotated traceback", () => {
  const { results, seen } = runApp<{ results: unknown[]; seen: Seen[] }>(app, "express-app");
  const [okStatus, okId, failedStatus, failedId, failedBody] = results as [number, string, number, string, string];
  assert.equal(okStatus, 200);
  assert.equal(okId, "incoming-7", "an incoming x-request-id is kept and echoed");
  assert.equal(failedStatus, 500);
  assert.match(failedId, /^[0-9a-f-]{36}$/, "a request without an id gets a UUID");
  assert.equal(failedBody, "Internal Server Error");

  const messages = seen.map((s) => s.message);
  assert.deepEqual(messages.slice(0, 3), ["loading user 42", "still inside the request after a timer", messages[2]]);
  for (const record of seen.slice(0, 2)) assert.equal(record.extra.requestId, "incoming-7");

  const access = seen.filter((s) => /^(GET|POST) /.test(s.message) && !s.message.includes("failed"));
  assert.equal(access.length, 2, `one access line per request: ${JSON.stringify(messages)}`);
  assert.match(access[0].message, /^GET \/users\/42 200 \d+(\.\d+)? ms$/);
  assert.equal(access[0].level, "INFO");
  assert.deepEqual(Object.keys(access[0].extra).sort(), ["durationMs", "method", "requestId", "status", "url"]);
  assert.equal(access[0].extra.requestId, "incoming-7");
  assert.match(access[1].message, /^POST \/orders\/9\/charge\?coupon=SPRING 500 \d+(\.\d+)? ms$/);
  assert.equal(access[1].level, "ERROR");
  assert.equal(access[1].extra.requestId, failedId);

  const failure = seen.find((s) => s.message.includes("failed"));
  assert.ok(failure, JSON.stringify(messages));
  assert.equal(failure.level, "ERROR");
  assert.equal(
    failure.message,
    `POST /orders/9/charge?coupon=SPRING failed (500): params { orderId: '9' }, query { coupon: 'SPRING' }, requestId ${failedId}`,
  );
  assert.deepEqual(failure.extra.request, {
    method: "POST",
    url: "/orders/9/charge?coupon=SPRING",
    route: "/orders/:orderId/charge",
    params: { orderId: "9" },
    query: { coupon: "SPRING" },
    requestId: failedId,
  });
  const traceback = failure.text;
  assert.match(traceback, /Traceback \(most recent call last\):\n/);
  assert.match(traceback, /File "test\/\.tmp\/express-app-[\w-]+\.js", line \d+, in chargeOrder\n    if \(order\.total < 0\) throw new RangeError\("negative total for order " \+ order\.id\);\n/);
  assert.match(traceback, /└ \{ id: '9', total: -5 \}/);
  // The request in the traceback is a summary, not hundreds of lines of socket internals.
  assert.match(traceback, /└ IncomingMessage \{ method: 'POST', url: '\/orders\/9\/charge\?coupon=SPRING', params: \{ orderId: '9' \} \}\n/);
  assert.match(traceback, /└ ServerResponse \{ statusCode: \d{3} \}\n/);
  assert.doesNotMatch(traceback, /more lines/);
  assert.match(traceback, /RangeError: negative total for order 9\n$/);
});

test("the middlewares reject unknown options by name", () => {
  const result = runScript(`
const { requestLogger, errorLogger } = require("logsight/express");
for (const make of [() => requestLogger({ headers: "x" }), () => requestLogger({ header: 5 }), () => errorLogger({ respond: "yes" })]) {
  try { make(); console.log("no error"); } catch (error) { console.log(error.message); }
}`);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(result.stdout.trim().split("\n"), [
    "Unknown requestLogger() option 'headers'; options: logger, header, generateId, key",
    "Invalid requestLogger() header 5: it should be a header name or false",
    "Invalid errorLogger() respond 'yes': it should be a boolean",
  ]);
});
