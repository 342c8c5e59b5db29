import { existsSync, readFileSync } from "node:fs";
// A default import: `import * as` would copy every export of the module at load (__importStar).
import path from "node:path";
import { mapGeneratedPosition, toPath } from "../diagnose/sourcemap";
import type { StackFrame } from "./core";

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

/**
 * The call sites above `entry` (the public logging method the user called), skipping `depth` more
 * frames: V8's structured stack API rather than parsing `error.stack`. Loaded at the first new call
 * site or logged exception, not with the logger.
 */
export function captureStack(entry: Function, depth: number, limit: number): NodeJS.CallSite[] {
  return callStackModule().callSites(entry, depth, limit);
}

/** Puts the program's stack settings back; compares first, so that a frozen Error is not written to. */
function restoreStackApi(prepare: typeof Error.prepareStackTrace, limit: number): void {
  if (Error.prepareStackTrace !== prepare) Error.prepareStackTrace = prepare;
  if (Error.stackTraceLimit !== limit) Error.stackTraceLimit = limit;
}

/** Frames kept for an exception's traceback when the stack at the logging call is captured. */
const EXCEPTION_STACK_LIMIT = 200;

/** The stack above `entry`, innermost first, as the traceback renderer takes it (loaded when an exception is logged). */
export function stackFrames(entry: Function, depth: number, limit = EXCEPTION_STACK_LIMIT): readonly StackFrame[] {
  return callStackModule().callStack(entry, depth, limit);
}

function callStackModule(): typeof import("../diagnose/call-stack") {
  return require("../diagnose/call-stack") as typeof import("../diagnose/call-stack");
}

interface KnownSite {
  readonly caller: CallerSite;
  /** The receiver's type the function name was qualified with (`Pool.query`); null when the name has none. */
  readonly receiverType: string | null;
}

/** Caller fields per call site, by script and `line * 2^20 + column`: a logging call is looked up in full once. */
const knownSites = new Map<string, Map<number, KnownSite>>();
const UNKNOWN_CALLER: CallerSite = Object.freeze({ ...UNKNOWN_FILE, functionName: "<unknown>", line: 0 });
let wantedFrame = 0;

/**
 * `prepareStackTrace` of a caller lookup: the cached caller of a known call site, else V8's call
 * sites for `findCaller` to look at in full. The cache is read here, inside the capture, because
 * a CallSite's getters cost several times more once `prepareStackTrace` has returned.
 */
const knownCallerOrSites = (_: Error, sites: NodeJS.CallSite[]): CallerSite | NodeJS.CallSite[] => {
  const site = sites[wantedFrame];
  const file = site?.getFileName();
  // Code without a script name (eval) is not cached: positions of different evals would collide.
  if (!file) return sites;
  const known = knownSites.get(file)?.get(site!.getLineNumber()! * 1048576 + site!.getColumnNumber()!);
  // The same code called on another class's instance is named after that class.
  if (known !== undefined && known.receiverType === receiverTypeOf(site!)) return known.caller;
  return sites;
};

/**
 * The record's caller fields for the frame `depth` levels above `entry`: one capture at the stack
 * limit it needs; a call site seen before is answered from the cache without leaving the capture.
 */
export function findCaller(entry: Function, depth: number): CallerSite {
  const holder: { stack?: unknown } = {};
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  let found: unknown;
  try {
    Error.prepareStackTrace = knownCallerOrSites as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = depth + 1;
    wantedFrame = depth;
    Error.captureStackTrace(holder, entry);
    found = holder.stack;
  } catch {
    return callerFromStackText(entry, depth); // Error frozen by the program (SES lockdown)
  } finally {
    restoreStackApi(savedPrepare, savedLimit);
  }
  if (!Array.isArray(found)) return (found as CallerSite | undefined) ?? UNKNOWN_CALLER;
  // `opt({ depth })` past the top of the stack: the outermost frame there is.
  const frame = Math.min(depth, (found as NodeJS.CallSite[]).length - 1);
  const site = (found as NodeJS.CallSite[])[frame];
  return site === undefined ? UNKNOWN_CALLER : learnCaller(site, entry, frame);
}

