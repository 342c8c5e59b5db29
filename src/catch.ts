import { fileInfo, findCaller, originalSite, stackFrames, type CallerSite } from "./caller";
import { isOwnPosition } from "../diagnose/own";
import type { StackFrame } from "./core";
import type { Logger } from "./logger";
import type { LevelOption } from "./types";

type ErrorClass = abstract new (...args: never[]) => unknown;

/** Options of `logger.catch()`; `D` is the type of `default`. */
export interface CatchOptions<D = unknown> {
  /** Only errors of these classes are caught (default: anything thrown). */
  exception?: ErrorClass | readonly ErrorClass[];
  /** Errors of these classes are let through unlogged. */
  exclude?: ErrorClass | readonly ErrorClass[];
  /** Level of the logged message (default `"ERROR"`). */
  level?: LevelOption;
  /** Throw the same error again after logging it. */
  reraise?: boolean;
  /** Called with the error after it is logged. */
  onerror?: (error: unknown) => void;
  /** Returned (or resolved) in place of the function's result when an error is caught. */
  default?: D;
  /** The message; `{record[...]}` fields are available. */
  message?: string;
}

/**
 * `F` itself when the catcher's `default` (of type `D`) is a value `F` may return (or resolve to);
 * otherwise a type that names the mismatch, so the call does not type-check.
 */
export type DefaultFits<F extends (...args: never[]) => unknown, D> = [D] extends [Awaited<ReturnType<F>>]
  ? F
  : { "catch(): the default option is not a value the wrapped function returns": D };

/**
 * What `logger.catch(options)` returns: a function wrapper, a method decorator, and `run()` for a
 * block. `D` is the type of the `default` option (`never` without one), checked against each
 * wrapped function's return type.
 */
export interface Catcher<D = never> {
  <F extends (...args: never[]) => unknown>(fn: F & DefaultFits<F, D>): F;
  /** TypeScript 5 standard decorator on a method. */
  <F extends (...args: never[]) => unknown>(method: F & DefaultFits<F, D>, context: ClassMethodDecoratorContext): F;
  /** `experimentalDecorators` decorator on a method. */
  (target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
  /** Runs `fn` at once, logging what it throws (or rejects with). */
  run<R>(fn: (() => R) & DefaultFits<() => R, D>): R;
}

export const DEFAULT_CATCH_MESSAGE =
  "An error has been caught in function '{record[function]}', process '{record[process].name}' ({record[process].id}), " +
  "thread '{record[thread].name}' ({record[thread].id}):";

const CATCH_OPTIONS = new Set(["exception", "exclude", "level", "reraise", "onerror", "default", "message"]);

function asList(value: ErrorClass | readonly ErrorClass[] | undefined, option: string): readonly ErrorClass[] | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? (value as readonly ErrorClass[]) : [value as ErrorClass];
  for (const item of list) {
    if (typeof item !== "function") throw new TypeError(`Invalid ${option} ${String(item)}: it should be an error class or an array of them`);
  }
  return list;
}

function isInstance(error: unknown, classes: readonly ErrorClass[]): boolean {
  return classes.some((cls) => error instanceof (cls as unknown as new () => unknown));
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as PromiseLike<unknown>).then === "function";
}

/** Builds the catcher behind `logger.catch()`. */
export function createCatcher(logger: Logger, options: CatchOptions): Catcher<unknown> {
  if (options === null || typeof options !== "object") throw new TypeError(`Invalid catch() options ${String(options)}: they should be an object`);
  for (const key of Object.keys(options)) {
    if (!CATCH_OPTIONS.has(key)) throw new TypeError(`Unknown option '${key}' for catch()`);
  }
  const catchOnly = asList(options.exception, "exception");
  const exclude = asList(options.exclude, "exclude");
  const level = options.level ?? "ERROR";
  logger.level(typeof level === "string" ? level : "ERROR");
  if (typeof level !== "string" && (typeof level !== "number" || !Number.isInteger(level) || level < 0)) {
    throw new TypeError(`Invalid level ${String(level)}: it should be a level name or a non-negative integer`);
  }
  if (options.onerror !== undefined && typeof options.onerror !== "function") throw new TypeError("Invalid onerror: it should be a function");
  if (options.message !== undefined && typeof options.message !== "string") throw new TypeError("Invalid message: it should be a string");
  const message = options.message ?? DEFAULT_CATCH_MESSAGE;
  const reraise = options.reraise === true;

  const shouldCatch = (error: unknown): boolean =>
    !(exclude && isInstance(error, exclude)) && (catchOnly === null || isInstance(error, catchOnly));

  /** Logs a caught error as coming from `site` (the code that called the wrapped function). */
  const handle = (error: unknown, functionName: string | null, site: CallerSite, callerFrames: readonly StackFrame[]): void => {
    logger
      .opt({ record: true })
      .caught(error)
      .at(functionName === null ? site : { ...site, functionName }, catchPoint(error, callerFrames, functionName))
      .log(level, message);
    if (options.onerror) options.onerror(error);
  };

  /** `name` is the wrapped function's; null for an anonymous run() block, which belongs to the function around it. */
  const invoke = (fn: (...args: unknown[]) => unknown, self: unknown, args: unknown[], name: string | null): unknown => {
    let result: unknown;
    try {
      result = fn.apply(self, args);
    } catch (error) {
      if (!shouldCatch(error)) throw error;
      handle(error, name, findCaller(invoke, 1), stackFrames(invoke, 0, CALLER_FRAMES));
      if (reraise) throw error;
      return options.default;
    }
    if (isPromiseLike(result)) {
      const site = findCaller(invoke, 1);
      return Promise.resolve(result).then(undefined, (error: unknown) => {
        if (!shouldCatch(error)) throw error;
        // After an await the error's stack and the caller's no longer line up: the wrapped function alone marks the catch point.
        handle(error, name, site, []);
        if (reraise) throw error;
        return options.default;
      });
    }
    return result;
  };

  const wrap = <F extends (...args: never[]) => unknown>(fn: F, name: string): F => {
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      return invoke(fn as unknown as (...a: unknown[]) => unknown, this, args, name);
    };
    Object.defineProperty(wrapped, "name", { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, "length", { value: fn.length, configurable: true });
    return wrapped as unknown as F;
  };

  const catcher = function (target: unknown, context?: unknown, descriptor?: PropertyDescriptor): unknown {
    if (descriptor !== undefined && typeof descriptor === "object" && typeof descriptor.value === "function") {
      const className = (target as { constructor?: { name?: string } })?.constructor?.name;
      const key = String(context);
      descriptor.value = wrap(descriptor.value as (...args: never[]) => unknown, className && className !== "Function" ? `${className}.${key}` : key);
      return descriptor;
    }
    if (typeof target !== "function") {
      throw new TypeError(`catch() wraps a function or decorates a method, not: '${target === null ? "null" : typeof target}'`);
    }
    const fn = target as (...args: never[]) => unknown;
    if (context !== null && typeof context === "object" && (context as { kind?: string }).kind === "method") {
      return wrap(fn, String((context as ClassMethodDecoratorContext).name));
    }
    return wrap(fn, fn.name || "<anonymous>");
  } as Catcher<unknown>;

  catcher.run = function run<R>(fn: () => R): R {
    if (typeof fn !== "function") throw new TypeError("catch().run() needs a function to run");
    return invoke(fn as () => unknown, undefined, [], fn.name || null) as R;
  };
  return catcher;
}

