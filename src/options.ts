import { SINK_OPTIONS } from "./sink-options";
import { describeValue } from "./describe";
import type { QueueOptions } from "./enqueue";
import type { EnvDefaults } from "./env";
import { checkRedactOption } from "./redact";
import { createStreamSink, streamWantsColor } from "./sinks/stream";
import type { HandlerSettings } from "./handler";
import type { LevelTable } from "./levels";
import type { FunctionSink, HandlerOptions, LogRecord, Sink, SinkWriter, WritableSink } from "./types";

const COMMON_OPTIONS = new Set(["level", "format", "filter", "colorize", "serialize", "backtrace", "diagnose", "enqueue", "catch", "redact", "escape"]);
const FILE_OPTIONS = new Set(["rotation", "retention", "compression", "delay", "mode", "buffering", "encoding", "watch"]);

/** The defaults an `add()` option falls back to (from the environment, then the built-in ones). */
export type OptionDefaults = Omit<EnvDefaults, "autoinit" | "levels">;


function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}

/** `serialize`: `true` (loguru's record shape), `"pino"` (pino's line) or `false`. */
function serializeOption(value: unknown, fallback: boolean | "pino"): boolean | "pino" {
  if (value === undefined) return fallback;
  if (typeof value === "boolean" || value === "pino") return value;
  throw new TypeError(`Invalid serialize ${describeValue(value)}: it should be a boolean or "pino"`);
}

function booleanOption(options: HandlerOptions, name: keyof HandlerOptions, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`Invalid ${name} ${describeValue(value)}: it should be a boolean`);
  return value;
}

/** `enqueue: true`, or the queue's options (`{ capacity, overflow }`); false when off. */
function enqueueOption(value: unknown, fallback: boolean): QueueOptions | false {
  if (value === undefined) return fallback ? {} : false;
  if (value === false) return false;
  if (value === true) return {};
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (key !== "capacity" && key !== "overflow") throw new TypeError(`Invalid enqueue option '${key}': expected capacity or overflow`);
    }
    return value as QueueOptions;
  }
  throw new TypeError(`Invalid enqueue ${describeValue(value)}: it should be a boolean or { capacity, overflow }`);
}

function sinkNameOf(sink: Sink): string {
  if (sink === process.stderr) return "<stderr>";
  if (sink === process.stdout) return "<stdout>";
  if (typeof sink === "string") return JSON.stringify(sink);
  if (sink instanceof URL) return JSON.stringify(sink.href);
  if (typeof sink === "function") return `<function ${sink.name || "anonymous"}>`;
  return `<${typeName(sink)}>`;
}

// Loaded at the first add() that needs them, so that importing logsight stays fast.
const loadFileSinks = (): typeof import("./sinks/file/index") => require("./sinks/file/index") as typeof import("./sinks/file/index");
const loadQueue = (): typeof import("./enqueue") => require("./enqueue") as typeof import("./enqueue");
const loadFilter = (): typeof import("./filter") => require("./filter") as typeof import("./filter");
const loadFunctionSink = (): typeof import("./sinks/function") => require("./sinks/function") as typeof import("./sinks/function");

