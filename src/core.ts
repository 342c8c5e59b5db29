import { Activation } from "./activation";
import { nameEnvironmentVariable } from "./env";
import { describeValue } from "./describe";
import { Handler, type HandlerSettings } from "./handler";
import { LevelTable } from "./levels";
import { renderMarkup } from "./template/markup";
import { resolveHandler, type OptionDefaults } from "./options";
import { Redactor, type RedactionSpec } from "./redact";
import { decideCapture, type CaptureSettings } from "./capture-settings";
import type { HandlerOptions, LogRecord, RecordException } from "./types";
import type { CallerFrame } from "../diagnose/report";

type DiagnoseModule = typeof import("../diagnose/index");

/** A frame of the logging call's stack, as the traceback engine compares it with the error's. */
export type StackFrame = CallerFrame;

/** `logger.exception()` with no error while nothing is being handled: `undefined: ...` is printed. */
export const NO_EXCEPTION: RecordException = Object.freeze({ type: "undefined", value: undefined, traceback: false });
/** `logger.exception()` with no error while no session can look for the one being handled, or throws went unseen. */
export const UNKNOWN_EXCEPTION: RecordException = Object.freeze({ type: "undefined", value: undefined, traceback: false });

function isNoException(exception: RecordException): boolean {
  return exception === NO_EXCEPTION || exception === UNKNOWN_EXCEPTION;
}

/** The state every Logger facade shares: handlers, levels, extra, patcher, activation. */
export class Core {
  readonly levels: LevelTable;
  readonly activation = new Activation();
  handlers: readonly Handler[] = [];
  /** The lowest level any handler accepts: a call below it returns before doing anything. */
  minLevel = Infinity;
  /** Whether records need their caller fields (some template, filter, patcher or activation rule reads them). */
  needsCaller = false;
  /** Some handler masks with other names than the logger's: messages with arguments keep a way to format again. */
  handlersRedactOwn = false;
  extra: { [key: string]: unknown } = {};
  patcher: ((record: LogRecord) => void) | null = null;
  /** The logger's redaction (default names, `LOGSIGHT_REDACT`, `configure({ redact })`); messages are formatted with it. */
  redactor: Redactor;
  /** Set while a sink runs, so that a sink logging on the same stack is refused instead of recursing. */
  inSink = false;
  /** The stack at the logging call, for records that carry an exception (the catch point). */
  readonly catchStacks = new WeakMap<LogRecord, readonly StackFrame[]>();
  /** Severities of the built-in levels (fixed after start-up), read by the level methods' fast path. */
  readonly traceNo: number;
  readonly debugNo: number;
  readonly infoNo: number;
  readonly successNo: number;
  readonly warningNo: number;
  readonly errorNo: number;
  readonly criticalNo: number;
  private nextId = 0;
  private readonly levelAnsiCache = new Map<string, string>();
  private readonly renderedExceptions = new WeakMap<LogRecord, Map<string, string>>();
  private diagnoseModule: DiagnoseModule | null = null;
  private capturing = false;
  private captureWanted = false;
  private stopScheduled = false;
  /** Set while the default rules leave capture off although a handler has `diagnose`. */
  private captureNotice: string | null = null;
  /** The record whose traceback carries the notice: it is shown once per process. */
  private noticeRecord: LogRecord | null = null;

  constructor(
    readonly defaults: OptionDefaults,
    private readonly captureSettings: () => CaptureSettings,
    builtinOverrides: { [name: string]: { no?: number; color?: string; icon?: string } | undefined } = {},
  ) {
    this.redactor = new Redactor(defaults.redact);
    this.levels = new LevelTable((name) => this.levelAnsiCache.delete(name), builtinOverrides);
    const no = (name: string): number => this.levels.get(name)!.no;
    this.traceNo = no("TRACE");
    this.debugNo = no("DEBUG");
    this.infoNo = no("INFO");
    this.successNo = no("SUCCESS");
    this.warningNo = no("WARNING");
    this.errorNo = no("ERROR");
    this.criticalNo = no("CRITICAL");
  }

