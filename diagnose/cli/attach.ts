import { CaptureBudget } from "../capture/budget.js";
import type { Capture } from "../capture/types.js";
import { colorTheme, plainTheme } from "../highlight.js";
import { layoutReport } from "../render.js";
import { buildReport } from "../report.js";
import { RemoteMirror } from "./mirror.js";
import type { PausedEvent, PropertyReader, RemoteProperties, ScriptParsedEvent } from "./protocol.js";
import { ScriptRegistry } from "./scripts.js";
import { hasAppFrame, snapshotPause } from "./snapshot.js";

export interface AttachOptions {
  /** "all" also reports caught exceptions, within `rate` per second. */
  readonly mode: "uncaught" | "all";
  readonly rate: number;
  readonly colorize: boolean;
  readonly includeNodeModules: boolean;
  /**
   * The program starts through an ES module loader (ESM entry, tsx, --import): its top-level throws
   * look caught to the engine (the loader awaits the module) and are re-thrown by node's internals
   * after the program's frames are gone, so they are captured when first thrown and held.
   */
  readonly watchTopLevel: boolean;
  /** Receives each rendered traceback. */
  readonly write: (text: string) => void;
}

/** A top-level throw captured when first thrown, printed if it ends the program. */
interface HeldTraceback {
  readonly stack: string | undefined;
  readonly text: string;
  /** The last line of the traceback: `Type: message`, as node prints it too. */
  readonly headline: string;
  printed: boolean;
}

interface CdpClient {
  on(event: string, listener: (params: never) => void): void;
  send(method: string, params?: object): Promise<unknown>;
  close(): Promise<void>;
}

// Property reads a single pause may make; keeps the paused time short on huge objects.
const MAX_CALLS_PER_PAUSE = 400;
// Processes the program forks inherit process.execArgv: they must not wait for a debugger too.
const DROP_OWN_INSPECT_FLAG =
  "(() => { const a = typeof process === 'object' ? process.execArgv : undefined; if (!Array.isArray(a)) return false; for (let i = a.length - 1; i >= 0; i--) if (/^--inspect-(?:wait|brk)=127\\.0\\.0\\.1:0$/.test(a[i])) a.splice(i, 1); return true; })()";
const FIRST_PROGRAM_LINE = "^(?:file://|/)";
const MODULE_LOADER_PATTERN = "^node:internal/modules/";
// A Date's description has no milliseconds; the engine's getter of its time value runs no user code.
const READ_DATE_TIME = "function () { return Date.prototype.getTime.call(this); }";

/**
 * One debugger connection to the program: pauses on exceptions, renders each reported one from
 * values read through the protocol, and always resumes.
 */
export class DiagnoseSession {
  private readonly scripts = new ScriptRegistry();
  private readonly budget: CaptureBudget;
  private pauseState: "all" | "uncaught";
  private recoveryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private held: HeldTraceback | undefined;
  private startBreakpointId: string | undefined;

  private constructor(
    private readonly client: CdpClient,
    private readonly options: AttachOptions,
  ) {
    this.budget = new CaptureBudget(options.rate);
    this.pauseState = options.mode === "all" || options.watchTopLevel ? "all" : "uncaught";
  }

