import type { CallerFrame } from "./report.js";

const returnCallSites = (_: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;

/**
 * V8's call sites above `entry`, skipping `depth` more frames, innermost first. Empty where the
 * program froze Error (SES lockdown): its stack settings cannot be set.
 */
export function callSites(entry: Function, depth: number, limit: number): NodeJS.CallSite[] {
  const holder: { stack?: unknown } = {};
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = returnCallSites as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = depth + limit;
    Error.captureStackTrace(holder, entry);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return [];
    return depth === 0 ? (sites as NodeJS.CallSite[]) : (sites as NodeJS.CallSite[]).slice(depth);
  } catch {
    return [];
  } finally {
    // Compared first: a frozen Error cannot be written to.
    if (Error.prepareStackTrace !== savedPrepare) Error.prepareStackTrace = savedPrepare;
    if (Error.stackTraceLimit !== savedLimit) Error.stackTraceLimit = savedLimit;
  }
}

/** The stack above `entry` as frames, innermost first: the catching code's stack that the traceback's `>` is placed by. */
export function callStack(entry: Function, depth = 0, limit = 200): CallerFrame[] {
  return callSites(entry, depth, limit).map((site) => ({
    file: site.getFileName() ?? "",
    line: site.getLineNumber() ?? 0,
    column: site.getColumnNumber() ?? 0,
    functionName: site.getFunctionName() ?? "",
    enclosingLine: site.getEnclosingLineNumber?.() ?? 0,
    enclosingColumn: site.getEnclosingColumnNumber?.() ?? 0,
  }));
}
