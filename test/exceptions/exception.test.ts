import { test } from "node:test";
import assert from "node:assert/strict";
import { runScript } from "../helpers";

// diagnose: true asks for values explicitly: these scripts run without a terminal, under the test runner.
const setup = `const { logger } = require("logsight"); logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{level} {message}", colorize: false, diagnose: true });`;

test("exception() logs at ERROR with the trailing Error's annotated traceback", () => {
  const result = runScript(`${setup}
function divide(a, b) {
  if (b === 0) throw new RangeError("division by zero");
  return a / b;
}
function report(values) {
  try {
    return divide(values.total, values.count);
  } catch (error) {
    logger.exception("Report failed", error);
  }
}
report({ total: 10, count: 0 });`);
  assert.equal(result.status, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /^ERROR Report failed\nTraceback \(most recent call last\):\n/);
  assert.match(out, /> File "test\/\.tmp\/script-[\w-]+\.js", line 9, in report\n    return divide\(values\.total, values\.count\);\n/);
  assert.match(out, /└ 0\n/);
  assert.match(out, /\{ total: 10, count: 0 \}/);
  assert.match(out, /  File "test\/\.tmp\/script-[\w-]+\.js", line 4, in divide\n    if \(b === 0\) throw new RangeError\("division by zero"\);\n/);
  assert.match(out, /RangeError: division by zero\n$/);
});

test("a trailing Error at any level, and opt({ exception }) with any thrown value or true", () => {
  const result = runScript(`${setup}
try { JSON.parse("{oops"); } catch (e) { logger.warning("bad config {}", "app.json", e); }
logger.opt({ exception: "a string was thrown" }).info("primitive");
try { null.x; } catch { logger.opt({ exception: true }).error("last thrown"); }`);
  assert.equal(result.status, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /^WARNING bad config app\.json\nTraceback/);
  assert.match(out, /SyntaxError: .*JSON/);
  assert.match(out, /INFO primitive\n[\s\S]*a string was thrown/);
  assert.match(out, /ERROR last thrown\nTraceback[\s\S]*TypeError: Cannot read properties of null/);
});

test("with backtrace off, frames above the catch point are left out", () => {
  const code = `const { logger } = require("logsight"); logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{message}", backtrace: process.env.BT === "1", diagnose: false });
function inner() { throw new Error("deep"); }
function middle() { try { inner(); } catch (e) { logger.exception("caught", e); } }
function outer() { middle(); }
outer();`;
  const withBacktrace = runScript(code, { env: { BT: "1" } }).stdout;
  const without = runScript(code, { env: { BT: "0" } }).stdout;
  assert.match(withBacktrace, /in outer\n/);
  assert.match(withBacktrace, /> File "test\/\.tmp\/script-[\w-]+\.js", line 4, in middle/);
  assert.doesNotMatch(without, /in outer\n/);
  assert.match(without, /File "test\/\.tmp\/script-[\w-]+\.js", line 4, in middle/);
  assert.match(without, /in inner\n/);
  assert.doesNotMatch(without, />/);
});

test("logsight's own frames never appear in a traceback", () => {
  const result = runScript(`${setup}
logger.catch(function job() { throw new Error("inside catch"); })();`);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /in job\n/);
  assert.doesNotMatch(result.stdout, /dist[\\/](src|diagnose)|catch\.js|logger\.js/);
});

test("production: diagnose defaults to false, a traceback has no values and no inspector session starts", () => {
  const result = runScript(
    `const { logger } = require("logsight");
logger.add((m) => process.stdout.write(m), { format: "{message}" });
function fail(order) { throw new Error("boom " + order.id); }
try { fail({ id: 7 }); } catch (e) { logger.exception("failed", e); }
const loaded = process.moduleLoadList.filter((m) => m === "NativeModule inspector");
console.log("INSPECTOR:" + JSON.stringify(loaded) + " capturing:" + require("logsight/diagnose").isCapturing());`,
    { env: { NODE_ENV: "production" } },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /File "test\/\.tmp\/script-[\w-]+\.js", line 3, in fail\n    function fail\(order\) \{ throw new Error\("boom " \+ order\.id\); \}\n/);
  assert.doesNotMatch(result.stdout, /[│└]/);
  assert.match(result.stdout, /INSPECTOR:\[\] capturing:false/);
});

test("LOGSIGHT_DIAGNOSE overrides the production default", () => {
  const result = runScript(
    `${setup}
function fail(order) { throw new Error("boom"); }
try { fail({ id: 7 }); } catch (e) { logger.exception("failed", e); }`,
    { env: { NODE_ENV: "production", LOGSIGHT_DIAGNOSE: "true" } },
  );
  assert.match(result.stdout, /└ \{ id: 7 \}/);
});

test("catchUncaught(): an unhandled rejection prints the annotated traceback at CRITICAL and exits 1", () => {
  const result = runScript(`${setup}
logger.catchUncaught();
async function load(name) {
  const settings = { name, retries: 3 };
  throw new Error("cannot load " + settings.name);
}
load("db");`);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^CRITICAL An unhandled promise rejection ended the process:\nTraceback/);
  assert.match(result.stdout, /in load\n    throw new Error\("cannot load " \+ settings\.name\);\n/);
  assert.match(result.stdout, /└ \{ name: 'db', retries: 3 \}/);
  assert.match(result.stdout, /Error: cannot load db\n$/);
});

