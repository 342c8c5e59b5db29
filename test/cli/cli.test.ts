import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// Each crash fixture's traceback must equal fixtures/cli/<name>.expected.txt, and apart from it the
// program's output and exit code must be exactly what plain `node` gives.
// UPDATE_EXPECTED=1 rewrites the expected files (read them by eye before keeping them).
const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "dist", "diagnose", "cli.js");
const fixtures = path.join(root, "fixtures", "cli");
const update = process.env.UPDATE_EXPECTED === "1";
const TIMEOUT = 20_000;
const LOADER_HEAD = /^node:internal\/modules\/run_main:\d+\n {4}triggerUncaughtException\(\n {4}\^\n\n/;

function run(command: readonly string[], input?: string): SpawnSyncReturns<string> {
  const result = spawnSync(command[0]!, command.slice(1), { cwd: root, input, encoding: "utf8", timeout: TIMEOUT, env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(result.error, undefined, `${command.join(" ")} did not finish`);
  return result;
}

function diagnose(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return run([process.execPath, cli, ...args], input);
}

function plainNode(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return run([process.execPath, ...args], input);
}

function expectedTraceback(name: string, actual: string): string {
  const file = path.join(fixtures, `${name}.expected.txt`);
  if (update) fs.writeFileSync(file, actual);
  return fs.readFileSync(file, "utf8");
}

/**
 * Runs `args` with and without the CLI; the CLI's stderr must be the plain run's stderr with the
 * expected traceback before it (`before`) or after it (a throw the engine saw as caught).
 */
function checkCrash(
  name: string,
  args: readonly string[],
  options: { exitCode: number; tracebackFirst: boolean; input?: string; reportHead?: RegExp },
): void {
  const plain = plainNode(args, options.input);
  const traced = diagnose(args[0]!.startsWith("-") ? ["--", "node", ...args] : args, options.input);
  assert.equal(traced.status, options.exitCode, traced.stderr);
  assert.equal(plain.status, options.exitCode);
  assert.equal(traced.stdout, plain.stdout);
  let nodeReport = plain.stderr;
  if (options.reportHead !== undefined) {
    // Where the debugger paused on a throw that node re-throws itself (the module loader, the
    // unhandled rejection handler), node heads its report with its own line instead of the program's.
    nodeReport = withoutReportHead(plain.stderr);
    assert.notEqual(traced.stderr.indexOf(nodeReport), -1, traced.stderr);
    assert.match(traced.stderr, options.reportHead);
    const withoutHead = traced.stderr.replace(options.reportHead, "");
    const traceback = options.tracebackFirst ? withoutHead.slice(0, withoutHead.length - nodeReport.length) : withoutHead.slice(nodeReport.length);
    assert.equal(withoutHead, options.tracebackFirst ? traceback + nodeReport : nodeReport + traceback);
    assert.equal(traceback, expectedTraceback(name, traceback));
    return;
  }
  const traceback = traced.stderr.slice(0, traced.stderr.length - nodeReport.length);
  assert.equal(traced.stderr, traceback + nodeReport);
  assert.equal(traceback, expectedTraceback(name, traceback));
}

/** Node's crash report without its first paragraph (the source line it points at). */
function withoutReportHead(report: string): string {
  return report.slice(report.indexOf("\n\n") + 2);
}

test("a crash in nested calls: annotated traceback, then node's own report, exit 1", () => {
  checkCrash("crash", ["fixtures/cli/crash.js"], { exitCode: 1, tracebackFirst: true });
});

test("values are read through the protocol without running getters or traps", () => {
  checkCrash("values", ["fixtures/cli/values.js"], { exitCode: 1, tracebackFirst: true });
});

test("a TypeScript program run through tsx is annotated on its TypeScript lines", () => {
  checkCrash("typed", ["--import", "tsx", "fixtures/cli/typed.ts"], { exitCode: 1, tracebackFirst: false, reportHead: LOADER_HEAD });
});

test("TypeScript compiled by tsc with source maps is annotated on its TypeScript lines", () => {
  const dir = fs.mkdtempSync(path.join(root, "fixtures", "cli", "build-"));
  try {
    const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
    const compiled = spawnSync(process.execPath, [tsc, "--outDir", dir, "--sourceMap", "--target", "ES2022", "--module", "commonjs", "--strict", "--types", "node", path.join(fixtures, "typed.ts")], { cwd: root, encoding: "utf8", timeout: TIMEOUT });
    assert.equal(compiled.status, 0, compiled.stdout);
    const script = path.relative(root, path.join(dir, "typed.js"));
    const traced = diagnose([script]);
    assert.equal(traced.status, 1);
    assert.match(traced.stderr, /File "fixtures\/cli\/typed\.ts", line 8, in discount\n {4}if \(rate > 1\) throw new RangeError/);
    assert.match(traced.stderr, /└ 1\.2\n/);
    assert.match(traced.stderr, /└ \{ code: 'SPRING', percent: 120 \}/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a throw at the top level of an ES module keeps its values", () => {
  checkCrash("top-level", ["fixtures/cli/top-level.mjs"], { exitCode: 1, tracebackFirst: false, reportHead: LOADER_HEAD });
});

test("stdin reaches the program", () => {
  const args = ["fixtures/cli/echo-stdin.js"];
  const fine = diagnose(args, "one\ntwo\n");
  assert.equal(fine.status, 0);
  assert.equal(fine.stdout, "read 2 lines\nONE\nTWO\n");
  assert.equal(fine.stderr, "");
  checkCrash("echo-stdin", args, { exitCode: 1, tracebackFirst: true, input: "a\nboom\nc\n" });
});

test("a program that never crashes runs unchanged: same bytes on stdout and stderr, exit 0", () => {
  const plain = plainNode(["fixtures/cli/clean.js"]);
  const traced = diagnose(["fixtures/cli/clean.js"]);
  assert.equal(traced.status, 0);
  assert.equal(traced.stdout, plain.stdout);
  assert.equal(traced.stderr, plain.stderr);
  assert.equal(traced.stderr, "err: two\npartial line without newline");
});

test("exit codes are kept: process.exit(3) and process.exitCode = 3", () => {
  for (const how of ["exit", "exitCode"]) {
    const traced = diagnose(["fixtures/cli/exit-code.js", how]);
    assert.equal(traced.status, 3, how);
    assert.equal(traced.stdout, `ending with ${how}\n`);
    assert.equal(traced.stderr, "");
  }
});

test("a crash inside a setTimeout callback", () => {
  checkCrash("timer", ["fixtures/cli/timer.js"], { exitCode: 1, tracebackFirst: true });
});

test("an unhandled rejection", () => {
  checkCrash("rejection", ["fixtures/cli/rejection.js"], { exitCode: 1, tracebackFirst: true, reportHead: /node:internal\/process\/promises:\d+\n {4}triggerUncaughtException\(err, true \/\* fromPromise \*\/\);\n {4}\^\n\n/ });
});

test("--all prints a caught exception and the program goes on", () => {
  const traced = diagnose(["--all", "fixtures/cli/caught.js"]);
  assert.equal(traced.status, 0);
  assert.equal(traced.stdout, "fallback after empty input\n");
  assert.equal(traced.stderr, expectedTraceback("caught", traced.stderr));
  const quiet = diagnose(["fixtures/cli/caught.js"]);
  assert.equal(quiet.stderr, "");
});

test("--colorize adds ANSI colors, --no-colorize none", () => {
  assert.match(diagnose(["--colorize", "fixtures/cli/timer.js"]).stderr, /\x1b\[/);
  assert.doesNotMatch(diagnose(["--no-colorize", "fixtures/cli/timer.js"]).stderr, /\x1b\[/);
});

test("the command after -- may carry node's own flags", () => {
  const traced = diagnose(["--", "node", "--no-warnings", "fixtures/cli/exit-code.js", "exit"]);
  assert.equal(traced.status, 3);
  assert.equal(traced.stdout, "ending with exit\n");
});

test("bad command lines are refused with a message naming the problem", () => {
  const unknown = diagnose(["--colour", "fixtures/cli/clean.js"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option "--colour"/);
  const rate = diagnose(["--rate=0", "fixtures/cli/clean.js"]);
  assert.equal(rate.status, 2);
  assert.match(rate.stderr, /option --rate must be a positive integer, got "0"/);
  const notNode = diagnose(["--", "python3", "x.py"]);
  assert.equal(notNode.status, 2);
  assert.match(notNode.stderr, /must start with node, got "python3"/);
  assert.equal(diagnose([]).status, 2);
});

/** Starts the CLI, waits for "ready" on stdout, sends `signal`, resolves with how it ended. */
function signalWhenReady(script: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, script], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no exit after ${signal}; stdout: ${stdout}`));
    }, TIMEOUT);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      const wasReady = stdout.includes("ready\n");
      stdout += chunk;
      if (!wasReady && stdout.includes("ready\n")) child.kill(signal);
    });
    child.on("close", (code, endSignal) => {
      clearTimeout(timer);
      resolve({ code, signal: endSignal, stdout });
    });
  });
}

test("SIGTERM is forwarded to a program that handles it; its exit code is kept", async () => {
  const end = await signalWhenReady("fixtures/cli/sigterm.js", "SIGTERM");
  assert.equal(end.stdout, "ready\ngot SIGTERM, cleaning up\n");
  assert.equal(end.code, 7);
});

test("a program killed by a signal makes the CLI die of the same signal", async () => {
  const end = await signalWhenReady("fixtures/cli/idle.js", "SIGTERM");
  assert.equal(end.signal, "SIGTERM");
  assert.equal(end.stdout, "ready\n");
});
