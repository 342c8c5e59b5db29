import { inspect, types } from "node:util";
import { dataProperty, ownDataProperty } from "../diagnose/data-property";
import { isPlainObject } from "./describe";
import { NO_REDACTION, REDACTED, type PathNode, type Redactor } from "./redact";
import { formatElapsed } from "./template/time";
import type { LogRecord } from "./types";

/** Deeper values are cut, so a hostile or runaway structure cannot exhaust the stack. */
const MAX_DEPTH = 32;
/**
 * Objects visited per record at most: a structure sharing references (`b = {x: a, y: a}`, `c = {x: b, y: b}`, ...)
 * would otherwise be written out exponentially many times.
 */
const MAX_OBJECTS = 100_000;

/** The walk's state: the objects on the current path (for cycles) and what is left of the budget. */
interface Walk {
  readonly ancestors: Set<object>;
  remaining: number;
  /** Keys and paths whose values are written as "[redacted]". */
  readonly redactor: Redactor;
}

function newWalk(redactor: Redactor = NO_REDACTION): Walk {
  return { ancestors: new Set(), remaining: MAX_OBJECTS, redactor };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue } | undefined;

/** What a value that cannot be read shows instead, e.g. `[Unreadable: TypeError: boom]`. */
function unreadable(error: unknown): string {
  return `[Unreadable: ${describeThrown(error)}]`;
}

function describeThrown(error: unknown): string {
  try {
    if (types.isNativeError(error)) return `${(error as Error).name}: ${(error as Error).message}`;
    return typeof error === "string" ? error : inspect(error, { depth: 0, customInspect: false, breakLength: Infinity });
  } catch {
    return "unknown error";
  }
}

function functionLabel(fn: Function): string {
  let name: unknown;
  try {
    name = fn.name;
  } catch {
    name = "";
  }
  return typeof name === "string" && name ? `[Function: ${name}]` : "[Function (anonymous)]";
}


/** True for a plain object whose own values are all strings, finite numbers, booleans or null: JSON.stringify can take it as is. */
function isFlatJson(value: unknown): value is { [key: string]: JsonValue } {
  if (typeof value !== "object" || value === null || types.isProxy(value) || !isPlainObject(value)) return false;
  for (const key in value) {
    const item = (value as { [key: string]: unknown })[key];
    const type = typeof item;
    if (type === "string" || type === "boolean" || item === null) continue;
    if (type === "number" && Number.isFinite(item)) continue;
    return false;
  }
  return true;
}

/**
 * A copy of `value` that JSON.stringify renders without throwing and without losing what matters:
 * BigInt as a decimal string, Symbols and functions as labels, Errors as objects, Maps as objects,
 * Sets and typed arrays as arrays, cycles as "[Circular]", unreadable parts as "[Unreadable: ...]".
 * `undefined` and non-finite numbers keep JSON.stringify's treatment (omitted / null).
 */
function toJsonValue(value: unknown, walk: Walk, depth: number, at: PathNode | null = null): JsonValue {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "undefined":
      return undefined;
    case "symbol":
      return value.toString();
    case "function":
      return functionLabel(value);
  }
  if (value === null) return null;
  const object = value as object;
  if (walk.ancestors.has(object)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Too deep]";
  if (--walk.remaining < 0) return "[Too large]";
  walk.ancestors.add(object);
  try {
    return objectToJson(object, walk, depth + 1, at);
  } catch (error) {
    return unreadable(error);
  } finally {
    walk.ancestors.delete(object);
  }
}

