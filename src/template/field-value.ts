/** One resolved field value rendered with its spec: a time pattern for Dates, Python's spec otherwise. */
import { types } from "node:util";
import { formatWithSpec } from "./spec";
import { formatTime } from "./time";

/** Throws (FormatSpecError, RangeError) when the spec does not apply; callers then keep the field as written. */
export function formatFieldValue(value: unknown, specText: string): string {
  if (specText !== "" && types.isDate(value)) return formatTime(value, specText);
  return formatWithSpec(value, specText);
}