test("catchUncaught(): an uncaught exception is logged and the process exits 1", () => {
  const result = runScript(`${setup}
logger.catchUncaught();
setTimeout(() => { const port = 80; throw new Error("listen failed on " + port); }, 1);`);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^CRITICAL An uncaught exception ended the process:\nTraceback/);
  assert.match(result.stdout, /└ 80/);
});

// V8 formats error.stack on its first read through the error's toString(): a throwing `message` or
// `name` getter makes the read throw. The traceback still shows the type, says the message could
// not be read, and shows the frames.
const unformattable = `
let runs = 0;
function make() {
  return Object.defineProperty(new Error("x"), "message", { get() { runs++; throw new Error("own message getter"); } });
}
const made = make();
logger.error("kept", made);
logger.error("again", made);
class PaymentError extends Error {}
const named = Object.defineProperty(new PaymentError("card declined"), "name", { get() { throw new Error("own name getter"); } });
logger.error("named", named);
function charge() {
  throw Object.defineProperty(new TypeError("z"), "message", { get() { throw new Error("message getter"); } });
}
function checkout() {
  try {
    charge();
  } catch (error) {
    logger.exception("checkout failed", error);
  }
}
checkout();
const runsWhileLogging = runs;
let stackStillThrows = false;
try { made.stack; } catch { stackStillThrows = true; }
process.stdout.write("getter runs: " + runsWhileLogging + ", stack still throws: " + stackStillThrows + "\\n");`;

for (const capture of ["off", "all"]) {
  test(`an Error whose message or name getter throws shows its type, [Unreadable: ...] and its frames (LOGSIGHT_CAPTURE=${capture})`, () => {
    const result = runScript(`${setup}${unformattable}`, { env: { LOGSIGHT_CAPTURE: capture } });
    assert.equal(result.status, 0, result.stderr);
    const out = result.stdout;
    const file = result.file.replace(/[.\\/]/g, "\\$&");
    assert.doesNotMatch(out, /unrepresentable|traceback formatting failed/);
    const kept = new RegExp(
      `^ERROR kept\\nTraceback \\(most recent call last\\):\\n\\n> File "${file}", line 7, in <module>\\n    const made = make\\(\\);\\n(?:.*\\n)*?` +
        `  File "${file}", line 5, in make\\n    return Object\\.defineProperty\\(new Error\\("x"\\).*\\n(?:.*\\n)*?` +
        `Error: \\[Unreadable: Error: own message getter\\]\\nERROR again\\n`,
      "m",
    );
    assert.match(out, kept);
    assert.match(out, new RegExp(`^ERROR named\\nTraceback \\(most recent call last\\):\\n\\n> File "${file}", line 11, in <module>\\n(?:.*\\n)*?PaymentError: card declined\\n`, "m"));
    assert.match(out, new RegExp(`^ERROR checkout failed\\n(?:.*\\n)*?> File "${file}", line 18, in checkout\\n    charge\\(\\);\\n(?:.*\\n)*?  File "${file}", line 14, in charge\\n(?:.*\\n)*?TypeError: \\[Unreadable: Error: message getter\\]\\n`, "m"));
    // The getter runs when V8 formats the stack (once more inside V8 when a capture session is paused
    // on its throw), and not again for the same error; the program's own reads of stack still throw
    // when nothing formatted it.
    const runs = /getter runs: (\d+), stack still throws: (\w+)/.exec(out);
    assert.ok(runs, out);
    if (capture === "off") assert.deepEqual([runs[1], runs[2]], ["1", "true"]);
    else assert.ok(Number(runs[1]) <= 2, out);
  });
}

test("the record's exception type is read from data: a name getter on the logged error is not run", () => {
  const result = runScript(`const { logger } = require("logsight");
logger.remove();
const types = [];
logger.add((message, record) => types.push(record.exception.type), { format: "{message}", colorize: false });
let runs = 0;
const error = new TypeError("boom");
void error.stack; // formatted before the getter is defined, so V8 has no reason to run it
Object.defineProperty(error, "name", { get() { runs++; return "FromGetter"; } });
logger.error("failed", error);
class CardError extends Error {}
logger.error("card", new CardError("declined"));
process.stdout.write(JSON.stringify({ types, runs }));`, { env: { LOGSIGHT_CAPTURE: "off" } });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { types: ["TypeError", "Error"], runs: 0 });
});

test("without capture, the > mark is on an ES module's top level that caught the error, as on a function's", () => {
  const result = runScript(`import { logger } from "logsight";
logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{level} {message}", colorize: false });
function parse(text) { return JSON.parse(text); }
try { parse("{bad"); } catch (error) { logger.exception("at the top level", error); }
function load() { try { parse("{bad"); } catch (error) { logger.exception("in a function", error); } }
load();
`, { ext: ".mjs", env: { LOGSIGHT_CAPTURE: "off" } });
  assert.equal(result.status, 0, result.stderr);
  const file = result.file.replace(/[.\\/]/g, "\\$&");
  assert.match(result.stdout, new RegExp(`^ERROR at the top level\\nTraceback \\(most recent call last\\):\\n\\n> File "${file}", line 5, in <module>\\n`, "m"));
  assert.match(result.stdout, new RegExp(`^ERROR in a function\\n(?:.*\\n)*?  File "${file}", line 7, in <module>\\n(?:.*\\n)*?> File "${file}", line 6, in load\\n`, "m"));
});
