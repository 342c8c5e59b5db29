/// <reference types="node" preserve="true" />
import { inspect, types } from "node:util";
import { findCaller, stackFrames, type CallerSite } from "./caller";
import type { Catcher, CatchOptions } from "./catch";
import { currentContext, runWithContext } from "./context";
import { NO_EXCEPTION, UNKNOWN_EXCEPTION, type Core, type StackFrame } from "./core";
import type { MessageText } from "./handler";
import type { Level } from "./levels";
import { isPlainObject } from "./describe";
import { ownDataProperty } from "../diagnose/data-property";
import { assignOwn, isExtraObject, mergedExtra, setOwn } from "./extra";
import { reportSinkError } from "./handler";
import { escapeControls } from "./escape";
import { formatMessage, inspectMessage, type FormattedMessage } from "./message";
import { checkRedactOption, configuredRedaction, type Redactor } from "./redact";
import type { ParseOptions } from "./parse";
import { createRecord, exceptionOf } from "./record";
import { addTraceContext } from "./trace-context";
import { renderMarkup } from "./template/markup";
import { inspectValue, strOf } from "./template/stringify";
import type { HandlerOptions, LevelInfo, LevelName, LevelOption, LogRecord, RecordException, Sink } from "./types";

/** What `logger.configure()` accepts. */
export interface ConfigureOptions {
  handlers?: ReadonlyArray<{ sink: Sink } & HandlerOptions> | null;
  levels?: ReadonlyArray<{ name: string; no?: number; color?: string; icon?: string }> | null;
  extra?: { [key: string]: unknown } | null;
  patcher?: ((record: LogRecord) => void) | null;
  activation?: ReadonlyArray<readonly [string, boolean]> | null;
  /**
   * Names and paths whose values show as `[redacted]` in every handler's output, added to the
   * default secret names (replacing `LOGSIGHT_REDACT`); `false` turns the default names off too.
   */
  redact?: readonly string[] | false | null;
}

/** Options of `logger.opt()`; each call of `opt()` starts again from these defaults. */
export interface OptOptions {
  /** An Error (or any thrown value) to attach, or `true` for the exception most recently thrown on this thread. */
  exception?: unknown;
  /** Make the record available to the message as `{record}` (`{record[thread]}`, `{record.level}`). */
  record?: boolean;
  /** Arguments that are functions are called, only when some handler will emit the message. */
  lazy?: boolean;
  /** Color markup in the message is rendered (or stripped) per handler; markup in arguments is left alone. */
  colors?: boolean;
  /** Write the message alone: no handler format, no trailing newline. */
  raw?: boolean;
  /** Whether a trailing plain object's keys are added to `record.extra` (default true). */
  capture?: boolean;
  /** How many frames above the caller the `name/function/line` fields come from. */
  depth?: number;
}

const OPT_OPTIONS: ReadonlySet<string> = new Set(["exception", "record", "lazy", "colors", "raw", "capture", "depth"]);
const CONFIGURE_OPTIONS: ReadonlySet<string> = new Set(["handlers", "levels", "extra", "patcher", "activation", "redact"]);

interface CallOptions {
  readonly exception: unknown;
  readonly hasException: boolean;
  readonly record: boolean;
  readonly lazy: boolean;
  readonly colors: boolean;
  readonly raw: boolean;
  readonly capture: boolean;
  readonly depth: number;
  /** Caller fields given by logsight itself (catch() reports the wrapped function, not its own frame). */
  readonly site: CallerSite | null;
  /** The catch point given by logsight itself (catch(): the wrapped function), innermost first. */
  readonly catchFrames: readonly StackFrame[] | null;
}

const DEFAULT_CALL: CallOptions = Object.freeze({
  exception: undefined,
  hasException: false,
  record: false,
  lazy: false,
  colors: false,
  raw: false,
  capture: true,
  depth: 0,
  site: null,
  catchFrames: null,
});

