import assert from "node:assert/strict";
import { spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// Shared by the CLI tests. Each crash fixture's traceback must equal fixtures/cli/<name>.expected.txt;
// apart from it the program's output and exit code must be exactly what plain `node` gives.
// UPDATE_EXPECTED=1 rewrites the expected files (read them by eye before keeping them).
export const root = path.resolve(__dirname, "..", "..");
export const cli = path.join(root, "dist", "diagnose", "cli.js");
export const fixtures = path.join(root, "fixtures", "cli");
const update = process.env.UPDATE_EXPECTED === "1";
export const TIMEOUT = 60_000;
export const LOADER_HEAD = /node:internal\/modules\/run_main:\d+\n {4}triggerUncaughtException\(\n {4}\^\n\n/;

export function run(command: readonly string[], input?: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const base: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete base.NODE_OPTIONS;
  const result = spawnSync(command[0]!, command.slice(1), { cwd: root, input, encoding: "utf8", timeout: TIMEOUT, env: { ...base, ...env } });
  assert.equal(result.error, undefined, `${command.join(" ")} did not finish`);
  return result;
}

export function diagnose(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return run([process.execPath, cli, ...args], input);
}

export function plainNode(args: readonly string[], input?: string): SpawnSyncReturns<string> {
  return run([process.execPath, ...args], input);
}

/** Compares `actual` (normalized) with the expected file, or rewrites the file with UPDATE_EXPECTED=1. */
export function checkExpected(name: string, actual: string): void {
  const file = path.join(fixtures, `${name}.expected.txt`);
  if (update) fs.writeFileSync(file, normalize(actual));
  assert.equal(normalize(actual), fs.readFileSync(file, "utf8"));
}

/** Line numbers inside node and tsx change between their versions; the program's own do not. */
export function normalize(text: string): string {
  return text
    .replace(/(File "node:[^"]+", line )\d+/g, "$1<n>")
    .replace(/ {2}File "node_modules\/tsx\/[^"]+", line \d+, in [^\n]*\n(?: {4}[^\n]*\n)?/g, '  File "node_modules/tsx/<internal>"\n');
}

/**
 * Runs `args` with and without the CLI; the CLI's stderr must be the plain run's stderr with the
 * expected traceback before it (`before`) or after it (a throw the engine saw as caught).
 */
export function checkCrash(
  name: string,
  args: readonly string[],
  options: { exitCode: number; tracebackFirst: boolean; input?: string; reportHead?: RegExp; sameReport?: (stderr: string) => string },
): void {
  const same = options.sameReport ?? ((stderr: string) => stderr);
  const plainRun = plainNode(args, options.input);
  const tracedRun = diagnose(args[0]!.startsWith("-") ? ["--", "node", ...args] : args, options.input);
  const plain = { ...plainRun, stderr: same(plainRun.stderr) };
  const traced = { ...tracedRun, stderr: same(tracedRun.stderr) };
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
    checkExpected(name, traceback);
    return;
  }
  const traceback = traced.stderr.slice(0, traced.stderr.length - nodeReport.length);
  assert.equal(traced.stderr, traceback + nodeReport);
  checkExpected(name, traceback);
}

/** Node's crash report without its first paragraph (the source line it points at). */
export function withoutReportHead(report: string): string {
  return report.slice(report.indexOf("\n\n")).replace(/^\n+/, "");
}


/** Starts the CLI, waits for "ready" on stdout, sends `signal`, resolves with how it ended. */
export function signalWhenReady(script: string, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
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

