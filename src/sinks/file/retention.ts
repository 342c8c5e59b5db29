import * as fs from "node:fs";
import type { RetentionOption } from "../../types";
import { describeValue } from "../../describe";
import { GrammarError, parseDuration } from "./grammar";

/** Receives every log file of the sink (current, rotated and compressed) and removes the old ones. */
export type RetentionRule = (files: string[]) => void;

/** Turns the `retention` option into a rule; throws an Error naming the option and value if invalid. */
export function compileRetention(option: RetentionOption | null | undefined): RetentionRule | null {
  if (option === null || option === undefined) return null;
  if (typeof option === "number") {
    if (!Number.isInteger(option) || option < 0) {
      throw invalid(option, "a count of files to keep must be a whole number of at least 0");
    }
    return (files) => keepNewest(files, option);
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

function keepNewest(files: string[], count: number): void {
  const dated = withModificationTimes(files);
  // Newest first; the name breaks ties so that the order does not depend on the directory listing.
  dated.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? 1 : a.path > b.path ? -1 : 0));
  for (const { path } of dated.slice(count)) removeQuietly(path);
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
