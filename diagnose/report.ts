import * as path from "node:path";
import * as util from "node:util";
import type { Capture, CapturedScope } from "./capture/types.js";
import { bareName, collectFrames, MODULE_WRAPPER_NAMES, type FrameKind, type TraceFrame } from "./frames.js";
import { isOwnPosition } from "./own.js";
import { REDACTED, type Redactor } from "./redact.js";
import { analyzeLine, readSourceLine, type ChainLink, type LineToken } from "./source.js";
import { mapGeneratedPosition, toPath, type OriginalPosition } from "./sourcemap.js";
import { generatedNamesFor } from "./names.js";
import { headlessStack } from "./headless-stack.js";
import { errorMessage } from "./preview.js";
import { describeInline, describeResolved, describeValue, isBuiltinName, readDataProperty, resolveMember, resolveVariable } from "./values.js";

/** A value shown under a source line: at `column` (display columns into the shown text). */
export interface ValueMark {
  readonly column: number;
  readonly text: string;
  /** What the value is of, as written on the line: `coupon`, `coupon.percent`, `handlers[job.kind]`. */
  readonly expression: string;
}

export interface SourceLine {
  /** The line as shown: tabs expanded, indentation and trailing blanks removed. */
  readonly text: string;
  readonly tokens: readonly LineToken[];
  /** Left to right. */
  readonly marks: readonly ValueMark[];
}

export interface FrameEntry {
  readonly kind: "frame";
  readonly path: string;
  readonly line: number;
  readonly functionName: string;
  readonly frameKind: FrameKind;
  readonly isCatchPoint: boolean;
  readonly source: SourceLine | undefined;
  /** The frame the entry shows: its source file, column and captured scopes (for error pages). */
  readonly frame: TraceFrame;
}
export interface RepeatEntry {
  readonly kind: "repeat";
  readonly count: number;
}
export type TracebackEntry = FrameEntry | RepeatEntry;

/** Everything the layout needs about one thrown value, as plain data. */
export interface ExceptionReport {
  /** Outermost first; empty when the value has no usable stack. */
  readonly entries: readonly TracebackEntry[];
  /** `RangeError`, or `Thrown string` for a value that is not an Error. */
  readonly typeName: string;
  /** Message, possibly multi-line; "" when none. */
  readonly message: string;
  /** The error's other own enumerable properties (`{ code: 'ENOENT', ... }`), or "". */
  readonly details: string;
  /** Rendered before this one, joined by the "direct cause" sentence. */
  readonly cause: ExceptionReport | undefined;
  /** For AggregateError / SuppressedError: the members, rendered in the grouped layout. */
  readonly members: readonly ExceptionReport[] | undefined;
  /** How many members were left out of `members`. */
  readonly omittedMembers: number;
}

export interface CallerFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly functionName: string;
  /** Where the frame's function starts (V8's `getEnclosingLineNumber`), when known. */
  readonly enclosingLine?: number;
  readonly enclosingColumn?: number;
}

export interface ReportOptions {
  readonly backtrace: boolean;
  readonly diagnose: boolean;
  /** Whether source lines need tokens (for coloring); annotating needs them anyway. */
  readonly colorize: boolean;
  readonly catchStack: readonly CallerFrame[] | undefined;
  readonly getCapture: (thrown: unknown) => Capture | undefined;
  /** Which variables, members and keys show as `[redacted]`. */
  readonly redactor: Redactor;
}

const MAX_CHAIN = 20;
const MAX_MEMBERS = 15;
const MAX_SAME_FRAME = 3;
const MAX_SOURCE_WIDTH = 160;
const MAX_DETAILS_WIDTH = 400;
const SOURCE_CONTEXT_BEFORE = 60;
// Names of the CommonJS wrapper: present in every module, never worth a marker.

type Role = "main" | "cause" | "member";

/** A frame of the catching code's stack (or of the error a cause caused), as run. */
interface FrameKey {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly name: string;
  readonly functionLine: number;
  readonly functionColumn: number;
  readonly native: boolean;
  /** A module's top level (which runs once): the same file says it is the same frame. */
  readonly topLevel: boolean;
  /** The source-mapped position, computed when first needed. */
  original?: OriginalPosition | null;
}

