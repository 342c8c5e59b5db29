import * as fs from "node:fs";
import * as path from "node:path";
import type { Capture, CapturedFrame, CapturedScope } from "./capture/types.js";
import { mapGeneratedPosition, toPath } from "./sourcemap.js";

/** Where a frame's code comes from; decides whether it is annotated. */
export type FrameKind = "app" | "dependency" | "internal";

/** One call frame ready to render: source-mapped, named for people. */
export interface TraceFrame {
  /** Path as shown: relative to the working directory when inside it. */
  readonly displayPath: string;
  /** Absolute path of the (original) source to read the line from; undefined for internals. */
  readonly sourcePath: string | undefined;
  /** 1-based; 0 when unknown. */
  readonly line: number;
  /** 1-based; 0 when unknown. */
  readonly column: number;
  /** `Class.method`, `fn`, `<module>`, `<anonymous>`. */
  readonly functionName: string;
  readonly kind: FrameKind;
  /** Variables at the throw, when the capture engine recorded this frame. */
  readonly scopes: readonly CapturedScope[] | undefined;
  /** For matching against a caller's stack: the file as the engine ran it, and the bare name. */
  readonly runtimePath: string;
  readonly matchName: string;
}

interface RawFrame {
  file: string;
  line: number;
  column: number;
  name: string;
  /** Whether line/column already point into the original source (Node mapped the stack). */
  mapped: boolean;
  scopes: readonly CapturedScope[] | undefined;
}

interface StackFrameLike {
  functionName?: string;
  fileName?: string;
  lineNumber?: number;
  columnNumber?: number;
}
interface StackParser {
  parse(error: { stack: string }): StackFrameLike[];
}

let stackParser: StackParser | undefined;
let ownRoots: readonly string[] | undefined;

/**
 * The frames of a thrown value, outermost first. From the capture when there is one (with the
 * frames `error.stack` adds for internals and dependencies), else from `error.stack`.
 * Frames of this package itself never appear.
 */
export function collectFrames(stack: string | undefined, capture: Capture | undefined): TraceFrame[] {
  const fromStack = stack === undefined ? [] : framesFromStack(stack);
  const raw = unwrapLoaderFrames(capture === undefined ? fromStack : mergeCapture(fromStack, capture.frames));
  const frames: TraceFrame[] = [];
  for (let i = raw.length - 1; i >= 0; i--) {
    const frame = raw[i]!;
    if (isOwnFile(frame.file)) continue;
    frames.push(resolveFrame(frame, raw[i + 1]));
  }
  return withoutEntryInternals(frames);
}

/**
 * Node's own frames that start every stack (the module loader, the timer and tick queues) are the
 * same in every program and say nothing about the error: the traceback starts at the first frame
 * that is not Node's, unless Node's frames are all there is.
 */
function withoutEntryInternals(frames: TraceFrame[]): TraceFrame[] {
  let first = 0;
  while (first < frames.length && frames[first]!.kind === "internal") first++;
  return first === frames.length ? frames : frames.slice(first);
}

/**
 * tsx runs a CommonJS TypeScript module's body inside a function of its own: the stack shows an
 * unnamed frame for the body and a CommonJS top-level frame mapped to the file's last line.
 * The body is the module's top level; the wrapper frame is dropped.
 */
function unwrapLoaderFrames(frames: RawFrame[]): RawFrame[] {
  for (let i = 0; i + 1 < frames.length; i++) {
    const body = frames[i]!;
    const wrapper = frames[i + 1]!;
    if (wrapper.name === "Object.<anonymous>" && (body.name === "" || body.name === "<anonymous>") && body.file === wrapper.file && /\.[cm]?tsx?$/.test(body.file)) {
      frames.splice(i, 2, { ...body, name: "Object.<anonymous>" });
      break;
    }
  }
  return frames;
}

