import { STATUS_CODES } from "node:http";
import type { CapturedScope } from "../capture/types.js";
import { MODULE_WRAPPER_NAMES, type FrameKind } from "../frames.js";
import { REDACTED, type Redactor } from "../redact.js";
import { buildReport, displayWidth, type CallerFrame, type ExceptionReport, type FrameEntry } from "../report.js";
import { readSourceLine } from "../source.js";
import { describeResolved, resolveVariable } from "../values.js";
import { getCapture } from "../capture/index.js";
import { describeRequest, type RequestModel } from "./request.js";

export type { NamedValue, RequestModel } from "./request.js";

/**
 * Everything an error page shows, as plain data: built once, rendered to HTML or sent as JSON.
 * Every value in it is text already described (bounded, without running user code) and masked.
 */
export interface ErrorPageModel {
  readonly status: number;
  readonly statusText: string;
  readonly exception: ExceptionModel;
  readonly request: RequestModel | undefined;
  /** When the page was made, ISO 8601. */
  readonly time: string;
  /** `process.version`. */
  readonly node: string;
}

export interface ExceptionModel {
  /** `RangeError`, or `Thrown string` for a value that is not an Error. */
  readonly type: string;
  readonly message: string;
  /** The error's other own fields (`{ code: 'ENOENT' }`), or "". */
  readonly details: string;
  /** Innermost first: the frame that threw, then its callers. */
  readonly frames: readonly FrameModel[];
  /** The error this one was caused by (`error.cause`). */
  readonly cause: ExceptionModel | undefined;
  /** An AggregateError's (or SuppressedError's) errors. */
  readonly members: readonly ExceptionModel[] | undefined;
  readonly omittedMembers: number;
}

export interface FrameModel {
  readonly function: string;
  /** As the terminal shows it: relative to the working directory when inside it. */
  readonly file: string;
  /** 1-based, source-mapped; 0 when unknown. */
  readonly line: number;
  readonly column: number;
  /** `app` frames carry values; `dependency` is code under node_modules; `internal` is Node's. */
  readonly kind: FrameKind;
  /** The frame that caught the error (`>` in the terminal). */
  readonly catchPoint: boolean;
  /** How many more times the frame repeated (recursion) after this one. */
  readonly repeated: number;
  /** Lines around the frame's line, tabs expanded; the frame's line is `line`. */
  readonly source: SourceContext | undefined;
  /** The values under the frame's line, as the terminal shows them, left to right. */
  readonly annotations: readonly Annotation[];
  /** The frame's variables at the throw, innermost scope first. */
  readonly variables: readonly VariableModel[];
  /** Variables left out past the page's limit. */
  readonly omittedVariables: number;
}

export interface SourceContext {
  /** Line number of `lines[0]`. */
  readonly start: number;
  readonly lines: readonly string[];
}

export interface Annotation {
  /** What the value is of, as written: `coupon.percent`. */
  readonly expression: string;
  /** Display column of the expression in the frame's line as given in `source.lines`. */
  readonly column: number;
  readonly value: string;
}

export interface VariableModel {
  readonly name: string;
  /** `local`, `block`, `catch`, `closure`, `module`, `this`, ... */
  readonly scope: string;
  readonly value: string;
}

export interface PageModelOptions {
  readonly request?: unknown;
  readonly status: number;
  readonly redactor: Redactor;
  readonly catchStack: readonly CallerFrame[] | undefined;
}

const APP_CONTEXT = 5;
const DEPENDENCY_CONTEXT = 2;
const MAX_CONTEXT_WIDTH = 200;
const MAX_VARIABLES = 60;
// Present in every CommonJS module and in every closure over one: never worth a row.
// Scopes of every name a file or the process declares: functions there are the program, not its state.
const WIDE_SCOPES = new Set(["closure", "module", "script", "with", "eval"]);

/** The model of `error` (and of the request it failed, when given), from the traceback engine's report. */
export function buildPageModel(error: unknown, options: PageModelOptions): ErrorPageModel {
  const report = buildReport(error, {
    backtrace: true,
    diagnose: true,
    colorize: true,
    catchStack: options.catchStack,
    getCapture,
    redactor: options.redactor,
  });
  const status = options.status;
  return {
    status,
    statusText: STATUS_CODES[status] ?? "Error",
    exception: exceptionModel(report, options.redactor),
    request: options.request === undefined ? undefined : describeRequest(options.request, options.redactor),
    time: new Date().toISOString(),
    node: process.version,
  };
}