type Extra = { readonly [key: string]: unknown };
type Patcher = (record: LogRecord) => void;
/** pino's serializers: the value under a key of a call's leading object (or of child bindings) is replaced by what its function returns. */
export type Serializers = { readonly [key: string]: (value: any) => unknown };

/** Options of `logger.child()`, as pino names them. */
export interface ChildOptions {
  /** The minimum level of this child's calls: a level name in any case, a number, or one of pino's `"warn"`, `"fatal"`, `"silent"`. */
  level?: LevelOption | "warn" | "fatal" | "silent";
  /** Added to the parent's serializers. */
  serializers?: Serializers;
}

/** What a facade adds to the shared core: its own minimum level and serializers (from `child()`). */
interface Scope {
  readonly floor: number;
  readonly serializers: Serializers | null;
}

const NO_EXTRA: Extra = Object.freeze({});
const ROOT_SCOPE: Scope = Object.freeze({ floor: 0, serializers: null });
/** pino's names that differ from loguru's, accepted in `child()` options (Fastify passes a route's `logLevel` there). */
const PINO_LEVEL_NAMES: ReadonlyMap<unknown, LevelName> = new Map<unknown, LevelName>([
  ["warn", "WARNING"],
  ["fatal", "CRITICAL"],
]);
const NO_PATCHERS: readonly Patcher[] = Object.freeze([]);
let warnedBadMarkup = false;

/** `catch()` and `catchUncaught()`, loaded at their first use. */
const loadCatch = (): typeof import("./catch") => require("./catch") as typeof import("./catch");

/**
 * The object users hold. `opt()`, `bind()` and `patch()` return new facades over the same core, so
 * every facade shares the handlers, levels and configuration.
 */
export class Logger {
  // ES private fields: they stay out of util.inspect, so a logger shown in a traceback is short.
  readonly #core: Core;
  readonly #call: CallOptions;
  readonly #bound: Extra;
  readonly #patchers: readonly Patcher[];
  readonly #scope: Scope;
  /** The scope's minimum level, read by every level method's fast path. */
  readonly #floor: number;

  // Private: the one logger comes from `import { logger }`; `new Logger()` would have no handlers or levels.
  private constructor(
    core: Core,
    call: CallOptions = DEFAULT_CALL,
    bound: Extra = NO_EXTRA,
    patchers: readonly Patcher[] = NO_PATCHERS,
    scope: Scope = ROOT_SCOPE,
  ) {
    this.#core = core;
    this.#call = call;
    this.#bound = bound;
    this.#patchers = patchers;
    this.#scope = scope;
    this.#floor = scope.floor;
  }

  /** @internal The logger over a core, with default call options. */
  static over(core: Core): Logger {
    return new Logger(core);
  }

  trace(message: unknown, ...args: unknown[]): void;
  trace(): void {
    const no = this.#core.traceNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.trace);
    this.emit("TRACE", this.trace, arguments, 0, false, found);
  }

  debug(message: unknown, ...args: unknown[]): void;
  debug(): void {
    const no = this.#core.debugNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.debug);
    this.emit("DEBUG", this.debug, arguments, 0, false, found);
  }

  info(message: unknown, ...args: unknown[]): void;
  info(): void {
    const no = this.#core.infoNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.info);
    this.emit("INFO", this.info, arguments, 0, false, found);
  }

  success(message: unknown, ...args: unknown[]): void;
  success(): void {
    const no = this.#core.successNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.success);
    this.emit("SUCCESS", this.success, arguments, 0, false, found);
  }

  warning(message: unknown, ...args: unknown[]): void;
  warning(): void {
    const no = this.#core.warningNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.warning);
    this.emit("WARNING", this.warning, arguments, 0, false, found);
  }

  error(message: unknown, ...args: unknown[]): void;
  error(): void {
    const no = this.#core.errorNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.error);
    this.emit("ERROR", this.error, arguments, 0, false, found);
  }

  critical(message: unknown, ...args: unknown[]): void;
  critical(): void {
    const no = this.#core.criticalNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.critical);
    this.emit("CRITICAL", this.critical, arguments, 0, false, found);
  }

