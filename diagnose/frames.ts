import * as path from "node:path";
import type { Capture, CapturedFrame, CapturedScope } from "./capture/types.js";
import { isOwnFile, isOwnSource } from "./own.js";
import { hasOwnSourceMap, hasSourceMap, mapGeneratedPosition, toPath } from "./sourcemap.js";

export { isOwnFile } from "./own.js";

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
  /** `Class.method`, `fn`, `<module>`, `<anonymous>`, `async fn`, `Array.map`. */
  readonly functionName: string;
  readonly kind: FrameKind;
  /** Variables at the throw, when the capture engine recorded this frame. */
  readonly scopes: readonly CapturedScope[] | undefined;
  /** The file as the engine ran it, for matching against a caller's stack. */
  readonly runtimePath: string;
  /** The position as the engine ran it (1-based); 0 when only a source-mapped position is known. */
  readonly runtimeLine: number;
  readonly runtimeColumn: number;
  /** Where the frame's function starts, as the engine ran it; 0 when unknown. */
  readonly functionLine: number;
  readonly functionColumn: number;
  /** A frame of the engine without a location (`Array.map`, `async Promise.all (index 2)`). */
  readonly native: boolean;
  readonly matchName: string;
}

interface RawFrame {
  file: string;
  line: number;
  column: number;
  name: string;
  /** Whether line/column already point into the original source (the stack was source-mapped). */
  mapped: boolean;
  scopes: readonly CapturedScope[] | undefined;
  /** `at async …`: the frame resumed after an await. */
  async: boolean;
  /** No location: a builtin (`Array.map (<anonymous>)`) or `Promise.all (index 2)`. */
  native: boolean;
  /** The module was loaded as an ES module (its stack location is a `file://` URL). */
  esm: boolean;
  functionLine: number;
  functionColumn: number;
  sourceMapUrl: string | undefined;
}

/**
 * The frames of a thrown value, outermost first. The captured frames (the synchronous stack at the
 * throw, complete) are the truth; `error.stack` only adds what the capture cannot see: the engine's
 * builtin frames between them and the awaiting callers after them, and only where its frames line
 * up with the captured ones. Without a capture, the frames of `error.stack`.
 * Frames of this package itself never appear.
 */
