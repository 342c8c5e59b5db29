import { inspect, types } from "node:util";

/**
 * One line, always: `compact: true` also keeps long arrays of numbers or short strings on it
 * (with a numeric `compact`, util.inspect lays them out in a grid of lines whatever `breakLength`).
 */
const INSPECT_OPTIONS = { breakLength: Infinity, compact: true } as const;
const objectToString = Object.prototype.toString;

/** `util.inspect` on one line; never throws. */
export function inspectValue(value: unknown): string {
  try {
    return inspect(value, INSPECT_OPTIONS);
  } catch {
    return objectToString.call(value);
  }
}

/**
 * The text a value shows as in a field without a conversion (Python's `str()`): strings as-is,
 * Errors as `String(err)`, objects with their own `toString` through it, others like `util.inspect`.
 */
export function strOf(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
    case "boolean":
    case "undefined":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return inspectValue(value);
  }
  if (value === null) return "null";
  // A Proxy is inspected (which reads its target): telling an Error or a toString would run its traps.
  if (types.isProxy(value)) return inspectValue(value);
  try {
    if (value instanceof Error) return String(value);
    if (hasOwnToString(value as object)) return String(value);
  } catch {
    // A throwing toString or getter falls back to inspection.
  }
  return inspectValue(value);
}

function hasOwnToString(value: object): boolean {
  if (Array.isArray(value) || value instanceof Date || ArrayBuffer.isView(value)) return false;
  const toString = (value as { toString?: unknown }).toString;
  return typeof toString === "function" && toString !== objectToString;
}

/** `!r`: like `util.inspect` (strings quoted). */
export function reprOf(value: unknown): string {
  return inspectValue(value);
}

/** `!a`: `!r` with every non-ASCII character escaped, as Python's `ascii()`. */
export function asciiOf(value: unknown): string {
  const repr = reprOf(value);
  let out = "";
  for (const char of repr) {
    const code = char.codePointAt(0)!;
    if (code < 0x80) out += char;
    else if (code <= 0xff) out += "\\x" + code.toString(16).padStart(2, "0");
    else if (code <= 0xffff) out += "\\u" + code.toString(16).padStart(4, "0");
    else out += "\\U" + code.toString(16).padStart(8, "0");
  }
  return out;
}