/** Builds the report of a thrown value, its cause chain and group members. */
export function buildReport(thrown: unknown, options: ReportOptions): ExceptionReport {
  return reportOf(thrown, options, new Set(), 0, options.catchStack === undefined ? undefined : callerKeys(options.catchStack), "main");
}

function reportOf(
  thrown: unknown,
  options: ReportOptions,
  seen: Set<unknown>,
  depth: number,
  outerKeys: readonly FrameKey[] | undefined,
  role: Role,
): ExceptionReport {
  const isMain = role === "main";
  seen.add(thrown);
  const errorLike = isErrorLike(thrown);
  const stack = errorLike ? stackOf(thrown as object) : NO_STACK;
  const frames = framesOf(thrown, stack, options);
  const { shown, catchIndex } = selectFrames(frames, outerKeys, isMain, options.backtrace);
  const entries = buildEntries(shown, catchIndex, options);
  const ownKeys = frames.map(frameKey).reverse();

  let cause: ExceptionReport | undefined;
  let members: ExceptionReport[] | undefined;
  let omittedMembers = 0;
  if (errorLike && depth < MAX_CHAIN) {
    const causeValue = ownDataProperty(thrown, "cause");
    if (causeValue.found && !seen.has(causeValue.value)) {
      cause = reportOf(causeValue.value, options, seen, depth + 1, ownKeys, "cause");
    }
    const group = groupMembers(thrown as object);
    if (group !== undefined) {
      members = [];
      for (const member of group.slice(0, MAX_MEMBERS)) {
        if (seen.has(member)) continue;
        members.push(reportOf(member, options, seen, depth + 1, ownKeys, "member"));
      }
      omittedMembers = Math.max(0, group.length - MAX_MEMBERS);
    }
  }
  const headline = errorLike ? errorHeadline(thrown as object, members !== undefined, options.redactor, stack) : nonErrorHeadline(thrown, role, options.redactor);
  return { entries, ...headline, cause, members, omittedMembers };
}

function framesOf(thrown: unknown, stack: StackText, options: ReportOptions): TraceFrame[] {
  let capture: Capture | undefined;
  try {
    capture = options.getCapture(thrown);
  } catch {
    capture = undefined;
  }
  if (stack.text === undefined && capture === undefined) return [];
  return collectFrames(stack.text, capture, stack.formatFailure === undefined ? undefined : false);
}

/** The text of an error's stack, and what was thrown when V8 could not format it. */
interface StackText {
  readonly text: string | undefined;
  /** Set when formatting the stack threw (a `name` or `message` getter): `text` is then the frame lines alone, as run. */
  readonly formatFailure: { readonly thrown: unknown } | undefined;
}

const NO_STACK: StackText = { text: undefined, formatFailure: undefined };

// V8 retries a failed formatting on every read: the getter that threw is not run again for the same error.
const unformattable = new WeakMap<object, StackText>();

function stackOf(error: object): StackText {
  const known = unformattable.get(error);
  if (known !== undefined) return known;
  try {
    return { text: stackText(error), formatFailure: undefined };
  } catch (thrown) {
    // V8 formats the stack on its first read, through the error's `toString()`: a `name` or
    // `message` getter ran and threw. The frames can still be had without the header.
    const failed: StackText = { text: headlessStack(error), formatFailure: { thrown } };
    unformattable.set(error, failed);
    return failed;
  }
}

function stackText(error: object): string | undefined {
  // `stack` is an accessor V8 installs on every error; reading it runs no user code unless the
  // program replaced it, which the descriptor check below rules out for user getters, or unless
  // it is read for the first time and V8 formats it, which reads the error's `name` and `message`.
  let holder: object | null = error;
  for (let hops = 0; holder !== null && hops < 50; hops++) {
    if (util.types.isProxy(holder)) return undefined;
    const d = Object.getOwnPropertyDescriptor(holder, "stack");
    if (d !== undefined) {
      if ("value" in d) return typeof d.value === "string" ? d.value : undefined;
      if (util.types.isNativeError(error) && (d.get === undefined || isNativeFunction(d.get))) {
        const s = (error as { stack?: unknown }).stack;
        return typeof s === "string" ? s : undefined;
      }
      return undefined;
    }
    holder = Object.getPrototypeOf(holder) as object | null;
  }
  return undefined;
}

