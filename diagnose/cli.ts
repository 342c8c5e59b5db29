#!/usr/bin/env node
import { USAGE, parseArgs } from "./cli/args.js";
import { runProgram } from "./cli/run.js";

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2), process.env, process.stderr.isTTY === true);
  if (parsed.kind === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`logsight-diagnose: ${parsed.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const end = await runProgram(parsed.options);
  if (end.signal !== null) {
    // Die the way the program died, so that shells and supervisors see the same signal.
    process.kill(process.pid, end.signal);
    return;
  }
  // Exit once everything written has reached the pipes; nothing of the CLI should keep it alive.
  process.stderr.write("", () => process.exit(end.code));
}

void main();
