import { test } from "node:test";
import assert from "node:assert/strict";
import { checkCrash, cli, diagnose, plainNode, run, signalWhenReady } from "./helpers";

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

test("the command after -- may carry node's own flags", () => {
  const traced = diagnose(["--", "node", "--no-warnings", "fixtures/cli/exit-code.js", "exit"]);
  assert.equal(traced.status, 3);
  assert.equal(traced.stdout, "ending with exit\n");
});

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

test("the program and the processes it forks see the flags and environment of plain node", () => {
  const traced = diagnose(["fixtures/cli/forks.js"]);
  assert.equal(traced.status, 0);
  assert.equal(traced.stdout, plainNode(["fixtures/cli/forks.js"]).stdout);
  assert.equal(traced.stdout, "parent execArgv: [], NODE_OPTIONS: unset, LOGSIGHT variables: 0\nchild execArgv: [], NODE_OPTIONS: unset, LOGSIGHT variables: 0\nchild exit 0\n");
  const withOptions = run([process.execPath, cli, "fixtures/cli/forks.js"], undefined, { NODE_OPTIONS: "--no-warnings" });
  assert.equal(withOptions.stdout, "parent execArgv: [], NODE_OPTIONS: --no-warnings, LOGSIGHT variables: 0\nchild execArgv: [], NODE_OPTIONS: --no-warnings, LOGSIGHT variables: 0\nchild exit 0\n");
});

test("an exception the program handles itself (process.on('uncaughtException')) is not printed", () => {
  const plain = plainNode(["fixtures/cli/handled.js"]);
  const traced = diagnose(["fixtures/cli/handled.js"]);
  assert.equal(traced.status, 4);
  assert.equal(traced.stderr, plain.stderr);
  assert.equal(traced.stderr, "handled: port 80 needs privileges\n");
});
