import { describeValue, isPlainObject } from "./describe";
import type { LogRecord } from "./types";

type RecordFilter = (record: LogRecord) => boolean;

/** A table entry once compiled: `false` rejects, a number is the minimum severity. */
type Threshold = number | false;

/** Distinct names are few (one per source file) unless a patcher invents them; keep the cache bounded anyway. */
const THRESHOLD_CACHE_LIMIT = 4096;



/** The parent of a package-relative name on a "/" boundary: "a/b/c" -> "a/b" -> "a" -> "". */
function parentName(name: string): string {
  const slash = name.lastIndexOf("/");
  return slash === -1 ? "" : name.slice(0, slash);
}

function nameFilter(prefix: string): RecordFilter {
  const childPrefix = prefix + "/";
  return (record) => {
    const name = record.name;
    return typeof name === "string" && (name === prefix || name.startsWith(childPrefix));
  };
}

function compileThreshold(
  name: string,
  value: unknown,
  levelNo: (level: string | number) => number,
): Threshold {
  if (value === false) return false;
  if (value === true) return 0;
  if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `Invalid filter: the entry ${describeValue(name)} has level ${describeValue(value)}, a level number should be a non-negative integer`,
      );
    }
    return value;
  }
  if (typeof value === "string") {
    try {
      return levelNo(value);
    } catch {
      throw new Error(`Invalid filter: the entry ${describeValue(name)} names level ${describeValue(value)}, which does not exist`);
    }
  }
  throw new TypeError(
    `Invalid filter: the entry ${describeValue(name)} has ${describeValue(value)}, it should be a level name, a level number or a boolean`,
  );
}

function tableFilter(table: object, levelNo: (level: string | number) => number): RecordFilter | null {
  const thresholds = new Map<string, Threshold>();
  for (const [name, value] of Object.entries(table)) {
    thresholds.set(name, compileThreshold(name, value, levelNo));
  }
  if (thresholds.size === 0) return null;

  // The walk up the name's parents happens once per distinct name; afterwards it is one Map lookup.
  const resolved = new Map<string, Threshold>();
  const resolve = (name: string): Threshold => {
    let current = name;
    for (;;) {
      const threshold = thresholds.get(current);
      if (threshold !== undefined) return threshold;
      if (current === "") return 0;
      current = parentName(current);
    }
  };
  return (record) => {
    const name = typeof record.name === "string" ? record.name : "";
    let threshold = resolved.get(name);
    if (threshold === undefined) {
      threshold = resolve(name);
      if (resolved.size >= THRESHOLD_CACHE_LIMIT) resolved.clear();
      resolved.set(name, threshold);
    }
    return threshold !== false && record.level.no >= threshold;
  };
}

/**
 * Compiles the `filter` option of `add()`; `null` means "no filter" (undefined, null, "").
 *
 * - `"app/db"`: records whose `name` is `app/db` or lies under it (`app/db/pool`, not `app/dbx`).
 * - `{ "": "INFO", "lib": "WARNING", "lib/noisy": false, "other": true }`: the closest entry among
 *   the record name's parents (on "/" boundaries) decides: `false` rejects, `true` accepts at any
 *   level, a level name or number is the minimum severity. A name with no entry, not even `""`,
 *   is accepted.
 * - `(record) => boolean`.
 *
 * Throws, naming the option and the value, for anything else.
 */
export function compileFilter(
  filter: unknown,
  levelNo: (level: string | number) => number,
): RecordFilter | null {
  if (filter === undefined || filter === null || filter === "") return null;
  if (typeof filter === "string") return nameFilter(filter);
  if (typeof filter === "function") return filter as RecordFilter;
  if (typeof filter === "object" && !Array.isArray(filter) && isPlainObject(filter)) {
    return tableFilter(filter, levelNo);
  }
  throw new TypeError(
    `Invalid filter ${describeValue(filter)}: it should be a name prefix (string), a table of names to levels (object) or a function`,
  );
}
