import { writeSync } from "node:fs";
import { inspect } from "node:util";
import { compileTemplate, type CompiledTemplate, type TemplateOptions } from "./template/compile";
import { handlerRedactor, type Redactor } from "./redact";
import { serializeRecord } from "./serialize";
import { pinoLine } from "./pino-line";
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
  private readonly serialize: boolean;
  /** `serialize: "pino"`: the line is pino's JSON, built from the record alone (no template). */
  private readonly pino: boolean;
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
    this.serialize = settings.serialize === true;
    this.pino = settings.serialize === "pino";
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
    if (this.pino) {
      this.template = null;
      this.formatFunction = null;
      this.usesCaller = this.filter !== null || settings.sinkReadsRecords;
    } else if (typeof settings.format === "string") {
      this.template = compileTemplate(settings.format + "\n{exception}", this.templateOptions);
      this.formatFunction = null;
      this.usesCaller = this.template.usesCaller || this.filter !== null || this.serialize || settings.sinkReadsRecords;
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
      if (this.pino) {
        this.writer.write(pinoLine(record, this.redactor), record);
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
      if (this.serialize) out = serializeRecord(out, record, this.redactor);
      this.writer.write(out, record);
    } catch (error) {
      if (!this.catchErrors) throw error;
      this.report(error, record);
    }
  }

  /** Errors raised by the sink outside the logging call (async sinks, background work). */
  report = (error: unknown, record: LogRecord | null): void => {
    reportSinkError(`handler #${this.id} (${this.sinkName})`, error, record, this.redactor);
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
  try {
    writeSync(2, lines.join("\n"));
  } catch {
    // Nowhere left to report to.
  }
}
