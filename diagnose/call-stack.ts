import type { CallerFrame } from "./report.js";

const returnCallSites = (_: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;

/**
 * The stack above `entry`, skipping `depth` more frames, innermost first: the catching code's stack
 * that the traceback's `>` is placed by. Empty where the program froze Error (SES lockdown).
 */
export function callStack(entry: Function, depth = 0, limit = 200): CallerFrame[] {
  const holder: { stack?: unknown } = {};
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = returnCallSites as typeof Error.prepareStackTrace;
    Error.stackTraceLimit = depth + limit;
    Error.captureStackTrace(holder, entry);
    const sites = holder.stack;
    if (!Array.isArray(sites)) return [];
    return (sites as NodeJS.CallSite[]).slice(depth).map((site) => ({
      file: site.getFileName() ?? "",
      line: site.getLineNumber() ?? 0,
      column: site.getColumnNumber() ?? 0,
      functionName: site.getFunctionName() ?? "",
      enclosingLine: site.getEnclosingLineNumber?.() ?? 0,
      enclosingColumn: site.getEnclosingColumnNumber?.() ?? 0,
    }));
  } catch {
    return [];
  } finally {
    // Compared first: a program that froze Error (SES lockdown) cannot be written to.
    if (Error.prepareStackTrace !== savedPrepare) Error.prepareStackTrace = savedPrepare;
    if (Error.stackTraceLimit !== savedLimit) Error.stackTraceLimit = savedLimit;
  }
}
