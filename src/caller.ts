import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { findSourceMap } from "node:module";

/** Where a logging call came from: the fields `file`, `function`, `line`, `module`, `name` of a record. */
export interface CallerSite {
  readonly filePath: string;
  readonly fileName: string;
  readonly functionName: string;
  readonly line: number;
  readonly module: string;
  readonly name: string;
}

interface FileInfo {
  readonly filePath: string;
  readonly fileName: string;
  readonly module: string;
  readonly name: string;
}

const UNKNOWN_FILE: FileInfo = { filePath: "", fileName: "", module: "", name: "" };
const fileInfoCache = new Map<string, FileInfo>();
const packageNameCache = new Map<string, { root: string; name: string } | null>();

const captureCallSites = (_: Error, callSites: NodeJS.CallSite[]): NodeJS.CallSite[] => callSites;

/**
 * The call sites above `entry` (the public logging method the user called), skipping `depth` more
 * frames. Uses V8's structured stack API rather than parsing `error.stack`.
 */
export function captureStack(entry: Function, depth: number, limit: number): NodeJS.CallSite[] {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  Error.prepareStackTrace = captureCallSites as typeof Error.prepareStackTrace;
  Error.stackTraceLimit = depth + limit;
  try {
    Error.captureStackTrace(holder, entry);
    const sites = holder.stack;
    return Array.isArray(sites) ? sites.slice(depth) : [];
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

/** The record's caller fields for the frame `depth` levels above `entry`. */
export function findCaller(entry: Function, depth: number): CallerSite {
  const sites = captureStack(entry, depth, 2);
  const site = sites[0];
  if (!site) return { ...UNKNOWN_FILE, functionName: "<unknown>", line: 0 };
  const rawFile = site.getFileName() ?? site.getScriptNameOrSourceURL() ?? "";
  const info = fileInfo(rawFile);
  let line = site.getLineNumber() ?? 0;
  if (sourceMapsEnabled() && info.filePath) line = mappedLine(info.filePath, line, site.getColumnNumber() ?? 1);
  return {
    filePath: info.filePath,
    fileName: info.fileName,
    module: info.module,
    name: info.name,
    functionName: functionNameOf(site, sites[1]),
    line,
  };
}

function sourceMapsEnabled(): boolean {
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
}

function mappedLine(filePath: string, line: number, column: number): number {
  try {
    const map = findSourceMap(filePath);
    if (!map) return line;
    const entry = map.findEntry(line - 1, column - 1) as { originalLine?: number };
    return typeof entry.originalLine === "number" ? entry.originalLine + 1 : line;
  } catch {
    return line;
  }
}

function functionNameOf(site: NodeJS.CallSite, outer: NodeJS.CallSite | undefined): string {
  const fn = site.getFunctionName();
  if (!fn) {
    // A nameless frame called by Node's module loader (or by nothing) is a module's top level.
    const outerFile = outer?.getFileName() ?? "";
    return !outer || outerFile.startsWith("node:internal/modules") ? "<module>" : "<anonymous>";
  }
  if (site.isConstructor()) return fn;
  const type = safeTypeName(site);
  if (type && type !== "Object" && type !== "global" && type !== "Function" && !fn.includes(".")) {
    return `${type}.${fn}`;
  }
  return fn;
}

function safeTypeName(site: NodeJS.CallSite): string | null {
  try {
    return site.isToplevel() ? null : site.getTypeName();
  } catch {
    return null;
  }
}

/** File fields and the package-relative `name` of a script, cached per file. */
export function fileInfo(rawFile: string): FileInfo {
  let info = fileInfoCache.get(rawFile);
  if (info) return info;
  let filePath = rawFile;
  if (rawFile.startsWith("file://")) {
    try {
      filePath = fileURLToPath(rawFile);
    } catch {
      filePath = rawFile;
    }
  }
  if (!filePath) {
    info = UNKNOWN_FILE;
  } else {
    const fileName = path.basename(filePath);
    const ext = path.extname(fileName);
    const module = ext ? fileName.slice(0, -ext.length) : fileName;
    info = { filePath, fileName, module, name: packageRelativeName(filePath) };
  }
  fileInfoCache.set(rawFile, info);
  return info;
}

function withoutExtension(p: string): string {
  const ext = path.extname(p);
  return ext ? p.slice(0, -ext.length) : p;
}

/** `my-app/src/db/pool` for `/work/my-app/src/db/pool.ts` inside package `my-app`. */
export function packageRelativeName(filePath: string): string {
  if (!path.isAbsolute(filePath)) return withoutExtension(filePath);
  const pkg = nearestPackage(path.dirname(filePath));
  if (!pkg) {
    const rel = path.relative(process.cwd(), filePath);
    const inside = rel && !rel.startsWith("..") && !path.isAbsolute(rel);
    return withoutExtension((inside ? rel : filePath).split(path.sep).join("/"));
  }
  const rel = path.relative(pkg.root, filePath).split(path.sep).join("/");
  return `${pkg.name}/${withoutExtension(rel)}`;
}

function nearestPackage(dir: string): { root: string; name: string } | null {
  const cached = packageNameCache.get(dir);
  if (cached !== undefined) return cached;
  let found: { root: string; name: string } | null = null;
  const manifest = path.join(dir, "package.json");
  if (existsSync(manifest)) {
    try {
      const parsed = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
      if (typeof parsed.name === "string" && parsed.name) found = { root: dir, name: parsed.name };
    } catch {
      // An unreadable or nameless package.json (e.g. {"type": "module"} markers) does not end the search.
    }
  }
  if (!found) {
    const parent = path.dirname(dir);
    found = parent === dir ? null : nearestPackage(parent);
  }
  packageNameCache.set(dir, found);
  return found;
}
