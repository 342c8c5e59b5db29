import type { Capture } from "./capture/types.js";
import { colorTheme, plainTheme } from "./highlight.js";
import { defaultRedaction, NO_REDACTION, Redactor } from "./redact.js";
import { layoutReport } from "./render.js";
import { buildReport, type CallerFrame } from "./report.js";

export interface FormatExceptionOptions {
  /** Show the frames above the catch point too, marking the catch frame with `>`. Default true. */
  backtrace?: boolean;
  /** Annotate each source line with the values of its variables (needs a capture). Default true. */
  diagnose?: boolean;
  /** ANSI colors: loguru's palette, syntax-highlighted source lines. Default false. */
  colorize?: boolean;
  /**
   * The stack of the code that caught the error (where `logger.exception()` was called, or the
   * function wrapped by `catch()`), innermost first like a V8 stack. Frames of `error` shared
   * with it (same file and function, counted from the outermost) are above the catch point:
   * shown only with `backtrace`, the deepest shared one marked `>`.
   */
  catchStack?: readonly { file: string; line: number; column: number; functionName: string }[];
  /**
   * Names and paths whose values show as `[redacted]`, added to the default secret names
   * (`password`, `token`, `apiKey`, `authorization`, `cookie`, ...); `false` masks nothing.
   * Default: the default names alone.
   */
  redact?: readonly string[] | false | Redactor;
}

/** formatException with the captures found by `getCapture` (the CLI hands over a capture it kept). */
export function formatThrown(error: unknown, options: FormatExceptionOptions | undefined, getCapture: (thrown: unknown) => Capture | undefined): string {
  try {
    const diagnose = options?.diagnose ?? true;
    const colorize = options?.colorize === true;
    const report = buildReport(error, {
      backtrace: options?.backtrace ?? true,
      diagnose,
      colorize,
      catchStack: normalizeCatchStack(options?.catchStack),
      getCapture,
      redactor: redactorOf(options?.redact),
    });
    const lines = layoutReport(report, { diagnose, theme: colorize ? colorTheme : plainTheme });
    return lines.join("\n") + "\n";
  } catch (internal) {
    return fallbackText(error, internal);
  }
}

const compiled = new WeakMap<readonly string[], Redactor>();

/** The redactor a `redact` option asks for (compiled once per array). */
export function redactorOf(option: FormatExceptionOptions["redact"]): Redactor {
  if (option === undefined || option === null) return defaultRedaction();
  if (option === false) return NO_REDACTION;
  if (option instanceof Redactor) return option;
  if (!Array.isArray(option)) return defaultRedaction();
  let redactor = compiled.get(option);
  if (redactor === undefined) {
    try {
      redactor = new Redactor({ defaults: true, entries: option.filter((entry): entry is string => typeof entry === "string") });
    } catch {
      redactor = defaultRedaction();
    }
    compiled.set(option, redactor);
  }
  return redactor;
}

export function normalizeCatchStack(stack: FormatExceptionOptions["catchStack"]): readonly CallerFrame[] | undefined {
  if (!Array.isArray(stack) || stack.length === 0) return undefined;
  return stack;
}

function fallbackText(error: unknown, internal: unknown): string {
  let text: string;
  try {
    const stack = typeof error === "object" && error !== null ? (error as { stack?: unknown }).stack : undefined;
    text = typeof stack === "string" ? stack : `Thrown ${error === null ? "null" : typeof error}: ${String(error)}`;
  } catch {
    text = "<unrepresentable thrown value>";
  }
  let reason = "";
  try {
    reason = internal instanceof Error ? `${internal.name}: ${internal.message}` : String(internal);
  } catch {
    reason = "unknown";
  }
  return `${text}\n[logsight: traceback formatting failed: ${reason}]\n`;
}