  add(sink: unknown, options: HandlerOptions | undefined): number {
    const id = this.nextId;
    let handler: Handler | undefined;
    let settings: HandlerSettings;
    try {
      settings = resolveHandler(id, sink, options, this.defaults, this.levels, (error, record) =>
        handler ? handler.report(error, record) : undefined,
      );
    } catch (error) {
      throw nameEnvironmentVariable(error, this.defaults, options);
    }
    this.nextId++;
    try {
      handler = new Handler(settings, this.levelAnsi, this.renderException);
    } catch (error) {
      // Building the handler compiles its format (the options were checked already).
      throw nameEnvironmentVariable(error, this.defaults, options, "format");
    }
    handler.useRedaction(this.redactor);
    this.handlers = [...this.handlers, handler];
    this.refresh();
    return id;
  }

  /** The ids of the handlers, in the order they were added. */
  handlerIds(): number[] {
    return this.handlers.map((handler) => handler.id);
  }

  /** Removes one handler (or all), stopping its sink; an unknown id is an error. */
  remove(id?: number): void {
    if (id === undefined) {
      const removed = this.handlers;
      this.handlers = [];
      this.refresh();
      for (const handler of removed) this.stop(handler);
      return;
    }
    if (typeof id !== "number" || !Number.isInteger(id)) {
      throw new TypeError(`Invalid handler id ${describeValue(id)}, it should be an integer, not: '${typeof id}'`);
    }
    const handler = this.handlers.find((h) => h.id === id);
    if (!handler) throw new Error(`There is no existing handler with id ${id}`);
    this.handlers = this.handlers.filter((h) => h !== handler);
    this.refresh();
    this.stop(handler);
  }

  private readonly stopping = new Set<Promise<void>>();

  private stop(handler: Handler): void {
    try {
      handler.writer.stop();
    } catch (error) {
      handler.report(error, null);
    }
    if (!handler.finishesAfterStop) return;
    const finishing: Promise<void> = handler.writer.complete().then(
      () => {
        this.stopping.delete(finishing);
      },
      (error: unknown) => {
        this.stopping.delete(finishing);
        handler.report(error, null);
      },
    );
    this.stopping.add(finishing);
  }

  /** Waits for every handler's pending work, including what removed handlers still finish (compression at stop). */
  async complete(): Promise<void> {
    await Promise.all([...this.handlers.map((h) => h.writer.complete()), ...this.stopping]);
  }

  /** `configure({ redact })`: compiled once, then every handler derives its own from it. */
  setRedaction(spec: RedactionSpec): void {
    this.redactor = new Redactor(spec);
    for (const handler of this.handlers) handler.useRedaction(this.redactor);
    this.noteHandlerRedaction();
  }

  private noteHandlerRedaction(): void {
    this.handlersRedactOwn = this.handlers.some((handler) => handler.redactor !== this.redactor);
  }

  levelAnsi = (name: string): string => {
    const cached = this.levelAnsiCache.get(name);
    if (cached !== undefined) return cached;
    const level = this.levels.get(name);
    const ansi = level ? renderMarkup(level.color, true) : "";
    this.levelAnsiCache.set(name, ansi);
    return ansi;
  };

  /** One rendering per (record, backtrace, diagnose, colorize, redactor): handlers that agree share it. */
  renderException = (record: LogRecord, backtrace: boolean, diagnose: boolean, colorize: boolean, redactor: Redactor): string => {
    const key = `${(backtrace ? 4 : 0) | (diagnose ? 2 : 0) | (colorize ? 1 : 0)}:${redactor.id}`;
    let cache = this.renderedExceptions.get(record);
    const cached = cache?.get(key);
    if (cached !== undefined) return cached;
    const exception = record.exception;
    let text = "";
    if (exception) {
      if (isNoException(exception)) {
        // loguru prints `NoneType: None` here; this is its JavaScript counterpart.
        text =
          exception === NO_EXCEPTION
            ? "undefined: no exception is being handled\n"
            : "undefined: no exception was passed (the one being handled cannot be found without capture, or while capture is over its rate)\n";
      } else if (!exception.traceback) {
        text = `${exception.type}: ${String(exception.value)}\n`;
      } else {
        text = this.diagnose().formatException(exception.value, {
          backtrace,
          diagnose,
          colorize,
          catchStack: this.catchStacks.get(record),
          redact: redactor,
        });
        if (diagnose) text += this.noticeFor(record, exception.value);
      }
    }
    if (!cache) {
      cache = new Map();
      this.renderedExceptions.set(record, cache);
    }
    cache.set(key, text);
    return text;
  };

