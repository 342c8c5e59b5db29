import { writeSync } from "node:fs";
import { inspect } from "node:util";
import { fdWriter } from "./enqueue/fd";
import { isMessagesLost } from "./loss";
import { compileTemplate, type CompiledTemplate, type TemplateOptions } from "./template/compile";
import { handlerRedactor, type Redactor } from "./redact";
import type { LogRecord, SinkWriter } from "./types";

/** The message of one call as each handler may need it: plain, or with its markup rendered. */
export interface MessageText {
  readonly plain: string;
  /** `plain` with the control characters of the text from arguments escaped (for handlers with `escape`). */
  readonly escaped: string;
  /** The redactor `plain` was formatted with. */
  readonly redactor: Redactor;
  /** The message formatted again with another redactor (a handler with its own `redact`); null when it has no arguments. */
  readonly reformat: ((redactor: Redactor, escape: boolean) => string) | null;
  /** Set for `opt({colors: true})`: the message with markup turned into ANSI (true) or stripped (false). */
  readonly colored: ((colorize: boolean, redactor: Redactor, escape: boolean) => string) | null;
}

export interface HandlerSettings {
  readonly id: number;
  readonly levelNo: number;
  readonly filter: ((record: LogRecord) => boolean) | null;
  readonly format: string | ((record: LogRecord) => string);
  readonly colorize: boolean;
  readonly serialize: boolean | "pino";
  readonly backtrace: boolean;
  readonly diagnose: boolean;
  /** `diagnose: true` was given in the options: values are wanted even where nobody watches. */
  readonly diagnoseRequested: boolean;
  readonly catch: boolean;
  /** Escape control characters in text from arguments and `extra` (off with `escape: false`, and for `serialize`). */
  readonly escape: boolean;
  /** The handler's own `redact` option (undefined when not given). */
  readonly redact: readonly string[] | false | undefined;
  readonly writer: SinkWriter;
  /** A description of the sink for error reports: `<stderr>`, `'logs/app.log'`, `<function log>`. */
  readonly sinkName: string;
  /** The sink itself sees records (a function sink), so they must carry their caller fields. */
  readonly sinkReadsRecords: boolean;
  /** Work may go on after `stop()` (compression, queued or pending async writes) that `complete()` awaits. */
  readonly finishesAfterStop: boolean;
}

export type ExceptionRenderer = (record: LogRecord, backtrace: boolean, diagnose: boolean, colorize: boolean, redactor: Redactor) => string;

const FUNCTION_FORMAT_CACHE_SIZE = 64;

type SerializeRecord = typeof import("./serialize").serializeRecord;
type PinoLine = typeof import("./pino-line").pinoLine;

/** One `add()`: decides whether a record is for it, renders it with its own template, writes it. */
export class Handler {
  readonly id: number;
  readonly levelNo: number;
  readonly diagnose: boolean;
  readonly diagnoseRequested: boolean;
  readonly backtrace: boolean;
  readonly usesCaller: boolean;
  readonly writer: SinkWriter;
  readonly sinkName: string;
  readonly finishesAfterStop: boolean;
  private readonly filter: ((record: LogRecord) => boolean) | null;
  private readonly colorize: boolean;
  /** `serialize: true`: the rendered text goes into a JSON line (loaded only for such handlers). */
  private readonly serializeRecord: SerializeRecord | null;
  /** `serialize: "pino"`: the line is pino's JSON, built from the record alone (no template). */
  private readonly pinoLine: PinoLine | null;
  private readonly catchErrors: boolean;
  private readonly template: CompiledTemplate | null;
  private readonly formatFunction: ((record: LogRecord) => string) | null;
  private readonly templateOptions: TemplateOptions;
  private readonly functionTemplates = new Map<string, CompiledTemplate>();
  private readonly redactOption: readonly string[] | false | undefined;
  private readonly escape: boolean;
  /** Set by the core at add() and whenever `configure({ redact })` changes the logger's list. */
  redactor!: Redactor;

  constructor(settings: HandlerSettings, levelAnsi: (name: string) => string, renderException: ExceptionRenderer) {
    this.id = settings.id;
    this.levelNo = settings.levelNo;
    this.filter = settings.filter;
    this.colorize = settings.colorize;
    const serialize = settings.serialize === true;
    this.serializeRecord = serialize ? (require("./serialize") as typeof import("./serialize")).serializeRecord : null;
    this.pinoLine = settings.serialize === "pino" ? (require("./pino-line") as typeof import("./pino-line")).pinoLine : null;
    this.backtrace = settings.backtrace;
    this.diagnose = settings.diagnose;
    this.diagnoseRequested = settings.diagnoseRequested;
    this.catchErrors = settings.catch;
    this.writer = settings.writer;
    this.sinkName = settings.sinkName;
    this.finishesAfterStop = settings.finishesAfterStop;
    this.redactOption = settings.redact;
    this.escape = settings.escape && !settings.serialize;
    const { backtrace, diagnose, colorize } = settings;
    this.templateOptions = {
      colorize,
      levelAnsi,
      renderException: (record) => (record.exception ? renderException(record, backtrace, diagnose, colorize, this.redactor) : ""),
      redactor: () => this.redactor,
      escape: this.escape,
    };
    if (this.pinoLine !== null) {
      this.template = null;
      this.formatFunction = null;
      this.usesCaller = this.filter !== null || settings.sinkReadsRecords;
    } else if (typeof settings.format === "string") {
      this.template = compileTemplate(settings.format + "\n{exception}", this.templateOptions);
      this.formatFunction = null;
      this.usesCaller = this.template.usesCaller || this.filter !== null || serialize || settings.sinkReadsRecords;
    } else {
      this.template = null;
      this.formatFunction = settings.format;
      this.usesCaller = true;
    }
  }