function isNativeFunction(fn: unknown): boolean {
  try {
    return typeof fn === "function" && /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/**
 * Which frames to show and which one caught the error. `outerKeys` is the stack of the code that
 * caught it (the caller's stack at log time, or for a cause the stack of the error it caused),
 * innermost first: the catch frame is the innermost frame of the error that lines up with it;
 * frames outside it are "above" the catch point.
 */
function selectFrames(
  frames: readonly TraceFrame[],
  outerKeys: readonly FrameKey[] | undefined,
  isMain: boolean,
  backtrace: boolean,
): { shown: readonly TraceFrame[]; catchIndex: number } {
  if (outerKeys === undefined || frames.length === 0) return { shown: frames, catchIndex: -1 };
  const catchIndex = findCatchFrame(frames, outerKeys);
  if (catchIndex === -1) return { shown: frames, catchIndex: -1 };
  if (isMain && backtrace) return { shown: frames, catchIndex };
  return { shown: frames.slice(catchIndex), catchIndex: -1 };
}

const CATCH_SKIP_LIMIT = 3;

/**
 * Index (into `frames`, outermost first) of the catch frame, or -1: the innermost frame of the error
 * that is the same function as a frame of the catching stack, where every frame outside it lines up
 * with the catching stack's frames at the same positions. A frame is only shared when that is
 * shown: by at least one outer frame at the same position, or by the function itself (the same
 * start position, or the same name). Node's own frames and builtins are not compared (an await
 * moves the tick queue's frame).
 */
function findCatchFrame(frames: readonly TraceFrame[], keys: readonly FrameKey[]): number {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (frame.native || frame.kind === "internal") continue;
    for (let k = 0; k < Math.min(CATCH_SKIP_LIMIT, keys.length); k++) {
      const key = keys[k]!;
      if (key.native) continue;
      const identity = sameFunction(frame, key);
      if (identity === "no") continue;
      const outer = outerFramesAgree(frames, i, keys, k);
      if (outer === "differ") continue;
      if (outer === "agree" || identity === "certain") return i;
    }
  }
  return -1;
}

type Identity = "no" | "likely" | "certain";

function sameFunction(frame: TraceFrame, key: FrameKey): Identity {
  if (samePosition(frame, key)) return "certain";
  if (!sameFile(frame, key)) return "no";
  if (frame.functionName === "<module>" && key.topLevel) return "certain";
  if (frame.matchName !== key.name) return "no";
  // The inspector and V8's call sites place a function's start differently on its first line
  // (`(` of the parameters or the `function` keyword): the line is what both agree on.
  if (frame.functionLine > 0 && key.functionLine > 0 && frame.functionLine !== key.functionLine) return "no";
  if (frame.matchName !== "") return "certain";
  // A nameless function resumed after an await is the whole stack of the logging call: where it
  // starts is what tells it apart from another nameless function of the file.
  return sameStart(frame, key) ? "certain" : "likely";
}

// What V8's call sites count as part of a function expression before the inspector's start of it
// (its parameters' `(`): `async function (` starts at `async` for one, at `(` for the other.
const FUNCTION_KEYWORDS = /^(?:async\s+)?function\s*(?:\*\s*)?$/;

function sameStart(frame: TraceFrame, key: FrameKey): boolean {
  if (frame.functionLine <= 0 || frame.functionColumn <= 0 || frame.functionLine !== key.functionLine || key.functionColumn <= 0) return false;
  if (frame.functionColumn === key.functionColumn) return true;
  if (key.functionColumn > frame.functionColumn) return false;
  const text = readSourceLine(frame.runtimePath, frame.functionLine);
  return text !== undefined && FUNCTION_KEYWORDS.test(text.slice(key.functionColumn - 1, frame.functionColumn - 1));
}

function outerFramesAgree(frames: readonly TraceFrame[], i: number, keys: readonly FrameKey[], k: number): "agree" | "differ" | "unknown" {
  let compared = 0;
  let a = i - 1;
  let b = k + 1;
  for (;;) {
    while (a >= 0 && (frames[a]!.native || frames[a]!.kind === "internal")) a--;
    while (b < keys.length && (keys[b]!.native || keys[b]!.line <= 0 || isInternalPath(keys[b]!.file))) b++;
    if (a < 0 || b >= keys.length) break;
    if (!samePosition(frames[a]!, keys[b]!)) return "differ";
    compared++;
    a--;
    b++;
  }
  return compared > 0 ? "agree" : "unknown";
}

function isInternalPath(file: string): boolean {
  return file === "" || file.startsWith("node:") || !(path.isAbsolute(file) || file.startsWith("file://"));
}

function sameFile(frame: TraceFrame, key: FrameKey): boolean {
  if (frame.runtimePath === key.file || frame.sourcePath === key.file) return true;
  const original = originalOf(key);
  return original !== null && frame.sourcePath === original.source;
}

function samePosition(frame: TraceFrame, key: FrameKey): boolean {
  // A key read from a source-mapped stack (catch() reads the error's own stack) is already original.
  if (frame.sourcePath === key.file && frame.sourcePath !== frame.runtimePath && frame.line === key.line) return true;
  if (frame.runtimeLine > 0) return frame.runtimePath === key.file && frame.runtimeLine === key.line && frame.runtimeColumn === key.column;
  // The error's stack was source-mapped: compare with the key mapped the same way.
  const original = originalOf(key);
  return original !== null && frame.sourcePath === original.source && frame.line === original.line;
}

function originalOf(key: FrameKey): OriginalPosition | null {
  if (key.original === undefined) {
    key.original = path.isAbsolute(key.file) && key.line > 0 ? mapGeneratedPosition(key.file, key.line, Math.max(key.column, 1), undefined, true) ?? null : null;
  }
  return key.original;
}

function frameKey(frame: TraceFrame): FrameKey {
  return {
    file: frame.runtimePath,
    line: frame.runtimeLine,
    column: frame.runtimeColumn,
    name: frame.matchName,
    functionLine: frame.functionLine,
    functionColumn: frame.functionColumn,
    native: frame.native,
    topLevel: frame.functionName === "<module>",
    original: frame.runtimeLine > 0 || frame.sourcePath === undefined ? undefined : { source: frame.sourcePath, line: frame.line, column: frame.column },
  };
}

const MODULE_LOADER = /^(?:Module\._compile|ModuleJob\.run|ModuleJob\.runSync|ModuleJob\.evaluate|evaluate)$/;

function callerKeys(stack: readonly CallerFrame[]): FrameKey[] {
  const keys: FrameKey[] = [];
  for (let i = 0; i < stack.length; i++) {
    const f = stack[i]!;
    const file = toPath(String(f.file ?? ""));
    const line = Number(f.line) || 0;
    const column = Number(f.column) || 0;
    if (file !== "" && isOwnPosition(file, line, column)) continue;
    keys.push({
      file,
      line,
      column,
      name: bareName(String(f.functionName ?? "")),
      functionLine: Number(f.enclosingLine) || 0,
      functionColumn: Number(f.enclosingColumn) || 0,
      native: file === "",
      topLevel: isTopLevelCall(f, stack[i + 1]),
    });
  }
  return keys;
}

/**
 * A module's top level: a nameless frame called by the module loader, or, called by Node's own code
 * or by nothing (the module resumed after a top-level await), a function starting at the script's
 * first character, which only a module's body does (CommonJS or ES module).
 */
function isTopLevelCall(frame: CallerFrame, caller: CallerFrame | undefined): boolean {
  if (String(frame.functionName ?? "") !== "") return false;
  if (caller !== undefined) {
    if (MODULE_LOADER.test(String(caller.functionName ?? "").replace(/^async /, ""))) return true;
    // Call sites name methods without their class (`run` for ModuleJob.run): called by Node's own
    // code, the body is told by where it starts.
    if (!isInternalPath(toPath(String(caller.file ?? "")))) return false;
  }
  return Number(frame.enclosingLine) === 1 && Number(frame.enclosingColumn) === 1;
}

function buildEntries(frames: readonly TraceFrame[], catchIndex: number, options: ReportOptions): TracebackEntry[] {
  const entries: TracebackEntry[] = [];
  let repeats = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i]!;
    const previous = frames[i - 1];
    if (previous !== undefined && previous.displayPath === frame.displayPath && previous.line === frame.line && previous.functionName === frame.functionName && i !== catchIndex) {
      repeats++;
      if (repeats >= MAX_SAME_FRAME) continue;
    } else {
      flushRepeats(entries, repeats);
      repeats = 0;
    }
    entries.push({
      kind: "frame",
      path: frame.displayPath,
      line: frame.line,
      functionName: frame.functionName,
      frameKind: frame.kind,
      isCatchPoint: i === catchIndex,
      source: sourceLineOf(frame, options),
      frame,
    });
  }
  flushRepeats(entries, repeats);
  return entries;
}