/** Validates `add()`'s arguments and builds what a handler needs; throws naming the option and value. */
export function resolveHandler(
  id: number,
  sink: unknown,
  options: HandlerOptions | undefined,
  defaults: OptionDefaults,
  levels: LevelTable,
  reportError: (error: unknown, record: LogRecord | null) => void,
): HandlerSettings {
  if (options === undefined || options === null) options = {};
  if (typeof options !== "object") throw new TypeError(`Invalid options ${describeValue(options)}: add() takes an object of options`);
  const asked = typeof sink === "function" ? (sink as { [SINK_OPTIONS]?: HandlerOptions })[SINK_OPTIONS] : undefined;
  if (asked !== undefined) options = { ...asked, ...options };
  const isFile = typeof sink === "string" || sink instanceof URL;
  for (const key of Object.keys(options)) {
    if (COMMON_OPTIONS.has(key)) continue;
    if (FILE_OPTIONS.has(key)) {
      if (!isFile) throw new TypeError(`Invalid option '${key}': it only applies to file sinks (a path), not to ${sinkNameOf(sink as Sink)}`);
      continue;
    }
    throw new TypeError(`Unknown option '${key}' for add()`);
  }

  const levelNo = levels.severity(options.level ?? defaults.level);
  const format = options.format ?? defaults.format;
  if (typeof format !== "string" && typeof format !== "function") {
    throw new TypeError(`Invalid format ${describeValue(format)}, it should be a string or a function, not: '${typeName(format)}'`);
  }
  const filterOption = options.filter !== undefined ? options.filter : defaults.filter;
  const filter =
    filterOption === undefined || filterOption === null || filterOption === ""
      ? null
      : loadFilter().compileFilter(filterOption, (level) => levels.severity(level, "filter level"));
  const colorizeOption = options.colorize ?? defaults.colorize;
  if (colorizeOption !== null && typeof colorizeOption !== "boolean") {
    throw new TypeError(`Invalid colorize ${describeValue(colorizeOption)}: it should be a boolean`);
  }

  const enqueue = enqueueOption(options.enqueue, defaults.enqueue);
  const serialize = serializeOption(options.serialize, defaults.serialize);
  const backtrace = booleanOption(options, "backtrace", defaults.backtrace);
  const diagnose = booleanOption(options, "diagnose", defaults.diagnose);
  const catchErrors = booleanOption(options, "catch", defaults.catch);
  const escape = booleanOption(options, "escape", defaults.escape);
  const redact = options.redact === undefined ? undefined : checkRedactOption(options.redact, "add()");

  let writer: SinkWriter;
  let colorize = false;
  if (isFile) {
    const path = sink instanceof URL ? decodeURIComponent(sink.pathname) : (sink as string);
    if (sink instanceof URL && sink.protocol !== "file:") throw new TypeError(`Invalid sink ${describeValue(sink.href)}: only file: URLs can be logged to`);
    const fileOptions: { [option: string]: unknown } = { ...defaults.file };
    for (const key of FILE_OPTIONS) if ((options as { [k: string]: unknown })[key] !== undefined) fileOptions[key] = (options as { [k: string]: unknown })[key];
    const reportFileError = (error: unknown): void => reportError(error, null);
    writer = enqueue
      ? loadQueue().createQueuedWriter({ kind: "file", path, options: fileOptions }, enqueue, reportFileError)
      : loadFileSinks().createFileSink(path, fileOptions, reportFileError);
    colorize = colorizeOption ?? false;
  } else if (typeof sink === "function") {
    writer = loadFunctionSink().createFunctionSink(sink as FunctionSink, reportError);
    if (enqueue) writer = loadQueue().createQueuedWriter({ kind: "local", writer }, enqueue, (error) => reportError(error, null));
    colorize = colorizeOption ?? false;
  } else if (sink !== null && typeof sink === "object" && typeof (sink as WritableSink).write === "function") {
    const fd = sink === process.stdout ? 1 : sink === process.stderr ? 2 : -1;
    if (enqueue && fd !== -1) writer = loadQueue().createQueuedWriter({ kind: "fd", fd }, enqueue, (error) => reportError(error, null));
    else {
      writer = createStreamSink(sink as WritableSink, (error) => reportError(error, null));
      if (enqueue) writer = loadQueue().createQueuedWriter({ kind: "local", writer }, enqueue, (error) => reportError(error, null));
    }
    colorize = colorizeOption ?? streamWantsColor(sink as WritableSink);
  } else {
    throw new TypeError(`Cannot log to objects of type '${typeName(sink)}': a sink is a path, a function or an object with write()`);
  }

  return {
    id,
    levelNo,
    filter,
    format,
    colorize,
    serialize,
    backtrace,
    diagnose,
    diagnoseRequested: options.diagnose === true,
    catch: catchErrors,
    redact,
    escape,
    writer,
    sinkName: sinkNameOf(sink as Sink),
    sinkReadsRecords: typeof sink === "function",
    finishesAfterStop: isFile || typeof sink === "function" || enqueue !== false,
  };
}
