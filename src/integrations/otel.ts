/// <reference types="node" preserve="true" />
/**
 * `logsight/otel`: a sink that emits each record through the OpenTelemetry Logs API, so that
 * whatever LoggerProvider the application configured (an OTLP exporter, a console exporter) gets it.
 */
import { inspect } from "node:util";
import { SINK_OPTIONS } from "../sink-options";
import type { FunctionSink, HandlerOptions, LogRecord } from "../types";

/** What the sink needs of an OpenTelemetry `LoggerProvider` (`@opentelemetry/sdk-logs` has it). */
export interface OtelLoggerProvider {
  getLogger(name: string, version?: string): { emit(record: OtelLogRecord): void };
}

/** The log record handed to `Logger.emit()` of the OpenTelemetry Logs API. */
export interface OtelLogRecord {
  timestamp: [number, number];
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: { [key: string]: unknown };
}

export interface OtelSinkOptions {
  /** Where records go; by default the global one (`logs.setGlobalLoggerProvider()` or the SDK's `start()`). */
  loggerProvider?: OtelLoggerProvider;
  /** The instrumentation scope the records are emitted under (default `"logsight"`). */
  scope?: string;
}

/** OpenTelemetry's severity numbers for logsight's level numbers: TRACE 1, DEBUG 5, INFO 9, SUCCESS 10, WARN 13, ERROR 17, FATAL 21. */
export function severityNumberOf(levelNo: number): number {
  if (levelNo < 10) return 1;
  if (levelNo < 20) return 5;
  if (levelNo < 25) return 9;
  if (levelNo < 30) return 10;
  if (levelNo < 40) return 13;
  if (levelNo < 50) return 17;
  return 21;
}

/**
 * A sink for `logger.add()`: each record becomes an OpenTelemetry log record with the level as
 * severity, the message as body, `extra` (with `trace_id`/`span_id` when a span is active) and the
 * caller as attributes, and an exception as `exception.type`, `exception.message` and
 * `exception.stacktrace` (the traceback the handler rendered, with values where captured).
 * The sink asks its handler for the serialized record of an uncolored `{message}` (unless `add()`
 * says otherwise), so that `extra` and the traceback arrive redacted as in every other sink.
 */
export function otelSink(options: OtelSinkOptions = {}): FunctionSink {
  if (options === null || typeof options !== "object") throw new TypeError(`Invalid otelSink() options ${String(options)}: they should be an object`);
  const scope = options.scope ?? "logsight";
  if (typeof scope !== "string" || scope === "") throw new TypeError(`Invalid scope ${inspect(scope)}: it should be a non-empty string`);
  const provider = options.loggerProvider;
  if (provider !== undefined && (provider === null || typeof provider.getLogger !== "function")) {
    throw new TypeError(`Invalid loggerProvider ${inspect(provider, { depth: 0 })}: it should have a getLogger() method`);
  }
  // The API's global provider is a proxy: records reach whatever provider is registered, even later.
  const otelLogger = (provider ?? globalProvider()).getLogger(scope);

  const sink = (message: string, record: LogRecord): void => {
    const serialized = readSerialized(message);
    otelLogger.emit({
      timestamp: [Math.floor(record.time.getTime() / 1000), record.time.microsecond * 1000],
      severityNumber: severityNumberOf(record.level.no),
      severityText: record.level.name,
      body: serialized.record.message,
      attributes: attributesOf(serialized, record),
    });
  };
  const defaults: HandlerOptions = { format: "{message}", colorize: false, serialize: true };
  Object.defineProperty(sink, SINK_OPTIONS, { value: defaults });
  return sink;
}

function globalProvider(): OtelLoggerProvider {
  try {
    return (require("@opentelemetry/api-logs") as { logs: { getLoggerProvider(): OtelLoggerProvider } }).logs.getLoggerProvider();
  } catch (error) {
    throw new Error(`logsight/otel needs @opentelemetry/api-logs, or a loggerProvider option (${String((error as Error).message).split("\n")[0]})`);
  }
}

/** What `serialize: true` hands the sink: the handler's text and the record, both redacted. */
interface SerializedRecord {
  text: string;
  record: { message: string; extra: { [key: string]: unknown }; exception: { value: string } | null };
}

function readSerialized(message: string): SerializedRecord {
  let parsed: SerializedRecord;
  try {
    parsed = JSON.parse(message) as SerializedRecord;
  } catch {
    throw new Error("logsight/otel: the sink's handler must keep serialize: true (the sink reads the serialized record)");
  }
  return parsed;
}

function attributesOf(serialized: SerializedRecord, record: LogRecord): { [key: string]: unknown } {
  const extra = serialized.record.extra;
  const attributes: { [key: string]: unknown } = extra !== null && typeof extra === "object" ? { ...extra } : {};
  if (record.function !== "") attributes["code.function.name"] = record.function;
  if (record.file.path !== "") attributes["code.file.path"] = record.file.path;
  if (record.line > 0) attributes["code.line.number"] = record.line;
  const exception = record.exception;
  if (exception !== null) {
    attributes["exception.type"] = exception.type;
    attributes["exception.message"] = serialized.record.exception?.value ?? "";
    attributes["exception.stacktrace"] = renderedTraceback(serialized.text, serialized.record.message);
  }
  return attributes;
}

/** The handler's text is `{message}` then the traceback; with another format, all of it. */
function renderedTraceback(text: string, message: string): string {
  const traceback = text.startsWith(message) ? text.slice(message.length) : text;
  return traceback.replace(/^\n/, "").replace(/\n$/, "");
}