function flushRepeats(entries: TracebackEntry[], repeats: number): void {
  if (repeats >= MAX_SAME_FRAME) entries.push({ kind: "repeat", count: repeats - MAX_SAME_FRAME + 1 });
}

function sourceLineOf(frame: TraceFrame, options: ReportOptions): SourceLine | undefined {
  if (frame.kind === "internal" || frame.sourcePath === undefined || frame.line < 1) return undefined;
  const raw = readSourceLine(frame.sourcePath, frame.line);
  if (raw === undefined) return undefined;
  const expanded = raw.replace(/\t/g, "    ");
  let text = expanded.trim();
  if (text === "") return undefined;
  if (text.length > MAX_SOURCE_WIDTH) {
    // A minified line: show the part around the column that ran.
    const at = Math.max(0, frame.column - 1 - (expanded.length - expanded.trimStart().length));
    const from = Math.max(0, Math.min(at - SOURCE_CONTEXT_BEFORE, text.length - MAX_SOURCE_WIDTH));
    const to = Math.min(text.length, from + MAX_SOURCE_WIDTH);
    text = (from > 0 ? "..." : "") + text.slice(from, to) + (to < text.length ? "..." : "");
  }
  // Dependencies have scopes only when the capture engine was asked to include node_modules.
  const annotate = options.diagnose && frame.scopes !== undefined;
  if (!annotate && !options.colorize) return { text, tokens: [], marks: [] };
  const analysis = analyzeLine(text);
  const variableName = annotate ? generatedNameOf(frame, raw, text) : undefined;
  return { text, tokens: analysis.tokens, marks: variableName !== undefined ? marksFor(text, analysis.chains, frame, options.redactor, variableName) : [] };
}

