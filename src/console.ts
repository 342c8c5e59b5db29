/** `logger.captureConsole()`: `console.*` calls and process warnings become records. */
import { format } from "node:util";
import { siteOfError } from "./catch";
import type { Logger } from "./logger";
import type { LevelName } from "./types";

type ConsoleMethod = "debug" | "log" | "info" | "warn" | "error" | "trace";

const CONSOLE_LEVELS: ReadonlyArray<readonly [ConsoleMethod, LevelName]> = [
  ["trace", "TRACE"],
  ["debug", "DEBUG"],
  ["log", "INFO"],
  ["info", "INFO"],
  ["warn", "WARNING"],
  ["error", "ERROR"],
];

/** Node's own printer of process warnings (installed at start-up unless `--no-warnings`). */
const NODE_WARNING_PRINTER = "onWarning";

/**
 * Replaces the console methods with ones that log their `util.format` text at the matching level,
 * reported as coming from the line that called `console.*`; process warnings are logged at WARNING
 * with their stack instead of Node's printing them. Returns the function that puts everything back.
 */
export function captureConsole(logger: Logger): () => void {
  const console = globalThis.console;
  const originals = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  const replacements = new Map<ConsoleMethod, (...args: unknown[]) => void>();
  const fromCaller = logger.opt({ depth: 1 });

  for (const [method, level] of CONSOLE_LEVELS) {
    const original = console[method] as (...args: unknown[]) => void;
    originals.set(method, original);
    const replacement =
      method === "trace"
        ? function trace(...args: unknown[]): void {
            if (logger.isWriting()) return original.apply(console, args);
            const text = format(...args);
            // console.trace prints where it was called from: that stack is the record's exception.
            const here = new Error(text);
            here.name = "Trace";
            Error.captureStackTrace(here, trace);
            logger.opt({ depth: 1, exception: here }).log(level, text);
          }
        : function (...args: unknown[]): void {
            if (logger.isWriting()) return original.apply(console, args);
            fromCaller.log(level, format(...args));
          };
    replacements.set(method, replacement);
    console[method] = replacement;
  }

  const printers = process.listeners("warning").filter((listener) => listener.name === NODE_WARNING_PRINTER);
  for (const printer of printers) process.removeListener("warning", printer);
  const onWarning = (warning: Error): void => {
    const code = (warning as { code?: unknown }).code;
    const text = `${typeof code === "string" ? `[${code}] ` : ""}${warning.name}: ${warning.message}`;
    logger.opt({ exception: warning }).at(siteOfError(warning), []).log("WARNING", text);
  };
  process.on("warning", onWarning);

  let restored = false;
  return function restoreConsole(): void {
    if (restored) return;
    restored = true;
    for (const [method, replacement] of replacements) {
      if (console[method] === replacement) console[method] = originals.get(method)!;
    }
    process.removeListener("warning", onWarning);
    for (const printer of printers) process.on("warning", printer);
  };
}