let uncaughtInstalled = false;

/**
 * Logs uncaught exceptions and unhandled rejections at CRITICAL with their tracebacks, then lets the
 * process end as Node would (exit code 1 unless the app set another), unless the app listens too.
 */
export function installUncaughtHandlers(logger: Logger): void {
  if (uncaughtInstalled) return;
  uncaughtInstalled = true;
  const end = (event: "uncaughtException" | "unhandledRejection", listener: Function): void => {
    const othersListen = (process.listeners(event as "uncaughtException") as Function[]).some((l) => l !== listener);
    if (othersListen) return;
    // Let queued async sinks finish, but never hang the exit on them.
    const code = typeof process.exitCode === "number" && process.exitCode !== 0 ? process.exitCode : 1;
    setTimeout(() => process.exit(code), 1000);
    logger.complete().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  const onException = (error: unknown): void => {
    logger.caught(error).at(siteOfError(error)).critical("An uncaught exception ended the process:");
    end("uncaughtException", onException);
  };
  const onRejection = (reason: unknown): void => {
    logger.caught(reason).at(siteOfError(reason)).critical("An unhandled promise rejection ended the process:");
    end("unhandledRejection", onRejection);
  };
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
}

const STACK_FRAMES = /^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/gm;
const CALLER_FRAMES = 50;

/** The frames of an error's `stack` text, innermost first; none when it has no readable stack. */
function framesOfError(error: unknown): StackFrame[] {
  let stack: unknown;
  try {
    stack = error !== null && typeof error === "object" ? (error as { stack?: unknown }).stack : undefined;
  } catch {
    stack = undefined;
  }
  if (typeof stack !== "string") return [];
  const frames: StackFrame[] = [];
  for (const match of stack.matchAll(STACK_FRAMES)) {
    frames.push({ functionName: (match[1] ?? "").replace(/^async /, ""), file: match[2]!, line: Number(match[3]), column: Number(match[4]) });
  }
  return frames;
}

/**
 * The catch point of an error caught by a wrapper: the wrapped function (the frame the error's stack
 * shows just inside this file's own frames, or its outermost frame after an await), then the caller's
 * stack. The traceback marks that function with ">".
 */
function catchPoint(error: unknown, callerFrames: readonly StackFrame[], functionName: string | null): readonly StackFrame[] {
  const frames = framesOfError(error);
  const own = frames.findIndex((frame) => isOwnPosition(frame.file, frame.line, frame.column));
  let wrapped: StackFrame | undefined;
  if (own > 0) wrapped = frames[own - 1];
  else if (own === -1) {
    // After an await the stack ends in the awaiting callers instead: find the function by its name.
    const named = functionName ? frames.findLastIndex((frame) => frame.functionName.split(".").pop() === functionName.split(".").pop()) : -1;
    wrapped = frames[named !== -1 ? named : frames.length - 1];
  }
  return wrapped ? [wrapped, ...callerFrames] : callerFrames;
}

/**
 * An uncaught error is reported as coming from where it was thrown (its stack's first frame); a
 * process warning, with `outsideNode`, from the first frame that is not Node's own (the code that
 * called the deprecated API or `console.countReset`).
 */
export function siteOfError(error: unknown, outsideNode = false): CallerSite {
  const frames = framesOfError(error);
  const index = outsideNode ? Math.max(0, frames.findIndex((frame) => !frame.file.startsWith("node:"))) : 0;
  const frame = frames[index];
  if (!frame) return { filePath: "", fileName: "", module: "", name: "", functionName: "<uncaught>", line: 0 };
  const site = originalSite(frame.file, frame.line, frame.column);
  return { ...fileInfo(site.file), functionName: frameFunctionName(frame, frames[index + 1]), line: site.line };
}

/** A stack text's function name as records name it: a CommonJS module's top level is `<module>`. */
function frameFunctionName(frame: StackFrame, outer: StackFrame | undefined): string {
  if (frame.functionName === "") return "<module>";
  if (frame.functionName === "Object.<anonymous>" && outer?.functionName === "Module._compile") return "<module>";
  return frame.functionName;
}
