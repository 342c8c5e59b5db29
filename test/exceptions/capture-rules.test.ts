import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";
import { decideCapture, readCaptureSettings } from "../../src/capture-settings";
import { detectCI, detectTestRunner, unattendedReason, type ProcessFacts } from "../../src/capture-default";

// Each row of the README's "When values are captured" table, in real child processes: with stderr a
// pipe, or a terminal (a pseudo-terminal from util-linux `script`), under CI variables and under the
// real test runners. The children start from an environment without any variable the rules read,
// because this file itself runs under `node --test` (and maybe in CI).

const RULE_VARIABLES = /^(CI|CONTINUOUS_INTEGRATION|GITHUB_ACTIONS|GITLAB_CI|BUILDKITE|CIRCLECI|TRAVIS|TF_BUILD|JENKINS_URL|TEAMCITY_VERSION|BITBUCKET_BUILD_NUMBER|CODEBUILD_BUILD_ID|NODE_TEST_CONTEXT|JEST_WORKER_ID|VITEST\w*|NODE_ENV|LOGSIGHT_\w+|FORCE_COLOR|NO_COLOR)$/;

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!RULE_VARIABLES.test(key)) env[key] = value;
  return { ...env, ...extra };
}

const hasScript = spawnSync("script", ["-qc", "true", "/dev/null"]).status === 0;
const tmp = path.join(repoRoot, "test", ".tmp");

interface Probe {
  capturing: boolean;
  stderrIsTTY: boolean;
  output: string;
}

// Logs two caught errors through a handler on stdout and reports whether a session exists.
// (Inside a runner's test the report may come after the test ended: the process still prints it.)
function probeSource(handlerOptions: string): string {
  return `const { logger } = require("logsight");
const diagnose = require("logsight/diagnose");
logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{message}", colorize: false${handlerOptions} });
function fail(order) { throw new Error("boom " + order.id); }
try { fail({ id: 0 }); } catch (e) { logger.warning("warned", e); }
for (const id of [1, 2]) { try { fail({ id }); } catch (e) { logger.exception("failed " + id, e); } }
// A session the removed default handler started stops on a later turn (remove() then add() keeps it).
const report = () => process.stdout.write("PROBE " + JSON.stringify({ capturing: diagnose.isCapturing(), stderrIsTTY: process.stderr.isTTY === true }) + "\\n");
setImmediate(() => setImmediate(report));
`;
}

function writeTemp(name: string, source: string): string {
  fs.mkdirSync(tmp, { recursive: true });
  const file = path.join(tmp, `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.js`);
  fs.writeFileSync(file, source);
  return file;
}

