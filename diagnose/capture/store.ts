import type { Capture, CapturedFrame, CapturedScope, ScopeType } from "./types";
import { previewValue, type Preview, type PreviewBudget } from "../preview";

/** One kept frame as the session read it from the pause; its scope objects arrive as recorder arguments. */
export interface FrameDescription {
  readonly url: string;
  readonly line: number;
  readonly column: number;
  readonly functionName: string;
  readonly functionLine: number;
  readonly functionColumn: number;
  readonly sourceMapUrl: string | undefined;
  readonly app: boolean;
  readonly scopeTypes: readonly ScopeType[];
  /** The frame's `this` was undefined. */
  readonly thisUndefined?: boolean;
}

const capturesByThrown = new WeakMap<object, Capture>();
let lastThrownSlot: { value: unknown } | undefined;
let lastPrimitive: { value: unknown; capture: Capture } | undefined;
let pendingFrames: readonly FrameDescription[] | null = null;
/** What the engine knew about the pending throw, beyond its frames. */
export interface ThrowFacts {
  /** The engine predicts that no handler will catch it. */
  readonly uncaught: boolean;
  /** The innermost frame outside node's own code is the program's (not a dependency's, not logsight's). */
  readonly thrownInApp: boolean;
}

const NO_FACTS: ThrowFacts = { uncaught: false, thrownInApp: false };
let pendingFacts = NO_FACTS;

/** What the engine tells an observer (logsight-diagnose), on the thread of the throws. */
export interface CaptureObserver {
  /**
   * Each thrown value when its capture is recorded (once per value: a re-throw of a captured
   * object is not a new capture), while the throw is still paused.
   */
  captured(thrown: unknown, capture: Capture, facts: ThrowFacts): void;
  /** The budget ran out at `at` (performance.now()): caught throws are not captured until `budgetRestored`. */
  budgetExhausted(at: number): void;
  budgetRestored(at: number): void;
}

let captureObserver: CaptureObserver | undefined;

export function observeCaptures(observer: CaptureObserver | undefined): void {
  captureObserver = observer;
}

/** Tells the observer that the budget ran out (true) or came back (false) at `at`. */
export function noteBudget(exhausted: boolean, at: number): void {
  if (captureObserver === undefined) return;
  try {
    if (exhausted) captureObserver.budgetExhausted(at);
    else captureObserver.budgetRestored(at);
  } catch {
    // an observer's failure must not disturb the program
  }
}

/**
 * The frames the next `recordThrow` call describes. They are handed over in-thread rather than as a
 * protocol argument, which would cost a serialization round trip per capture; null records only the
 * thrown value.
 */
export function setPendingFrames(frames: readonly FrameDescription[] | null, facts: ThrowFacts = NO_FACTS): void {
  pendingFrames = frames;
  pendingFacts = facts;
}

/**
 * Runs in the program's own context, called by the inspector while the throw is paused, with the
 * scope objects of the pending frames in order.
 * Only plain data structures are touched, so no getter or proxy trap of the thrown value runs.
 */
export function recordThrow(thrown: unknown, ...scopeObjects: object[]): void {
  const frames = pendingFrames;
  const facts = pendingFacts;
  pendingFrames = null;
  const previous = lastThrownSlot;
  lastThrownSlot = { value: thrown };
  if (frames === null) return;
  const isObject = (typeof thrown === "object" && thrown !== null) || typeof thrown === "function";
  if (isObject) {
    if (capturesByThrown.has(thrown as object)) return;
  } else if (previous !== undefined && Object.is(previous.value, thrown) && lastPrimitive !== undefined && Object.is(lastPrimitive.value, thrown)) {
    // The same primitive thrown again at once is taken for a re-throw: the first capture stays.
    return;
  }
  const capture = buildCapture(frames, scopeObjects);
  if (isObject) capturesByThrown.set(thrown as object, capture);
  else lastPrimitive = { value: thrown, capture };
  if (captureObserver !== undefined) {
    try {
      captureObserver.captured(thrown, capture, facts);
    } catch {
      // an observer's failure must not disturb the paused program
    }
  }
}

// The preview of one capture reads at most this many entries, innermost frame first.
const PREVIEW_NODES = 400;
// Deep enough to show `order.lines` (and its entries) as they were at the throw.
const PREVIEW_DEPTH = 3;
// Names of the CommonJS wrapper: never annotated, never worth a preview.
const UNSHOWN_NAMES = new Set(["require", "module", "exports", "__filename", "__dirname"]);
const wideObjects = new WeakSet<object>();

/** Previews of the variables of `scope` that hold objects, within `budget` (empty past it). */
function previewScope(variables: object, budget: PreviewBudget): Map<string, Preview> {
  const previews = new Map<string, Preview>();
  if (budget.nodes <= 0) return previews;
  for (const name of Object.keys(variables)) {
    if (UNSHOWN_NAMES.has(name)) continue;
    const d = Object.getOwnPropertyDescriptor(variables, name);
    if (d === undefined || !("value" in d) || typeof d.value !== "object" || d.value === null) continue;
    previews.set(name, previewValue(d.value, PREVIEW_DEPTH, budget));
    if (budget.nodes <= 0) break;
  }
  return previews;
}

function buildCapture(frames: readonly FrameDescription[], scopeObjects: readonly object[]): Capture {
  const budget: PreviewBudget = { nodes: PREVIEW_NODES, wide: wideObjects };
  const captured: CapturedFrame[] = new Array(frames.length);
  let next = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    const scopes: CapturedScope[] = [];
    if (frame.thisUndefined === true) scopes.push({ type: "this", variables: { this: undefined } });
    for (let j = 0; j < frame.scopeTypes.length; j++) {
      const type = frame.scopeTypes[j];
      const object = scopeObjects[next++];
      const variables = type === "this" ? { this: object } : object;
      scopes.push({ type, variables, previews: previewScope(variables, budget) });
    }
    captured[i] = {
      url: frame.url,
      line: frame.line,
      column: frame.column,
      functionName: frame.functionName,
      functionLine: frame.functionLine,
      functionColumn: frame.functionColumn,
      sourceMapUrl: frame.sourceMapUrl,
      app: frame.app,
      scopes,
    };
  }
  return { frames: captured, at: performance.now() };
}

/**
 * The capture recorded when `thrown` was thrown (the first one wins), or undefined. A primitive is
 * found only while it is the last primitive thrown with a capture.
 */
export function getCapture(thrown: unknown): Capture | undefined {
  if ((typeof thrown === "object" && thrown !== null) || typeof thrown === "function") {
    return capturesByThrown.get(thrown as object);
  }
  if (lastPrimitive !== undefined && Object.is(lastPrimitive.value, thrown)) return lastPrimitive.capture;
  return undefined;
}

/** The value most recently thrown on this thread that the session paused on, or undefined. */
export function lastThrown(): { value: unknown } | undefined {
  return lastThrownSlot;
}
