import { inspect } from "node:util";

/** A short rendering of an option value for an error message: `"foo"`, `-3`, `[Function: f]`. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return inspect(value, { depth: 1, breakLength: Infinity });
}
