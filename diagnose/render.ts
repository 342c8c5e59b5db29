import type { TracebackTheme } from "./highlight.js";
import type { ExceptionReport, FrameEntry, SourceLine, TracebackEntry } from "./report.js";

const INTRODUCTION = "Traceback (most recent call last):";
const GROUP_INTRODUCTION = "Exception Group Traceback (most recent call last):";
const CAUSE_SENTENCE = "The above exception was the direct cause of the following exception:";
const PIPE = "│";
const CAP = "└";

export interface LayoutOptions {
  /** Blank lines around frames and value markers under source lines. */
  readonly diagnose: boolean;
  readonly theme: TracebackTheme;
}

interface GroupContext {
  depth: number;
  needClose: boolean;
}

/** Lays out a report (its causes first, groups in the nested `+-+` layout) as lines of text. */
export function layoutReport(report: ExceptionReport, options: LayoutOptions): string[] {
  const out: string[] = [];
  layoutChain(report, options, { depth: 0, needClose: false }, out);
  return out;
}

function emit(out: string[], ctx: GroupContext, lines: readonly string[], margin = "|"): void {
  if (ctx.depth === 0) {
    for (const line of lines) out.push(line);
    return;
  }
  const prefix = "  ".repeat(ctx.depth) + margin + " ";
  for (const line of lines) out.push(line === "" ? prefix.trimEnd() : prefix + line);
}

function layoutChain(report: ExceptionReport, options: LayoutOptions, ctx: GroupContext, out: string[]): void {
  if (report.cause !== undefined) {
    layoutChain(report.cause, options, ctx, out);
    emit(out, ctx, ["", options.theme.cause(CAUSE_SENTENCE), ""]);
  }
  if (report.members === undefined) {
    emit(out, ctx, [...tracebackLines(report.entries, options, INTRODUCTION), ...headlineLines(report, options)]);
    return;
  }
  const isTop = ctx.depth === 0;
  if (isTop) ctx.depth++;
  const body = tracebackLines(report.entries, options, GROUP_INTRODUCTION);
  if (body.length === 0) body.push(options.theme.introduction(GROUP_INTRODUCTION));
  emit(out, ctx, body.slice(0, 1), isTop ? "+" : "|");
  emit(out, ctx, [...body.slice(1), ...headlineLines(report, options)]);
  const members = report.members;
  const titles = members.map((_, i) => String(i + 1));
  if (report.omittedMembers > 0) titles.push("...");
  for (let i = 0; i < titles.length; i++) {
    const last = i === titles.length - 1;
    if (last) ctx.needClose = true;
    out.push("  ".repeat(ctx.depth) + (i === 0 ? "+-" : "  ") + `+---------------- ${titles[i]} ----------------`);
    ctx.depth++;
    if (i < members.length) layoutChain(members[i]!, options, ctx, out);
    else emit(out, ctx, [`and ${report.omittedMembers} more sub-error${report.omittedMembers === 1 ? "" : "s"}`]);
    if (last && ctx.needClose) {
      out.push("  ".repeat(ctx.depth) + "+------------------------------------");
      ctx.needClose = false;
    }
    ctx.depth--;
  }
  if (isTop) ctx.depth--;
}

function tracebackLines(entries: readonly TracebackEntry[], options: LayoutOptions, introduction: string): string[] {
  if (entries.length === 0) return [];
  const lines: string[] = [options.theme.introduction(introduction)];
  if (options.diagnose) lines.push("");
  for (const entry of entries) {
    if (entry.kind === "repeat") {
      lines.push(`  [Previous line repeated ${entry.count} more time${entry.count === 1 ? "" : "s"}]`);
      if (options.diagnose) lines.push("");
      continue;
    }
    lines.push(locationLine(entry, options.theme));
    if (entry.source !== undefined) {
      const { theme } = options;
      lines.push("    " + (entry.frameKind === "app" ? theme.source(entry.source.text, entry.source.tokens) : entry.source.text));
      if (options.diagnose) valueLines(entry.source, theme, lines);
    }
    if (options.diagnose) lines.push("");
  }
  return lines;
}

function locationLine(entry: FrameEntry, theme: TracebackTheme): string {
  const lead = entry.isCatchPoint ? "> " : "  ";
  const colored = entry.frameKind === "app";
  let file = entry.path;
  let line = String(entry.line);
  let fn = entry.functionName;
  if (colored) {
    const cut = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1;
    file = theme.dirname(file.slice(0, cut)) + theme.basename(file.slice(cut));
    line = theme.line(line);
    fn = theme.function(fn);
  }
  const where = entry.line > 0 ? `, line ${line}` : "";
  return `${lead}File "${file}"${where}, in ${fn}`;
}

/**
 * Markers right to left: the rightmost value is printed first under a `└`, the others keep their `│`.
 * Each line starts with `indent` (the columns of the marks count from the line's first non-blank).
 */
export function valueLines(source: Pick<SourceLine, "marks">, theme: Pick<TracebackTheme, "arrows" | "value">, out: string[], indent = "    "): void {
  const marks = source.marks;
  for (let i = marks.length - 1; i >= 0; i--) {
    const mark = marks[i]!;
    let pre = "";
    let at = 0;
    for (let p = 0; p < i; p++) {
      const col = marks[p]!.column;
      pre += " ".repeat(Math.max(0, col - at)) + PIPE;
      at = col + 1;
    }
    pre += " ".repeat(Math.max(0, mark.column - at));
    const valueLinesOfMark = mark.text.split("\n");
    for (let n = 0; n < valueLinesOfMark.length; n++) {
      const arrows = n === 0 ? pre + CAP + " " : pre + "  ";
      out.push(indent + theme.arrows(arrows) + theme.value(valueLinesOfMark[n]!));
    }
  }
}

function headlineLines(report: ExceptionReport, options: LayoutOptions): string[] {
  const { theme } = options;
  const lines = report.message === "" ? [""] : report.message.split("\n");
  if (report.details !== "") lines[lines.length - 1] += (lines[lines.length - 1] === "" ? "" : " ") + report.details;
  const first = theme.exceptionType(report.typeName) + (lines[0] === "" ? "" : ": " + theme.exceptionValue(lines[0]!));
  return [first, ...lines.slice(1).map((line) => theme.exceptionValue(line))];
}
