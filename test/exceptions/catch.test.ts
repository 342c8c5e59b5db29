import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { collect, repoRoot } from "../helpers";

beforeEach(() => logger.remove());

class NotFound extends Error {}
class Fatal extends Error {}

test("catch(fn) logs what a sync function throws and returns undefined", () => {
  const { records } = collect();
  function explode(): number {
    throw new TypeError("bad input");
  }
  const safe = logger.catch(explode);
  assert.equal(safe(), undefined);
  assert.equal(records.length, 1);
  assert.equal(records[0].level.name, "ERROR");
  assert.equal(records[0].function, "explode");
  assert.match(records[0].message, /^An error has been caught in function 'explode', process '.+' \(\d+\), thread 'MainThread' \(0\):$/);
  assert.equal(records[0].exception?.type, "TypeError");
  assert.ok(records[0].exception?.value instanceof TypeError);
});

test("the wrapper keeps this, arguments, the result and the function's name", () => {
  collect();
  const counter = {
    base: 10,
    add: logger.catch(function add(this: { base: number }, n: number) {
      return this.base + n;
    }),
  };
  assert.equal(counter.add(5), 15);
  assert.equal(counter.add.name, "add");
});

test("catch() catches rejections of async functions and resolves the default", async () => {
  const { records } = collect();
  const fetchUser = logger.catch({ default: "guest" })(async (id: number) => {
    await new Promise((r) => setTimeout(r, 1));
    if (id < 0) throw new NotFound(`no user ${id}`);
    return "ada";
  });
  assert.equal(await fetchUser(1), "ada");
  assert.equal(await fetchUser(-1), "guest");
  assert.equal(records.length, 1);
  assert.equal(records[0].exception?.type, "Error");
  assert.match(String(records[0].exception?.value), /no user -1/);
});

test("reraise throws the same object again after logging it", async () => {
  const { records } = collect();
  const error = new Fatal("stop");
  assert.throws(
    () => logger.catch({ reraise: true }).run(() => {
      throw error;
    }),
    (thrown) => thrown === error,
  );
  await assert.rejects(logger.catch({ reraise: true })(async () => Promise.reject(error))(), (thrown) => thrown === error);
  assert.equal(records.length, 2);
});

test("exclude lets an error through unlogged; exception restricts what is caught", () => {
  const { records } = collect();
  assert.throws(() => logger.catch({ exclude: NotFound }).run(() => {
    throw new NotFound("x");
  }), NotFound);
  assert.throws(() => logger.catch({ exception: [Fatal] }).run(() => {
    throw new NotFound("y");
  }), NotFound);
  logger.catch({ exception: [Fatal] }).run(() => {
    throw new Fatal("z");
  });
  assert.equal(records.length, 1);
  assert.match(String(records[0].exception?.value), /z/);
});

test("level, message and onerror options", () => {
  const { records } = collect();
  const seen: unknown[] = [];
  const error = new Error("e");
  const result = logger.catch({ level: "CRITICAL", message: "job {record[function]} broke", onerror: (e) => seen.push(e), default: -1 }).run(
    function nightlyJob() {
      throw error;
    },
  );
  assert.equal(result, -1);
  assert.equal(records[0].level.name, "CRITICAL");
  assert.equal(records[0].message, "job nightlyJob broke");
  assert.deepEqual(seen, [error]);
});

test("a method decorated with @logger.catch() (TypeScript 5 decorators) returns the default on error", () => {
  const { records } = collect();
  class Billing {
    rate = 2;
    // esbuild (which runs this file) needs the parentheses; tsc accepts `@logger.catch()` (see below).
    @(logger.catch({ default: 0 }))
    total(items: number[]): number {
      if (items.length === 0) throw new RangeError("empty cart");
      return items.reduce((a, b) => a + b, 0) * this.rate;
    }
  }
  const billing = new Billing();
  assert.equal(billing.total([1, 2]), 6);
  assert.equal(billing.total([]), 0);
  assert.equal(records.length, 1);
  assert.equal(records[0].function, "total");
});