  /** Logs at ERROR with a traceback: of the trailing Error argument, else of the exception most recently thrown. */
  exception(message: unknown, ...args: unknown[]): void;
  exception(): void {
    const no = this.#core.errorNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.exception);
    this.emit("ERROR", this.exception, arguments, 0, true, found);
  }

  /** pino's name for `warning`. */
  warn(message: unknown, ...args: unknown[]): void;
  warn(): void {
    const no = this.#core.warningNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.warn);
    this.emit("WARNING", this.warn, arguments, 0, false, found);
  }

  /** pino's name for `critical`. */
  fatal(message: unknown, ...args: unknown[]): void;
  fatal(): void {
    const no = this.#core.criticalNo;
    if (no < this.#core.minLevel || no < this.#floor) return;
    const found = this.#callerFor(this.fatal);
    this.emit("CRITICAL", this.fatal, arguments, 0, false, found);
  }

  /** Logs at a level given by name (`"INFO"`, `"info"`, a custom level) or by number. */
  log(level: LevelOption, message: unknown, ...args: unknown[]): void;
  log(level: LevelOption): void {
    const resolved = this.#core.levels.resolveForLog(level);
    if (resolved.no < this.#core.minLevel || resolved.no < this.#floor) return;
    const found = this.#callerFor(this.log);
    this.emit(resolved, this.log, arguments, 1, false, found);
  }

  /** @internal A logger whose records take their caller fields from `site` (and their catch point from `catchFrames`). */
  at(site: CallerSite, catchFrames: readonly StackFrame[] | null = null): Logger {
    return new Logger(this.#core, { ...this.#call, site, catchFrames }, this.#bound, this.#patchers, this.#scope);
  }

  /**
   * @internal A logger whose records carry `thrown` as their exception whatever it is: unlike
   * `opt({ exception })`, `null`, `undefined` and `false` count (a `throw null` that was caught).
   */
  caught(thrown: unknown): Logger {
    return new Logger(this.#core, { ...this.#call, exception: thrown, hasException: true }, this.#bound, this.#patchers, this.#scope);
  }

  /** Adds a handler and returns its id (never reused). */
  add(sink: Sink, options?: HandlerOptions): number {
    return this.#core.add(sink, options);
  }

  /** Removes the handler with this id, or every handler when no id is given. */
  remove(id?: number): void {
    this.#core.remove(id);
  }

  /** Resolves when every pending async sink call and every queued message is written. */
  complete(): Promise<void> {
    return this.#core.complete();
  }

  /** A logger whose next calls use these options (options of earlier `opt()` calls are not kept). */
  opt(options: OptOptions = {}): Logger {
    if (options === null || typeof options !== "object") {
      throw new TypeError(`Invalid opt() options ${String(options)}: they should be an object`);
    }
    for (const key of Object.keys(options)) {
      if (!OPT_OPTIONS.has(key)) throw new TypeError(`Unknown option '${key}' for opt()`);
    }
    const depth = options.depth ?? 0;
    if (!Number.isInteger(depth) || depth < 0) throw new TypeError(`Invalid depth ${String(depth)}: it should be a non-negative integer`);
    for (const key of ["record", "lazy", "colors", "raw", "capture"] as const) {
      const value = options[key];
      if (value !== undefined && typeof value !== "boolean") throw new TypeError(`Invalid ${key} ${String(value)}: it should be a boolean`);
    }
    const hasException = options.exception !== undefined && options.exception !== null && options.exception !== false;
    const call: CallOptions = {
      exception: options.exception,
      hasException,
      record: options.record ?? false,
      lazy: options.lazy ?? false,
      colors: options.colors ?? false,
      raw: options.raw ?? false,
      capture: options.capture ?? true,
      depth,
      site: null,
      catchFrames: null,
    };
    return new Logger(this.#core, call, this.#bound, this.#patchers, this.#scope);
  }

  /** A logger whose records carry these `extra` values. */
  bind(extra: { [key: string]: unknown }): Logger {
    if (!isExtraObject(extra)) {
      throw new TypeError(`Invalid bind() values ${String(extra)}: they should be an object of key/values`);
    }
    return new Logger(this.#core, this.#call, mergedExtra(this.#bound, extra), this.#patchers, this.#scope);
  }

  /**
   * pino's `child()`: `bind(bindings)`, and with `options` a minimum level for this child's calls
   * (`"silent"` for none) and serializers for the keys of its calls' leading objects.
   */
  child(bindings: { [key: string]: unknown }, options?: ChildOptions): Logger {
    if (!isExtraObject(bindings)) {
      throw new TypeError(`Invalid child() bindings ${String(bindings)}: they should be an object of key/values`);
    }
    if (options === undefined || options === null) return this.bind(bindings);
    if (typeof options !== "object") throw new TypeError(`Invalid child() options ${String(options)}: they should be an object`);
    let floor = this.#scope.floor;
    if (options.level !== undefined && options.level !== null && options.level !== "") {
      floor = options.level === "silent" ? Infinity : this.#core.levels.severity(PINO_LEVEL_NAMES.get(options.level) ?? options.level, "child() level");
    }
    let serializers = this.#scope.serializers;
    if (options.serializers !== undefined && options.serializers !== null) {
      if (typeof options.serializers !== "object") {
        throw new TypeError(`Invalid child() serializers ${String(options.serializers)}: they should be an object of key: function`);
      }
      for (const [key, serializer] of Object.entries(options.serializers)) {
        if (typeof serializer !== "function") throw new TypeError(`Invalid child() serializer for '${key}': it should be a function, not '${typeof serializer}'`);
      }
      serializers = { ...serializers, ...options.serializers };
    }
    const scope = floor === this.#scope.floor && serializers === this.#scope.serializers ? this.#scope : { floor, serializers };
    const bound = mergedExtra(this.#bound, serializers !== null ? serialized(bindings, serializers, null) : bindings);
    return new Logger(this.#core, this.#call, bound, this.#patchers, scope);
  }

  /** A logger whose records go through `patcher` (after the configured one) before reaching the handlers. */
  patch(patcher: (record: LogRecord) => void): Logger {
    if (typeof patcher !== "function") throw new TypeError(`Invalid patcher ${String(patcher)}: it should be a function`);
    return new Logger(this.#core, this.#call, this.#bound, [...this.#patchers, patcher], this.#scope);
  }

  /** Runs `fn` with `extra` added to every record logged within it, across `await` and timers. */
  contextualize<T>(extra: { [key: string]: unknown }, fn: () => T): T {
    return runWithContext(extra, fn);
  }

  /** Reads a level, or adds one (`no` required), or updates an existing one's color or icon. */
  level(name: string, options?: { no?: number; color?: string; icon?: string }): LevelInfo {
    return this.#core.levels.define(name, options);
  }

  /** Silences the records of a package-relative name and everything below it (`"some-lib"`). */
  disable(name: string): void {
    this.#core.activation.disable(checkName(name, "disable"));
    this.#core.refresh();
  }

  /** Undoes `disable()` for a name and everything below it; `enable("")` enables everything. */
  enable(name: string): void {
    this.#core.activation.enable(checkName(name, "enable"));
    this.#core.refresh();
  }

  /**
   * Replaces the handlers (when `handlers` is given), defines or updates `levels`, sets the `extra`
   * every record starts from, the `patcher` applied before any `patch()`, and `activation` rules.
   * Returns the ids of the new handlers.
   */
  configure(config: ConfigureOptions): number[] {
    if (config === null || typeof config !== "object") throw new TypeError(`Invalid configure() argument ${String(config)}: it should be an object`);
    for (const key of Object.keys(config)) {
      if (!CONFIGURE_OPTIONS.has(key)) throw new TypeError(`Unknown option '${key}' for configure()`);
    }
    const { handlers, levels, extra, patcher, activation, redact } = config;
    if (handlers !== undefined && handlers !== null && !Array.isArray(handlers)) throw new TypeError("Invalid handlers: it should be an array of { sink, ...options }");
    if (levels !== undefined && levels !== null && !Array.isArray(levels)) throw new TypeError("Invalid levels: it should be an array of { name, no, color, icon }");
    if (extra !== undefined && extra !== null && !isExtraObject(extra)) throw new TypeError("Invalid extra: it should be an object");
    if (patcher !== undefined && patcher !== null && typeof patcher !== "function") throw new TypeError("Invalid patcher: it should be a function");
    if (activation !== undefined && activation !== null && !Array.isArray(activation)) throw new TypeError("Invalid activation: it should be an array of [name, enabled] pairs");
    const redaction = redact === undefined || redact === null ? null : configuredRedaction(checkRedactOption(redact, "configure()"));
    const core = this.#core;
    if (redaction !== null) core.setRedaction(redaction);
    for (const level of levels ?? []) {
      const { name, ...attributes } = level;
      core.levels.define(name, attributes);
    }
    if (extra !== undefined && extra !== null) core.extra = assignOwn({}, extra);
    if (patcher !== undefined) core.patcher = patcher;
    if (activation) {
      for (const rule of activation) {
        if (!Array.isArray(rule) || rule.length !== 2 || typeof rule[0] !== "string" || typeof rule[1] !== "boolean") {
          throw new TypeError(`Invalid activation rule ${inspect(rule)}: it should be a [name, enabled] pair`);
        }
      }
      core.activation.apply(activation);
    }
    core.refresh();
    if (!handlers) return [];
    // The new handlers are added before the old ones are removed: one that is refused (a bad option)
    // leaves the logger with the handlers it had, not with none.
    const previous = core.handlerIds();
    const added: number[] = [];
    try {
      for (const entry of handlers) {
        if (entry === null || typeof entry !== "object" || !("sink" in entry)) throw new TypeError(`Invalid handler ${inspect(entry)}: it should be an object with a sink`);
        const { sink, ...options } = entry;
        added.push(core.add(sink, options));
      }
    } catch (error) {
      for (const id of added) core.remove(id);
      throw error;
    }
    for (const id of previous) core.remove(id);
    return added;
  }

  /** The named groups of every match of `pattern` in a log file or stream, read in chunks. */
  parse(
    file: string | NodeJS.ReadableStream,
    pattern: string | RegExp,
    options?: ParseOptions,
  ): AsyncIterable<{ [group: string]: unknown }> {
    return (require("./parse") as typeof import("./parse")).parse(file, pattern, options);
  }

  /**
   * Logs what a function throws (or rejects with): `logger.catch(fn)`, `logger.catch(options)(fn)`,
   * `@logger.catch()` on a method, or `logger.catch(options).run(() => ...)` for a block.
   */
  catch<F extends (...args: never[]) => unknown>(fn: F): F;
  catch<D = never>(options?: CatchOptions<D>): Catcher<D>;
  catch(fnOrOptions?: unknown): unknown {
    const { createCatcher } = loadCatch();
    if (typeof fnOrOptions === "function") return createCatcher(this, {})(fnOrOptions as (...args: never[]) => unknown);
    return createCatcher(this, (fnOrOptions ?? {}) as CatchOptions);
  }

  /**
   * Routes `console.log/info/debug/warn/error/trace` through this logger (INFO, INFO, DEBUG,
   * WARNING, ERROR, TRACE with the stack), formatted as `util.format` does and reported from the
   * line that called `console.*`; process warnings are logged at WARNING with their stack instead
   * of being printed by Node. Returns the function that restores the console and Node's printing.
   */
  captureConsole(): () => void {
    return (require("./console") as typeof import("./console")).captureConsole(this);
  }

  /** @internal Whether some handler shows values, and the redaction an error page shows them with. */
  errorPageSettings(): { diagnose: boolean; redactor: Redactor } {
    return this.#core.errorPageSettings();
  }

  /** @internal The exception engine (loaded on first use). */
  diagnoseModule(): typeof import("../diagnose/index") {
    return this.#core.diagnose();
  }

  /** @internal Whether a sink is being written to: a console call made from a sink goes to the real console. */
  isWriting(): boolean {
    return this.#core.inSink;
  }

  /** Logs uncaught exceptions and unhandled rejections at CRITICAL, then lets the process end as Node would. */
  catchUncaught(): void {
    loadCatch().installUncaughtHandlers(this);
  }

  /**
   * The caller of a level method, looked up in the method before `emit` is entered and before
   * `arguments` is passed on: V8 reads every frame it walks past on the way to `entry`, and emit's
   * frame is a large one (measured: ~1 µs a call less this way). Undefined when emit decides for
   * itself (a caller given by logsight, none needed, or a call from a sink).
   */
  #callerFor(entry: Function): CallerSite | undefined {
    const core = this.#core;
    if (!core.needsCaller || core.inSink || this.#call.site !== null) return undefined;
    return findCaller(entry, this.#call.depth);
  }

  private emit(levelOrName: string | Level, entry: Function, args: IArguments, start: number, wantsException: boolean, found: CallerSite | undefined): void {
    const core = this.#core;
    if (core.inSink) {
      throw new Error(
        "logsight refused a logging call made from inside a sink, a filter or a format function while it was writing; " +
          "it would recurse. Log from outside the sink, or use an async sink.",
      );
    }
    const level = typeof levelOrName === "string" ? core.levels.get(levelOrName)! : levelOrName;
    const call = this.#call;
    let caller: CallerSite | null = null;
    if (call.site !== null) {
      caller = call.site;
      if (!core.activation.empty && !core.activation.isEnabled(caller.name)) return;
    } else if (core.needsCaller) {
      caller = found!; // the level method looked it up (#callerFor)
      if (!core.activation.empty && !core.activation.isEnabled(caller.name)) return;
    }

    // pino's habits: a leading plain object (its fields) or Error before a string message.
    let leading: { [key: string]: unknown } | null = null;
    let leadingError: unknown = undefined;
    let message = args[start];
    // The message is the caller's data, not the developer's text (an Error's text): escaped whole.
    let messageIsData = false;
    if (typeof message === "object" && message !== null && !types.isProxy(message)) {
      const hasText = args.length > start + 1 && typeof args[start + 1] === "string";
      if (isError(message)) {
        leadingError = message;
        if (hasText) message = args[++start];
        else {
          message = strOf(message);
          messageIsData = true;
        }
      } else if (hasText && isPlainObject(message)) {
        leading = message;
        message = args[++start];
      }
    }
    const argCount = args.length - start - 1;
    let rest: unknown[] | null = null;
    if (argCount > 0) {
      rest = new Array<unknown>(argCount);
      for (let i = 0; i < argCount; i++) rest[i] = args[start + 1 + i];
      if (call.lazy) evaluateLazy(rest);
    }

    let text: string;
    let escaped: string;
    let kwargs: { [key: string]: unknown } | null = null;
    let trailingError: unknown;
    if (rest !== null) {
      const formatted = formatMessage(message, rest, core.redactor);
      text = formatted.text;
      escaped = messageIsData ? escapeControls(text) : formatted.escaped;
      kwargs = formatted.kwargs;
      trailingError = formatted.error;
    } else if (typeof message === "string") {
      text = message;
      escaped = messageIsData ? escapeControls(text) : text;
    } else {
      text = inspectMessage(message, core.redactor);
      escaped = escapeControls(text);
    }

    const context = currentContext();
    const extra: { [key: string]: unknown } = { ...core.extra, ...context, ...this.#bound };
    if (leading !== null) {
      const err = ownDataProperty(leading, "err");
      if (isError(err)) leadingError = err;
      mergeKwargs(extra, serialized(leading, this.#scope.serializers, leadingError === undefined ? null : "err"));
    }
    if (kwargs !== null && call.capture) mergeKwargs(extra, kwargs);
    addTraceContext(extra);

    let exception: RecordException | null = null;
    if (call.hasException) exception = exceptionFromOption(core, call.exception);
    else if (leadingError !== undefined) exception = exceptionOf(leadingError);
    else if (trailingError !== undefined) exception = exceptionOf(trailingError);
    else if (wantsException) exception = lastThrownException(core);

    const record = createRecord(level.record, text, extra, caller, exception);
    if (exception !== null) core.catchStacks.set(record, call.catchFrames ?? stackFrames(entry, call.depth));
    if (call.record) {
      const formatted = formatWithRecord(message, rest, record, core.redactor);
      record.message = formatted.text;
      escaped = formatted.escaped;
    }
    let colored: MessageText | null = null;
    if (call.colors && typeof message === "string") {
      colored = coloredMessage(message, rest, call.record ? record : null, core.levelAnsi(level.name), core.redactor);
      record.message = colored.plain;
      escaped = colored.escaped;
    }

    const unpatched = record.message;
    if (core.patcher !== null || this.#patchers.length > 0) applyPatchers(core.patcher, this.#patchers, record, extra, core.redactor);

    // A message rewritten by a patcher is written as the patcher left it.
    let messageText: MessageText;
    if (record.message !== unpatched) messageText = { plain: record.message, escaped: record.message, redactor: core.redactor, reformat: null, colored: null };
    else if (colored !== null) messageText = colored;
    else if (rest !== null && !messageIsData && core.handlersRedactOwn) {
      // A handler with its own `redact` names formats the message again with them.
      const args = rest;
      const withRecord = call.record ? record : null;
      const source = message;
      messageText = {
        plain: record.message,
        escaped,
        redactor: core.redactor,
        reformat: (redactor, escape) => {
          const formatted = withRecord !== null ? formatWithRecord(source, args, withRecord, redactor) : formatMessage(source, args, redactor);
          return escape ? formatted.escaped : formatted.text;
        },
        colored: null,
      };
    } else messageText = { plain: record.message, escaped, redactor: core.redactor, reformat: null, colored: null };

    const handlers = core.handlers;
    core.inSink = true;
    try {
      for (let i = 0; i < handlers.length; i++) handlers[i].emit(record, messageText, call.raw);
    } finally {
      core.inSink = false;
    }
  }
}

function checkName(name: unknown, method: string): string {
  if (typeof name !== "string") {
    throw new TypeError(`Invalid name ${inspectValue(name)} for ${method}(), it should be a string, not: '${typeof name}'`);
  }
  return name;
}

/**
 * Copies the call's kwargs into extra. Keys are data: an own `__proto__` key stays a key (plain
 * assignment would set the prototype); a getter that throws shows as `[Unreadable: ...]`.
 */
function mergeKwargs(extra: { [key: string]: unknown }, kwargs: { [key: string]: unknown }): void {
  try {
    if (!Object.prototype.hasOwnProperty.call(kwargs, "__proto__")) {
      Object.assign(extra, kwargs);
      return;
    }
  } catch {
    // Fall through to the careful copy.
  }
  assignOwn(extra, kwargs);
}


function isError(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value);
}

/**
 * A copy of `fields` without the key `omit`, each value whose key has a serializer replaced by what
 * the serializer returns (or by a note of what it threw).
 */
function serialized(fields: { [key: string]: unknown }, serializers: Serializers | null, omit: string | null): { [key: string]: unknown } {
  if (serializers === null && omit === null) return fields;
  let out: { [key: string]: unknown };
  try {
    out = { ...fields };
  } catch {
    return fields;
  }
  if (omit !== null) delete out[omit];
  if (serializers === null) return out;
  for (const key of Object.keys(serializers)) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) continue;
    try {
      out[key] = serializers[key](out[key]);
    } catch (error) {
      out[key] = `[Serializer failed: ${isError(error) ? `${error.name}: ${error.message}` : inspectValue(error)}]`;
    }
  }
  return out;
}

function evaluateLazy(args: unknown[]): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (typeof arg === "function") args[i] = (arg as () => unknown)();
    else if (isPlainObject(arg)) {
      const evaluated: { [key: string]: unknown } = {};
      for (const [key, value] of Object.entries(arg)) setOwn(evaluated, key, typeof value === "function" ? (value as () => unknown)() : value);
      args[i] = evaluated;
    }
  }
}


const reportedPatchers = new WeakSet<Function>();

/**
 * Runs the configured patcher, then the `patch()` ones. A patcher that throws is reported once
 * (like a failing sink) and the record goes on as the patchers left it. A patcher that set
 * `record.extra.__proto__` gets an own `__proto__` key instead of a new prototype.
 */
function applyPatchers(first: Patcher | null, rest: readonly Patcher[], record: LogRecord, extra: object, redactor: Redactor): void {
  if (first !== null) runPatcher(first, record, redactor);
  for (let i = 0; i < rest.length; i++) runPatcher(rest[i], record, redactor);
  if (record.extra === extra && Object.getPrototypeOf(extra) !== Object.prototype) {
    const proto: unknown = Object.getPrototypeOf(extra);
    Object.setPrototypeOf(extra, Object.prototype);
    setOwn(extra as { [key: string]: unknown }, "__proto__", proto);
  }
}

function runPatcher(patcher: Patcher, record: LogRecord, redactor: Redactor): void {
  try {
    patcher(record);
  } catch (error) {
    if (reportedPatchers.has(patcher)) return;
    reportedPatchers.add(patcher);
    reportSinkError(`patcher ${patcher.name || "(anonymous)"}`, error, record, redactor);
  }
}

function exceptionFromOption(core: Core, option: unknown): RecordException | null {
  if (option === true) return lastThrownException(core);
  return exceptionOf(option);
}

function lastThrownException(core: Core): RecordException {
  const handled = core.handledException();
  if (typeof handled === "object") return exceptionOf(handled.value);
  return handled === "none" ? NO_EXCEPTION : UNKNOWN_EXCEPTION;
}

/** `opt({record: true})`: `{record}` and its fields are available to the message. */
function formatWithRecord(message: unknown, rest: unknown[] | null, record: LogRecord, redactor: Redactor): FormattedMessage {
  const args = rest ? rest.slice() : [];
  const last = args[args.length - 1];
  if (isPlainObject(last)) args[args.length - 1] = { ...last, record };
  else args.push({ record });
  return formatMessage(message, args, redactor);
}

function coloredMessage(message: string, rest: unknown[] | null, record: LogRecord | null, levelAnsi: string, redactor: Redactor): MessageText {
  // Cached per (colorize, escape) for the logger's redactor; a handler with its own formats again.
  const variants: (string | undefined)[] = [undefined, undefined, undefined, undefined];
  const render = (colorize: boolean, handlerRedactor: Redactor, escape: boolean): string => {
    const index = (colorize ? 1 : 0) | (escape ? 2 : 0);
    const cached = handlerRedactor === redactor ? variants[index] : undefined;
    if (cached !== undefined) return cached;
    let template: string;
    try {
      template = renderMarkup(message, colorize, { strict: true, levelAnsi });
    } catch (error) {
      if (!warnedBadMarkup) {
        warnedBadMarkup = true;
        process.emitWarning(`logsight: the color markup of a message was left as text: ${(error as Error).message}`);
      }
      template = message;
    }
    let text: string;
    if (record !== null || rest !== null) {
      const formatted = record !== null ? formatWithRecord(template, rest, record, handlerRedactor) : formatMessage(template, rest!, handlerRedactor);
      text = escape ? formatted.escaped : formatted.text;
    } else text = template;
    if (handlerRedactor === redactor) variants[index] = text;
    return text;
  };
  const plain = render(false, redactor, false);
  return { plain, escaped: render(false, redactor, true), redactor, reformat: null, colored: render };
}