/** For a name at `start` on the shown line: the variable of the code that ran holding its value, if any. */
type VariableName = (name: string, start: number) => string | undefined;

/**
 * Names on a line shown through a source map are looked up under the generated identifier the map
 * points at (see names.ts); on a line shown as it ran, under themselves.
 */
function generatedNameOf(frame: TraceFrame, raw: string, text: string): VariableName | undefined {
  const sourcePath = frame.sourcePath!;
  if (sourcePath === frame.runtimePath) return (name) => name;
  const generated = generatedNamesFor(frame.runtimePath, sourcePath, frame.line);
  if (generated === undefined) return (name) => name;
  // The shown text is the raw line with tabs expanded and blanks trimmed; a cut line is not annotated.
  if (text.startsWith("...") && !raw.trimStart().startsWith("...")) return undefined;
  const rawIndent = raw.length - raw.trimStart().length;
  if (raw.slice(rawIndent).includes("\t")) return undefined;
  return (name, start) => (name === "this" ? name : generated(name, rawIndent + start));
}

function marksFor(
  text: string,
  chains: ReturnType<typeof analyzeLine>["chains"],
  frame: TraceFrame,
  redactor: Redactor,
  variableName: VariableName,
): ValueMark[] {
  const scopes = frame.scopes!;
  const marks: ValueMark[] = [];
  for (const chain of chains) {
    const root = chain[0]!;
    if (MODULE_WRAPPER_NAMES.has(root.name) || (isBuiltinName(root.name) && !inLocalScopes(scopes, root.name))) continue;
    const variable = variableName(root.name, root.start);
    if (variable === undefined) continue;
    let found = resolveVariable(scopes, variable);
    if (found === undefined) continue;
    // A secret variable shows `[redacted]`, and nothing read through it is shown.
    let expression = root.name;
    if (redactor.hides(root.name, redactor.root)) {
      marks.push({ column: displayWidth(text.slice(0, root.start)), text: REDACTED, expression });
      continue;
    }
    let at = redactor.enter(root.name, redactor.root);
    marks.push({ column: displayWidth(text.slice(0, root.start)), text: describeResolved(found, redactor, at), expression });
    for (let k = 1; k < chain.length; k++) {
      const link = chain[k]!;
      const key = link.computed === undefined ? link.name : computedKeyValue(link.computed, scopes, variableName);
      if (key === undefined) break;
      found = resolveMember(found, key);
      if (found === undefined) break;
      expression += link.computed === undefined ? `.${link.name}` : memberText(link.computed);
      if (redactor.hides(key, at)) {
        marks.push({ column: displayWidth(text.slice(0, link.start)), text: REDACTED, expression });
        break;
      }
      at = redactor.enter(key, at);
      // `list.map`, `map.get`: the engine's own methods say nothing about this program's state.
      if (isNativeFunction(found.value)) continue;
      marks.push({ column: displayWidth(text.slice(0, link.start)), text: describeResolved(found, redactor, at), expression });
    }
  }
  // Names inside a computed member (`a[b].c`) come after the chain around them.
  return marks.sort((a, b) => a.column - b.column);
}

