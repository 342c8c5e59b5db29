import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { formatException } from "logsight/diagnose";

const ANSI = /\x1b\[[0-9;]*m/;
const root = path.resolve(__dirname, "..", "..");

function throwIn(fn: () => never): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("did not throw");
}

test("output ends with a newline; colors only when asked", () => {
  const err = throwIn(() => {
    throw new TypeError("boom");
  });
  const plain = formatException(err, { colorize: false });
  const colored = formatException(err, { colorize: true });
  assert.ok(plain.endsWith("\n"));
  assert.doesNotMatch(plain, ANSI);
  assert.match(colored, ANSI);
  assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ""), plain);
  assert.match(plain, /^Traceback \(most recent call last\):\n/);
  assert.match(plain, /\nTypeError: boom\n$/);
  assert.match(plain, /File "test\/diagnose\/format\.test\.ts", line \d+, in /);
});

test("a cause chain that loops stops at the first error seen again", () => {
  const a = new Error("first");
  const b = new Error("second", { cause: a });
  (a as { cause?: unknown }).cause = b;
  const text = formatException(b, { diagnose: false });
  assert.equal(text.match(/^Error: first$/gm)?.length, 1);
  assert.equal(text.match(/^Error: second$/gm)?.length, 1);
  assert.equal(text.match(/direct cause/g)?.length, 1);
  assert.ok(text.indexOf("Error: first") < text.indexOf("Error: second"));
});

test("identical consecutive frames are collapsed", () => {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  function recurse(n: number): never {
    if (n === 0) throw new Error("bottom");
    return recurse(n - 1);
  }
  const err = throwIn(() => recurse(40));
  Error.stackTraceLimit = saved;
  const text = formatException(err, { diagnose: false });
  assert.match(text, /\[Previous line repeated 37 more times\]/);
  assert.equal(text.match(/in recurse$/gm)?.length, 4);
});

test("values that are not Errors get a headline of their own", () => {
  assert.equal(formatException("plain text"), "Thrown string: 'plain text'\n");
  assert.equal(formatException({ code: 1 }), "Thrown object: { code: 1 }\n");
  assert.equal(formatException(undefined), "Thrown undefined\n");
  assert.equal(formatException(42, { colorize: false }), "Thrown number: 42\n");
});

test("an error's own properties follow its message; an error without stack has no traceback", () => {
  const err = Object.assign(new Error("no file"), { code: "ENOENT", errno: -2 });
  err.stack = undefined;
  assert.equal(formatException(err), "Error: no file { code: 'ENOENT', errno: -2 }\n");
});

test("hostile thrown values: no getter, trap or toString runs and nothing throws", () => {
  let runs = 0;
  const sneaky = new Error("sneaky");
  // `stack` first: redefining it makes V8 format the original stack, which reads `name`.
  Object.defineProperty(sneaky, "stack", { get() { runs++; throw new Error("stack getter"); } });
  Object.defineProperty(sneaky, "name", { get() { runs++; throw new Error("name getter"); } });
  const text = formatException(sneaky);
  assert.equal(runs, 0);
  assert.match(text, /: sneaky\n$/);

  const proxy = new Proxy({}, { get() { runs++; throw new Error("trap"); }, getPrototypeOf() { runs++; throw new Error("trap"); } });
  assert.match(formatException(proxy), /^Thrown object: /);
  const stringy = { toString() { runs++; return "x"; } };
  assert.match(formatException(stringy), /^Thrown object: /);
  assert.equal(runs, 0);
});

test("AggregateError members use the grouped layout", () => {
  const group = new AggregateError([new Error("one"), "two"], "both failed");
  const lines = formatException(group, { diagnose: false }).split("\n");
  assert.equal(lines[0], "  + Exception Group Traceback (most recent call last):");
  assert.ok(lines.includes("  | AggregateError: both failed (2 sub-errors)"));
  assert.ok(lines.includes("  +-+---------------- 1 ----------------"));
  assert.ok(lines.includes("    | Error: one"));
  assert.ok(lines.includes("    +---------------- 2 ----------------"));
  assert.ok(lines.includes("    | Thrown string: 'two'"));
  assert.equal(lines[lines.length - 2], "    +------------------------------------");
});

test("the catch frame is marked, frames above it need backtrace", () => {
  function inner(): never {
    throw new Error("deep");
  }
  function catcher(): { err: unknown; stack: { file: string; line: number; column: number; functionName: string }[] } {
    try {
      inner();
    } catch (err) {
      const site = new Error().stack!.split("\n")[1]!;
      const [, file, line, column] = /\((.*):(\d+):(\d+)\)$/.exec(site)!;
      return { err, stack: [{ file: file!, line: Number(line), column: Number(column), functionName: "catcher" }, { file: file!, line: 0, column: 0, functionName: "" }] };
    }
  }
  const { err, stack } = catcher();
  const withBacktrace = formatException(err, { diagnose: false, catchStack: stack });
  assert.match(withBacktrace, /^> File "test\/diagnose\/format\.test\.ts", line \d+, in catcher$/m);
  const without = formatException(err, { diagnose: false, backtrace: false, catchStack: stack });
  assert.doesNotMatch(without, /^>/m);
  const files = without.match(/^  File .*$/gm)!;
  assert.equal(files.length, 2);
  assert.match(files[0]!, /in catcher$/);
  assert.match(files[1]!, /in inner$/);
});

