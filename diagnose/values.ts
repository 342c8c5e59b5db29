import * as util from "node:util";
import type { CapturedScope } from "./capture/types.js";
import { errorLine, previewMember, previewValue, renderPreview, renderPreviewLines, type Preview, type PreviewEntry } from "./preview.js";
import { summarizeHttp } from "./http-summary.js";
import { REDACTED, type PathNode, type Redactor } from "./redact.js";

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

/** A name or member read for an annotation: its value, and its preview when one was taken at the throw. */
export interface ResolvedValue {
  readonly value: unknown;
  readonly preview: Preview | undefined;
  /** False when an object's contents (or a member of it) were read at log time, not at the throw. */
  readonly asOfThrow: boolean;
  /** The values came frozen at the throw (a copy read through the protocol): everything in them is as of the throw. */
  readonly frozen: boolean;
}

/** Reads variable `name` like lookupVariable, with the preview the capture took of it. */
export function resolveVariable(scopes: readonly CapturedScope[], name: string): ResolvedValue | undefined {
  for (const scope of scopes) {
    if ((scope.type === "global" || scope.type === "script") && BUILTIN_NAMES.has(name)) continue;
    const found = readOwnData(scope.variables, name);
    if (!found.found) continue;
    // Scopes without previews hold copies made at the throw (the CLI reads them through the protocol).
    const frozen = scope.previews === undefined;
    const preview = scope.previews?.get(name);
    const value = found.value;
    return { value, preview, asOfThrow: frozen || preview !== undefined || typeof value !== "object" || value === null, frozen };
  }
  return undefined;
}

/**
 * Reads member `key` of a resolved value: from its preview when the preview has it (or, having
 * listed every own key, shows it was absent), else from the live object (read at log time).
 */
export function resolveMember(holder: ResolvedValue, key: string): ResolvedValue | undefined {
  if (holder.frozen) {
    const found = lookupMember(holder.value, key);
    return found.found ? { value: found.value, preview: undefined, asOfThrow: true, frozen: true } : undefined;
  }
  const preview = holder.preview;
  if (preview !== undefined && preview.kind === "object" && !preview.shallow) {
    const kept = previewMember(preview, key);
    if (kept !== undefined) {
      if (kept.kind === "scalar") return { value: kept.value, preview: undefined, asOfThrow: true, frozen: false };
      // A shallow preview (deeper than the capture read) is described from the live object.
      return { value: kept.live, preview: kept.shallow ? undefined : kept, asOfThrow: !kept.shallow, frozen: false };
    }
    if (preview.complete) {
      // Not an own key at the throw: inherited (a method) or absent, read from the prototype chain.
      let proto: unknown;
      try {
        proto = Object.getPrototypeOf(preview.live);
      } catch {
        return undefined;
      }
      const found = proto === null ? ABSENT : lookupMember(proto, key);
      if (!found.found) return undefined;
      return { value: found.value, preview: undefined, asOfThrow: true, frozen: false };
    }
  }
  const found = lookupMember(holder.value, key);
  if (!found.found) return undefined;
  const isObject = typeof found.value === "object" && found.value !== null;
  return { value: found.value, preview: undefined, asOfThrow: holder.asOfThrow && preview === undefined && !isObject && typeof holder.value !== "object", frozen: false };
}

/** A resolved value as text, its secret parts masked (`at`: where it sits in the redaction paths); one read at log time says so. */
export function describeResolved(resolved: ResolvedValue, redactor: Redactor, at: PathNode | null): string {
  const text =
    resolved.preview !== undefined ? describePreview(maskPreview(resolved.preview, redactor, at, 0)) : describeValue(redactor.mask(shownPart(resolved.value), at));
  return resolved.asOfThrow || typeof resolved.value === "function" ? text : `${text} ${READ_WHEN_LOGGED}`;
}

/** What describing a value shows of it: an HTTP request or response only as its summary, so masking need not walk its sockets. */
function shownPart(value: unknown): unknown {
  return (typeof value === "object" && value !== null && summarizeHttp(value)) || value;
}