const STACK_TEXT_FRAME = /^\s*at (?:async )?(?:(.*?) \((.+):(\d+):\d+\)|(.+):(\d+):\d+)$/;

/**
 * The caller read from the text of a stack, for a program that froze `Error` (its stack settings
 * cannot be set): the frames the program's own stack limit keeps, as the program formats them.
 */
function callerFromStackText(entry: Function, depth: number): CallerSite {
  const holder: { stack?: unknown } = {};
  let text: unknown;
  try {
    Error.captureStackTrace(holder, entry);
    text = holder.stack;
  } catch {
    return UNKNOWN_CALLER;
  }
  if (typeof text !== "string") return UNKNOWN_CALLER;
  const frames = text.split("\n").filter((line) => STACK_TEXT_FRAME.test(line));
  const match = STACK_TEXT_FRAME.exec(frames[Math.min(depth, frames.length - 1)] ?? "");
  if (match === null) return UNKNOWN_CALLER;
  const info = fileInfo(match[2] ?? match[4] ?? "");
  const name = match[1] ?? "";
  return Object.freeze({
    ...info,
    functionName: name === "" ? "<anonymous>" : name === "Object.<anonymous>" ? "<module>" : name,
    line: Number(match[3] ?? match[5]),
  });
}

/**
 * The full lookup of a call site not seen before (file fields and line through the source maps,
 * function name), then cached. Runs after the capture, with the application's own
 * `prepareStackTrace` back in place for the loaders that map stacks through it.
 */
function learnCaller(site: NodeJS.CallSite, entry: Function, depth: number): CallerSite {
  const line = site.getLineNumber() ?? 0;
  const column = site.getColumnNumber() ?? 0;
  const rawFile = site.getFileName() ?? site.getScriptNameOrSourceURL() ?? "";
  const mapped = originalSite(rawFile, line, column || 1, site);
  const info = fileInfo(mapped.file);
  // A nameless function's name (`<module>` or `<anonymous>`) depends on the frame that called it.
  const outer = site.getFunctionName() ? undefined : captureStack(entry, depth + 1, 1)[0];
  const receiverType = receiverTypeOf(site);
  const caller: CallerSite = Object.freeze({
    filePath: info.filePath,
    fileName: info.fileName,
    module: info.module,
    name: info.name,
    functionName:
      mapped.moduleBody === true || (mapped.file !== rawFile && isModuleWrapperName()(site.getFunctionName() ?? "", mapped.file))
        ? "<module>"
        : functionNameOf(site, outer, receiverType),
    line: mapped.line,
  });
  const cacheFile = site.getFileName();
  if (!cacheFile) return caller;
  let byPosition = knownSites.get(cacheFile);
  if (byPosition === undefined) {
    byPosition = new Map();
    knownSites.set(cacheFile, byPosition);
  }
  byPosition.set(line * 1048576 + column, { caller, receiverType });
  return caller;
}

/** The traceback's frame naming, loaded only for sites a source map moved (most files have none). */
function isModuleWrapperName(): typeof import("../diagnose/frames").isModuleWrapperName {
  return (require("../diagnose/frames") as typeof import("../diagnose/frames")).isModuleWrapperName;
}

interface SitePosition {
  readonly file: string;
  readonly line: number;
  /** The call is in a function a bundler wrote around a module: the module's top level. */
  readonly moduleBody?: boolean;
}

/** Per generated file: its call sites' original positions by `line * 2^20 + column`, or null when the file has no map. */
const originalSites = new Map<string, Map<number, SitePosition> | null>();

/**
 * A call site as the original source has it, through the same source maps the traceback uses
 * (Node's, the file's own `sourceMappingURL`, or the stack mapping a loader such as ts-node
 * installed), cached per call site: the record's `file`, `name` and `line` agree with its traceback.
 */