/** `[0]`, `["id"]`, `[job.kind]`: a computed member as it reads in the source. */
function memberText(computed: NonNullable<ChainLink["computed"]>): string {
  if ("chain" in computed) return `[${computed.chain.join(".")}]`;
  return /^(?:0|[1-9]\d*)$/.test(computed.literal) ? `[${computed.literal}]` : `[${JSON.stringify(computed.literal)}]`;
}

/** The key of `a[k]` as a property name, when `k` is a literal or a chain of plain data holding a string or number. */
function computedKeyValue(computed: NonNullable<ChainLink["computed"]>, scopes: readonly CapturedScope[], variableName: VariableName): string | undefined {
  if ("literal" in computed) return computed.literal;
  const variable = variableName(computed.chain[0]!, computed.start);
  if (variable === undefined) return undefined;
  let found = resolveVariable(scopes, variable);
  for (let k = 1; found !== undefined && k < computed.chain.length; k++) found = resolveMember(found, computed.chain[k]!);
  if (found === undefined) return undefined;
  const value = found.value;
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

function inLocalScopes(scopes: readonly CapturedScope[], name: string): boolean {
  for (const scope of scopes) {
    if (scope.type === "global" || scope.type === "script") continue;
    if (Object.prototype.hasOwnProperty.call(scope.variables, name)) return true;
  }
  return false;
}

/** Terminal columns taken by `text`: wide East Asian characters and emoji count 2, marks 0. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f)) continue;
    width += isWide(cp) ? 2 : 1;
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

// ---- what was thrown ----

function isErrorLike(value: unknown): boolean {
  if (typeof value !== "object" || value === null || util.types.isProxy(value)) return false;
  if (util.types.isNativeError(value)) return true;
  let proto: object | null = value;
  for (let hops = 0; proto !== null && hops < 50; hops++) {
    if (util.types.isProxy(proto)) return false;
    if (proto === Error.prototype) return true;
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return typeof readDataProperty(value, "stack") === "string" && typeof readDataProperty(value, "message") === "string";
}

function ownDataProperty(object: unknown, key: string): { found: boolean; value: unknown } {
  const d = Object.getOwnPropertyDescriptor(object as object, key);
  if (d === undefined || !("value" in d)) return { found: false, value: undefined };
  return { found: true, value: d.value };
}

function groupMembers(error: object): unknown[] | undefined {
  const errors = ownDataProperty(error, "errors");
  if (errors.found && Array.isArray(errors.value) && !util.types.isProxy(errors.value)) {
    const list = (errors.value as unknown[]).slice();
    // Other libraries use `errors` for their own lists: only AggregateErrors and lists of errors are groups.
    if (constructorNameOf(error) === "AggregateError" || (list.length > 0 && list.every(isErrorLike))) return list;
  }
  const name = readDataProperty(error, "name");
  if (name === "SuppressedError") {
    const inner = ownDataProperty(error, "error");
    const suppressed = ownDataProperty(error, "suppressed");
    if (inner.found || suppressed.found) return [inner.value, suppressed.value];
  }
  return undefined;
}

const HIDDEN_ERROR_KEYS = new Set(["message", "stack", "cause", "name"]);

function errorHeadline(error: object, isGroup: boolean, redactor: Redactor, stack: StackText): { typeName: string; message: string; details: string } {
  const name = readDataProperty(error, "name");
  const constructorName = constructorNameOf(error);
  let typeName = typeof name === "string" && name !== "" ? name : constructorName || "Error";
  if (typeName === "Error" && constructorName !== "" && constructorName !== "Error" && !Object.prototype.hasOwnProperty.call(error, "name")) typeName = constructorName;
  const messageValue = readDataProperty(error, "message");
  // A `message` accessor (zod's ZodError) is not run: V8 wrote the message into the stack's first lines.
  let message =
    typeof messageValue === "string" ? messageValue
    : messageValue !== undefined ? describeValue(messageValue)
    : stack.formatFailure !== undefined ? `[Unreadable: ${thrownSummary(stack.formatFailure.thrown)}]`
    : errorMessage(error);
  if (isGroup) {
    const count = groupMembers(error)?.length ?? 0;
    const noun = count === 1 ? "sub-error" : "sub-errors";
    message = message === "" ? `(${count} ${noun})` : `${message} (${count} ${noun})`;
  }
  return { typeName, message, details: errorDetails(error, isGroup, redactor) };
}

/** What a getter threw, read without running user code: `TypeError: boom`, or the value. */
function thrownSummary(thrown: unknown): string {
  if (!isErrorLike(thrown)) return describeValue(thrown);
  const error = thrown as object;
  const name = readDataProperty(error, "name");
  const typeName = typeof name === "string" && name !== "" ? name : constructorNameOf(error) || "Error";
  const message = readDataProperty(error, "message");
  return typeof message === "string" && message !== "" ? `${typeName}: ${message}` : typeName;
}

function errorDetails(error: object, isGroup: boolean, redactor: Redactor): string {
  const shown: Record<string, unknown> = {};
  let count = 0;
  for (const key of Object.keys(error)) {
    if (HIDDEN_ERROR_KEYS.has(key)) continue;
    if (isGroup && (key === "errors" || key === "error" || key === "suppressed")) continue;
    const d = Object.getOwnPropertyDescriptor(error, key);
    if (d === undefined || !("value" in d)) continue;
    shown[key] = d.value;
    count++;
  }
  if (count === 0) return "";
  return describeInline(redactor.mask(shown, null), MAX_DETAILS_WIDTH);
}

function constructorNameOf(object: object): string {
  let proto: object | null = Object.getPrototypeOf(object) as object | null;
  for (let hops = 0; proto !== null && hops < 50; hops++) {
    if (util.types.isProxy(proto)) return "";
    const d = Object.getOwnPropertyDescriptor(proto, "constructor");
    if (d !== undefined && "value" in d && typeof d.value === "function") {
      const n = Object.getOwnPropertyDescriptor(d.value, "name");
      return n !== undefined && "value" in n && typeof n.value === "string" ? n.value : "";
    }
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  return "";
}

/** `Thrown string: 'x'`, `Cause object: { code: 1 }`, `Thrown null`. */
function nonErrorHeadline(value: unknown, role: Role, redactor: Redactor): { typeName: string; message: string; details: string } {
  const type = value === null ? "null" : typeof value;
  const typeName = `${role === "cause" ? "Cause" : "Thrown"} ${type}`;
  if (value === null || value === undefined) return { typeName, message: "", details: "" };
  return { typeName, message: describeValue(redactor.mask(value, null)), details: "" };
}
