import type { Debugger } from "node:inspector";
import { isOwnUrl } from "./app-frames";
import { lastThrown } from "./store";

/** What the calling stack of `logger.exception()` says about the exception it is handling. */
export type HandledException = { readonly value: unknown } | "none";

/** What the session gives the search, inside one pause of the calling stack. */
export interface PausedStack {
  readonly callFrames: readonly Debugger.CallFrame[];
  urlOf(callFrame: Debugger.CallFrame): string;
  /** The live objects behind `objectIds`, in order (through one protocol call). */
  objectsOf(objectIds: readonly string[]): readonly object[];
  scriptSource(scriptId: string): string | undefined;
  /** Throws may have gone unseen since the last one recorded (the session paused on uncaught ones only). */
  readonly lastThrownMayBeStale: boolean;
}

// Handling code sits near the logging call: deeper frames are not searched.
const MAX_FRAMES = 12;

/**
 * The exception the calling code is handling, like Python's `sys.exc_info()`: the value bound by
 * the innermost `catch (error)` on the calling stack; else the exception thrown last, when a frame
 * on the calling stack holds it in a local (`.catch((error) => ...)`, an error middleware) or is
 * inside a `catch {}` without a binding. Otherwise "none": an earlier exception that nothing on
 * the stack is handling is never reported. Inside a `catch {}` while throws may have gone unseen,
 * the last one recorded may be an earlier exception: "unknown" then.
 */
export function findHandledException(stack: PausedStack): HandledException | "unknown" {
  const frames = stack.callFrames.filter((frame) => !isOwnUrl(stack.urlOf(frame))).slice(0, MAX_FRAMES);
  const ids: string[] = [];
  const layout: { catches: number[]; local: number }[] = [];
  for (const frame of frames) {
    const entry = { catches: [] as number[], local: -1 };
    for (const scope of frame.scopeChain) {
      const id = scope.object.objectId;
      if (id === undefined) continue;
      if (scope.type === "catch") {
        entry.catches.push(ids.length);
        ids.push(id);
      } else if (scope.type === "local" && entry.local === -1) {
        entry.local = ids.length;
        ids.push(id);
      }
    }
    layout.push(entry);
  }
  const objects = ids.length > 0 ? stack.objectsOf(ids) : [];
  const last = lastThrown();
  for (let i = 0; i < frames.length; i++) {
    const { catches, local } = layout[i]!;
    for (const index of catches) {
      const bound = ownDataValues(objects[index]);
      if (last !== undefined && bound.some((value) => Object.is(value, last.value))) return last;
      if (bound.length === 1) return { value: bound[0] };
    }
    if (last === undefined) continue;
    if (local !== -1 && ownDataValues(objects[local]).some((value) => Object.is(value, last.value))) return last;
    if (insideCatchWithoutBinding(frames[i]!, stack)) return stack.lastThrownMayBeStale ? "unknown" : last;
  }
  return "none";
}

function ownDataValues(object: object | undefined): unknown[] {
  if (object === undefined) return [];
  const values: unknown[] = [];
  for (const key of Object.getOwnPropertyNames(object)) {
    const d = Object.getOwnPropertyDescriptor(object, key);
    if (d !== undefined && "value" in d) values.push(d.value);
  }
  return values;
}

interface AcornNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}
interface AcornParser {
  parse(input: string, options: Record<string, unknown>): AcornNode;
}

const bindinglessCatches = new Map<string, readonly { start: number; end: number }[]>();
const MAX_CACHED_SCRIPTS = 200;

/** Is the frame paused inside the block of a `catch {}` that binds nothing? */
function insideCatchWithoutBinding(frame: Debugger.CallFrame, stack: PausedStack): boolean {
  const scriptId = frame.location.scriptId;
  let blocks = bindinglessCatches.get(scriptId);
  if (blocks === undefined) {
    const source = stack.scriptSource(scriptId);
    blocks = source === undefined || !/\bcatch\s*\{/.test(source) ? [] : findBindinglessCatches(source);
    if (bindinglessCatches.size >= MAX_CACHED_SCRIPTS) bindinglessCatches.clear();
    bindinglessCatches.set(scriptId, blocks);
  }
  if (blocks.length === 0) return false;
  const source = stack.scriptSource(scriptId);
  if (source === undefined) return false;
  const offset = offsetOf(source, frame.location.lineNumber, frame.location.columnNumber ?? 0);
  return blocks.some((block) => block.start <= offset && offset < block.end);
}

function findBindinglessCatches(source: string): { start: number; end: number }[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const acorn = require("acorn") as AcornParser;
  let ast: AcornNode | undefined;
  for (const sourceType of ["script", "module"]) {
    try {
      ast = acorn.parse(source, {
        ecmaVersion: "latest",
        sourceType,
        allowHashBang: true,
        allowReturnOutsideFunction: true,
        allowAwaitOutsideFunction: true,
      });
      break;
    } catch {
      ast = undefined;
    }
  }
  const blocks: { start: number; end: number }[] = [];
  if (ast === undefined) return blocks;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== "object" || node === null || typeof (node as AcornNode).type !== "string") return;
    const n = node as AcornNode;
    if (n.type === "CatchClause" && n.param === null) {
      const body = n.body as AcornNode;
      blocks.push({ start: body.start, end: body.end });
    }
    for (const key of Object.keys(n)) if (key !== "type" && key !== "start" && key !== "end") visit(n[key]);
  };
  visit(ast);
  return blocks;
}

function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const next = source.indexOf("\n", offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return offset + column;
}