export function originalSite(rawFile: string, line: number, column: number, site?: NodeJS.CallSite): SitePosition {
  let byPosition = originalSites.get(rawFile);
  if (byPosition === null) return { file: rawFile, line };
  const key = line * 1048576 + column;
  const known = byPosition?.get(key);
  if (known !== undefined) return known;
  const found = mapSite(rawFile, line, column, site);
  if (byPosition === undefined) {
    if (found === undefined && !loaderMapsStacks()) {
      // Checked once per file: most files have no map, and their sites stay as they are.
      originalSites.set(rawFile, null);
      return { file: rawFile, line };
    }
    byPosition = new Map();
    originalSites.set(rawFile, byPosition);
  }
  const position = found ?? { file: rawFile, line };
  byPosition.set(key, position);
  return position;
}

function mapSite(rawFile: string, line: number, column: number, site: NodeJS.CallSite | undefined): SitePosition | undefined {
  if (!rawFile || line < 1) return undefined;
  const file = toPath(rawFile);
  if (!path.isAbsolute(file)) return undefined;
  try {
    const original = mapGeneratedPosition(file, line, Math.max(column, 1));
    if (original !== undefined) {
      const start = site === undefined ? 0 : site.getEnclosingLineNumber?.() ?? 0;
      const moduleBody = start > 0 && original.source !== file && mapGeneratedPosition(file, start, Math.max(site!.getEnclosingColumnNumber?.() ?? 1, 1)) === undefined;
      return { file: original.source, line: original.line, moduleBody };
    }
    return site === undefined ? undefined : mapThroughLoader(site);
  } catch {
    return undefined;
  }
}

/** A loader that compiles in memory (ts-node) maps stacks through `Error.prepareStackTrace`. */
function loaderMapsStacks(): boolean {
  return typeof Error.prepareStackTrace === "function";
}

function mapThroughLoader(site: NodeJS.CallSite): SitePosition | undefined {
  const prepare = Error.prepareStackTrace;
  if (typeof prepare !== "function") return undefined;
  const text = prepare(new Error(), [site]) as unknown;
  if (typeof text !== "string") return undefined;
  const match = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/m.exec(text);
  if (match === null) return undefined;
  const file = toPath(match[1]!);
  return { file, line: Number(match[2]) };
}

function functionNameOf(site: NodeJS.CallSite, outer: NodeJS.CallSite | undefined, receiverType: string | null): string {
  const fn = site.getFunctionName();
  if (!fn) {
    // tsx runs a CommonJS TypeScript module's body in a nameless function called by the module's wrapper.
    const file = site.getFileName() ?? "";
    if (outer && outer.getFileName() === file && !outer.getFunctionName() && /\.[cm]?tsx?$/.test(file)) return "<module>";
    // A nameless frame called by Node's module loader is a module's top level.
    if (outer) return (outer.getFileName() ?? "").startsWith("node:internal/modules") ? "<module>" : "<anonymous>";
    // Called by nothing: a module's top level resumed after an await, or a nameless function run
    // from the microtask queue (a `.then()` callback, an async arrow after an await). Only the
    // module's body starts at the script's first character.
    const enclosingLine = site.getEnclosingLineNumber?.();
    if (enclosingLine === undefined || enclosingLine === null) return "<module>";
    return enclosingLine === 1 && site.getEnclosingColumnNumber?.() === 1 ? "<module>" : "<anonymous>";
  }
  return receiverType !== null && !fn.includes(".") ? `${receiverType}.${fn}` : fn;
}

/** The class a method was called on, when the function's name is qualified with it; null otherwise. */
function receiverTypeOf(site: NodeJS.CallSite): string | null {
  if (!site.getFunctionName() || site.isConstructor()) return null;
  const type = safeTypeName(site);
  return type && type !== "Object" && type !== "global" && type !== "Function" ? type : null;
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
  const filePath = toPath(rawFile);
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