test("the experimentalDecorators form (target, key, descriptor) wraps the method", () => {
  const { records } = collect();
  class Service {
    run(): string {
      throw new Error("legacy");
    }
  }
  const descriptor = Object.getOwnPropertyDescriptor(Service.prototype, "run")!;
  const result = logger.catch({ default: "fallback" })(Service.prototype, "run", descriptor);
  Object.defineProperty(Service.prototype, "run", result);
  assert.equal(new Service().run(), "fallback");
  assert.equal(records[0].function, "Service.run");
});

test("catch() options are validated", () => {
  assert.throws(() => logger.catch({ exclude: "x" as never }), /Invalid exclude "?x"?/);
  assert.throws(() => logger.catch({ level: "NOPE" }), /Level 'NOPE' does not exist/);
  assert.throws(() => logger.catch({ retry: true } as never), /Unknown option 'retry'/);
  assert.throws(() => logger.catch()(42 as never), /catch\(\) wraps a function/);
});

for (const flavour of ["standard", "legacy"] as const) {
  test(`@logger.catch() compiled by tsc with ${flavour} decorators: default, reraise, function name`, () => {
    const dir = path.join(repoRoot, "fixtures", "decorators");
    const tsc = require.resolve("typescript/bin/tsc");
    const build = spawnSync(process.execPath, [tsc, "-p", path.join(dir, `tsconfig.${flavour}.json`)], { encoding: "utf8" });
    assert.equal(build.status, 0, build.stdout + build.stderr);
    const run = spawnSync(process.execPath, [path.join(dir, "build", flavour, "billing.js")], { encoding: "utf8", cwd: repoRoot });
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split("\n");
    assert.deepEqual(
      lines.filter((l) => !l.startsWith("Traceback") && !l.startsWith(" ") && !l.startsWith(">") && !/^(RangeError|Error):/.test(l) && l !== ""),
      ["total ok: 6", "ERROR total: total failed", "total default: 0", "refund ok: 5", "ERROR refund: refund failed", "refund rethrown: negative refund"].map(
        (l) => (flavour === "legacy" ? l.replace(/ERROR (\w+):/, "ERROR Billing.$1:") : l),
      ),
    );
    assert.match(run.stdout, /RangeError: empty cart/);
  });
}

test("an anonymous run() block is reported as the function around it", () => {
  const { records } = collect();
  function migrate() {
    logger.catch().run(() => {
      throw new Error("step failed");
    });
  }
  migrate();
  assert.equal(records[0].function, "migrate");
  assert.match(records[0].message, /in function 'migrate'/);
});

test("a caught null, undefined or false is shown as what was thrown, not dropped", async () => {
  const { messages, records } = collect({ format: "{message}", diagnose: false });
  logger.catch()(function throwsNull() {
    throw null;
  })();
  logger.catch()(function throwsUndefined() {
    throw undefined;
  })();
  await logger.catch()(async function rejectsFalse() {
    throw false;
  })();
  assert.equal(records.length, 3);
  assert.deepEqual(
    messages.map((m) => m.split("\n").slice(1).join("\n")),
    ["Thrown null\n", "Thrown undefined\n", "Thrown boolean: false\n"],
  );
  assert.deepEqual(records.map((r) => r.exception?.value), [null, undefined, false]);
});

test("catchUncaught() shows an unhandled rejection with undefined as what was rejected", () => {
  const child = spawnSync(
    process.execPath,
    ["-e", `const { logger } = require("logsight"); logger.remove(); logger.add((m) => process.stdout.write(m), { format: "{message}", diagnose: false }); logger.catchUncaught(); Promise.reject(undefined);`],
    { cwd: repoRoot, encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } },
  );
  assert.equal(child.status, 1, child.stderr);
  assert.equal(child.stdout, "An unhandled promise rejection ended the process:\nThrown undefined\n");
});
