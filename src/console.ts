/** `logger.captureConsole()`: `console.*` calls and process warnings become records. */
import { format } from "node:util";
import { findCaller, type CallerSite } from "./caller";
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

/**
 * Console methods that print through `this.log` or `this.warn` (`console.table` and the like):
 * while one runs, the records it makes come from the line that called it, not from Node's code.
 */
const ROUTED_METHODS = ["assert", "count", "dirxml", "group", "groupCollapsed", "table", "timeEnd", "timeLog"] as const;
type RoutedMethod = (typeof ROUTED_METHODS)[number];

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
  /** The caller of the routed method running now, if any. */
  let routedSite: CallerSite | null = null;

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
            (routedSite === null ? fromCaller : logger.at(routedSite)).log(level, format(...args));
          };
    replacements.set(method, replacement);
    console[method] = replacement;
  }

  const routedOriginals = new Map<RoutedMethod, (...args: unknown[]) => unknown>();
  const routedReplacements = new Map<RoutedMethod, (...args: unknown[]) => unknown>();
  for (const method of ROUTED_METHODS) {
    const original = console[method] as ((...args: unknown[]) => unknown) | undefined;
    if (typeof original !== "function") continue;
    const replacement = function (...args: unknown[]): unknown {
      if (routedSite !== null || logger.isWriting()) return original.apply(console, args);
      routedSite = findCaller(replacement, 0);
      try {
        return original.apply(console, args);
      } finally {
        routedSite = null;
      }
    };
    routedOriginals.set(method, original);
    routedReplacements.set(method, replacement);
    console[method] = replacement as never;
  }

  const printers = process.listeners("warning").filter((listener) => listener.name === NODE_WARNING_PRINTER);
  for (const printer of printers) process.removeListener("warning", printer);
  const onWarning = (warning: Error): void => {
    const code = (warning as { code?: unknown }).code;
    const text = `${typeof code === "string" ? `[${code}] ` : ""}${warning.name}: ${warning.message}`;
    logger.opt({ exception: warning }).at(siteOfError(warning, true), []).log("WARNING", text);
  };
  process.on("warning", onWarning);

  let restored = false;
  return function restoreConsole(): void {
    if (restored) return;
    restored = true;
    for (const [method, replacement] of replacements) {
      if (console[method] === replacement) console[method] = originals.get(method)!;
    }
    for (const [method, replacement] of routedReplacements) {
      if (console[method] === replacement) console[method] = routedOriginals.get(method)! as never;
    }
    process.removeListener("warning", onWarning);
    for (const printer of printers) process.on("warning", printer);
  };
}
