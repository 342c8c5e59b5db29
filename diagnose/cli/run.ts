import { spawn } from "node:child_process";
import * as path from "node:path";
import type { CliOptions } from "./args.js";
import { withPreload } from "./node-options.js";
import { SETTINGS_VARIABLE, encodeSettings } from "./settings.js";

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const PRELOAD = path.join(__dirname, "preload.js");

/** How the program ended. */
export type ProgramEnd = { readonly code: number; readonly signal: null } | { readonly code: null; readonly signal: NodeJS.Signals };

/**
 * Runs the program with the capture engine preloaded into it (NODE_OPTIONS `--require`), with the
 * CLI's own stdin, stdout and stderr, and resolves when it has exited. No inspector port is opened:
 * each thread of the program pauses on its own throws through an in-process session.
 */
export function runProgram(options: CliOptions, env: NodeJS.ProcessEnv = process.env): Promise<ProgramEnd> {
  const [node, ...args] = options.command;
  const settings = encodeSettings({
    all: options.all,
    rate: options.rate,
    colorize: options.colorize,
    includeNodeModules: options.includeNodeModules,
    nodeOptions: env.NODE_OPTIONS ?? null,
  });
  const child = spawn(node!, args, {
    stdio: "inherit",
    env: { ...env, NODE_OPTIONS: withPreload(env.NODE_OPTIONS, PRELOAD), [SETTINGS_VARIABLE]: settings },
  });

  const forward = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  return new Promise((resolve) => {
    child.on("error", (error) => {
      process.stderr.write(`logsight-diagnose: cannot start "${node}": ${error.message}\n`);
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve({ code: 127, signal: null });
    });
    child.on("close", (code, signal) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      if (signal !== null) resolve({ code: null, signal });
      else resolve({ code: code ?? 1, signal: null });
    });
  });
}
