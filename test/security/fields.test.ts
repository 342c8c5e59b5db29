import { test } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";
import { collect } from "../helpers";

/** The message one INFO call writes through a `{message}` handler. */
function shown(message: string, ...args: unknown[]): string {
  const { messages } = collect({ colorize: false, diagnose: false });
  logger.info(message, ...args);
  logger.remove();
  assert.equal(messages.length, 1);
  return messages[0].replace(/\n$/, "");
}

test("message fields read own data properties: indices, keys, Map entries, string characters", () => {
  class Point {
    constructor(
      public x: number,
      public tags: string[],
    ) {}
  }
  const map = new Map<unknown, unknown>([["k", "v"], [1, "one"]]);
  assert.equal(shown("{0.x} {0.tags[1]}", new Point(3, ["a", "b"])), "3 b");
  assert.equal(shown("{0[k]} {0[1]}", map), "v one");
  assert.equal(shown("{0[1]} {0.length}", "abc"), "b 3");
  assert.equal(shown("{user.name} {user[roles][0]}", { user: { name: "ada", roles: ["admin"] } }), "ada admin");
});

test("the prototype chain is never walked: __proto__, constructor and inherited members stay as written", () => {
  assert.equal(shown("{0.__proto__.constructor}", {}), "{0.__proto__.constructor}");
  assert.equal(shown("{0.constructor.name}", []), "{0.constructor.name}");
  assert.equal(shown("{0.toString}", { a: 1 }), "{0.toString}");
  assert.equal(shown("{0.size}", new Map([["a", 1]])), "{0.size}");
  class Base {
    inherited = 1;
  }
  const child = Object.create(new Base()) as object;
  assert.equal(shown("{0.inherited}", child), "{0.inherited}");
  assert.equal(shown("{user.__proto__}", { user: {} }), "{user.__proto__}");
});

test("getters never run: own, inherited and on kwargs; the field stays as written", () => {
  let calls = 0;
  class Account {
    get computed(): string {
      calls++;
      return "from a getter";
    }
  }
  const own = {
    get secret(): string {
      calls++;
      return "from a getter";
    },
  };
  assert.equal(shown("{0.computed}", new Account()), "{0.computed}");
  assert.equal(shown("{0.secret}", own), "{0.secret}");
  assert.equal(calls, 0);
  const { messages } = collect({ colorize: false, diagnose: false });
  logger.opt({ capture: false }).info("{secret} {ok}", { ok: 1, get secret() { calls++; return "x"; } });
  assert.deepEqual(messages, ["{secret} 1\n"]);
  assert.equal(calls, 0);
});

test("proxies are not entered: no trap runs, the field stays as written", () => {
  let traps = 0;
  const handler: ProxyHandler<object> = {
    get: () => (traps++, "trapped"),
    getOwnPropertyDescriptor: () => (traps++, undefined),
    getPrototypeOf: () => (traps++, Object.prototype),
    ownKeys: () => (traps++, []),
    has: () => (traps++, true),
  };
  const proxy = new Proxy({ a: 1 }, handler);
  assert.equal(shown("{0.a} {1}", proxy, "ok"), "{0.a} ok");
  assert.equal(shown("{0[a]}", proxy), "{0[a]}");
  assert.equal(traps, 0);
});

test("widths and precisions are capped at 1000: a field over the cap stays as written", () => {
  const user = "{:>200000000}";
  const started = process.memoryUsage().rss;
  const line = shown(`login failed for ${user} from {}`, "10.0.0.1");
  // The injected field is auto-numbered like the developer's own, so `{}` has no argument left.
  assert.equal(line, "login failed for {:>200000000} from {}");
  assert.ok(process.memoryUsage().rss - started < 100 * 1024 * 1024);
  assert.equal(shown("{:>1001}|", "x"), "{:>1001}|");
  assert.equal(shown("{:.1001f}", 1.5), "{:.1001f}");
  assert.equal(shown("{:{}}", "x", "99999"), "{:{}}");
  assert.equal(shown("{:>1000}", "x").length, 1000);
  assert.equal(shown("{:.1000f}", 1.5).length, 1002);
  assert.equal(shown("{:.3}", "abcdef"), "abc");
});

test("a handler format over the cap is refused at add(), naming the field", () => {
  assert.throws(
    () => logger.add(() => {}, { format: "{message:>5000}" }),
    /Invalid field '\{message:>5000\}' in format: Width 5000 is over the limit of 1000/,
  );
});

test("a proxy in a field runs no trap, with or without a spec or a conversion; unmasked, it shows its target", () => {
  let traps = 0;
  // The handler is itself a proxy: every trap counts, whichever one the formatting would reach.
  const reflect = Reflect as unknown as { [trap: string]: (...args: unknown[]) => unknown };
  const everyTrap = new Proxy({}, { get: (_target, trap) => (...args: unknown[]) => (traps++, reflect[String(trap)](...args)) });
  const proxy = new Proxy({ a: 1 }, everyTrap);
  // With secret names masked (the default) a Proxy shows as such: its target cannot be masked.
  assert.equal(shown("{}", proxy), "Proxy [Object]");
  assert.equal(shown("{0}|{0!s}|{0!r}", proxy), "Proxy [Object]|Proxy [Object]|Proxy [Object]");
  logger.configure({ redact: false });
  try {
    assert.equal(shown("{}", proxy), "{ a: 1 }");
    assert.equal(shown("{0}|{0!s}|{0!r}", proxy), "{ a: 1 }|{ a: 1 }|{ a: 1 }");
    assert.equal(shown("{0:>10}|{0:%Y}", proxy), "  { a: 1 }|{0:%Y}");
  } finally {
    logger.configure({ redact: [] });
  }
  assert.equal(traps, 0);
});