  /** Connects to the inspector at `webSocketUrl`, arms exception pauses and lets the program start. */
  static async connect(webSocketUrl: string, options: AttachOptions): Promise<DiagnoseSession> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const CDP = require("chrome-remote-interface") as (options: object) => Promise<CdpClient>;
    const client = await CDP({ target: webSocketUrl, local: true });
    const session = new DiagnoseSession(client, options);
    client.on("Debugger.scriptParsed", (params: ScriptParsedEvent) => session.scripts.add(params));
    let queue: Promise<void> = Promise.resolve();
    client.on("Debugger.paused", (params: PausedEvent) => {
      queue = queue.then(() => session.onPaused(params));
    });
    await client.send("Debugger.enable");
    // Pausing on the module loader's re-throw of a top-level error changes how node reports it.
    await client.send("Debugger.setBlackboxPatterns", { patterns: [MODULE_LOADER_PATTERN] });
    await client.send("Debugger.setPauseOnExceptions", { state: session.pauseState });
    // process.execArgv exists only once node has set up the program: fix it on the program's first line.
    const { breakpointId } = (await client.send("Debugger.setBreakpointByUrl", { urlRegex: FIRST_PROGRAM_LINE, lineNumber: 0 })) as { breakpointId: string };
    session.startBreakpointId = breakpointId;
    await client.send("Runtime.runIfWaitingForDebugger");
    return session;
  }

  /** Detaches, letting a program that waits for the debugger to disconnect exit. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recoveryTimer !== undefined) clearTimeout(this.recoveryTimer);
    try {
      await this.client.close();
    } catch {
      // the program is gone already
    }
  }

  private async onPaused(event: PausedEvent): Promise<void> {
    try {
      if (event.reason === "exception" || event.reason === "promiseRejection") await this.report(event);
      else if (this.startBreakpointId !== undefined && event.hitBreakpoints?.includes(this.startBreakpointId) === true) await this.dropOwnInspectFlag();
    } catch (error) {
      // A traceback that cannot be rendered must not keep the program paused.
      if (process.env.LOGSIGHT_DIAGNOSE_DEBUG === "1") this.options.write(`logsight-diagnose: ${error instanceof Error ? error.stack : String(error)}\n`);
    } finally {
      if (!this.closed) await this.client.send("Debugger.resume").catch(() => undefined);
    }
  }

  private async report(event: PausedEvent): Promise<void> {
    const uncaught = event.data?.uncaught !== false;
    if (uncaught) {
      const held = this.held;
      if (held !== undefined && !held.printed && held.stack !== undefined && held.stack === remoteStack(event)) {
        held.printed = true;
        this.options.write(held.text);
        return;
      }
      this.options.write(await this.render(event));
      return;
    }
    const reportCaught = this.options.mode === "all";
    const holdTopLevel = !reportCaught && this.options.watchTopLevel && startsAtTopLevel(event, this.scripts, this.options.includeNodeModules);
    if (!reportCaught && !holdTopLevel) return;
    if (!hasAppFrame(event, this.scripts, this.options.includeNodeModules)) return;
    if (!this.budget.admit(performance.now())) {
      await this.standDown();
      return;
    }
    const text = await this.render(event);
    if (reportCaught) this.options.write(text);
    else this.held = { stack: remoteStack(event), text, headline: lastLine(text), printed: false };
  }

  private async dropOwnInspectFlag(): Promise<void> {
    const answer = (await this.client.send("Runtime.evaluate", { expression: DROP_OWN_INSPECT_FLAG, silent: true, returnByValue: true })) as { result?: { value?: unknown } };
    if (answer.result?.value !== true) return;
    const id = this.startBreakpointId!;
    this.startBreakpointId = undefined;
    await this.client.send("Debugger.removeBreakpoint", { breakpointId: id });
  }

  /**
   * The traceback of a top-level throw that was held and never printed, if the program's stderr
   * shows that it ended the program.
   */
  takeHeldTraceback(programStderr: string): string | undefined {
    const held = this.held;
    if (held === undefined || held.printed || held.headline === "" || !programStderr.includes(held.headline)) return undefined;
    held.printed = true;
    return held.text;
  }

  private async render(event: PausedEvent): Promise<string> {
    const read: PropertyReader = async (objectId) =>
      (await this.client.send("Runtime.getProperties", { objectId, ownProperties: true, generatePreview: false })) as RemoteProperties;
    const readTime = async (objectId: string): Promise<number | undefined> => {
      const answer = (await this.client.send("Runtime.callFunctionOn", { objectId, functionDeclaration: READ_DATE_TIME, returnByValue: true })) as { result?: { value?: unknown } };
      return typeof answer.result?.value === "number" ? answer.result.value : undefined;
    };
    const mirror = new RemoteMirror(read, MAX_CALLS_PER_PAUSE, readTime);
    const { thrown, capture } = await snapshotPause(event, this.scripts, mirror, this.options.includeNodeModules);
    return renderTraceback(thrown, capture, this.options.colorize);
  }

  /** Over the rate: pause on uncaught exceptions only, for a backoff period. */
  private async standDown(): Promise<void> {
    if (this.pauseState === "uncaught") return;
    this.pauseState = "uncaught";
    await this.client.send("Debugger.setPauseOnExceptions", { state: "uncaught" });
    const backoff = this.budget.trip(performance.now());
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (this.closed) return;
      this.budget.recover(performance.now());
      this.pauseState = "all";
      this.client.send("Debugger.setPauseOnExceptions", { state: "all" }).catch(() => undefined);
    }, backoff);
    this.recoveryTimer.unref();
  }
}

/** The thrown value's stack as the program sees it (an Error's description is its stack). */
function remoteStack(event: PausedEvent): string | undefined {
  return event.data?.subtype === "error" ? event.data.description : undefined;
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return (lines[lines.length - 1] ?? "").trim();
}

/** Whether the outermost frame of the program's own code is a module's top level (unnamed). */
function startsAtTopLevel(event: PausedEvent, scripts: ScriptRegistry, includeNodeModules: boolean): boolean {
  let outermost: PausedEvent["callFrames"][number] | undefined;
  for (const frame of event.callFrames) if (hasAppFrame({ ...event, callFrames: [frame] }, scripts, includeNodeModules)) outermost = frame;
  return outermost !== undefined && outermost.functionName === "";
}

function renderTraceback(thrown: unknown, capture: Capture, colorize: boolean): string {
  const report = buildReport(thrown, {
    backtrace: true,
    diagnose: true,
    colorize,
    catchStack: undefined,
    getCapture: (value) => (value === thrown ? capture : undefined),
  });
  return layoutReport(report, { diagnose: true, theme: colorize ? colorTheme : plainTheme }).join("\n") + "\n";
}