  /** Derives this handler's redactor from the logger's (compiled here, not per record). */
  useRedaction(global: Redactor): void {
    this.redactor = handlerRedactor(global, this.redactOption);
  }

  /** Renders and writes one record; a failing sink is reported (with `catch`) and logging goes on. */
  emit(record: LogRecord, message: MessageText, raw: boolean): void {
    if (record.level.no < this.levelNo) return;
    try {
      if (this.filter !== null && !this.filter(record)) return;
      if (this.pinoLine !== null) {
        this.writer.write(this.pinoLine(record, this.redactor), record);
        return;
      }
      let text: string;
      if (message.colored !== null) text = message.colored(this.colorize, this.redactor, this.escape);
      else if (message.redactor === this.redactor || message.reformat === null) text = this.escape ? message.escaped : message.plain;
      else text = message.reformat(this.redactor, this.escape);
      let out: string;
      if (raw) out = text;
      else if (this.template !== null) out = this.template.render(record, text);
      else out = this.templateFor(this.formatFunction!(record)).render(record, text);
      if (this.serializeRecord !== null) out = this.serializeRecord(out, record, this.redactor);
      this.writer.write(out, record);
    } catch (error) {
      if (!this.catchErrors) throw error;
      this.report(error, record);
    }
  }

  private readonly errorReports = new ErrorReports();

  /** Errors raised by the sink, in the logging call (with `catch`) or outside it (async sinks, background work). */
  report = (error: unknown, record: LogRecord | null): void => {
    if (isMessagesLost(error)) writeReport(`logsight: handler #${this.id} (${this.sinkName}): ${error.message}\n`);
    else this.errorReports.report(`handler #${this.id} (${this.sinkName})`, error, record, this.redactor);
  };

  private templateFor(format: unknown): CompiledTemplate {
    if (typeof format !== "string") {
      throw new TypeError(`Invalid format: the format function should return a string, not: '${typeof format}'`);
    }
    let template = this.functionTemplates.get(format);
    if (!template) {
      template = compileTemplate(format, this.templateOptions);
      if (this.functionTemplates.size >= FUNCTION_FORMAT_CACHE_SIZE) this.functionTemplates.clear();
      this.functionTemplates.set(format, template);
    }
    return template;
  }
}

/** Summary lines of a failing sink are at most this far apart; a sink quiet this long is reported in full again. */
const ERROR_SUMMARY_INTERVAL_MS = 1000;

/**
 * A sink that fails on every message (a full disk) must not bury the program's output under one
 * block per message: the first failure is reported in full, the next ones are counted and summed
 * up in at most one line per second (and at exit), naming the last of them.
 */
class ErrorReports {
  private lastReport = -Infinity;
  private suppressed = 0;
  private lastSuppressed: unknown = null;
  private timer: NodeJS.Timeout | null = null;
  private exitHook: (() => void) | null = null;
  private source = "";

  report(source: string, error: unknown, record: LogRecord | null, redactor: Redactor | null): void {
    const now = Date.now();
    if (this.suppressed === 0 && now - this.lastReport >= ERROR_SUMMARY_INTERVAL_MS) {
      this.lastReport = now;
      reportSinkError(source, error, record, redactor);
      return;
    }
    this.source = source;
    this.suppressed++;
    this.lastSuppressed = error;
    if (now - this.lastReport >= ERROR_SUMMARY_INTERVAL_MS) this.summarize();
    else this.scheduleSummary(now);
  }

  private scheduleSummary(now: number): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(this.summarize, this.lastReport + ERROR_SUMMARY_INTERVAL_MS - now);
    this.timer.unref();
    if (this.exitHook === null) {
      this.exitHook = this.summarize;
      process.on("exit", this.exitHook);
    }
  }

  private readonly summarize = (): void => {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed === 0) return;
    const count = this.suppressed;
    this.suppressed = 0;
    this.lastReport = Date.now();
    writeReport(`logsight: ${this.source} failed ${count} more time${count === 1 ? "" : "s"}; the last: ${describeError(this.lastSuppressed)}\n`);
    this.lastSuppressed = null;
  };
}

function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return inspect(error, { customInspect: false, breakLength: Infinity });
  } catch {
    return "<error cannot be shown>";
  }
}

/** Written through stderr's descriptor writer: in order with the default handler, and never waiting for a stalled reader. */
function writeReport(text: string): void {
  try {
    fdWriter(2).write(Buffer.from(text, "utf8"));
  } catch {
    try {
      writeSync(2, text);
    } catch {
      // Nowhere left to report to.
    }
  }
}

/** One framed block on stderr, written synchronously so that it cannot itself be lost or reordered. */
export function reportSinkError(source: string, error: unknown, record: LogRecord | null, redactor: Redactor | null): void {
  const lines = [`--- Logging error in logsight ${source} ---`];
  if (record) {
    let shown: string;
    try {
      shown = inspect({ level: record.level.name, time: record.time, name: record.name, function: record.function, line: record.line, message: record.message, extra: redactor === null ? record.extra : redactor.mask(record.extra, redactor.root) }, { depth: 2, breakLength: Infinity, getters: false, customInspect: false });
    } catch {
      shown = "<record cannot be shown>";
    }
    lines.push(`Record was: ${shown}`);
  } else {
    lines.push("Record was: None");
  }
  let detail: string;
  try {
    detail = error instanceof Error && error.stack ? error.stack : inspect(error, { customInspect: false });
  } catch {
    detail = "<error cannot be shown>";
  }
  lines.push(detail, "--- End of logging error ---", "");
  writeReport(lines.join("\n"));
}
