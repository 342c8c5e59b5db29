import { test } from "node:test";
import assert from "node:assert/strict";
import { runApp } from "./app-run";

// A real Express app: errorLogger() answers a failing route with the error page (HTML), its data
// (JSON) or the status text, depending on Accept, NODE_ENV and the handlers' diagnose.
const expressApp = (handlerOptions: string): string => `
const { logger } = require("logsight");
const { requestLogger, errorLogger } = require("logsight/express");
const express = require("express");
logger.remove();
// Kept inside a function: the records hold the url as logged, and the page shows the app's module variables.
const loggedRecords = (() => {
  const seen = [];
  logger.add((text, record) => seen.push({ level: record.level.name, message: record.message, text }), { format: "{level} {message}", ${handlerOptions} });
  return () => seen;
})();

let getterRuns = 0;
const app = express();
app.use(requestLogger());
app.use(express.json());

function chargeOrder(order, req) {
  const watched = { get total() { getterRuns++; return 1; }, plain: 2 };
  if (order.total < 0) throw new RangeError("negative total for order " + order.id);
  return order.total + watched.plain;
}

app.post("/orders/:orderId/charge", async (req, res) => {
  const order = { id: req.params.orderId, total: -5, note: "<img src=x onerror=alert(1)></script>" };
  res.json({ charged: chargeOrder(order, req) });
});

app.get("/chain", (req, res) => {
  throw new AggregateError([new Error("replica a down"), new RangeError("replica b slow")], "all replicas failed");
});

app.get("/causes", (req, res) => {
  throw new Error("query failed", { cause: new Error("pool exhausted", { cause: new TypeError("socket closed") }) });
});

app.use(errorLogger());

const server = app.listen(0, "127.0.0.1", async () => {
  const base = "http://127.0.0.1:" + server.address().port;
  const answers = {};
  const order = (accept) => fetch(base + "/orders/9/charge?coupon=SPRING&token=t0k", {
    method: "POST",
    headers: { accept, "content-type": "application/json", authorization: "Bearer s3cr3t", "x-api-key": "k3y" },
    body: JSON.stringify({ card: "4111", password: "pw", qty: 2 }),
  });
  for (const [name, accept] of [["html", "text/html,application/xhtml+xml,*/*;q=0.8"], ["json", "application/json"], ["any", "*/*"]]) {
    const r = await order(accept);
    answers[name] = { status: r.status, type: r.headers.get("content-type"), csp: r.headers.get("content-security-policy"), body: await r.text() };
  }
  for (const path of ["/chain", "/causes"]) {
    const r = await fetch(base + path, { headers: { accept: "application/json" } });
    answers[path] = { status: r.status, type: r.headers.get("content-type"), body: await r.text() };
  }
  server.close(() => process.stdout.write(JSON.stringify({ answers, seen: loggedRecords(), getterRuns })));
});
`;

interface Answer {
  logged?: number;
  status: number;
  type: string;
  csp: string | null;
  body: string;
}
interface Frame {
  function: string;
  file: string;
  line: number;
  kind: string;
  catchPoint: boolean;
  source: { start: number; lines: string[] } | null;
  annotations: { expression: string; column: number; value: string }[];
  variables: { name: string; scope: string; value: string }[];
}
interface Exception {
  type: string;
  message: string;
  frames: Frame[];
  cause: Exception | null;
  members: Exception[] | null;
}
interface Run {
  answers: { [name: string]: Answer };
  seen: { level: string; message: string; text: string }[];
  getterRuns: number;
}

function run(handlerOptions: string, env: NodeJS.ProcessEnv = {}): Run {
  return runApp<Run>(expressApp(handlerOptions), "error-page-app", env);
}

