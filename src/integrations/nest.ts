/// <reference types="node" preserve="true" />
/**
 * `logsight/nest`: a NestJS `LoggerService` over logsight, for `NestFactory.create(App, { logger })`
 * and `app.useLogger()`. Nest's context becomes `record.extra.context`; an Error logged by Nest (its
 * exception handler logs the thrown error itself) becomes the record's exception, with the annotated
 * traceback; a stack given as text is kept as the exception's stack.
 */
import { types } from "node:util";
import { captureStack } from "../caller";
import { isPlainObject } from "../describe";
import { logger as defaultLogger, type LevelName, type Logger } from "../index";
import { inspectValue } from "../template/stringify";

/** Nest's level names. */
export type NestLogLevel = "log" | "error" | "warn" | "debug" | "verbose" | "fatal";

const LEVELS: { readonly [level in NestLogLevel]: LevelName } = {
  verbose: "TRACE",
  debug: "DEBUG",
  log: "INFO",
  warn: "WARNING",
  error: "ERROR",
  fatal: "CRITICAL",
};

/** Frames of Nest's `Logger` facade, between the code that logs and this service. */
const NEST_LOGGER_FACADE = /[\\/]@nestjs[\\/]common[\\/]services[\\/]/;
const STACK_TEXT = /\n[ \t]+at .+:\d+:\d+/;
const MAX_FACADE_FRAMES = 8;

/** `new NestLogger()` logs through the global logger; `new NestLogger(logger.bind({ app: "api" }))` through another. */
export class NestLogger {
  readonly #logger: Logger;
  #enabled: ReadonlySet<NestLogLevel> | null = null;

  constructor(logger: Logger = defaultLogger) {
    this.#logger = logger;
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("log", this.log, message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("error", this.error, message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("warn", this.warn, message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("debug", this.debug, message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("verbose", this.verbose, message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.#write("fatal", this.fatal, message, optionalParams);
  }

  /** Nest's `logger: ["error", "warn"]` and `setLogLevels()`: only these levels are logged. */
  setLogLevels(levels: NestLogLevel[]): void {
    this.#enabled = new Set(levels);
  }

  #write(level: NestLogLevel, entry: Function, message: unknown, params: unknown[]): void {
    if (this.#enabled !== null && !this.#enabled.has(level)) return;
    const call = nestCall(level, message, params);
    let log = this.#logger.opt({ depth: callerDepth(entry), exception: call.exception });
    if (call.extra !== null) log = log.bind(call.extra);
    // The text is passed as an argument so that braces in Nest's messages ("Mapped {/, GET} route") are never a template.
    log.log(LEVELS[level], "{}", call.text);
  }
}

interface NestCall {
  text: string;
  extra: { [key: string]: unknown } | null;
  exception: unknown;
}

/**
 * Nest's calling convention: a trailing string is the context (Nest's `Logger` appends it); for
 * errors the string before it, when it looks like a stack, is the stack; plain objects are fields.
 */
function nestCall(level: NestLogLevel, message: unknown, params: unknown[]): NestCall {
  const rest = params.slice();
  let context: string | undefined;
  const last = rest[rest.length - 1];
  // A context is a name; a trailing string with stack lines is the stack of `error(message, stack)`.
  if (typeof last === "string" && !STACK_TEXT.test(last)) context = rest.pop() as string;
  let stack: string | undefined;
  if ((level === "error" || level === "fatal") && rest.length > 0) {
    const last = rest[rest.length - 1];
    if (last === undefined || (typeof last === "string" && STACK_TEXT.test(last))) {
      rest.pop();
      stack = last as string | undefined;
    }
  }
  let exception: unknown = undefined;
  const pieces: string[] = [];
  const extra: { [key: string]: unknown } = {};
  let hasExtra = false;
  if (context !== undefined) {
    extra.context = context;
    hasExtra = true;
  }
  for (const value of [message, ...rest]) {
    if (isError(value) && exception === undefined) {
      exception = value;
      pieces.push(`${value.name}: ${value.message}`);
    } else if (value !== message && isPlainObject(value)) {
      Object.assign(extra, value);
      hasExtra = true;
    } else {
      pieces.push(typeof value === "string" ? value : inspectValue(value));
    }
  }
  if (exception === undefined && typeof stack === "string") exception = errorFromStack(stack);
  return { text: pieces.join(" "), extra: hasExtra ? extra : null, exception };
}

function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/** A stack given as text (`logger.error(message, err.stack)`) as an Error whose traceback is that stack. */
function errorFromStack(stack: string): Error {
  const firstLine = stack.slice(0, stack.search(/\n|$/));
  const match = /^([A-Za-z_$][\w$]*): ?(.*)$/.exec(firstLine);
  const error = new Error(match ? match[2] : firstLine);
  if (match) error.name = match[1];
  error.stack = stack;
  return error;
}

/** How many frames the record's caller is above `Logger.log`: past this service and Nest's `Logger` facade. */
function callerDepth(entry: Function): number {
  const sites = captureStack(entry, 0, MAX_FACADE_FRAMES);
  let facade = 0;
  while (facade < sites.length && NEST_LOGGER_FACADE.test(sites[facade].getFileName() ?? "")) facade++;
  // Logger.log <- #write <- the public method (entry) <- facade frames... <- the caller.
  return 2 + (facade < sites.length ? facade : 0);
}