function objectToJson(object: object, walk: Walk, depth: number, at: PathNode | null): JsonValue {
  const redactor = walk.redactor;
  if (Array.isArray(object)) {
    const out: JsonValue[] = new Array(object.length);
    for (let i = 0; i < object.length; i++) {
      if (at !== null && redactor.hides(String(i), at)) out[i] = REDACTED;
      else out[i] = itemToJson(object, i, walk, depth, at === null ? null : redactor.enter(String(i), at)) ?? null;
    }
    return out;
  }
  if (types.isNativeError(object) || object instanceof Error) return errorToJson(object as Error, walk, depth, at);
  if (types.isDate(object)) {
    const time = (object as Date).getTime();
    return Number.isNaN(time) ? "Invalid Date" : (object as Date).toISOString();
  }
  if (types.isTypedArray(object)) {
    const out: JsonValue[] = new Array(object.length);
    for (let i = 0; i < object.length; i++) {
      const item = object[i] as number | bigint;
      out[i] = typeof item === "bigint" ? item.toString() : Number.isFinite(item) ? item : null;
    }
    return out;
  }
  if (types.isAnyArrayBuffer(object)) return Array.from(new Uint8Array(object));
  if (types.isDataView(object)) return Array.from(new Uint8Array(object.buffer, object.byteOffset, object.byteLength));
  if (types.isMap(object)) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, item] of object as Map<unknown, unknown>) {
      const name = mapKey(key, walk, depth);
      defineKey(out, name, redactor.hides(name, at) ? REDACTED : toJsonValue(item, walk, depth, redactor.enter(name, at)));
    }
    return out;
  }
  if (types.isSet(object)) {
    const out: JsonValue[] = [];
    for (const item of object as Set<unknown>) out.push(toJsonValue(item, walk, depth, redactor.enter("*", at)) ?? null);
    return out;
  }
  if (types.isRegExp(object)) return String(object);
  if (types.isBoxedPrimitive(object)) return toJsonValue((object as { valueOf(): unknown }).valueOf(), walk, depth, at);
  if (types.isPromise(object)) return "[Promise]";
  if (types.isWeakMap(object)) return "[WeakMap]";
  if (types.isWeakSet(object)) return "[WeakSet]";
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") {
    const replaced = toJSON.call(object);
    if (replaced !== object) return toJsonValue(replaced, walk, depth, at);
  }
  return propertiesToJson(object, {}, walk, depth, at);
}

/** Map keys become object keys: strings as they are, anything else as its JSON text. */
function mapKey(key: unknown, walk: Walk, depth: number): string {
  if (typeof key === "string") return key;
  const converted = toJsonValue(key, walk, depth);
  return typeof converted === "string" ? converted : String(JSON.stringify(converted));
}

