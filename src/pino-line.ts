/** `serialize: "pino"`: one JSON line in pino's shape, so that pino-pretty, pino transports and log shippers read it. */
import { hostname } from "node:os";
import { types } from "node:util";
import { ownDataProperty as ownData } from "../diagnose/data-property";
import { jsonField, type JsonValue } from "./serialize";
import { NO_REDACTION, REDACTED, type Redactor } from "./redact";
import type { LogRecord } from "./types";

/** Computed once: pino writes these on every line from values fixed at start-up. */
const PROCESS_FIELDS = `,"pid":${process.pid},"hostname":${JSON.stringify(safeHostname())}`;
/** Causes and aggregated errors are followed this deep at most. */
const MAX_ERROR_DEPTH = 8;
const ERROR_OWN_FIELDS: ReadonlySet<string> = new Set(["name", "message", "stack", "cause", "errors"]);

function safeHostname(): string {
  try {
    return hostname();
  } catch {
    return "";
  }
}

/**
 * pino's number for a level: TRACE 10, DEBUG 20, INFO 30, SUCCESS 35, WARNING 40, ERROR 50,
 * CRITICAL 60 (below 10 doubled, from 10 up plus 10, so custom levels keep their order).
 */
function pinoLevel(no: number): number {
  return no < 10 ? no * 2 : no + 10;
}

/**
 * `{"level":30,"time":<epoch ms>,"pid":…,"hostname":…,<extra keys>…,"err":{type,message,stack,cause?},"msg":…}`
 * and a newline. Never throws: a record that cannot be written whole is written with its message alone.
 */
export function pinoLine(record: LogRecord, redactor: Redactor = NO_REDACTION): string {
  try {
    let line = `{"level":${pinoLevel(record.level.no)},"time":${timeOf(record)}${PROCESS_FIELDS}`;
    const extra = record.extra;
    const exception = record.exception;
    for (const key in extra) {
      if (key === "err" && exception !== null) continue;
      const value = redactor.hides(key, redactor.root) ? REDACTED : jsonField(extra[key], redactor, redactor.enter(key, redactor.root));
      if (value !== undefined) line += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    }
    if (exception !== null) line += `,"err":${JSON.stringify(errorJson(exception.value, 0, new Set()))}`;
    return line + `,"msg":${JSON.stringify(String(record.message))}}\n`;
  } catch (error) {
    return `{"level":${pinoLevel(Number(record.level?.no) || 0)},"time":${Date.now()}${PROCESS_FIELDS},"msg":${JSON.stringify(String(record.message))},"serializeError":${JSON.stringify(describe(error))}}\n`;
  }
}

function timeOf(record: LogRecord): number {
  const time = record.time;
  const ms = types.isDate(time) ? time.getTime() : NaN;
  return Number.isFinite(ms) ? ms : Date.now();
}

/** pino's error shape: `{ type, message, stack, ...own fields, cause?, aggregateErrors? }`; read without running getters. */
function errorJson(value: unknown, depth: number, seen: Set<object>): JsonValue {
  if (!isError(value)) {
    return { type: value === null ? "null" : typeof value, message: typeof value === "string" ? value : String(jsonField(value) ?? value) };
  }
  if (seen.has(value) || depth > MAX_ERROR_DEPTH) return "[Circular]";
  seen.add(value);
  const out: { [key: string]: JsonValue } = {
    type: errorType(value),
    message: String(ownData(value, "message") ?? ""),
  };
  const stack = ownData(value, "stack");
  if (typeof stack === "string") out.stack = stack;
  for (const key of Object.keys(value)) {
    if (ERROR_OWN_FIELDS.has(key)) continue;
    const field = jsonField(ownData(value, key));
    if (field !== undefined) out[key] = field;
  }
  if (Object.prototype.hasOwnProperty.call(value, "cause")) {
    const cause = ownData(value, "cause");
    out.cause = isError(cause) ? errorJson(cause, depth + 1, seen) : (jsonField(cause) ?? null);
  }
  const errors = ownData(value, "errors");
  if (Array.isArray(errors)) out.aggregateErrors = errors.map((member) => errorJson(member, depth + 1, seen));
  seen.delete(value);
  return out;
}

/** An Error, told without running a Proxy's getPrototypeOf trap (a Proxy is never taken for one). */
function isError(value: unknown): value is Error {
  if (typeof value !== "object" || value === null || types.isProxy(value)) return false;
  return types.isNativeError(value) || value instanceof Error;
}

function errorType(error: Error): string {
  try {
    const constructor = (error as { constructor?: unknown }).constructor;
    if (typeof constructor === "function" && constructor.name) return constructor.name;
  } catch {
    // An unreadable constructor falls back to the name.
  }
  const name = ownData(error, "name") ?? inheritedData(error, "name");
  return typeof name === "string" && name ? name : "Error";
}

function inheritedData(object: object, key: string): unknown {
  try {
    for (let proto = Object.getPrototypeOf(object); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor !== undefined) return "value" in descriptor ? descriptor.value : undefined;
    }
  } catch {
    // A hostile prototype chain reads as nothing.
  }
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
