import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { mapGeneratedPosition, toPath } from "./sourcemap.js";

/**
 * Where logsight's own code is, found from where this very function runs: its file as V8 reports
 * it, source-mapped when a bundler put it inside another file. Never from `__dirname`, which in a
 * bundle is the app's folder (and in an ES module bundle does not exist).
 */
interface OwnLocation {
  /** `<root>/src/`, `<root>/diagnose/`, `<root>/dist/` of the package, real and as reached. */
  readonly roots: readonly string[];
  /** The same folders as `file://` URLs, for the inspector's script URLs. */
  readonly urlRoots: readonly string[];
}

let own: OwnLocation | undefined;
const ownSources = new Map<string, boolean>();

function locate(): OwnLocation {
  const site = ownCallSite();
  let file = site === undefined ? "" : toPath(site.file);
  // Inside a bundle the running file is the bundle: its source map says which module this is.
  if (site !== undefined && !/[\\/](?:dist[\\/])?diagnose[\\/]own\.[cm]?[jt]s$/.test(file) && path.isAbsolute(file)) {
    const original = mapGeneratedPosition(file, site.line, site.column);
    file = original === undefined ? "" : original.source;
  }
  const match = /^(.*?)[\\/](?:dist[\\/])?diagnose[\\/]own\.[cm]?[jt]s$/.exec(file);
  if (match === null || !isLogsightPackage(match[1]!)) return { roots: [], urlRoots: [] };
  const roots = new Set<string>();
  for (const base of [match[1]!, safeRealpath(match[1]!)]) for (const sub of ["src", "diagnose", "dist"]) roots.add(path.join(base, sub) + path.sep);
  return { roots: [...roots], urlRoots: [...roots].map((root) => pathToFileURL(root).href) };
}

function ownCallSite(): { file: string; line: number; column: number } | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = 1;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, ownCallSite);
    const top = holder.stack?.[0];
    if (top === undefined) return undefined;
    return { file: top.getFileName() ?? "", line: top.getLineNumber() ?? 0, column: top.getColumnNumber() ?? 0 };
  } catch {
    return undefined; // Error frozen by the program: its stack settings cannot be set
  } finally {
    // Compared first, so that a frozen Error is not written to.
    if (Error.prepareStackTrace !== savedPrepare) Error.prepareStackTrace = savedPrepare;
    if (Error.stackTraceLimit !== savedLimit) Error.stackTraceLimit = savedLimit;
  }
}

function isLogsightPackage(dir: string): boolean {
  const manifest = path.join(dir, "package.json");
  // Checked first so that no exception is thrown (the capture engine would pause on it).
  if (!fs.existsSync(manifest)) return false;
  try {
    return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown }).name === "logsight";
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function location(): OwnLocation {
  own ??= locate();
  return own;
}

/** Whether `file` (a path or a `file://` URL) is one of logsight's own files. */
export function isOwnFile(file: string): boolean {
  const { roots, urlRoots } = location();
  if (file.startsWith("file://")) {
    for (const root of urlRoots) if (file.startsWith(root)) return true;
    return false;
  }
  for (const root of roots) if (file.startsWith(root)) return true;
  return false;
}

/**
 * Whether a position of a generated file is logsight's own code: its file is ours, or the file is a
 * bundle whose source map puts the position in our package (ours, or any installed `logsight`).
 */
export function isOwnPosition(file: string, line: number, column: number): boolean {
  if (isOwnFile(file)) return true;
  const p = toPath(file);
  if (!path.isAbsolute(p) || line < 1) return false;
  const original = mapGeneratedPosition(p, line, Math.max(column, 1));
  return original !== undefined && isOwnSource(original.source);
}

/** Whether an original source (after source mapping) is logsight's own. */
export function isOwnSource(source: string): boolean {
  let known = ownSources.get(source);
  if (known === undefined) {
    known = isOwnFile(source) || /[\\/]node_modules[\\/]logsight[\\/](?:dist|src|diagnose)[\\/]/.test(source);
    ownSources.set(source, known);
  }
  return known;
}
