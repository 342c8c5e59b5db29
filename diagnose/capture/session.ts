import type { Debugger, InspectorNotification, Runtime, Session } from "node:inspector";
import { CaptureBudget } from "./budget";
import { isAppUrl, isOwnUrl, selectAppFrames } from "./app-frames";
import { lastThrown, noteBudget, recordThrow, setPendingFrames } from "./store";
import { findHandledException, type HandledException } from "./handled";

export interface SessionSettings {
  readonly mode: "all" | "uncaught";
  readonly rate: number;
  readonly includeNodeModules: boolean;
  /** Past the rate: keep pausing on uncaught throws, or disable the debugger for the backoff. */
  readonly overRate: "uncaught" | "off";
}

type PauseState = "all" | "uncaught" | "none";

const RECORDER_KEY = "logsight.capture.recorder";
const RECORDER_GROUP = "logsight-capture";
// Called with `this` bound to the recorder; Runtime.callFunctionOn compiles this source on every call.
const CALL_RECORDER = "Function.prototype.call";

/** One in-process inspector session pausing on throws of this thread. */
export class CaptureSession {
  private readonly scriptUrls = new Map<string, string>();
  private readonly sourceMapUrls = new Map<string, string>();
  private readonly budget: CaptureBudget;
  private recorderId = "";
  private receiverId = "";
  private readingStack: ((paused: Debugger.PausedEventDataType) => void) | undefined;
  private pauseState: PauseState = "none";
  /** Off while a burst of caught throws exceeds the budget: an enabled debugger slows every throw and await. */
  private debuggerEnabled = false;
  private disableOnResume = false;
  /** Set while caught throws are not paused on, cleared by the next throw recorded while they are. */
  private throwsUnseenSinceLast = true;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly inspector: typeof import("node:inspector"),
    private readonly session: Session,
    private settings: SessionSettings,
    private readonly onDebuggerAttached: () => void,
  ) {
    this.budget = new CaptureBudget(settings.rate);
  }

  /** Connects and enables the debugger; throws if the inspector cannot be used on this thread. */
  static open(
    inspector: typeof import("node:inspector"),
    settings: SessionSettings,
    onDebuggerAttached: () => void,
  ): CaptureSession {
    const session = new inspector.Session();
    session.connect();
    const capture = new CaptureSession(inspector, session, settings, onDebuggerAttached);
    try {
      capture.attach();
    } catch (error) {
      capture.close();
      throw error;
    }
    return capture;
  }

  private attach(): void {
    this.session.on("Debugger.scriptParsed", (message: InspectorNotification<Debugger.ScriptParsedEventDataType>) => {
      const { scriptId, url, sourceMapURL } = message.params;
      if (url !== "") this.scriptUrls.set(scriptId, url);
      if (sourceMapURL !== undefined && sourceMapURL !== "") this.sourceMapUrls.set(scriptId, sourceMapURL);
    });
    this.session.on("Debugger.paused", (message: InspectorNotification<Debugger.PausedEventDataType>) => {
      this.onPaused(message.params);
    });
    this.recorderId = this.createHandle(recordThrow);
    this.receiverId = this.createHandle(receiveObjects);
    this.enableDebugger();
  }

  /** An objectId for `fn`, reachable from the inspector only for the length of one evaluate. */
  private createHandle(fn: (...args: never[]) => void): string {
    const key = Symbol.for(RECORDER_KEY);
    Object.defineProperty(globalThis, key, { value: fn, configurable: true, enumerable: false });
    let objectId: string | undefined;
    let failure: Error | null = null;
    try {
      this.session.post(
        "Runtime.evaluate",
        { expression: `globalThis[Symbol.for(${JSON.stringify(RECORDER_KEY)})]`, objectGroup: RECORDER_GROUP, silent: true },
        (error, result) => {
          failure = error;
          objectId = result?.result.objectId;
        },
      );
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
    if (objectId === undefined) throw failure ?? new Error("the inspector returned no handle for the capture recorder");
    return objectId;
  }

  private enableDebugger(): void {
    this.session.post("Debugger.enable");
    this.debuggerEnabled = true;
    // Without this a `debugger;` statement would stop the program at every pass.
    this.session.post("Debugger.setBreakpointsActive", { active: false });
    this.setPauseState(this.settings.mode);
  }

  private setPauseState(state: PauseState): void {
    this.pauseState = state;
    if (state !== "all") this.throwsUnseenSinceLast = true;
    this.session.post("Debugger.setPauseOnExceptions", { state });
  }

  configure(settings: SessionSettings): void {
    const modeChanged = settings.mode !== this.settings.mode;
    this.settings = settings;
    this.budget.setRate(settings.rate);
    if (modeChanged) {
      this.clearRecoveryTimer();
      if (this.debuggerEnabled) this.setPauseState(settings.mode);
      else this.enableDebugger();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearRecoveryTimer();
    try {
      this.session.post("Debugger.disable");
    } catch {
      // Already disconnected (the thread is ending): nothing left to disable.
    }
    this.session.disconnect();
  }

  /**
   * The exception the code calling `logger.exception()` is handling: pauses once on a throw of
   * ours to read the calling stack (its catch scopes and locals), whatever the pause state.
   */
  findHandled(): HandledException | "unknown" {
    // Enabling the debugger for one lookup would cost tens of milliseconds, in the middle of a burst.
    if (!this.debuggerEnabled) return "unknown";
    let found: HandledException | "unknown" = "none";
    const restore = this.pauseState;
    if (restore !== "all") this.session.post("Debugger.setPauseOnExceptions", { state: "all" });
    this.readingStack = (paused) => {
      found = findHandledException({
        callFrames: paused.callFrames,
        urlOf: (frame) => this.urlOf(frame),
        objectsOf: (ids) => this.objectsOf(ids),
        scriptSource: (scriptId) => this.scriptSource(scriptId),
        lastThrownMayBeStale: this.throwsUnseenSinceLast,
      });
    };
    try {
      throwAndCatch();
    } finally {
      this.readingStack = undefined;
      if (restore !== "all") this.session.post("Debugger.setPauseOnExceptions", { state: restore });
    }
    return found;
  }

  private objectsOf(ids: readonly string[]): readonly object[] {
    received = [];
    this.session.post("Runtime.callFunctionOn", {
      objectId: this.receiverId,
      functionDeclaration: CALL_RECORDER,
      arguments: [{}, ...ids.map((objectId) => ({ objectId }))],
      silent: true,
    });
    const objects = received;
    received = [];
    return objects;
  }

  private scriptSource(scriptId: string): string | undefined {
    let source: string | undefined;
    this.session.post("Debugger.getScriptSource", { scriptId }, (error, result) => {
      if (error === null) source = result.scriptSource;
    });
    return source;
  }

  private onPaused(paused: Debugger.PausedEventDataType): void {
    try {
      if (this.readingStack !== undefined) this.readingStack(paused);
      else if (paused.reason === "exception" || paused.reason === "promiseRejection") this.captureThrow(paused);
    } catch {
      // A failed capture must not disturb the program; the traceback falls back to error.stack.
    } finally {
      this.session.post("Debugger.resume");
      if (this.disableOnResume) {
        this.disableOnResume = false;
        this.debuggerEnabled = false;
        this.pauseState = "none";
        this.throwsUnseenSinceLast = true;
        this.session.post("Debugger.disable");
      }
    }
  }

  private captureThrow(paused: Debugger.PausedEventDataType): void {
    if (this.inspector.url() !== undefined) {
      this.setPauseState("none");
      setImmediate(this.onDebuggerAttached);
      return;
    }
    const callFrames = paused.callFrames;
    // logsight's own throws (caught inside it) are neither captured nor reported as last thrown.
    if (callFrames.length > 0 && isOwnUrl(this.urlOf(callFrames[0]))) return;
    const exception = (paused.data ?? {}) as Runtime.RemoteObject & { uncaught?: boolean };
    if (exception.uncaught === true && paused.reason === "exception") keepEvalCrash(exception);
    const selection = selectAppFrames(callFrames, this.scriptUrls, this.settings.includeNodeModules, this.sourceMapUrls);
    let admitted = selection.appFrames > 0;
    if (admitted && this.pauseState === "all" && exception.uncaught !== true) {
      const now = performance.now();
      admitted = this.budget.admit(now);
      if (!admitted) this.backOff(now);
    }
    const args: Runtime.CallArgument[] = [{}, toCallArgument(exception)];
    if (admitted) for (const objectId of selection.scopeObjectIds) args.push({ objectId });
    const thrownInApp = this.thrownInApp(callFrames);
    setPendingFrames(admitted ? selection.frames : null, { uncaught: exception.uncaught === true, thrownInApp });
    try {
      this.session.post("Runtime.callFunctionOn", {
        objectId: this.recorderId,
        functionDeclaration: CALL_RECORDER,
        arguments: args,
        silent: true,
      });
    } finally {
      setPendingFrames(null);
    }
    // backOff() above may have stopped pausing on caught throws: the ones after this go unseen.
    this.throwsUnseenSinceLast = this.pauseState !== "all";
  }

  /** Whether the innermost frame outside node's own code (a call into `fs`, say) is an app frame. */
  private thrownInApp(callFrames: readonly Debugger.CallFrame[]): boolean {
    for (const callFrame of callFrames) {
      const url = this.urlOf(callFrame);
      if (url === "" || url.startsWith("node:")) continue;
      return isAppUrl(url, this.settings.includeNodeModules);
    }
    return false;
  }

  private urlOf(callFrame: Debugger.CallFrame): string {
    return this.scriptUrls.get(callFrame.location.scriptId) ?? callFrame.url;
  }

  /**
   * Past the rate: pause on uncaught throws only for the backoff period, or (`overRate: "off"`)
   * disable the debugger for it. V8 predicts the catcher of every throw and slows every await while
   * a debugger is enabled, whatever it pauses on, so a burst of caught throws (a parser fed bad input
   * in a loop) runs 5-6x slower for as long as the debugger stays on. The price of "off": an uncaught
   * throw during the period has no values, and re-enabling costs one `Debugger.enable` (20-90 ms).
   */
  private backOff(now: number): void {
    const backoffMs = this.budget.trip(now);
    // Called while paused: the debugger is disabled once this pause is resumed (onPaused).
    if (this.settings.overRate === "off") this.disableOnResume = true;
    else this.setPauseState("uncaught");
    noteBudget(true, now);
    this.clearRecoveryTimer();
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (this.closed || this.settings.mode !== "all") return;
      const now = performance.now();
      this.budget.recover(now);
      if (this.debuggerEnabled) this.setPauseState("all");
      else this.enableDebugger();
      noteBudget(false, now);
    }, backoffMs);
    this.recoveryTimer.unref();
  }

  private clearRecoveryTimer(): void {
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    this.recoveryTimer = undefined;
  }
}