function framesFromStack(stack: string): RawFrame[] {
  // A stack without V8 frame lines ("AggregateError: All promises were rejected") has no frames.
  if (!/^\s+at /m.test(stack)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  stackParser ??= (require("error-stack-parser") as { default: StackParser }).default;
  let parsed: StackFrameLike[];
  try {
    parsed = stackParser.parse({ stack });
  } catch {
    return [];
  }
  const mapped = stackIsSourceMapped();
  const frames: RawFrame[] = [];
  for (const p of parsed) {
    if (p.fileName === undefined) continue;
    // `at async file:///x.mjs:3:1` has no parentheses, so the parser reads "async" as part of the file.
    const isAsync = p.fileName.startsWith("async ");
    frames.push({
      file: toPath(isAsync ? p.fileName.slice(6) : p.fileName),
      line: Number(p.lineNumber ?? 0),
      column: Number(p.columnNumber ?? 0),
      name: p.functionName ?? "",
      mapped,
      scopes: undefined,
    });
  }
  return frames;
}

function stackIsSourceMapped(): boolean {
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
}

/**
 * Puts the captured frames (app frames only, innermost first, possibly more than the stack's
 * limit) in place of the stack frames they correspond to; captured frames past the end of the
 * stack string are appended.
 */
function mergeCapture(stackFrames: RawFrame[], captured: readonly CapturedFrame[]): RawFrame[] {
  const merged = stackFrames.slice();
  let cursor = 0;
  let lastMatched = -1;
  let capturedIndex = 0;
  for (; capturedIndex < captured.length; capturedIndex++) {
    const c = captured[capturedIndex]!;
    const file = toPath(c.url);
    const at = findMatchingFrame(merged, cursor, file, c);
    if (at === -1) {
      if (lastMatched === merged.length - 1 || merged.length === 0) break;
      continue;
    }
    const s = merged[at]!;
    merged[at] = {
      file,
      line: c.line,
      column: c.column,
      name: s.name !== "" ? s.name : c.functionName,
      mapped: false,
      scopes: c.scopes,
    };
    cursor = at + 1;
    lastMatched = at;
  }
  if (lastMatched === merged.length - 1 || merged.length === 0) {
    for (; capturedIndex < captured.length; capturedIndex++) {
      const c = captured[capturedIndex]!;
      merged.push({ file: toPath(c.url), line: c.line, column: c.column, name: c.functionName, mapped: false, scopes: c.scopes });
    }
  }
  return merged;
}

function findMatchingFrame(frames: readonly RawFrame[], from: number, file: string, c: CapturedFrame): number {
  let original: { source: string; line: number } | undefined;
  let sameFunction = -1;
  let sameLine = -1;
  for (let i = from; i < frames.length; i++) {
    const s = frames[i]!;
    if (s.scopes !== undefined) continue;
    if (!s.mapped) {
      if (s.file !== file) continue;
      if (s.line === c.line && s.column === c.column) return i;
      // An arrow function named by its context (`Timeout._onTimeout`) but thrown from on the same line.
      if (sameLine === -1 && s.line === c.line) sameLine = i;
    } else {
      // Node already mapped this stack: compare with the captured position mapped the same way.
      original ??= (path.isAbsolute(file) ? mapGeneratedPosition(file, c.line, c.column) : undefined) ?? { source: file, line: c.line };
      if (s.file !== original.source) continue;
      if (s.line === original.line) return i;
    }
    // The stack points where the error was created, the capture where it was thrown.
    if (sameFunction === -1 && bareName(s.name) === bareName(c.functionName)) sameFunction = i;
  }
  return sameFunction !== -1 ? sameFunction : sameLine;
}

/** The function's own name: `Cart.total` → `total`, `async run` → `run`, `Object.<anonymous>` → "". */
export function bareName(name: string): string {
  let n = name.replace(/^async /, "").replace(/^new /, "").replace(/ \[as [^\]]+\]$/, "");
  const dot = n.lastIndexOf(".");
  if (dot !== -1 && !n.endsWith(".")) n = n.slice(dot + 1);
  if (n === "<anonymous>" || n === "<module>") return "";
  return n;
}