function parseProbe(output: string): Probe {
  const text = output.replace(/\r\n/g, "\n");
  const match = /PROBE (\{.*\})/.exec(text);
  assert.ok(match, `no probe line in:\n${text}`);
  return { ...(JSON.parse(match[1]) as { capturing: boolean; stderrIsTTY: boolean }), output: text };
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs `node <args>` with stderr a pipe, or under a pseudo-terminal when `tty` is set. */
function run(args: string[], env: NodeJS.ProcessEnv, tty: boolean): string {
  const result = tty
    ? spawnSync("script", ["-qec", [process.execPath, ...args].map(quote).join(" "), "/dev/null"], { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 })
    : spawnSync(process.execPath, args, { cwd: repoRoot, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}

function probe(env: NodeJS.ProcessEnv, tty: boolean, handlerOptions = ""): Probe {
  const file = writeTemp("capture-rules", probeSource(handlerOptions));
  try {
    const result = parseProbe(run([file], cleanEnv(env), tty));
    assert.equal(result.stderrIsTTY, tty, "the child's stderr is a terminal exactly when asked");
    return result;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const VALUES = /└ \{ id: 1 \}/;

function assertValues(result: Probe): void {
  assert.equal(result.capturing, true, result.output);
  assert.match(result.output, VALUES);
  assert.doesNotMatch(result.output, /values not captured/);
}

function assertNoSession(result: Probe, reason: string | null): void {
  assert.equal(result.capturing, false, result.output);
  assert.doesNotMatch(result.output, /[│└]/, "no values without a session");
  const notices = result.output.match(/\(values not captured[^\n]*\)/g) ?? [];
  if (reason === null) {
    assert.deepEqual(notices, []);
  } else {
    assert.deepEqual(notices, [`(values not captured, ${reason}: set LOGSIGHT_CAPTURE=all or the handler option diagnose: true to capture them)`], "the notice, once per process");
    const at = result.output.indexOf(notices[0]);
    assert.ok(at > result.output.indexOf("failed 1") && at < result.output.indexOf("failed 2"), "on the first ERROR traceback, not on the WARNING before it");
  }
}

const ttyTest = (name: string, fn: () => void) => test(name, { skip: hasScript ? false : "util-linux `script` is not installed: no pseudo-terminal" }, fn);

ttyTest("row: stderr is a terminal, no CI, no test runner: values are captured", () => {
  assertValues(probe({}, true));
});

test("row: stderr is not a terminal: no session, and the first traceback says how to get values", () => {
  assertNoSession(probe({}, false), "stderr is not a terminal");
});

ttyTest("row: CI set, even on a terminal: no session; CI=false and CI=0 are not CI", () => {
  assertNoSession(probe({ CI: "true" }, true), "CI is set");
  assertNoSession(probe({ GITHUB_ACTIONS: "true" }, true), "GITHUB_ACTIONS is set");
  assertValues(probe({ CI: "false" }, true));
  assertValues(probe({ CI: "0" }, true));
});

ttyTest("row: test-runner variables, even on a terminal: no session", () => {
  assertNoSession(probe({ NODE_TEST_CONTEXT: "child-v8" }, true), "running under node --test");
  assertNoSession(probe({ JEST_WORKER_ID: "1" }, true), "running under Jest");
  assertNoSession(probe({ VITEST: "true" }, true), "running under Vitest");
});

test("row: LOGSIGHT_CAPTURE set wins over the rules: all and uncaught start a session without a terminal, off never", () => {
  assertValues(probe({ LOGSIGHT_CAPTURE: "all", CI: "true" }, false));
  const uncaught = probe({ LOGSIGHT_CAPTURE: "uncaught" }, false);
  assert.equal(uncaught.capturing, true);
  assert.doesNotMatch(uncaught.output, VALUES, "uncaught mode does not capture caught throws");
  assert.doesNotMatch(uncaught.output, /values not captured/, "LOGSIGHT_CAPTURE was chosen: no notice");
  assertNoSession(probe({ LOGSIGHT_CAPTURE: "off" }, false, ", diagnose: true"), null);
});

ttyTest("row: LOGSIGHT_CAPTURE=off on a terminal: no session, no notice", () => {
  assertNoSession(probe({ LOGSIGHT_CAPTURE: "off" }, true), null);
});

test("row: a handler with diagnose: true, or LOGSIGHT_DIAGNOSE=true, asks for values: captured without a terminal and in CI", () => {
  assertValues(probe({ CI: "true" }, false, ", diagnose: true"));
  assertValues(probe({ LOGSIGHT_DIAGNOSE: "yes", NODE_TEST_CONTEXT: "child-v8" }, false));
});

ttyTest("row: no handler with diagnose (production, diagnose: false): no session even on a terminal, no notice", () => {
  assertNoSession(probe({ NODE_ENV: "production" }, true), null);
  assertNoSession(probe({ LOGSIGHT_CAPTURE: "all" }, true, ", diagnose: false"), null);
});

// The real runners: each runs a test file that logs a caught error and prints the probe line.
function runnerFile(kind: "node" | "mocha" | "jest" | "vitest"): string {
  const body = probeSource("");
  if (kind === "node") return `require("node:test").test("probe", () => {\n${body}});\n`;
  if (kind === "vitest") return `import { test } from "vitest";\nimport { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\ntest("probe", () => {\n${body}});\n`;
  return `test("probe", () => {\n${body}});\n`.replace(/^test\(/, kind === "mocha" ? "it(" : "test(");
}

function runnerProbe(kind: "node" | "mocha" | "jest" | "vitest"): Probe {
  const dir = fs.mkdtempSync(path.join(tmp, `runner-${kind}-`));
  try {
    const file = path.join(dir, kind === "vitest" ? "probe.test.mjs" : "probe.test.js");
    fs.writeFileSync(file, runnerFile(kind));
    const bin = (name: string) => path.join(repoRoot, "node_modules", name);
    const args = {
      node: ["--test", file],
      mocha: [bin("mocha/bin/mocha.js"), file],
      jest: [bin("jest/bin/jest.js"), "--rootDir", dir, "--runInBand", "--ci=false", file],
      vitest: [bin("vitest/vitest.mjs"), "run", "--root", dir],
    }[kind];
    return parseProbe(run(args, cleanEnv(), hasScript));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const [kind, name] of [["node", "node --test"], ["mocha", "Mocha"], ["jest", "Jest"], ["vitest", "Vitest"]] as const) {
  test(`row: under the real ${name}${hasScript ? ", started from a terminal" : ""}: no session`, () => {
    const result = runnerProbe(kind);
    assert.equal(result.capturing, false, result.output);
    assert.match(result.output, new RegExp(`values not captured, running under ${name.replace(/[-]/g, "\\-")}`));
  });
}

test("the rules as a function: first matching row decides", () => {
  const facts = (env: NodeJS.ProcessEnv, stderrIsTTY: boolean, argv: string[] = ["node", "app.js"], execArgv: string[] = []): ProcessFacts => ({ env, stderrIsTTY, argv, execArgv });
  const decide = (f: ProcessFacts, demand = { diagnose: true, requested: false }) => decideCapture(readCaptureSettings(f), demand).mode;
  assert.equal(decide(facts({}, true)), "all");
  assert.equal(decide(facts({}, false)), "off");
  assert.equal(decide(facts({}, true), { diagnose: false, requested: false }), "off");
  assert.equal(decide(facts({ LOGSIGHT_CAPTURE: "uncaught" }, false)), "uncaught");
  assert.equal(decide(facts({ LOGSIGHT_CAPTURE: "OFF" }, true), { diagnose: true, requested: true }), "off");
  assert.equal(decide(facts({ CI: "1" }, true), { diagnose: true, requested: true }), "all");
  assert.equal(detectTestRunner(facts({}, true, ["node", "/x/node_modules/.bin/mocha"])), "Mocha");
  assert.equal(detectTestRunner(facts({}, true, ["node", "/x/node_modules/mocha/lib/nodejs/worker.cjs"])), "Mocha");
  assert.equal(detectTestRunner(facts({}, true, ["node", "/x/mocha-report.js"])), null);
  assert.equal(detectTestRunner(facts({}, true, ["node", "t.js"], ["--test"])), "node --test");
  assert.equal(detectCI({ CI: "" }), null);
  assert.equal(detectCI({ CI: "False" }), null);
  assert.equal(detectCI({ TF_BUILD: "True" }), "TF_BUILD");
  assert.equal(unattendedReason(facts({ CI: "true", JEST_WORKER_ID: "3" }, false)), "running under Jest", "a test runner is named before CI");
  assert.throws(() => readCaptureSettings(facts({ LOGSIGHT_CAPTURE: "sometimes" }, true)), /LOGSIGHT_CAPTURE="sometimes": expected all, uncaught or off/);
  assert.throws(() => readCaptureSettings(facts({ LOGSIGHT_CAPTURE_OVER_RATE: "never" }, true)), /LOGSIGHT_CAPTURE_OVER_RATE="never": expected uncaught or off/);
  assert.equal(readCaptureSettings(facts({ LOGSIGHT_CAPTURE_OVER_RATE: " OFF " }, true)).overRate, "off");
  assert.equal(readCaptureSettings(facts({}, true)).overRate, "uncaught");
});

test("LOGSIGHT_CAPTURE_OVER_RATE=off: past the rate the logger's session turns the debugger off, so an uncaught throw of that time has no values", () => {
  const source = `const { logger } = require("logsight");
const diagnose = require("logsight/diagnose");
let logged = "";
logger.add((m) => { logged += m; }, { format: "{message}", colorize: false, diagnose: true });
function fail(x) { throw new Error("boom " + x); }
for (let i = 0; i < 100; i++) { try { fail(i); } catch {} }
// logger.exception() without an error looks for the one being handled: not while the debugger is off.
try { fail(999); } catch (error) { logger.exception("handled"); }
const handledFound = /boom 999/.test(logged);
process.on("uncaughtException", (error) => process.stdout.write(JSON.stringify({ capturing: diagnose.isCapturing(), captured: diagnose.getCapture(error) !== undefined, handledFound }) + "\\n"));
setImmediate(() => fail(1000));
`;
  const script = writeTemp("over-rate", source);
  const run = (extra: NodeJS.ProcessEnv): { capturing: boolean; captured: boolean; handledFound: boolean } => {
    const child = spawnSync(process.execPath, [script], { cwd: repoRoot, env: cleanEnv({ LOGSIGHT_CAPTURE: "all", LOGSIGHT_CAPTURE_RATE: "5", ...extra }), encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    return JSON.parse(child.stdout) as { capturing: boolean; captured: boolean; handledFound: boolean };
  };
  try {
    assert.deepEqual(run({}), { capturing: true, captured: true, handledFound: true }, "by default the backoff still pauses on uncaught throws");
    assert.deepEqual(run({ LOGSIGHT_CAPTURE_OVER_RATE: "off" }), { capturing: true, captured: false, handledFound: false });
  } finally {
    fs.rmSync(script, { force: true });
  }
});

test("logger.exception() inside a catch {} while caught throws go unseen (past the rate) never reports an earlier exception", () => {
  const source = `const { logger } = require("logsight");
let logged = "";
logger.add((m) => { logged += m; }, { format: "{message}", colorize: false, diagnose: true });
function fail(x) { throw new Error("boom " + x); }
for (let i = 0; i < 100; i++) { try { fail(i); } catch {} }
const results = {};
try { fail(999); } catch { logged = ""; logger.exception("without a binding"); results.bindingless = logged.split("\\n").slice(0, 2); }
try { fail(1000); } catch (error) { logged = ""; logger.exception("with a binding"); results.bound = /boom 1000/.test(logged); }
process.stdout.write(JSON.stringify(results));
`;
  const script = writeTemp("unseen-throws", source);
  try {
    const child = spawnSync(process.execPath, [script], { cwd: repoRoot, env: cleanEnv({ LOGSIGHT_CAPTURE: "all", LOGSIGHT_CAPTURE_RATE: "5" }), encoding: "utf8" });
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), {
      bindingless: [
        "without a binding",
        "undefined: no exception was passed (the one being handled cannot be found without capture, or while capture is over its rate)",
      ],
      bound: true,
    });
  } finally {
    fs.rmSync(script, { force: true });
  }
});