const REDACTED_PREVIEW: Preview = { kind: "scalar", value: REDACTED };

/** The preview with the entries the redactor hides replaced by `[redacted]` (copied on the way to them). */
function maskPreview(preview: Preview, redactor: Redactor, at: PathNode | null, depth: number): Preview {
  if (redactor.off || preview.kind !== "object" || preview.entries === undefined || depth > 4) return preview;
  let entries: PreviewEntry[] | undefined;
  for (let i = 0; i < preview.entries.length; i++) {
    const entry = preview.entries[i]!;
    let name = entry.key;
    if (name === undefined && entry.mapKey?.kind === "scalar" && (typeof entry.mapKey.value === "string" || typeof entry.mapKey.value === "number")) name = String(entry.mapKey.value);
    let value = entry.value;
    if (name !== undefined && redactor.hides(name, at)) value = REDACTED_PREVIEW;
    else value = maskPreview(value, redactor, name === undefined ? null : redactor.enter(name, at), depth + 1);
    if (value !== entry.value) {
      entries ??= preview.entries.slice();
      entries[i] = { ...entry, value };
    }
  }
  return entries === undefined ? preview : { ...preview, entries };
}

/** Follows a value read at log time, whose contents may differ from what they were at the throw. */
export const READ_WHEN_LOGGED = "(read when logged)";

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
 * without side effects (`Map#size`, typed array `length`) are allowed. A key absent from the
 * whole chain reads as `undefined` (found); one behind a getter or a Proxy is not found.
 */
export function lookupMember(object: unknown, key: string): ValueLookup {
  if (object === null || object === undefined) return NOT_FOUND;
  if (typeof object === "string") {
    if (key === "length") return { found: true, value: object.length };
    if (/^(?:0|[1-9]\d*)$/.test(key)) return { found: true, value: object[Number(key)] };
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
    try {
      current = Object.getPrototypeOf(current) as object | null;
    } catch {
      return NOT_FOUND;
    }
  }
  // Absent all the way up the chain: reading it gives undefined, which is the culprit of many TypeErrors.
  return current === null ? ABSENT : NOT_FOUND;
}

const ABSENT: ValueLookup = { found: true, value: undefined };

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

/** Longest value shown on one line, in characters. */
export const MAX_VALUE_WIDTH = 128;
/** Most lines a multi-line value keeps. */
export const MAX_VALUE_LINES = 6;
/** How far down a value is read when it is described: its entries and theirs. */
export const DESCRIBE_DEPTH = 2;
// Entries read per description: with the per-object limits this bounds the cost of one value.
const DESCRIBE_NODES = 400;

/**
 * A value in util.inspect's notation, read without running user code (no getters, proxy traps,
 * inspect hooks, `toString` or `Symbol.toStringTag` getters), at a cost bounded by what is shown.
 * Short forms stay on one line; longer objects spread over at most MAX_VALUE_LINES lines; every
 * line is cut at MAX_VALUE_WIDTH.
 */
export function describeValue(value: unknown): string {
  return describePreview(previewValue(value, DESCRIBE_DEPTH, { nodes: DESCRIBE_NODES }));
}

/** A preview (taken now or at the throw) as describeValue shows it. */
export function describePreview(preview: Preview): string {
  try {
    const line = renderPreview(preview);
    if (line.length <= MAX_VALUE_WIDTH) return line;
    return truncateLines(renderPreviewLines(preview, MAX_VALUE_LINES).join("\n"));
  } catch (error) {
    return `<value not representable: ${errorSummary(error)}>`;
  }
}

/** A value on one line, cut at `width` characters. */
export function describeInline(value: unknown, width: number): string {
  try {
    return truncate(renderPreview(previewValue(value, DESCRIBE_DEPTH, { nodes: DESCRIBE_NODES })), width);
  } catch (error) {
    return `<value not representable: ${errorSummary(error)}>`;
  }
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
    if (typeof error === "object" && error !== null) return errorLine(error);
  } catch {
    // fall through
  }
  return "unknown error";
}