function resolveFrame(frame: RawFrame, outer: RawFrame | undefined): TraceFrame {
  const internal = isInternalFile(frame.file);
  let sourcePath: string | undefined = internal ? undefined : frame.file;
  let line = frame.line;
  let column = frame.column;
  if (!internal && !frame.mapped && path.isAbsolute(frame.file) && line > 0) {
    const original = mapGeneratedPosition(frame.file, line, Math.max(column, 1));
    if (original !== undefined) {
      sourcePath = original.source;
      line = original.line;
      column = original.column;
    }
  }
  const shownPath = sourcePath ?? frame.file;
  return {
    displayPath: displayPath(shownPath),
    sourcePath,
    line,
    column,
    functionName: displayName(frame, outer),
    kind: internal ? "internal" : isDependencyFile(shownPath) ? "dependency" : "app",
    scopes: frame.scopes,
    runtimePath: frame.file,
    matchName: bareName(frame.name),
  };
}

function displayName(frame: RawFrame, outer: RawFrame | undefined): string {
  const name = frame.name.replace(/^async /, "");
  if (name === "Object.<anonymous>") return "<module>";
  if (name === "" || name === "<anonymous>") {
    if (isModuleTopLevel(frame, outer)) return "<module>";
    return "<anonymous>";
  }
  return name;
}

function isModuleTopLevel(frame: RawFrame, outer: RawFrame | undefined): boolean {
  const scopes = frame.scopes;
  if (scopes !== undefined && scopes.length > 0) {
    // Blocks and catch clauses sit inside the function (or module) scope they belong to.
    const own = scopes.find((scope) => scope.type !== "block" && scope.type !== "catch" && scope.type !== "this");
    if (own === undefined) return false;
    if (own.type === "module") return true;
    if (own.type === "local") {
      const vars = own.variables;
      return ["require", "module", "exports", "__filename", "__dirname"].every((k) => Object.prototype.hasOwnProperty.call(vars, k));
    }
    return false;
  }
  if (outer === undefined) return true;
  return /^ModuleJob\.(run|runSync|evaluate)$/.test(outer.name.replace(/^async /, ""));
}

/** Turns `file://` URLs into paths and shows paths inside the working directory relative to it. */
export function displayPath(file: string): string {
  const p = toPath(file);
  if (!path.isAbsolute(p)) return p;
  const cwd = process.cwd();
  const rel = path.relative(cwd, p);
  if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel;
  return p;
}

function isInternalFile(file: string): boolean {
  return file.startsWith("node:") || file === "native" || file.startsWith("internal/") || !(path.isAbsolute(file) || /^[a-z]+:\/\//i.test(file));
}

function isDependencyFile(file: string): boolean {
  return /[\\/]node_modules[\\/]/.test(file);
}

/** Files of this package (its src/, diagnose/ and dist/ folders), hidden from every traceback. */
export function isOwnFile(file: string): boolean {
  ownRoots ??= findOwnRoots();
  const p = toPath(file);
  for (const root of ownRoots) if (p.startsWith(root)) return true;
  return false;
}

function findOwnRoots(): string[] {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const manifest = path.join(dir, "package.json");
    // Checked first so that no exception is thrown (the capture engine would pause on it).
    if (!fs.existsSync(manifest)) {
      dir = path.dirname(dir);
      continue;
    }
    try {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: unknown };
      if (pkg.name === "logsight") {
        const real = safeRealpath(dir);
        const roots = new Set<string>();
        for (const base of [dir, real]) for (const sub of ["src", "diagnose", "dist"]) roots.add(path.join(base, sub) + path.sep);
        return [...roots];
      }
    } catch {
      // not the package root yet
    }
    dir = path.dirname(dir);
  }
  return [path.dirname(__dirname) + path.sep];
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
