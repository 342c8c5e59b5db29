import * as util from "node:util";
import type { CapturedScope } from "./capture/types.js";
import { summarizeHttp } from "./http-summary.js";

/** The outcome of reading a name or a property without running user code. */
export type ValueLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: ValueLookup = { found: false };

// Globals a reader already knows; annotating them adds noise, never information.
const BUILTIN_NAMES = new Set([
  "globalThis", "Object", "Function", "Array", "Number", "parseFloat", "parseInt", "Boolean", "String",
  "Symbol", "Date", "Promise", "RegExp", "Error", "AggregateError", "EvalError", "RangeError",
  "ReferenceError", "SyntaxError", "TypeError", "URIError", "JSON", "Math", "Intl", "ArrayBuffer",
  "SharedArrayBuffer", "Atomics", "Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array",
  "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "BigUint64Array", "BigInt64Array",
  "DataView", "Map", "BigInt", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Proxy",
  "Reflect", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
  "eval", "isFinite", "isNaN", "console", "process", "Buffer", "global", "require", "module", "exports",
  "__filename", "__dirname", "setTimeout", "setInterval", "setImmediate", "clearTimeout",
  "clearInterval", "clearImmediate", "queueMicrotask", "structuredClone", "URL", "URLSearchParams",
  "TextEncoder", "TextDecoder", "AbortController", "AbortSignal", "EventTarget", "Event", "fetch",
  "performance", "crypto", "Blob", "atob", "btoa", "WebAssembly", "SuppressedError", "Iterator",
  "undefined", "NaN", "Infinity",
]);

/** Is `name` a global every reader knows (never annotated)? */
export function isBuiltinName(name: string): boolean {
  return BUILTIN_NAMES.has(name);
}

/** Reads variable `name` from captured scopes, innermost first; globals only when not builtins. */
export function lookupVariable(scopes: readonly CapturedScope[], name: string): ValueLookup {
  for (const scope of scopes) {
    if ((scope.type === "global" || scope.type === "script") && BUILTIN_NAMES.has(name)) continue;
    const found = readOwnData(scope.variables, name);
    if (found.found) return found;
  }
  return NOT_FOUND;
}

let nativeGetters: Set<unknown> | undefined;

function safeNativeGetters(): Set<unknown> {
  if (nativeGetters !== undefined) return nativeGetters;
  const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const pairs: [object, string][] = [
    [Map.prototype, "size"],
    [Set.prototype, "size"],
    [ArrayBuffer.prototype, "byteLength"],
    [typedArrayPrototype, "length"],
    [typedArrayPrototype, "byteLength"],
    [typedArrayPrototype, "byteOffset"],
    [RegExp.prototype, "source"],
    [RegExp.prototype, "flags"],
    [Symbol.prototype, "description"],
  ];
  nativeGetters = new Set(pairs.map(([o, k]) => Object.getOwnPropertyDescriptor(o, k)?.get).filter((g) => g !== undefined));
  return nativeGetters;
}

/**
 * Reads `object[key]` by walking own property descriptors up the prototype chain: a user getter,
 * a Proxy (any of its traps) or a primitive's wrapper code is never run. A few engine getters
 * without side effects (`Map#size`, typed array `length`) are allowed.
 */
export function lookupMember(object: unknown, key: string): ValueLookup {
  if (object === null || object === undefined) return NOT_FOUND;
  if (typeof object === "string") {
    if (key === "length") return { found: true, value: object.length };
    return walkPrototypes(String.prototype, key, object);
  }
  if (typeof object === "number") return walkPrototypes(Number.prototype, key, object);
  if (typeof object === "boolean") return walkPrototypes(Boolean.prototype, key, object);
  if (typeof object === "bigint") return walkPrototypes(BigInt.prototype, key, object);
  if (typeof object === "symbol") return walkPrototypes(Symbol.prototype, key, object);
  return walkPrototypes(object as object, key, object);
}

function walkPrototypes(start: object, key: string, receiver: unknown): ValueLookup {
  let current: object | null = start;
  let hops = 0;
  while (current !== null && hops++ < 100) {
    if (util.types.isProxy(current)) return NOT_FOUND;
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(current, key);
    } catch {
      return NOT_FOUND;
    }
    if (descriptor !== undefined) {
      if ("value" in descriptor) return { found: true, value: descriptor.value };
      if (descriptor.get !== undefined && safeNativeGetters().has(descriptor.get) && typeof receiver === "object") {
        try {
          return { found: true, value: Reflect.apply(descriptor.get, receiver, []) };
        } catch {
          return NOT_FOUND;
        }
      }
      return NOT_FOUND;
    }
    current = Object.getPrototypeOf(current) as object | null;
  }
  return NOT_FOUND;
}