test("Express in development: JSON with frames, source, annotations, variables and the request, secrets masked; the error still logged", () => {
  const { answers, seen, getterRuns } = run("diagnose: true", { NODE_ENV: "development" });
  const json = answers.json!;
  assert.equal(json.status, 500);
  assert.equal(json.type, "application/json; charset=utf-8");
  const page = JSON.parse(json.body) as { status: number; statusText: string; exception: Exception; request: Record<string, unknown> };
  assert.equal(page.status, 500);
  assert.equal(page.statusText, "Internal Server Error");
  assert.equal(page.exception.type, "RangeError");
  assert.equal(page.exception.message, "negative total for order 9");

  const [thrower, route] = page.exception.frames;
  assert.ok(thrower !== undefined && route !== undefined);
  assert.equal(thrower.function, "chargeOrder");
  assert.match(thrower.file, /error-page-app-.*\.js$/);
  assert.equal(thrower.kind, "app");
  const throwLine = thrower.source!.lines[thrower.line - thrower.source!.start]!;
  assert.match(throwLine, /^ {2}if \(order\.total < 0\) throw new RangeError/, "the frame's line, indented as in the file");
  assert.ok(thrower.source!.start < thrower.line && thrower.source!.start + thrower.source!.lines.length - 1 > thrower.line, "lines around it");
  const annotation = (expression: string) => thrower.annotations.find((a) => a.expression === expression);
  assert.equal(annotation("order.total")?.value, "-5");
  assert.equal(annotation("order.id")?.value, "'9'");
  assert.equal(throwLine.slice(annotation("order")!.column, annotation("order")!.column + 11), "order.total", "columns point at the expression");
  assert.equal(throwLine.slice(annotation("order.total")!.column, annotation("order.total")!.column + 5), "total", "a member's at its name, as in the terminal");
  const variable = (frame: Frame, name: string) => frame.variables.find((v) => v.name === name);
  assert.match(variable(thrower, "order")!.value, /^\{ id: '9', total: -5, note: /);
  assert.equal(variable(thrower, "order")!.scope, "local");
  assert.equal(variable(thrower, "watched")!.value, "{ total: [Getter], plain: 2 }");
  assert.equal(getterRuns, 0, "no getter ran while the pages were made");
  assert.equal(route.function, "<anonymous>");
  assert.match(route.source!.lines[route.line - route.source!.start]!, /res\.json\(\{ charged: chargeOrder\(order, req\) \}\)/);
  assert.ok(page.exception.frames.some((f) => f.kind === "dependency" && /node_modules\/(router|express)\//.test(f.file)), "Express's frames are there, as dependencies");
  for (const frame of page.exception.frames.filter((f) => f.kind !== "app")) assert.deepEqual(frame.variables, [], "no values of dependencies");

  assert.deepEqual(page.request, {
    method: "POST",
    url: "/orders/9/charge?coupon=SPRING&token=[redacted]",
    route: "/orders/:orderId/charge",
    params: [{ name: "orderId", value: "9" }],
    query: [{ name: "coupon", value: "SPRING" }, { name: "token", value: "[redacted]" }],
    headers: (page.request.headers as unknown[]),
    body: "{ card: '4111', password: '[redacted]', qty: 2 }",
  });
  const headers = Object.fromEntries((page.request.headers as { name: string; value: string }[]).map((h) => [h.name, h.value]));
  assert.equal(headers.authorization, "[redacted]");
  assert.equal(headers["x-api-key"], "[redacted]");
  assert.equal(headers["content-type"], "application/json");
  for (const secret of ["s3cr3t", "k3y", "t0k", "'pw'"]) assert.ok(!json.body.includes(secret), `no secret anywhere in the JSON: ${/.{0,100}SECRET.{0,60}/.exec(json.body.replace(secret, "SECRET"))?.[0]}`);

  const logged = seen.filter((s) => s.level === "ERROR" && s.message.startsWith("POST /orders/9/charge?coupon=SPRING&token=t0k failed (500)"));
  assert.equal(logged.length, 3, "each failed request is logged as before, whatever the answer");
  assert.match(logged[0]!.text, /RangeError: negative total for order 9/);

  assert.equal(answers.any!.body, "Internal Server Error", "a client that asks for neither HTML nor JSON gets the status text");
  assert.equal(answers.any!.type, "text/plain; charset=utf-8");
});

test("Express in development: the HTML page is self-contained and escapes what it shows", () => {
  const { answers } = run("diagnose: true");
  const html = answers.html!;
  assert.equal(html.status, 500);
  assert.equal(html.type, "text/html; charset=utf-8");
  assert.equal(html.csp, "default-src 'none'; style-src 'unsafe-inline'");
  assert.match(html.body, /^<!DOCTYPE html>/);
  assert.match(html.body, /<h1 id="error-type">RangeError<\/h1>/);
  assert.doesNotMatch(html.body, /<script|<img|<link|src=["']?http|@import|url\(/i, "no script, image, stylesheet or other load: only the text of the payload");
  assert.ok(html.body.includes("&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;"), `the payload shows as text: ${/.{0,80}onerror.{0,80}/.exec(html.body)?.[0]}`);
  assert.ok(!html.body.includes("s3cr3t") && !html.body.includes("t0k"));
  assert.match(html.body, /<details class="frame app" open>\n<summary><span class="fn">chargeOrder<\/span>/, "the first app frame is open");
  assert.match(html.body, /<details class="dependencies"><summary>\d+ frames in router/, "the dependencies' frames are folded");
  assert.match(html.body, /<span class="row hl"><span class="n">\s*\d+<\/span>/, "the frame's line is highlighted");
  assert.match(html.body, /<span class="arrows">[ │]*└ <\/span><span class="val">-5<\/span>/, "the terminal's annotations");
});

test("Express: cause chains and AggregateError members in the JSON", () => {
  const { answers } = run("diagnose: true");
  const group = (JSON.parse(answers["/chain"]!.body) as { exception: Exception }).exception;
  assert.equal(group.type, "AggregateError");
  assert.equal(group.message, "all replicas failed (2 sub-errors)");
  assert.deepEqual(group.members!.map((m) => `${m.type}: ${m.message}`), ["Error: replica a down", "RangeError: replica b slow"]);
  assert.ok(group.members![0]!.frames.length > 0);

  const chain = (JSON.parse(answers["/causes"]!.body) as { exception: Exception }).exception;
  const messages: string[] = [];
  for (let e: Exception | null = chain; e !== null; e = e.cause) messages.push(`${e.type}: ${e.message}`);
  assert.deepEqual(messages, ["Error: query failed", "Error: pool exhausted", "TypeError: socket closed"]);
});

test("Express in production, or with diagnose off: no stack, source or value in any answer", () => {
  for (const [options, env] of [
    ["diagnose: true", { NODE_ENV: "production" }],
    ["diagnose: false", { NODE_ENV: "development" }],
  ] as const) {
    const { answers, seen } = run(options, env);
    for (const name of ["html", "json", "any", "/chain", "/causes"]) {
      const answer = answers[name]!;
      assert.equal(answer.status, 500, `${options} ${JSON.stringify(env)} ${name}`);
      assert.equal(answer.body, "Internal Server Error", `${options} ${JSON.stringify(env)} ${name}: ${answer.body.slice(0, 200)}`);
      assert.equal(answer.type, "text/plain; charset=utf-8");
    }
    assert.ok(seen.some((s) => s.level === "ERROR" && /RangeError: negative total for order 9/.test(s.text)), "still logged");
  }
});

// The framework-neutral errorPage() as the README shows it with Fastify and node:http.
const fastifyApp = `
const { logger } = require("logsight");
const { errorPage } = require("logsight/diagnose");
const fastify = require("fastify");
logger.remove();
let logged = 0;
logger.add(() => logged++, { diagnose: true, level: "ERROR" });

function findUser(users, id) {
  const apiToken = "tok-123";
  const user = users[id];
  return user.name;
}

const app = fastify({ loggerInstance: logger });
app.get("/users/:id", async (request) => findUser({ 1: { name: "ada" } }, request.params.id));
app.setErrorHandler((error, request, reply) => {
  request.log.error(error);
  const page = errorPage(error, { request });
  reply.code(page.status).headers(page.headers).send(page.body);
});

app.listen({ port: 0, host: "127.0.0.1" }).then(async (address) => {
  const answers = [];
  for (const accept of ["application/json", "text/html", "*/*"]) {
    const r = await fetch(address + "/users/7?verbose=1", { headers: { accept, cookie: "sid=abc" } });
    answers.push({ status: r.status, type: r.headers.get("content-type"), body: await r.text(), logged });
  }
  await app.close();
  process.stdout.write(JSON.stringify(answers));
});
`;

const httpApp = `
const { createServer } = require("node:http");
const { logger } = require("logsight");
const { errorPage } = require("logsight/diagnose");
logger.remove();
let logged = 0;
logger.add(() => logged++, { diagnose: true });

function parseAmount(text) {
  const amount = Number.parseInt(text, 10);
  if (Number.isNaN(amount)) throw Object.assign(new TypeError("not an amount: " + text), { status: 400 });
  return amount;
}

async function route(req, res) {
  const amount = parseAmount(new URL(req.url, "http://x").searchParams.get("amount"));
  res.end(String(amount));
}

const server = createServer(async function handle(req, res) {
  try {
    await route(req, res);
  } catch (error) {
    logger.error("{} {} failed", req.method, req.url, error);
    const page = errorPage(error, { request: req });
    res.writeHead(page.status, page.headers).end(page.body);
  }
}).listen(0, "127.0.0.1", async () => {
  const base = "http://127.0.0.1:" + server.address().port;
  const answers = [];
  for (const accept of ["application/json", "text/html"]) {
    const r = await fetch(base + "/pay?amount=ten", { headers: { accept } });
    answers.push({ status: r.status, type: r.headers.get("content-type"), body: await r.text(), logged });
  }
  server.close(() => process.stdout.write(JSON.stringify(answers)));
});
`;

function runAnswers(code: string, name: string, env: NodeJS.ProcessEnv): Answer[] {
  return runApp<Answer[]>(code, name, env);
}

test("errorPage() in Fastify's setErrorHandler: JSON and HTML in development, the status alone in production", () => {
  const [json, html, any] = runAnswers(fastifyApp, "error-page-fastify", { NODE_ENV: "development" });
  assert.equal(json!.status, 500);
  const page = JSON.parse(json!.body) as { exception: Exception; request: { method: string; url: string; params: unknown; query: unknown; headers: { name: string; value: string }[] } };
  assert.equal(page.exception.type, "TypeError");
  assert.match(page.exception.message, /Cannot read properties of undefined \(reading 'name'\)/);
  const thrower = page.exception.frames[0]!;
  assert.equal(thrower.function, "findUser");
  assert.equal(thrower.annotations.find((a) => a.expression === "user")?.value, "undefined");
  assert.equal(thrower.variables.find((v) => v.name === "apiToken")?.value, "[redacted]");
  assert.equal(thrower.variables.find((v) => v.name === "id")?.value, "'7'");
  assert.equal(page.request.method, "GET");
  assert.equal(page.request.url, "/users/7?verbose=1");
  assert.deepEqual(page.request.params, [{ name: "id", value: "7" }]);
  assert.deepEqual(page.request.query, [{ name: "verbose", value: "1" }]);
  assert.equal(page.request.headers.find((h) => h.name === "cookie")?.value, "[redacted]");
  assert.equal(html!.type, "text/html; charset=utf-8");
  assert.match(html!.body, /<span class="fn">findUser<\/span>/);
  assert.equal(any!.body, "Internal Server Error");
  assert.equal(any!.logged, 3, "each error logged through request.log");

  for (const answer of runAnswers(fastifyApp, "error-page-fastify", { NODE_ENV: "production" })) {
    assert.equal(answer.status, 500);
    assert.doesNotMatch(answer.body, /findUser|users\[id\]|TypeError|tok-123|frames/);
  }
  const [prodJson] = runAnswers(fastifyApp, "error-page-fastify", { NODE_ENV: "production" });
  assert.deepEqual(JSON.parse(prodJson!.body), { error: { status: 500, message: "Internal Server Error" } });
});

test("errorPage() in a node:http server: the error's status, its page, and nothing in production", () => {
  const [json, html] = runAnswers(httpApp, "error-page-http", {});
  assert.equal(json!.status, 400, "the error's status is used");
  const page = JSON.parse(json!.body) as { status: number; exception: Exception; request: { url: string } };
  assert.equal(page.status, 400);
  assert.deepEqual(page.exception.frames.slice(0, 3).map((f) => f.function), ["parseAmount", "route", "Server.handle"]);
  assert.equal(page.exception.frames[0]!.annotations.find((a) => a.expression === "amount")?.value, "NaN");
  assert.equal(page.exception.frames[2]!.catchPoint, true, "the handler that caught the error is marked");
  assert.equal(html!.logged, 2, "each error logged");
  assert.equal(page.request.url, "/pay?amount=ten");
  assert.match(html!.body, /&gt; caught here/);

  for (const answer of runAnswers(httpApp, "error-page-http", { NODE_ENV: "production" })) {
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.body, /parseAmount|not an amount|amount=ten/);
  }
  for (const answer of runAnswers(httpApp, "error-page-http", { LOGSIGHT_DIAGNOSE: "false" })) {
    assert.doesNotMatch(answer.body, /parseAmount|not an amount/, "diagnose off: no page either");
  }
});

// The README's Nest exception filter, on platform-express (decorators applied with Reflect.decorate).
const nestApp = `
require("reflect-metadata");
const { logger } = require("logsight");
const { NestLogger } = require("logsight/nest");
const { errorPage } = require("logsight/diagnose");
const { BaseExceptionFilter, HttpAdapterHost, NestFactory } = require("@nestjs/core");
const { Catch, Controller, Get, HttpException, Module, NotFoundException } = require("@nestjs/common");
logger.remove();
logger.add(() => {}, { diagnose: true });

class ErrorPageFilter extends BaseExceptionFilter {
  catch(error, host) {
    if (error instanceof HttpException) return super.catch(error, host);
    const http = host.switchToHttp();
    const page = errorPage(error, { request: http.getRequest() });
    http.getResponse().status(page.status).set(page.headers).send(page.body);
  }
}
Reflect.decorate([Catch()], ErrorPageFilter);

function priceOf(cart, coupon) {
  if (coupon.percent > 100) throw new RangeError("bad coupon " + coupon.code);
  return cart.total * (1 - coupon.percent / 100);
}
class ShopController {
  checkout() {
    const cart = { total: 80, items: 2 };
    return { total: priceOf(cart, { code: "SPRING", percent: 120 }) };
  }
  missing() {
    throw new NotFoundException("no such cart");
  }
}
Reflect.decorate([Get("checkout")], ShopController.prototype, "checkout", Object.getOwnPropertyDescriptor(ShopController.prototype, "checkout"));
Reflect.decorate([Get("missing")], ShopController.prototype, "missing", Object.getOwnPropertyDescriptor(ShopController.prototype, "missing"));
Reflect.decorate([Controller()], ShopController);
class AppModule {}
Reflect.decorate([Module({ controllers: [ShopController] })], AppModule);

(async () => {
  const app = await NestFactory.create(AppModule, { logger: new NestLogger() });
  const { httpAdapter } = app.get(HttpAdapterHost);
  app.useGlobalFilters(new ErrorPageFilter(httpAdapter));
  await app.listen(0, "127.0.0.1");
  const base = await app.getUrl();
  const answers = [];
  for (const [path, accept] of [["/checkout", "application/json"], ["/checkout", "text/html"], ["/missing", "application/json"]]) {
    const r = await fetch(base + path, { headers: { accept } });
    answers.push({ status: r.status, type: r.headers.get("content-type"), body: await r.text() });
  }
  await app.close();
  process.stdout.write(JSON.stringify(answers));
})();
`;

test("errorPage() in the README's Nest exception filter: the page for an error, Nest's answer for its HttpExceptions", () => {
  const [json, html, missing] = runAnswers(nestApp, "error-page-nest", { NODE_ENV: "development" });
  assert.equal(json!.status, 500);
  assert.equal(json!.type, "application/json; charset=utf-8");
  const page = JSON.parse(json!.body) as { exception: Exception; request: { method: string; url: string } };
  assert.equal(page.exception.type, "RangeError");
  assert.deepEqual(page.exception.frames.slice(0, 2).map((f) => f.function), ["priceOf", "ShopController.checkout"]);
  assert.equal(page.exception.frames[0]!.annotations.find((a) => a.expression === "coupon.percent")?.value, "120");
  assert.equal(page.exception.frames[1]!.variables.find((v) => v.name === "cart")?.value, "{ total: 80, items: 2 }");
  assert.deepEqual([page.request.method, page.request.url], ["GET", "/checkout"]);
  assert.equal(html!.type, "text/html; charset=utf-8");
  assert.match(html!.body, /<span class="fn">ShopController\.checkout<\/span>/);
  assert.equal(missing!.status, 404);
  assert.deepEqual(JSON.parse(missing!.body), { message: "no such cart", error: "Not Found", statusCode: 404 });

  for (const answer of runAnswers(nestApp, "error-page-nest", { NODE_ENV: "production" }).slice(0, 2)) {
    assert.equal(answer.status, 500);
    assert.doesNotMatch(answer.body, /priceOf|coupon|RangeError/);
  }
});
