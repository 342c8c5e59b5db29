import * as path from "node:path";

/** What the command line asks for. */
export interface CliOptions {
  /** The program's command: a node binary, its flags, the script and the script's arguments. */
  readonly command: readonly string[];
  readonly colorize: boolean;
  readonly all: boolean;
  readonly rate: number;
  readonly includeNodeModules: boolean;
}

export type ParsedArgs = { readonly kind: "run"; readonly options: CliOptions } | { readonly kind: "help" } | { readonly kind: "error"; readonly message: string };

export const USAGE = `Usage: logsight-diagnose [options] script.js [args...]
       logsight-diagnose [options] -- node [node options] script [args...]

Runs a Node program with logsight's capture engine preloaded (no inspector port is opened) and
prints an annotated traceback (the value of each variable on each line) for every uncaught
exception and unhandled rejection, in every thread. The program's output, input and exit code
are otherwise unchanged.

Options:
  --colorize, --no-colorize   ANSI colors in tracebacks (default: when stderr is a terminal)
  --all                       also print caught exceptions of the program's own code as they are thrown
  --rate=N                    at most N captures a second, then uncaught ones only for a while (default 50)
  --include-node-modules      annotate frames of dependencies too
  -h, --help                  show this text
`;

/** Parses the CLI's own options (before the script or `--`); the rest belongs to the program. */
export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv, stderrIsTTY: boolean): ParsedArgs {
  let colorize: boolean | undefined;
  let all = false;
  let rate = 50;
  let includeNodeModules = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      const command = argv.slice(i + 1);
      if (command.length === 0) return { kind: "error", message: "a command is required after --" };
      if (!isNodeBinary(command[0]!)) return { kind: "error", message: `the command after -- must start with node, got "${command[0]}"` };
      return run(command);
    }
    if (arg === "-h" || arg === "--help") return { kind: "help" };
    if (arg === "--colorize") colorize = true;
    else if (arg === "--no-colorize") colorize = false;
    else if (arg === "--all") all = true;
    else if (arg === "--include-node-modules") includeNodeModules = true;
    else if (arg.startsWith("--rate")) {
      const value = arg.startsWith("--rate=") ? arg.slice(7) : argv[++i];
      const n = Number(value);
      if (value === undefined || value === "" || !Number.isInteger(n) || n < 1) return { kind: "error", message: `option --rate must be a positive integer, got "${value ?? ""}"` };
      rate = n;
    } else if (arg.startsWith("-")) {
      return { kind: "error", message: `unknown option "${arg}"` };
    } else {
      return run([process.execPath, ...argv.slice(i)]);
    }
  }
  return { kind: "error", message: "a script to run is required" };

  function run(command: string[]): ParsedArgs {
    if (command[0] === "node") command = [process.execPath, ...command.slice(1)];
    return { kind: "run", options: { command, colorize: colorize ?? defaultColorize(env, stderrIsTTY), all, rate, includeNodeModules } };
  }
}

function isNodeBinary(word: string): boolean {
  return /^(?:node|nodejs)(?:\.exe)?$/i.test(path.basename(word)) || word === process.execPath;
}

function defaultColorize(env: NodeJS.ProcessEnv, stderrIsTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stderrIsTTY;
}