test("frames of logsight itself are hidden; file URLs become relative paths", () => {
  const err = new Error("from a library");
  err.stack = [
    "Error: from a library",
    `    at own (${path.join(root, "dist", "diagnose", "render.js")}:1:1)`,
    `    at ownSource (${path.join(root, "src", "logger.ts")}:1:1)`,
    `    at main (file://${path.join(root, "test", "diagnose", "format.test.ts")}:1:1)`,
    "    at node:internal/main/run_main_module:28:49",
  ].join("\n");
  const text = formatException(err, { diagnose: false });
  assert.doesNotMatch(text, /render\.js|logger\.ts/);
  assert.match(text, /File "test\/diagnose\/format\.test\.ts", line 1, in main\n    import \{ test \} from "node:test";/);
  // Node's entry frames (the module loader) are left out: the traceback starts at the first frame of the program.
  assert.match(text, /^Traceback \(most recent call last\):\n  File "test\/diagnose\/format\.test\.ts", line 1, in main\n/);
});

test("Node's frames between the program's frames are shown plain; only the entry ones are dropped", () => {
  const err = new Error("in a callback");
  err.stack = [
    "Error: in a callback",
    `    at inner (${path.join(root, "test", "diagnose", "format.test.ts")}:2:1)`,
    "    at Array.forEach (<anonymous>)",
    "    at node:internal/util:100:10",
    `    at main (${path.join(root, "test", "diagnose", "format.test.ts")}:1:1)`,
    "    at Module._compile (node:internal/modules/cjs/loader:1521:14)",
    "    at node:internal/main/run_main_module:28:49",
  ].join("\n");
  const text = formatException(err, { diagnose: false });
  assert.doesNotMatch(text, /loader|run_main_module/);
  assert.match(text, /in main\n[\s\S]*File "node:internal\/util", line 100[\s\S]*in inner\n/);
});

test("the event loop's queue runners under a resumed function are dropped when awaiting callers follow", () => {
  const file = path.join(root, "test", "diagnose", "format.test.ts");
  const framesOf = (stack: string[]): string[] => {
    const err = new Error("after an await");
    err.stack = ["Error: after an await", ...stack].join("\n");
    return [...formatException(err, { diagnose: false }).matchAll(/^ {2}File "([^"]*)"(?:, line \d+)?, in (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
  };
  const shown = "test/diagnose/format.test.ts";
  // Node 20: promise jobs run between two timers.
  assert.deepEqual(
    framesOf([
      `    at failing (${file}:3:1)`,
      `    at keeper (${file}:2:1)`,
      "    at runNextTicks (node:internal/process/task_queues:60:5)",
      "    at listOnTimeout (node:internal/timers:545:9)",
      "    at process.processTimers (node:internal/timers:519:7)",
      `    at async reporter (${file}:1:1)`,
    ]),
    [`${shown} async reporter`, `${shown} keeper`, `${shown} failing`],
  );
  // Older Node versions: no `node:` prefix, and the native microtask runner shown.
  assert.deepEqual(
    framesOf([
      `    at failing (${file}:3:1)`,
      "    at runMicrotasks (<anonymous>)",
      "    at processTicksAndRejections (internal/process/task_queues.js:97:5)",
      "    at async Promise.all (index 1)",
      `    at async reporter (${file}:1:1)`,
    ]),
    [`${shown} async reporter`, "<anonymous> async Promise.all (index 1)", `${shown} failing`],
  );
  // A function of Node's own resumed after its await is where the error was thrown: it stays.
  assert.deepEqual(
    framesOf([
      "    at open (node:internal/fs/promises:639:25)",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
      `    at async load (${file}:1:1)`,
    ]),
    [`${shown} async load`, "node:internal/fs/promises open"],
  );
});

test("bad option values do not make it throw", () => {
  const text = formatException(new Error("x"), { catchStack: [{ file: 3 as unknown as string, line: 0, column: 0, functionName: null as unknown as string }] });
  assert.match(text, /Error: x\n$/);
});

test("a subclass without its own name is shown by its class name", () => {
  class PaymentError extends Error {}
  const text = formatException(new PaymentError("declined"), { diagnose: false });
  assert.match(text, /\nPaymentError: declined\n$/);
  class NamedError extends Error {
    override name = "Custom";
  }
  assert.match(formatException(new NamedError("x"), { diagnose: false }), /\nCustom: x\n$/);
});

test("SuppressedError-shaped errors group their error and the suppressed one", () => {
  const suppressed = Object.assign(new Error("while disposing"), {
    name: "SuppressedError",
    error: new Error("cleanup failed"),
    suppressed: new Error("original failure"),
  });
  const lines = formatException(suppressed, { diagnose: false }).split("\n");
  assert.ok(lines.includes("  | SuppressedError: while disposing (2 sub-errors)"));
  assert.ok(lines.includes("    | Error: cleanup failed"));
  assert.ok(lines.includes("    | Error: original failure"));
});

test("an error carrying its own `errors` list of non-errors is not a group", () => {
  const err = Object.assign(new Error("validation failed"), { errors: ["name is required"] });
  err.stack = undefined;
  assert.equal(formatException(err), "Error: validation failed { errors: [ 'name is required' ] }\n");
});

test("a multi-line message keeps its lines; null options are tolerated", () => {
  const err = new Error("first line\nsecond line");
  err.stack = undefined;
  assert.equal(formatException(err, null as unknown as undefined), "Error: first line\nsecond line\n");
  const colored = formatException(err, { colorize: true }).split("\n");
  assert.match(colored[1]!, /\x1b\[1msecond line\x1b\[0m/);
});