/** Sets `key` even when it is "__proto__", which plain assignment would treat as the prototype. */
function defineKey(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function itemToJson(object: object, key: string | number, walk: Walk, depth: number, at: PathNode | null = null): JsonValue {
  let item: unknown;
  try {
    item = (object as { [key: string]: unknown })[key];
  } catch (error) {
    return unreadable(error);
  }
  return toJsonValue(item, walk, depth, at);
}

function propertiesToJson(
  object: object,
  out: { [key: string]: JsonValue },
  walk: Walk,
  depth: number,
  at: PathNode | null,
  skip?: ReadonlySet<string>,
): { [key: string]: JsonValue } {
  const redactor = walk.redactor;
  for (const key of Object.keys(object)) {
    if (skip?.has(key)) continue;
    if (redactor.hides(key, at)) defineKey(out, key, REDACTED);
    else defineKey(out, key, itemToJson(object, key, walk, depth, redactor.enter(key, at)));
  }
  return out;
}

const ERROR_FIELDS: ReadonlySet<string> = new Set(["name", "message", "stack", "cause", "errors"]);

/** `{ name, message, ...own enumerable properties, cause?, errors? (AggregateError), stack }`. */
function errorToJson(error: Error, walk: Walk, depth: number, at: PathNode | null): JsonValue {
  const out: { [key: string]: JsonValue } = {
    name: itemToJson(error, "name", walk, depth) ?? "Error",
    message: itemToJson(error, "message", walk, depth) ?? "",
  };
  propertiesToJson(error, out, walk, depth, at, ERROR_FIELDS);
  if (Object.prototype.hasOwnProperty.call(error, "cause")) out.cause = itemToJson(error, "cause", walk, depth) ?? null;
  let errors: unknown;
  try {
    errors = (error as { errors?: unknown }).errors;
  } catch (thrown) {
    errors = [unreadable(thrown)];
  }
  if (Array.isArray(errors)) out.errors = toJsonValue(errors, walk, depth);
  const stack = itemToJson(error, "stack", walk, depth);
  if (stack !== undefined) out.stack = stack;
  return out;
}

/** A value as JSON.stringify can take it (see toJsonValue); never throws. */
export function jsonField(value: unknown, redactor: Redactor = NO_REDACTION, at: PathNode | null = null): JsonValue {
  const type = typeof value;
  if (type === "string" || type === "boolean" || (type === "number" && Number.isFinite(value))) return value as JsonValue;
  return toJsonValue(value, newWalk(redactor), 0, at);
}

function readField(object: unknown, key: string): unknown {
  if (typeof object !== "object" || object === null) return undefined;
  try {
    return (object as { [key: string]: unknown })[key];
  } catch (error) {
    return unreadable(error);
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** The local-time text around the microseconds, for one second: `2026-11-24T12:21:02.` and `+01:00`. */
interface SecondText {
  second: number;
  head: string;
  offset: string;
}

let lastSecond: SecondText = { second: NaN, head: "", offset: "" };

/** Local time with microseconds and UTC offset: `2026-11-24T12:21:02.123456+01:00`. */
function localIsoTime(date: Date, microsecond: number): string {
  const second = Math.floor(date.getTime() / 1000);
  let text = lastSecond;
  if (text.second !== second) {
    const minutes = -date.getTimezoneOffset();
    const absolute = Math.abs(minutes);
    text = {
      second,
      head:
        `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}` +
        `T${pad(date.getHours(), 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.`,
      offset: `${minutes < 0 ? "-" : "+"}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`,
    };
    lastSecond = text;
  }
  return text.head + pad(microsecond, 6) + text.offset;
}

function timeToJson(time: unknown): JsonValue {
  if (!types.isDate(time) || Number.isNaN((time as Date).getTime())) return { repr: jsonField(time), timestamp: null };
  const date = time as Date;
  const ms = date.getTime();
  const ownMicro = readField(date, "microsecond");
  const microsecond =
    typeof ownMicro === "number" && Number.isInteger(ownMicro) && ownMicro >= 0 && ownMicro < 1e6
      ? ownMicro
      : (((ms % 1000) + 1000) % 1000) * 1000;
  return { repr: localIsoTime(date, microsecond), timestamp: Math.floor(ms / 1000) + microsecond / 1e6 };
}

function elapsedToJson(elapsed: unknown): JsonValue {
  const microseconds = readField(elapsed, "microseconds");
  if (typeof microseconds !== "number" || !Number.isSafeInteger(microseconds) || microseconds < 0) {
    return { repr: jsonField(elapsed), seconds: null };
  }
  return { repr: formatElapsed({ microseconds }), seconds: microseconds / 1e6 };
}

/** The exception's value as text: an Error's message (as Python's `str(exc)`), anything else inspected. */
function exceptionText(value: unknown, stack: string | undefined): string {
  try {
    if (typeof value === "string") return value;
    if (types.isNativeError(value) || value instanceof Error) {
      // Data only: a `message` getter (zod's) is not run; V8 wrote its text into the stack's header.
      const message = dataProperty(value, "message");
      if (typeof message === "string") return message;
      return stack === undefined ? "" : messageFromStack(value, stack);
    }
    return inspect(value, { depth: 2, customInspect: false, getters: false, breakLength: Infinity });
  } catch (error) {
    return unreadable(error);
  }
}

function exceptionToJson(exception: unknown): JsonValue {
  if (exception === null || exception === undefined) return null;
  if (typeof exception !== "object") return jsonField(exception);
  const value = readField(exception, "value");
  const stack = errorStack(value);
  const out: { [key: string]: JsonValue } = {
    type: jsonField(readField(exception, "type")),
    value: exceptionText(value, stack),
    traceback: Boolean(readField(exception, "traceback")),
  };
  if (stack !== undefined) out.stack = stack;
  return out;
}

/** The message in a stack's header (`Name: message` before the first frame line), or "". */
function messageFromStack(error: object, stack: string): string {
  const frame = stack.search(/\n\s+at /);
  const header = frame === -1 ? stack : stack.slice(0, frame);
  const name = dataProperty(error, "name");
  const prefix = `${typeof name === "string" ? name : "Error"}: `;
  return header.startsWith(prefix) ? header.slice(prefix.length) : "";
}

/** The thrown Error's own `stack` text (read as data, never through a getter). */
function errorStack(value: unknown): string | undefined {
  if (!(types.isNativeError(value) || value instanceof Error)) return undefined;
  const stack = ownDataProperty(value, "stack");
  return typeof stack === "string" ? stack : undefined;
}

function identityToJson(identity: unknown): JsonValue {
  return { id: jsonField(readField(identity, "id")), name: jsonField(readField(identity, "name")) };
}

function extraToJson(extra: unknown, redactor: Redactor): JsonValue {
  try {
    if (isFlatJson(extra) && !hidesSomeKey(extra, redactor)) return extra;
  } catch {
    // A hostile extra falls through to the careful copy.
  }
  return toJsonValue(extra, newWalk(redactor), 0, redactor.root);
}

function hidesSomeKey(object: object, redactor: Redactor): boolean {
  if (redactor.off) return false;
  for (const key in object) if (redactor.hides(key, redactor.root)) return true;
  return false;
}

/** `,"key":value` for one record field, or nothing when JSON.stringify would omit the value; the last string's or number's text is kept. */
class MemberText {
  #value: string | number | undefined = undefined;
  #text = "";
  constructor(private readonly key: string) {}
  text(value: unknown): string {
    if (typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
      if (value !== this.#value) {
        this.#text = `,"${this.key}":${JSON.stringify(value)}`;
        this.#value = value;
      }
      return this.#text;
    }
    const json = jsonField(value);
    return json === undefined ? "" : `,"${this.key}":${JSON.stringify(json)}`;
  }
}

const functionMember = new MemberText("function");
const lineMember = new MemberText("line");
const messageMember = new MemberText("message");
const moduleMember = new MemberText("module");
const nameMember = new MemberText("name");

/** The JSON text of the last frozen object seen in one record field (levels, process, thread are shared and frozen). */
class FrozenJsonCache {
  #source: unknown = undefined;
  #json = "";
  constructor(private readonly toJson: (value: unknown) => JsonValue) {}
  text(value: unknown): string {
    if (value === this.#source && value !== undefined) return this.#json;
    const json = JSON.stringify(this.toJson(value));
    if (typeof value === "object" && value !== null && Object.isFrozen(value)) {
      this.#source = value;
      this.#json = json;
    }
    return json;
  }
}

const levelJson = new FrozenJsonCache((level) => ({
  icon: jsonField(readField(level, "icon")),
  name: jsonField(readField(level, "name")),
  no: jsonField(readField(level, "no")),
}));
const processJson = new FrozenJsonCache(identityToJson);
const threadJson = new FrozenJsonCache(identityToJson);

let lastFile = { name: "", path: "", text: "" };

/** `{"name":...,"path":...}`; the text of the last file's strings is kept (records of one call site share them). */
function fileText(file: unknown): string {
  const name = readField(file, "name");
  const path = readField(file, "path");
  if (typeof name === "string" && typeof path === "string") {
    if (name === lastFile.name && path === lastFile.path && lastFile.text !== "") return lastFile.text;
    const text = JSON.stringify({ name, path });
    lastFile = { name, path, text };
    return text;
  }
  return JSON.stringify({ name: jsonField(name), path: jsonField(path) });
}

/** `{"repr":..., "seconds":...}` written directly for the usual elapsed value. */
function elapsedText(elapsed: unknown): string {
  const microseconds = readField(elapsed, "microseconds");
  if (typeof microseconds !== "number" || !Number.isSafeInteger(microseconds) || microseconds < 0) {
    return JSON.stringify(elapsedToJson(elapsed));
  }
  // formatElapsed writes digits, ":", "." and ", N days": nothing JSON escapes.
  return `{"repr":"${formatElapsed({ microseconds })}","seconds":${microseconds / 1e6}}`;
}

/** `{"repr":..., "timestamp":...}` written directly for a valid Date, as timeToJson has it. */
function timeText(time: unknown): string {
  if (types.isDate(time)) {
    const date = time as Date;
    const ms = date.getTime();
    if (!Number.isNaN(ms)) {
      const ownMicro = readField(date, "microsecond");
      const microsecond =
        typeof ownMicro === "number" && Number.isInteger(ownMicro) && ownMicro >= 0 && ownMicro < 1e6
          ? ownMicro
          : (((ms % 1000) + 1000) % 1000) * 1000;
      // The repr is digits and separators only, and the timestamp a finite number.
      return `{"repr":"${localIsoTime(date, microsecond)}","timestamp":${Math.floor(ms / 1000) + microsecond / 1e6}}`;
    }
  }
  return JSON.stringify(timeToJson(time));
}

function extraText(extra: unknown, redactor: Redactor): string {
  if (typeof extra === "object" && extra !== null && isEmptyPlainObject(extra)) return "{}";
  const json = extraToJson(extra, redactor);
  return json === undefined ? "" : JSON.stringify(json);
}

function isEmptyPlainObject(object: object): boolean {
  if (Object.getPrototypeOf(object) !== Object.prototype || types.isProxy(object)) return false;
  for (const _ in object) return false;
  return Reflect.ownKeys(object).length === 0;
}

/** The record's JSON text, written field by field in loguru's key order; shared and frozen parts are cached. */
function recordText(record: LogRecord, redactor: Redactor): string {
  const exception = record.exception;
  const extra = extraText(record.extra, redactor);
  return (
    `{"elapsed":${elapsedText(record.elapsed)}` +
    `,"exception":${exception === null ? "null" : JSON.stringify(exceptionToJson(exception))}` +
    (extra === "" ? "" : `,"extra":${extra}`) +
    `,"file":${fileText(record.file)}` +
    functionMember.text(record.function) +
    `,"level":${levelJson.text(record.level)}` +
    lineMember.text(record.line) +
    messageMember.text(record.message) +
    moduleMember.text(record.module) +
    nameMember.text(record.name) +
    `,"process":${processJson.text(record.process)}` +
    `,"thread":${threadJson.text(record.thread)}` +
    `,"time":${timeText(record.time)}}`
  );
}

/**
 * One JSON line, ending with "\n": `{"text": ..., "record": {...}}` in loguru's record shape
 * (elapsed `{repr, seconds}`, exception `null` or `{type, value, traceback, stack?}`, extra, file
 * `{name, path}`, function, level `{icon, name, no}`, line, message, module, name, process
 * `{id, name}`, thread `{id, name}`, time `{repr, timestamp}`).
 *
 * Never throws. In `extra`, BigInt becomes a decimal string (exact, unlike a number), Symbols and
 * functions become labels, Errors become `{name, message, ...props, cause, errors, stack}`, Maps
 * objects, Sets and typed arrays arrays, Dates ISO strings; cycles show "[Circular]" and values
 * whose reading throws (getters, proxies) show "[Unreadable: ...]". `undefined` properties are
 * omitted and NaN/Infinity become null, as with JSON.stringify. Lone surrogates are escaped.
 */
export function serializeRecord(text: string, record: LogRecord, redactor: Redactor = NO_REDACTION): string {
  try {
    return `{"text":${JSON.stringify(text)},"record":${recordText(record, redactor)}}\n`;
  } catch (error) {
    return JSON.stringify({ text: jsonField(text), record: null, error: unreadable(error) }) + "\n";
  }
}
