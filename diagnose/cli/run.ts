import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliOptions } from "./args.js";
import { DiagnoseSession } from "./attach.js";
import { BannerFilter } from "./banner.js";

// How much of the program's last stderr output is kept to recognise the error that ended it.
const STDERR_TAIL = 16 * 1024;
const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** How the program ended. */
export type ProgramEnd = { readonly code: number; readonly signal: null } | { readonly code: null; readonly signal: NodeJS.Signals };

/**
 * Runs the program with `--inspect-brk` on a free loopback port, attaches before any of its code
 * runs, and resolves when it has exited. stdin and stdout are the CLI's own; stderr is relayed
 * without the inspector's lines.
 */
export function runProgram(options: CliOptions): Promise<ProgramEnd> {
  const [node, ...rest] = options.command;
  const child = spawn(node!, [`${waitFlag(node!)}=127.0.0.1:0`, ...rest], { stdio: ["inherit", "inherit", "pipe"] });
  let session: DiagnoseSession | undefined;
  let attaching: Promise<void> | undefined;
  let detachRequested = false;

  let programStderrTail = "";
  const writeStderr = (data: Buffer | string): void => {
    process.stderr.write(data);
  };
  const relayProgramStderr = (data: Buffer): void => {
    programStderrTail = (programStderrTail + data.toString("utf8")).slice(-STDERR_TAIL);
    process.stderr.write(data);
  };
  const detach = (): void => {
    detachRequested = true;
    void session?.close();
  };
  const filter = new BannerFilter({
    onListening(url) {
      if (attaching !== undefined) return;
      attaching = DiagnoseSession.connect(url, {
        mode: options.all ? "all" : "uncaught",
        rate: options.rate,
        colorize: options.colorize,
        includeNodeModules: options.includeNodeModules,
        watchTopLevel: startsThroughModuleLoader(rest),
        write: writeStderr,
      }).then(
        (connected) => {
          session = connected;
          if (detachRequested) void connected.close();
        },
        (error: unknown) => {
          writeStderr(`logsight-diagnose: could not attach to the program: ${error instanceof Error ? error.message : String(error)}\n`);
          child.kill("SIGKILL");
        },
      );
    },
    onWaitingForDisconnect: detach,
    passThrough: relayProgramStderr,
  });
  child.stderr!.on("data", (chunk: Buffer) => filter.write(chunk));
  child.stderr!.on("end", () => filter.end());

  const forward = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);

  return new Promise((resolve) => {
    child.on("error", (error) => {
      writeStderr(`logsight-diagnose: cannot start "${node}": ${error.message}\n`);
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      resolve({ code: 127, signal: null });
    });
    child.on("close", (code, signal) => {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
      if (code !== 0) {
        const held = session?.takeHeldTraceback(programStderrTail);
        if (held !== undefined) writeStderr(held);
      }
      detach();
      if (signal !== null) resolve({ code: null, signal });
      else resolve({ code: code ?? 1, signal: null });
    });
  });
}

const MODULE_EXTENSIONS = /\.(?:mjs|mts|ts|tsx|cts|jsx)$/i;
const LOADER_FLAGS = /^--(?:import|loader|experimental-loader)(?:=|$)/;

/** Whether node will start the program through its ES module loader (see AttachOptions.watchTopLevel). */
function startsThroughModuleLoader(nodeArgs: readonly string[]): boolean {
  let script: string | undefined;
  for (let i = 0; i < nodeArgs.length; i++) {
    const arg = nodeArgs[i]!;
    if (LOADER_FLAGS.test(arg)) return true;
    if (!arg.startsWith("-")) {
      script = arg;
      break;
    }
    // Flags whose value is the next word.
    if (/^(?:-r|--require|-e|--eval|-p|--print|--input-type|--conditions|-C|--env-file)$/.test(arg)) i++;
  }
  if (script === undefined) return false;
  if (MODULE_EXTENSIONS.test(script)) return true;
  return /\.js$/i.test(script) && nearestPackageType(path.resolve(script)) === "module";
}

function nearestPackageType(file: string): string | undefined {
  let dir = path.dirname(file);
  for (let i = 0; i < 50; i++) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      try {
        const type = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { type?: unknown }).type;
        return typeof type === "string" ? type : undefined;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

/**
 * `--inspect-wait` holds the program until we attach without breaking on its first line, which
 * would make node load it through a different path (and change node's own stack lines).
 * Node before 20.15 only has `--inspect-brk`.
 */
function waitFlag(node: string): string {
  const sameNode = node === process.execPath;
  return sameNode && process.allowedNodeEnvironmentFlags.has("--inspect-wait") ? "--inspect-wait" : "--inspect-brk";
}