  /**
   * The one-time line saying how to get values, for the first ERROR-or-above traceback that lacks them
   * (below that, tracebacks are often of errors never thrown, such as process warnings).
   */
  private noticeFor(record: LogRecord, error: unknown): string {
    if (this.captureNotice === null || (this.noticeRecord !== null && this.noticeRecord !== record)) return "";
    if (record.level.no < this.errorNo) return "";
    if (this.diagnose().getCapture(error) !== undefined) return "";
    this.noticeRecord = record;
    return `${this.captureNotice}\n`;
  }

  /**
   * The exception the calling code is handling: "none" when the capture engine looked and found
   * none, "unknown" when it could not look (no session, or its debugger is off for a while).
   */
  handledException(): { value: unknown } | "none" | "unknown" {
    if (!this.capturing || !this.diagnoseModule) return "unknown";
    return this.diagnoseModule.handledException();
  }

  /**
   * What a development error page may show: whether some handler shows values (`diagnose`), and the
   * redaction to show them with, the logger's names plus every handler's own (the page masks at
   * least what any log masks).
   */
  errorPageSettings(): { diagnose: boolean; redactor: Redactor } {
    const handlers = this.handlers;
    const diagnose = handlers.some((handler) => handler.diagnose);
    if (this.pageRedaction?.handlers !== handlers || this.pageRedaction.base !== this.redactor) {
      const entries = new Set(this.redactor.spec.entries);
      for (const handler of handlers) for (const entry of handler.redactor.spec.entries) entries.add(entry);
      const redactor = entries.size === this.redactor.spec.entries.length ? this.redactor : new Redactor({ defaults: this.redactor.spec.defaults, entries: [...entries] });
      this.pageRedaction = { handlers, base: this.redactor, redactor };
    }
    return { diagnose, redactor: this.pageRedaction.redactor };
  }

  private pageRedaction: { handlers: readonly Handler[]; base: Redactor; redactor: Redactor } | null = null;

  diagnose(): DiagnoseModule {
    if (!this.diagnoseModule) this.diagnoseModule = require("../diagnose/index") as DiagnoseModule;
    return this.diagnoseModule;
  }

  refresh(): void {
    let min = Infinity;
    let needsCaller = this.patcher !== null || !this.activation.empty;
    let diagnose = false;
    let requested = false;
    for (const handler of this.handlers) {
      if (handler.levelNo < min) min = handler.levelNo;
      if (handler.usesCaller) needsCaller = true;
      if (handler.diagnose) {
        diagnose = true;
        if (handler.diagnoseRequested) requested = true;
      }
    }
    this.minLevel = min;
    this.needsCaller = needsCaller;
    this.noteHandlerRedaction();
    this.updateCapture(diagnose, requested);
  }

  private updateCapture(diagnose: boolean, requested: boolean): void {
    const settings = this.captureSettings();
    const decision = decideCapture(settings, { diagnose, requested });
    this.captureNotice = decision.notice;
    const on = decision.mode !== "off";
    this.captureWanted = on;
    if (on && !this.capturing) {
      this.capturing = true;
      this.diagnose().startCapture({ mode: decision.mode, rate: settings.rate, overRate: settings.overRate });
    } else if (!on && this.capturing && !this.stopScheduled) {
      // Stopping and restarting costs tens of milliseconds (Debugger.enable), so a remove() followed by
      // an add() (as configure() does) keeps the session; it stops once nothing wants it a moment later.
      this.stopScheduled = true;
      setImmediate(() => {
        this.stopScheduled = false;
        if (!this.captureWanted && this.capturing) {
          this.capturing = false;
          this.diagnoseModule?.stopCapture();
        }
      }).unref();
    }
  }
}
