import * as fs from "node:fs";
import * as nodePath from "node:path";
import type { RetentionOption } from "../../types";
import { describeValue } from "../../describe";
import { GrammarError, parseDuration } from "./grammar";

/**
 * Receives the log files of the sink (current, rotated and compressed, less those waiting to be
 * compressed) and the path of the current one, and removes the old ones.
 */
export type RetentionRule = (files: string[], current: string) => void;

/** Turns the `retention` option into a rule; throws an Error naming the option and value if invalid. */
export function compileRetention(option: RetentionOption | null | undefined): RetentionRule | null {
  if (option === null || option === undefined) return null;
  if (typeof option === "number") {
    if (!Number.isInteger(option) || option < 0) {
      throw invalid(option, "a count of files to keep must be a whole number of at least 0");
    }
    return (files, current) => keepNewest(files, option, current);
  }
  if (typeof option === "string") {
    let age: number | null;
    try {
      age = parseDuration(option);
    } catch (error) {
      if (error instanceof GrammarError) throw invalid(option, error.message);
      throw error;
    }
    if (age === null) throw invalid(option, "cannot parse it as a duration such as \"10 days\" or \"1 week, 3 days\"");
    const maxAge = age;
    return (files) => removeOlderThan(files, maxAge);
  }
  if (typeof option === "function") return (files) => void option(files);
  throw invalid(option, "expected a count of files, a duration string or a function");
}

/**
 * Files are ordered by when they were rotated, as their names say: a compressed archive has a
 * fresh modification time and must not look newer than the rotated files after it.
 */
function keepNewest(files: string[], count: number, current: string): void {
  const dated = files.map((path) => ({ path, ...rotationOrder(path, current) }));
  // Newest first; the name breaks ties so that the order does not depend on the directory listing.
  dated.sort((a, b) => b.time - a.time || b.counter - a.counter || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  for (const { path } of dated.slice(count)) removeQuietly(path);
}

/** `YYYY-MM-DD_HH-mm-ss_SSSSSS` (the stamp of rotated files and of `{time}`), then an optional `.2` counter. */
const STAMP = /(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})_(\d{6})(?:\.(\d+)(?=\.|$))?/g;

/**
 * The current file is the newest; another is dated by the last stamp in its name (local time, as
 * written), or, for names with no stamp (a `{time:…}` path of another format), by its modification time.
 */
function rotationOrder(path: string, current: string): { time: number; counter: number } {
  if (path === current) return { time: Infinity, counter: 0 };
  let last: RegExpExecArray | null = null;
  for (const match of nodePath.basename(path).matchAll(STAMP)) last = match;
  if (last !== null) {
    const [year, month, day, hour, minute, second, micro] = last.slice(1, 8).map(Number) as [number, number, number, number, number, number, number];
    const time = new Date(year, month - 1, day, hour, minute, second).getTime() + micro / 1000;
    return { time, counter: last[8] === undefined ? 1 : Number(last[8]) };
  }
  const stats = fs.statSync(path, { throwIfNoEntry: false });
  return { time: stats?.mtimeMs ?? -Infinity, counter: 0 };
}

function removeOlderThan(files: string[], maxAge: number): void {
  const oldest = Date.now() - maxAge;
  for (const { path, mtime } of withModificationTimes(files)) if (mtime <= oldest) removeQuietly(path);
}

function withModificationTimes(files: string[]): Array<{ path: string; mtime: number }> {
  const dated: Array<{ path: string; mtime: number }> = [];
  for (const path of files) {
    const stats = fs.statSync(path, { throwIfNoEntry: false });
    if (stats !== undefined) dated.push({ path, mtime: stats.mtimeMs });
  }
  return dated;
}

/** Another process logging to the same path may have removed it first. */
function removeQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

function invalid(value: unknown, reason: string): Error {
  return new Error(`Invalid retention ${describeValue(value)}: ${reason}`);
}
