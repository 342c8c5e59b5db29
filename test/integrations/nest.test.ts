import { test } from "node:test";
import assert from "node:assert/strict";
import { RECORDING_HANDLER, runApp, recordWith, type Seen } from "./app-run";

// A real Nest application (platform-express) with logsight/nest as its logger: a route that logs
// through Nest's Logger, one that throws, and an error logged with a stack given as text.
const nestApp = (wire: "create" | "useLogger"): string => `
require("reflect-metadata");
const { logger } = require("logsight");
const { NestLogger } = require("logsight/nest");
const { NestFactory } = require("@nestjs/core");
const { Controller, Get, Logger, Module } = require("@nestjs/common");
${RECORDING_HANDLER}

function priceOf(cart, coupon) {
  if (coupon.percent > 100) throw new RangeError("bad coupon " + coupon.code);
  return cart.total * (1 - coupon.percent / 100);
}

class ShopController {
  constructor() {
    this.log = new Logger("ShopController");
  }
  hello() {
    this.log.log("saying hello");
    this.log.debug({ visitor: "ada" });
    return { hello: "world" };
  }
  checkout() {
    const cart = { total: 80, items: 2 };
    const coupon = { code: "SPRING", percent: 120 };
    return { total: priceOf(cart, coupon) };
  }
  legacy() {
    try {
      JSON.parse("{oops");
    } catch (error) {
      this.log.error("could not read the legacy cart", error.stack);
    }
    return {};
  }
}
for (const [method, path] of [["hello", "hello"], ["checkout", "checkout"], ["legacy", "legacy"]]) {
  Reflect.decorate([Get(path)], ShopController.prototype, method, Object.getOwnPropertyDescriptor(ShopController.prototype, method));
}
Reflect.decorate([Controller()], ShopController);
class AppModule {}
Reflect.decorate([Module({ controllers: [ShopController] })], AppModule);

(async () => {
  ${
    wire === "create"
      ? `const app = await NestFactory.create(AppModule, { logger: new NestLogger() });`
      : `const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(new NestLogger(logger.bind({ app: "shop" })));`
  }
  await app.listen(0, "127.0.0.1");
  const base = await app.getUrl();
  const statuses = [];
  for (const path of ["/hello", "/checkout", "/legacy"]) statuses.push((await fetch(base + path)).status);
  await app.close();
  process.stdout.write(JSON.stringify({ statuses, seen }));
})();
`;


function runNest(wire: "create" | "useLogger"): Seen[] {
  const { statuses, seen } = runApp<{ statuses: number[]; seen: Seen[] }>(nestApp(wire), "nest-app");
  assert.deepEqual(statuses, [200, 500, 200]);
  return seen;
}

const find = recordWith;

test("NestFactory.create(App, { logger: new NestLogger() }): context, levels, callers, annotated tracebacks", () => {
  const seen = runNest("create");

  const started = find(seen, "Starting Nest application...");
  assert.equal(started.level, "INFO");
  assert.equal(started.extra.context, "NestFactory");
  const mapped = seen.find((s) => s.message.startsWith("Mapped {/hello, GET}"));
  assert.ok(mapped, "Nest's braces are text, not a template");
  assert.equal(mapped.extra.context, "RouterExplorer");

  const hello = find(seen, "saying hello");
  assert.equal(hello.extra.context, "ShopController");
  assert.equal(hello.function, "ShopController.hello", "the caller is the code that called Nest's Logger");
  assert.match(hello.name, /nest-app-/);
  const debug = find(seen, "{ visitor: 'ada' }");
  assert.equal(debug.level, "DEBUG");

  const failure = find(seen, "RangeError: bad coupon SPRING");
  assert.equal(failure.level, "ERROR");
  assert.equal(failure.extra.context, "ExceptionsHandler");
  assert.match(failure.text, /^ERROR RangeError: bad coupon SPRING\nTraceback \(most recent call last\):\n/);
  assert.match(failure.text, /File "test\/\.tmp\/nest-app-[\w-]+\.js", line \d+, in priceOf\n    if \(coupon\.percent > 100\) throw new RangeError\("bad coupon " \+ coupon\.code\);\n/);
  assert.match(failure.text, /└ \{ code: 'SPRING', percent: 120 \}/);
  assert.match(failure.text, /RangeError: bad coupon SPRING\n$/);

  const legacy = find(seen, "could not read the legacy cart");
  assert.equal(legacy.extra.context, "ShopController");
  assert.match(legacy.text, /Traceback \(most recent call last\):\n[\s\S]*in ShopController\.legacy\n[\s\S]*SyntaxError: .*JSON/, "a stack given as text is kept as the traceback");
});

test("app.useLogger(new NestLogger(boundLogger)) with bufferLogs", () => {
  const seen = runNest("useLogger");
  const started = find(seen, "Starting Nest application...");
  assert.deepEqual(started.extra, { app: "shop", context: "NestFactory" });
  const hello = find(seen, "saying hello");
  assert.deepEqual(hello.extra, { app: "shop", context: "ShopController" });
  assert.ok(seen.some((s) => s.message === "RangeError: bad coupon SPRING" && /priceOf/.test(s.text)));
});
