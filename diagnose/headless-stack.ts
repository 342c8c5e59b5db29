/**
 * The frame lines of an error whose stack V8 could not format. V8 formats `error.stack` on its first
 * read through `Error.prepareStackTrace` (Node's, by default), which starts with the error's
 * `toString()`: a `name` or `message` getter that throws makes every read throw, and V8 keeps the
 * stack unformatted. Asked again with a `prepareStackTrace` of our own, V8 hands over the call
 * sites without reading anything of the error; ours then throws too, so the error stays as it
 * was (the program's own reads of `stack` behave as before).
 */

const SITES_TAKEN = Symbol("logsight.headlessStack");

/**
 * `    at name (file:line:column)` lines, innermost first, as V8 writes them (positions as run, not
 * source-mapped); undefined when V8 gave none. If the stack was formatted meanwhile (V8's own
 * formatter, used while a debugger is paused, writes `<error: …>` for the header), that text.
 */
export function headlessStack(error: object): string | undefined {
  let lines: string | undefined;
  const savedPrepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = ((_error: Error, sites: NodeJS.CallSite[]) => {
      lines = sites.map(frameLine).join("\n");
      throw SITES_TAKEN;
    }) as typeof Error.prepareStackTrace;
  } catch {
    return undefined; // a frozen Error
  }
  try {
    const d = Object.getOwnPropertyDescriptor(error, "stack");
    if (d !== undefined && "value" in d && typeof d.value === "string") return d.value;
  } catch {
    // Ours threw as intended (or the formatting failed again): `lines` says which.
  } finally {
    Error.prepareStackTrace = savedPrepare;
  }
  return lines;
}

// Named as V8 names frames (`Object.<anonymous>`, `Cart.total`, `new Cart`). The receiver's type
// name is what V8's own formatter reads: the constructor a data lookup finds, never a getter.
function frameLine(site: NodeJS.CallSite): string {
  if (site.isPromiseAll()) return `    at async Promise.all (index ${site.getPromiseIndex() ?? 0})`;
  const async = site.isAsync() ? "async " : "";
  const functionName = site.getFunctionName() ?? "";
  let name = functionName;
  if (site.isConstructor()) {
    name = `new ${functionName || "<anonymous>"}`;
  } else if (!site.isToplevel()) {
    const typeName = site.getTypeName();
    if (typeName) name = functionName.startsWith(`${typeName}.`) ? functionName : `${typeName}.${functionName || "<anonymous>"}`;
  }
  const file = site.getFileName() ?? site.getScriptNameOrSourceURL();
  if (!file) return `    at ${async}${name || "<anonymous>"} (<anonymous>)`;
  const location = `${file}:${site.getLineNumber() ?? 0}:${site.getColumnNumber() ?? 0}`;
  return name === "" ? `    at ${async}${location}` : `    at ${async}${name} (${location})`;
}