function readOwnData(object: object, key: string): ValueLookup {
  if (util.types.isProxy(object)) return NOT_FOUND;
  let descriptor: PropertyDescriptor | undefined;
  try {
    descriptor = Object.getOwnPropertyDescriptor(object, key);
  } catch {
    return NOT_FOUND;
  }
  if (descriptor === undefined || !("value" in descriptor)) return NOT_FOUND;
  return { found: true, value: descriptor.value };
}

/** Reads an own or inherited data property without running getters; undefined when absent. */
export function readDataProperty(object: unknown, key: string): unknown {
  const found = lookupMember(object, key);
  return found.found ? found.value : undefined;
}

const ONE_LINE: util.InspectOptions = {
  depth: 1,
  breakLength: Infinity,
  maxArrayLength: 10,
  maxStringLength: 100,
  getters: false,
  showProxy: true,
  customInspect: false,
  colors: false,
  compact: 3,
};
const MULTI_LINE: util.InspectOptions = { ...ONE_LINE, breakLength: 80 };

/** Longest value shown on one line, in characters. */
export const MAX_VALUE_WIDTH = 128;
/** Most lines a multi-line value keeps. */
export const MAX_VALUE_LINES = 6;

/**
 * A value as `util.inspect` shows it, without running user code (`customInspect`, getters and
 * proxy traps off). Short forms stay on one line; longer objects spread over at most
 * MAX_VALUE_LINES lines; every line is cut at MAX_VALUE_WIDTH.
 */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    value = withShortErrors(value);
    text = util.inspect(value, ONE_LINE);
    if (text.length > MAX_VALUE_WIDTH && typeof value === "object" && value !== null) {
      const spread = util.inspect(value, MULTI_LINE);
      if (spread.includes("\n")) text = spread;
    }
  } catch (error) {
    return `<value not representable: ${errorSummary(error)}>`;
  }
  return truncateLines(text);
}

/** A value on one line, cut at `width` characters. */
export function describeInline(value: unknown, width: number): string {
  try {
    return truncate(util.inspect(withShortErrors(value), ONE_LINE), width);
  } catch (error) {
    return `<value not representable: ${errorSummary(error)}>`;
  }
}

/**
 * Errors as values print as `[RangeError: message]` rather than with their whole stack, at the
 * top and inside arrays and plain objects (copied shallowly; nothing of the original is changed);
 * HTTP requests and responses print as a summary (http-summary.ts).
 */
function withShortErrors(value: unknown): unknown {
  if (typeof value !== "object" || value === null || util.types.isProxy(value)) return value;
  if (util.types.isNativeError(value)) return shortError(value);
  const http = summarizeHttp(value);
  if (http !== undefined) return http;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return value;
  let copy: Record<string, unknown> | unknown[] | undefined;
  const keys = Object.keys(value);
  for (const key of keys.slice(0, 100)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d === undefined || !("value" in d)) continue;
    const item: unknown = d.value;
    if (typeof item === "object" && item !== null && !util.types.isProxy(item) && util.types.isNativeError(item)) {
      copy ??= isArray ? (value as unknown[]).slice() : { ...(value as Record<string, unknown>) };
      (copy as Record<string, unknown>)[key] = shortError(item);
    }
  }
  return copy ?? value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function shortError(error: object): Error {
  const name = readDataProperty(error, "name");
  const message = readDataProperty(error, "message");
  const short = new Error();
  short.stack = `${typeof name === "string" ? name : "Error"}: ${typeof message === "string" ? message : ""}`;
  return short;
}

function truncateLines(text: string): string {
  const lines = text.split("\n");
  const kept = lines.length > MAX_VALUE_LINES ? lines.slice(0, MAX_VALUE_LINES - 1) : lines;
  const out = kept.map((l) => truncate(l, MAX_VALUE_WIDTH));
  if (lines.length > MAX_VALUE_LINES) out.push(`... (${lines.length - kept.length} more lines)`);
  return out.join("\n");
}

/** Cuts `text` to at most `width` code points, ending with "..." when cut. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  const points = Array.from(text);
  if (points.length <= width) return text;
  return points.slice(0, width - 3).join("") + "...";
}

function errorSummary(error: unknown): string {
  try {
    if (util.types.isNativeError(error)) return `${String(readDataProperty(error, "name"))}: ${String(readDataProperty(error, "message"))}`;
  } catch {
    // fall through
  }
  return "unknown error";
}