function exceptionModel(report: ExceptionReport, redactor: Redactor): ExceptionModel {
  const frames: FrameModel[] = [];
  const entries = report.entries;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!;
    if (entry.kind === "repeat") continue;
    const next = entries[i + 1];
    frames.push(frameModel(entry, next?.kind === "repeat" ? next.count : 0, redactor));
  }
  return {
    type: report.typeName,
    message: report.message,
    details: report.details,
    frames,
    cause: report.cause === undefined ? undefined : exceptionModel(report.cause, redactor),
    members: report.members?.map((member) => exceptionModel(member, redactor)),
    omittedMembers: report.omittedMembers,
  };
}

function frameModel(entry: FrameEntry, repeated: number, redactor: Redactor): FrameModel {
  const { frame } = entry;
  const source = sourceContext(entry);
  let annotations: Annotation[] = [];
  if (entry.source !== undefined && source !== undefined) {
    const shown = source.lines[entry.line - source.start]!;
    const indent = displayWidth(shown.slice(0, shown.length - shown.trimStart().length));
    annotations = entry.source.marks.map((mark) => ({ expression: mark.expression, column: indent + mark.column, value: mark.text }));
  }
  const { variables, omitted } = frame.scopes === undefined ? { variables: [], omitted: 0 } : variablesOf(frame.scopes, redactor);
  return {
    function: entry.functionName,
    file: entry.path,
    line: entry.line,
    column: frame.column,
    kind: entry.frameKind,
    catchPoint: entry.isCatchPoint,
    repeated,
    source,
    annotations,
    variables,
    omittedVariables: omitted,
  };
}

/**
 * The lines around the frame's line. The frame's own line is the one the traceback shows (a
 * minified line cut around the column, so that the annotations' columns stay right), indented
 * as in the file.
 */
function sourceContext(entry: FrameEntry): SourceContext | undefined {
  const file = entry.frame.sourcePath;
  if (entry.source === undefined || file === undefined || entry.line < 1) return undefined;
  const around = entry.frameKind === "app" ? APP_CONTEXT : DEPENDENCY_CONTEXT;
  const start = Math.max(1, entry.line - around);
  const lines: string[] = [];
  for (let n = start; n <= entry.line + around; n++) {
    const raw = readSourceLine(file, n);
    if (raw === undefined) break;
    const expanded = raw.replace(/\t/g, "    ").trimEnd();
    if (n === entry.line) {
      lines.push(expanded.slice(0, expanded.length - expanded.trimStart().length) + entry.source.text);
    } else {
      lines.push(expanded.length > MAX_CONTEXT_WIDTH ? expanded.slice(0, MAX_CONTEXT_WIDTH - 3) + "..." : expanded);
    }
  }
  if (lines.length <= entry.line - start) return undefined;
  // Blank lines at the edges say nothing.
  let first = 0;
  let last = lines.length - 1;
  while (first < entry.line - start && lines[first]!.trim() === "") first++;
  while (last > entry.line - start && lines[last]!.trim() === "") last--;
  return { start: start + first, lines: lines.slice(first, last + 1) };
}

/**
 * Each variable of the frame's scopes once (the innermost of a name, as the code saw it), described
 * like an annotation: from the capture's preview when it has one, secret names masked.
 */
function variablesOf(scopes: readonly CapturedScope[], redactor: Redactor): { variables: VariableModel[]; omitted: number } {
  const variables: VariableModel[] = [];
  const seen = new Set<string>();
  let omitted = 0;
  for (const scope of scopes) {
    if (scope.type === "global" || scope.type === "script") continue;
    const wide = WIDE_SCOPES.has(scope.type);
    let names: string[];
    try {
      names = Object.keys(scope.variables);
    } catch {
      continue;
    }
    for (const name of names) {
      if (seen.has(name) || MODULE_WRAPPER_NAMES.has(name)) continue;
      seen.add(name);
      const d = Object.getOwnPropertyDescriptor(scope.variables, name);
      if (d === undefined || !("value" in d)) continue;
      if (wide && typeof d.value === "function") continue;
      // A sloppy-mode function's `this` is the global object: nothing about this call.
      if (scope.type === "this" && (d.value === globalThis || d.value === undefined)) continue;
      if (variables.length >= MAX_VARIABLES) {
        omitted++;
        continue;
      }
      let value: string;
      if (redactor.hides(name, redactor.root)) value = REDACTED;
      else {
        const resolved = resolveVariable([scope], name);
        value = resolved === undefined ? "<unavailable>" : describeResolved(resolved, redactor, redactor.enter(name, redactor.root));
      }
      variables.push({ name, scope: scope.type, value });
    }
  }
  return { variables, omitted };
}
