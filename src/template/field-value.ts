/** One resolved field value rendered with its spec: a time pattern for Dates, Python's spec otherwise. */
import { formatWithSpec } from "./spec";
import { formatTime } from "./time";

/** Throws (FormatSpecError, RangeError) when the spec does not apply; callers then keep the field as written. */
export function formatFieldValue(value: unknown, specText: string): string {
  if (specText !== "" && value instanceof Date) return formatTime(value, specText);
  return formatWithSpec(value, specText);
}
