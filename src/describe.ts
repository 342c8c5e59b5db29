import { inspect } from "node:util";

/** A short rendering of an option value for an error message: `"foo"`, `-3`, `[Function: f]`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return inspect(value, { depth: 1, breakLength: Infinity });
}

/** An object literal (or `Object.create(null)`): what kwargs, filter tables and flat extras are. */
export function isPlainObject(value: unknown): value is { [key: string]: unknown } {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