let received: object[] = [];

function receiveObjects(...objects: object[]): void {
  received = objects;
}

/** A throw (of ours) for the session to pause on. */
function throwAndCatch(): void {
  try {
    throw new Error("logsight: reading the calling stack");
  } catch {
    // Expected: the pause it caused was the point.
  }
}

function toCallArgument(exception: Runtime.RemoteObject): Runtime.CallArgument {
  if (exception.objectId !== undefined) return { objectId: exception.objectId };
  if (exception.unserializableValue !== undefined) return { unserializableValue: exception.unserializableValue };
  if (exception.type === "undefined") return {};
  return { value: exception.value };
}

let evalCrashKept = false;

/**
 * Node 20 loses an uncaught exception thrown by `node -e` code at its top level when the debugger
 * paused on it: the process exits 0, prints nothing and calls no `uncaughtException` listener.
 * Put back what Node would have done.
 */
function keepEvalCrash(exception: Runtime.RemoteObject): void {
  if (evalCrashKept || typeof (process as { _eval?: unknown })._eval !== "string") return;
  evalCrashKept = true;
  const description = exception.description ?? String(exception.value);
  process.once("exit", (code) => {
    if (code !== 0) return;
    process.exitCode = 1;
    if (process.listenerCount("uncaughtException") > 0) {
      const thrown = lastThrown();
      const emit = process.emit as (event: string, ...args: unknown[]) => boolean;
      emit.call(process, "uncaughtException", thrown ? thrown.value : new Error(description), "uncaughtException");
    } else {
      process.stderr.write(`${description}\n\nNode.js ${process.version}\n`);
    }
  });
}
