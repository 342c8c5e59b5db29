/// <reference types="node" preserve="true" />
/** The shapes shared by the logger's modules and exposed to users. */

/** The built-in level names; they are also accepted in lower case (`"info"`). */
export type BuiltinLevelName = "TRACE" | "DEBUG" | "INFO" | "SUCCESS" | "WARNING" | "ERROR" | "CRITICAL";

/**
 * Names of levels added with `logger.level(name, { no })`, made known to the types by augmentation:
 * `declare module "logsight" { interface CustomLevels { NOTICE: true } }`.
 */
export interface CustomLevels {}

declare const customLevelName: unique symbol;

/**
 * A level name the types cannot check, such as one read from configuration: write
 * `name as CustomLevelName`, or use the `name` that `logger.level()` returns.
 */
export type CustomLevelName = string & { readonly [customLevelName]: true };

/** A level name: a built-in one (completed by editors; `"WARN"` is a type error), a registered one, or a `CustomLevelName`. */
export type LevelName = BuiltinLevelName | Lowercase<BuiltinLevelName> | Extract<keyof CustomLevels, string> | CustomLevelName;

/** A level by name or by number. */
export type LevelOption = LevelName | number;

/** A level as it appears on a record: `{level}` shows its name. */
export interface RecordLevel {
  readonly name: string;
  readonly no: number;
  readonly icon: string;
}

/** A level as `logger.level()` returns it. */
export interface LevelInfo {
  readonly name: LevelName;
  readonly no: number;
  readonly color: string;
  readonly icon: string;
}

/** `{file}` shows the base name. */
export interface RecordFile {
  readonly name: string;
  readonly path: string;
}

/** `{process}` and `{thread}` show the id. */
export interface RecordProcess {
  readonly id: number;
  readonly name: string;
}

export interface RecordThread {
  readonly id: number;
  readonly name: string;
}

/** Time since the logger loaded; `{elapsed}` shows `H:MM:SS.ffffff`. */
export interface RecordElapsed {
  /** Whole milliseconds elapsed. */
  readonly milliseconds: number;
  /** Microseconds elapsed, as a float-safe integer. */
  readonly microseconds: number;
  /** Seconds elapsed, with fractional part. */
  totalSeconds(): number;
}

/** A Date with microseconds: `{time}` shows ISO 8601 with microseconds and UTC offset. */
export interface RecordTime extends Date {
  /** Microsecond of the second, 0..999999 (includes the milliseconds). */
  readonly microsecond: number;
}

export interface RecordException {
  /** The error's class name (`"TypeError"`), or `typeof` for a thrown primitive. */
  readonly type: string;
  /** The thrown value itself. */
  readonly value: unknown;
  /** Whether a traceback is rendered for it (false when `exception` was a bare type/value pair). */
  readonly traceback: boolean;
}

/** Everything a handler, filter, patcher or function sink sees about one logging call. */
export interface LogRecord {
  elapsed: RecordElapsed;
  exception: RecordException | null;
  extra: { [key: string]: unknown };
  file: RecordFile;
  function: string;
  level: RecordLevel;
  line: number;
  message: string;
  module: string;
  name: string;
  process: RecordProcess;
  thread: RecordThread;
  time: RecordTime;
}

/** A function sink: receives the formatted message (ending with a newline unless `raw`). */
export type FunctionSink = (message: string, record: LogRecord) => unknown;

/** Anything with `write`, like `process.stderr`; the other methods are called when present. */
export interface WritableSink {
  write(message: string): unknown;
  flush?(): unknown;
  stop?(): unknown;
  complete?(): unknown;
  isTTY?: boolean;
}

export type Sink = string | URL | FunctionSink | WritableSink;

export type FilterOption =
  | string
  | null
  | undefined
  | ((record: LogRecord) => boolean)
  | { [name: string]: LevelOption | boolean };

export type FormatOption = string | ((record: LogRecord) => string);

export type RotationOption =
  | string
  | number
  | ((message: string, file: { path: string; size: number; created: Date }) => boolean)
  | RotationOption[];

export type RetentionOption = string | number | ((files: string[]) => void);

export type CompressionOption = string | ((path: string) => void | Promise<void>);

/** Options of `logger.add()`; each defaults from `LOGSIGHT_<NAME>`. */
export interface HandlerOptions {
  level?: LevelOption;
  format?: FormatOption;
  filter?: FilterOption;
  colorize?: boolean | null;
  /** `true`: one JSON object per line in loguru's shape; `"pino"`: pino's line (`level`, `time`, `pid`, `hostname`, `msg`, extra, `err`). */
  serialize?: boolean | "pino";
  backtrace?: boolean;
  diagnose?: boolean;
  /** `true`, or the queue's settings: `capacity` in bytes (4 MiB) and `overflow` `"block"` (default) or `"drop"`. */
  enqueue?: boolean | { capacity?: number; overflow?: "block" | "drop" };
  catch?: boolean;
  /**
   * Names and paths whose values this handler shows as `[redacted]`, in addition to the logger's
   * (the default secret names, `LOGSIGHT_REDACT`, `configure({ redact })`); `false` masks nothing.
   */
  redact?: readonly string[] | false;
  /**
   * Show control characters of text from arguments, kwargs and `extra` as escapes (`\n`, `\x1b`,
   * `\u202e`), so that it cannot forge log lines or drive a terminal (default true; `serialize`
   * output is JSON and never escaped).
   */
  escape?: boolean;
  /** File sinks only. */
  rotation?: RotationOption | null;
  retention?: RetentionOption | null;
  compression?: CompressionOption | null;
  delay?: boolean;
  mode?: "a" | "w";
  buffering?: number;
  encoding?: BufferEncoding;
  watch?: boolean;
}

/**
 * What a handler writes to, once the user's sink is wrapped: the handler renders the text and
 * calls `write`; `stop` is called by `remove()`; `complete` is awaited by `logger.complete()`.
 */
export interface SinkWriter {
  write(message: string, record: LogRecord): void;
  stop(): void;
  complete(): Promise<void>;
}