export function collectFrames(stack: string | undefined, capture: Capture | undefined, stackMapped = stackIsSourceMapped()): TraceFrame[] {
  const fromStack = stack === undefined ? [] : framesFromStack(stack, stackMapped);
  const captured = capture === undefined ? [] : capture.frames;
  const raw = unwrapLoaderFrames(withoutEventLoopBeforeAwaiting(captured.length === 0 ? fromStack : mergeCapture(fromStack, captured)));
  const frames: TraceFrame[] = [];
  for (let i = raw.length - 1; i >= 0; i--) {
    const frame = raw[i]!;
    if (isOwnFile(frame.file)) continue;
    const resolved = resolveFrame(frame, raw[i + 1]);
    if (resolved === undefined) continue;
    if (resolved.sourcePath !== undefined && resolved.sourcePath !== frame.file && isOwnSource(resolved.sourcePath)) continue;
    frames.push(resolved);
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
  // `async Promise.all (index 2)` is where the awaiting started: kept, as Node's stack keeps it.
  while (first < frames.length && frames[first]!.kind === "internal" && !frames[first]!.native) first++;
  return first === frames.length ? frames : frames.slice(first);
}

/**
 * After an `await`, the synchronous stack is the resumed function over the event loop's queue runners
 * (`processTicksAndRejections`, or `processTimers` → `listOnTimeout` → `runNextTicks` when promise
 * jobs run between two timers), and the awaiting callers follow. The callers did not call the queue
 * runners: shown between them and the resumed function, the runners would read as called by them.
 * They are dropped, as the same runners at the start of a stack without awaiting callers are.
 * Frames innermost first.
 */
function withoutEventLoopBeforeAwaiting(frames: RawFrame[]): RawFrame[] {
  const firstAsync = frames.findIndex((f) => f.async);
  if (firstAsync <= 0) return frames;
  let start = firstAsync;
  while (start > 0 && isEventLoopFrame(frames[start - 1]!)) start--;
  // Never all of the synchronous frames: what is left must still say where the error was thrown.
  if (start === 0 || start === firstAsync) return frames;
  return [...frames.slice(0, start), ...frames.slice(firstAsync)];
}

/** Node's timer and tick queue runners (`node:internal/timers`, `node:internal/process/task_queues`; or `internal/….js` as older Node versions print them). */
function isEventLoopFrame(frame: RawFrame): boolean {
  if (frame.native) return frame.name === "runMicrotasks";
  return /^(?:node:)?internal\/(?:timers|process\/task_queues)(?:\.js)?$/.test(frame.file);
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

// `    at [async ][new ]name (location)` or `    at [async ]location`.
const FRAME_LINE = /^\s*at (?:(async) )?(?:(.*?) \((.*)\)|(.*))$/;
const POSITION = /^(.*):(\d+):(\d+)$/;
const NO_LOCATION = /^(?:<anonymous>|native|index \d+)$/;

/**
 * The frames of a V8 stack, innermost first. A line that is not a V8 frame (a stack replaced by
 * text from elsewhere) is not a frame: it is skipped, never read as a file name.
 */
function framesFromStack(stack: string, mapped: boolean): RawFrame[] {
  const frames: RawFrame[] = [];
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    const frame = parseFrameLine(line, mapped);
    if (frame !== undefined) frames.push(frame);
  }
  return frames;
}

function parseFrameLine(text: string, mapped: boolean): RawFrame | undefined {
  const m = FRAME_LINE.exec(text);
  if (m === null) return undefined;
  const isAsync = m[1] !== undefined;
  const name = m[2] ?? "";
  // `eval at fn (file:1:2), <anonymous>:3:4`: the position inside the evaluated code.
  let location = (m[3] ?? m[4] ?? "").trim();
  if (location.startsWith("eval at ")) location = location.slice(location.lastIndexOf(", ") + 2);
  const base = { name, mapped, scopes: undefined, async: isAsync, functionLine: 0, functionColumn: 0, sourceMapUrl: undefined };
  if (m[3] !== undefined && NO_LOCATION.test(location)) {
    if (name === "" || /\s\(|[()]/.test(name)) return undefined;
    const shown = /^index \d+$/.test(location) ? `${name} (${location})` : name;
    return { ...base, name: shown, file: "", line: 0, column: 0, native: true, esm: false };
  }
  const position = POSITION.exec(location);
  if (position === null) return undefined;
  const file = position[1]!;
  if (!isPlausibleFile(file) || /[()]/.test(name)) return undefined;
  return { ...base, file: toPath(file), line: Number(position[2]), column: Number(position[3]), native: false, esm: file.startsWith("file://") };
}

/** A script location as V8 prints it: a path, a URL, `node:…`, or a name such as `[eval]` or `<anonymous>`. */
function isPlausibleFile(file: string): boolean {
  if (file === "" || /\s{2}|^\s|\t/.test(file)) return false;
  return path.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file) || /^(?:\[[\w-]+\]|<anonymous>|evalmachine\.<anonymous>)/.test(file) || /^[\w.\/-]+$/.test(file);
}

/**
 * Whether `error.stack` shows original (source-mapped) positions: Node maps it with
 * `--enable-source-maps` and tsx, source-map-support (ts-node) through `Error.prepareStackTrace`.
 */
function stackIsSourceMapped(): boolean {
  return (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true || typeof Error.prepareStackTrace === "function";
}

function fromCaptured(c: CapturedFrame, name?: string): RawFrame {
  return {
    file: toPath(c.url),
    line: c.line,
    column: c.column,
    name: name ?? c.functionName,
    mapped: false,
    scopes: c.app === false ? undefined : c.scopes,
    async: false,
    native: false,
    // The inspector names CommonJS scripts by URL too; captured frames have their scopes to tell.
    esm: false,
    functionLine: c.functionLine ?? 0,
    functionColumn: c.functionColumn ?? 0,
    sourceMapUrl: c.sourceMapUrl,
  };
}

/**
 * The captured frames (innermost first, the whole synchronous stack at the throw) with what the
 * stack adds. The stack is lined up with them at an anchor: a frame at the same position in both,
 * confirmed by the frames just inside it being the same function (or by the anchor being the
 * innermost frame of both, the error created where it was thrown). From the anchor outwards the two
 * are walked together: the stack's builtin frames are put between the captured ones, and once the
 * captured frames end, the stack's awaiting callers follow. Without an anchor the error was created
 * elsewhere (another function, another moment): its stack says nothing about this throw.
 */
function mergeCapture(stackFrames: readonly RawFrame[], captured: readonly CapturedFrame[]): RawFrame[] {
  const firstAsync = stackFrames.findIndex((f) => f.async);
  const sync = firstAsync === -1 ? stackFrames : stackFrames.slice(0, firstAsync);
  const awaiting = firstAsync === -1 ? [] : stackFrames.slice(firstAsync);
  const positions = new StackPositions(captured);
  const anchor = findAnchor(sync, captured, positions);
  if (anchor === undefined) return captured.map((c) => fromCaptured(c));

  const out: RawFrame[] = [];
  let { s, c } = anchor;
  for (let j = 0; j < c; j++) out.push(fromCaptured(captured[j]!, j === c - 1 && anchor.inner !== undefined ? pairedName(sync[anchor.inner]!, captured[j]!) : undefined));
  // The builtin frames between the frame inside the anchor and the anchor.
  if (anchor.inner !== undefined) for (let k = anchor.inner + 1; k < s; k++) out.push(sync[k]!);
  let diverged = false;
  while (s < sync.length && c < captured.length) {
    const frame = sync[s]!;
    if (frame.native) {
      out.push(frame);
      s++;
      continue;
    }
    if (!positions.matches(frame, c, s === 0 && c === 0)) {
      diverged = true;
      break;
    }
    out.push(fromCaptured(captured[c]!, pairedName(frame, captured[c]!)));
    s++;
    c++;
  }
  for (; c < captured.length; c++) out.push(fromCaptured(captured[c]!));
  if (!diverged) {
    for (; s < sync.length; s++) if (sync[s]!.native) out.push(sync[s]!);
    out.push(...awaiting);
  }
  return out;
}

/**
 * The name of a captured frame: as the stack has it (`Cart.total`, `new Cart`, `Object.<anonymous>`),
 * unless the stack was source-mapped and names the function differently: Node then takes the
 * name the map gives the call's position (the callee's), not the function's.
 */
function pairedName(frame: RawFrame, c: CapturedFrame): string {
  if (!frame.mapped || frame.name === "Object.<anonymous>") return frame.name;
  return bareName(frame.name) === c.functionName ? frame.name : c.functionName;
}

interface Anchor {
  /** Index into the stack's synchronous frames. */
  readonly s: number;
  /** Index into the captured frames. */
  readonly c: number;
  /** The stack frame just inside the anchor that is the same function as the captured one inside it. */
  readonly inner: number | undefined;
}

function findAnchor(sync: readonly RawFrame[], captured: readonly CapturedFrame[], positions: StackPositions): Anchor | undefined {
  for (let s = 0; s < sync.length; s++) {
    const frame = sync[s]!;
    if (frame.native) continue;
    for (let c = 0; c < captured.length; c++) {
      if (!positions.matches(frame, c, s === 0 && c === 0)) continue;
      if (s === 0 || c === 0) return { s, c, inner: undefined };
      let inner = s - 1;
      while (inner >= 0 && sync[inner]!.native) inner--;
      if (inner >= 0 && sameFunction(sync[inner]!, captured[c - 1]!, positions, c - 1)) return { s, c, inner };
      return undefined;
    }
  }
  return undefined;
}

/** A stack frame and a captured frame are the same function: same file, same name (anonymous included, since both are called from the anchor's call). */
function sameFunction(frame: RawFrame, c: CapturedFrame, positions: StackPositions, index: number): boolean {
  if (positions.fileOf(frame, index) !== frame.file) return false;
  return bareName(frame.name) === bareName(c.functionName);
}

/** Captured positions in the terms the stack uses: as run, or source-mapped when the stack is. */
class StackPositions {
  private readonly mappedCache: (OriginalPositionLike | null | undefined)[] = [];

  constructor(private readonly captured: readonly CapturedFrame[]) {}

  matches(frame: RawFrame, index: number, sameLineIsEnough: boolean): boolean {
    const c = this.captured[index]!;
    const file = toPath(c.url);
    if (frame.file === file && frame.line === c.line && (sameLineIsEnough || frame.column === c.column)) return true;
    if (!frame.mapped) return false;
    const original = this.mapped(index);
    if (original === null || original.source !== frame.file) return false;
    // Columns are not compared: a mapped column depends on how the map's segments fall.
    return frame.line === original.line;
  }

  fileOf(frame: RawFrame, index: number): string {
    const file = toPath(this.captured[index]!.url);
    if (!frame.mapped || frame.file === file) return file;
    return this.mapped(index)?.source ?? file;
  }

  private mapped(index: number): OriginalPositionLike | null {
    let m = this.mappedCache[index];
    if (m === undefined) {
      const c = this.captured[index]!;
      const file = toPath(c.url);
      // Mapped the way Node maps the stack it is compared with.
      m = (path.isAbsolute(file) ? mapGeneratedPosition(file, c.line, c.column, c.sourceMapUrl, true) : undefined) ?? null;
      this.mappedCache[index] = m;
    }
    return m;
  }
}

interface OriginalPositionLike {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

/** The function's own name: `Cart.total` → `total`, `async run` → `run`, `Object.<anonymous>` → "". */
export function bareName(name: string): string {
  let n = name.replace(/^async /, "").replace(/^new /, "").replace(/ \[as [^\]]+\]$/, "");
  const dot = n.lastIndexOf(".");
  if (dot !== -1 && !n.endsWith(".")) n = n.slice(dot + 1);
  if (n === "<anonymous>" || n === "<module>") return "";
  return n;
}

/**
 * The frame as shown, or undefined for a bundler's own code: a position that the bundle's source
 * map leaves unmapped (its module loader, its wrappers) belongs to no original source.
 */
function resolveFrame(frame: RawFrame, outer: RawFrame | undefined): TraceFrame | undefined {
  const internal = frame.native || isInternalFile(frame.file);
  let sourcePath: string | undefined = internal ? undefined : frame.file;
  let line = frame.line;
  let column = frame.column;
  let moduleBody = false;
  if (!internal && !frame.mapped && path.isAbsolute(frame.file) && line > 0) {
    const original = mapGeneratedPosition(frame.file, line, Math.max(column, 1), frame.sourceMapUrl);
    if (original !== undefined) {
      sourcePath = original.source;
      line = original.line;
      column = original.column;
      // A function the bundler wrote around a module's code (webpack's module function, esbuild's
      // `__commonJS` entry) runs that module's top level.
      moduleBody = original.source !== frame.file && frame.functionLine > 0 && mapGeneratedPosition(frame.file, frame.functionLine, frame.functionColumn, frame.sourceMapUrl) === undefined;
    } else if (hasSourceMap(frame.file, frame.sourceMapUrl)) {
      return undefined;
    }
  }
  const shownPath = frame.native ? "<anonymous>" : sourcePath ?? frame.file;
  // A mapped frame whose script has a map: its runtime position is not known.
  const runtimeUnknown = frame.mapped && frame.file !== "" && hasMapUnder(frame);
  return {
    displayPath: displayPath(shownPath),
    sourcePath,
    line,
    column,
    functionName: moduleBody || isModuleWrapperName(frame.name, sourcePath) ? "<module>" : displayName(frame, outer),
    kind: internal ? "internal" : isDependencyFile(shownPath) ? "dependency" : "app",
    scopes: frame.scopes,
    runtimePath: frame.file,
    runtimeLine: runtimeUnknown ? 0 : frame.line,
    runtimeColumn: runtimeUnknown ? 0 : frame.column,
    functionLine: frame.functionLine,
    functionColumn: frame.functionColumn,
    native: frame.native,
    matchName: bareName(frame.name),
  };
}

/** esbuild names the function it wraps a CommonJS module in after the module's path. */
export function isModuleWrapperName(name: string, sourcePath: string | undefined): boolean {
  if (sourcePath === undefined || !/\.[cm]?[jt]sx?$/.test(name)) return false;
  return sourcePath.split(path.sep).join("/").endsWith("/" + name.replace(/^\.\//, ""));
}

/** A source-mapped stack frame whose file is an original source: its position as run is not known. */
function hasMapUnder(frame: RawFrame): boolean {
  return /\.[cm]?tsx?$/.test(frame.file) || hasOwnSourceMap(frame.file);
}

function displayName(frame: RawFrame, outer: RawFrame | undefined): string {
  if (frame.native) return (frame.async ? "async " : "") + frame.name;
  const name = frame.name.replace(/^async /, "");
  const marker = frame.async ? "async " : "";
  if (name === "Object.<anonymous>" && isCommonJsTopLevel(frame, outer)) return "<module>";
  if (name === "" || name === "<anonymous>" || name === "Object.<anonymous>") {
    if (isModuleTopLevel(frame, outer)) return "<module>";
    return marker + "<anonymous>";
  }
  return marker + name;
}

/**
 * V8 names a CommonJS module's top level `Object.<anonymous>`, but also any anonymous function called
 * as a method of a plain object (a route handler a framework keeps in an object): the top level is
 * the one the module loader (`Module._compile`, or a loader's patched copy) called.
 */
function isCommonJsTopLevel(frame: RawFrame, outer: RawFrame | undefined): boolean {
  if (frame.esm) return false;
  if (outer === undefined || outer.native || isInternalFile(outer.file) || /(^|\.)_compile$/.test(outer.name)) return true;
  return frame.scopes !== undefined && frame.scopes.length > 0 && isModuleTopLevel(frame, outer);
}

/** The parameters of the function Node wraps a CommonJS module in: not the program's variables. */
export const MODULE_WRAPPER_NAMES: ReadonlySet<string> = new Set(["require", "module", "exports", "__filename", "__dirname"]);

function isModuleTopLevel(frame: RawFrame, outer: RawFrame | undefined): boolean {
  const scopes = frame.scopes;
  if (scopes !== undefined && scopes.length > 0) {
    // Blocks and catch clauses sit inside the function (or module) scope they belong to.
    const own = scopes.find((scope) => scope.type !== "block" && scope.type !== "catch" && scope.type !== "this");
    if (own === undefined) return false;
    if (own.type === "module") return true;
    if (own.type === "local") {
      const vars = own.variables;
      return [...MODULE_WRAPPER_NAMES].every((k) => Object.prototype.hasOwnProperty.call(vars, k));
    }
    return false;
  }
  if (outer !== undefined) return /^ModuleJob\.(run|runSync|evaluate)$/.test(outer.name.replace(/^async /, ""));
  // The outermost frame: only an ES module's top level runs nameless with nothing below it (a
  // CommonJS module's top level is `Object.<anonymous>`, called by the loader).
  return frame.esm;
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
