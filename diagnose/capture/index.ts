import { inspect } from "node:util";
import { CaptureSession, type SessionSettings } from "./session";
import type { HandledException } from "./handled";

export { getCapture, lastThrown } from "./store";
export type { Capture, CapturedFrame, CapturedScope, ScopeType } from "./types";
export type { HandledException } from "./handled";

export type CaptureMode = "all" | "uncaught" | "off";

export interface CaptureOptions {
  /** "all" (default): caught and uncaught throws; "uncaught": only uncaught throws and unhandled rejections; "off": no session. */
  mode?: CaptureMode;
  /** Captures per second in "all" mode before falling back to "uncaught" with backoff; default 50. */
  rate?: number;
  /**
   * Past the rate, for the backoff: "uncaught" (default) keeps pausing on uncaught throws; "off" turns
   * the debugger off, so that code throwing in a loop runs at full speed (an enabled debugger makes
   * every throw 5-6x slower, whatever it pauses on) and uncaught throws of that time have no values.
   */
  overRate?: "uncaught" | "off";
  /** Capture the frames of code under `node_modules` too; default false. */
  includeNodeModules?: boolean;
}

const DEFAULT_RATE = 50;
const WARNING_TYPE = "LogsightWarning";

let active: CaptureSession | undefined;
const warned = new Set<string>();

/** Starts (or reconfigures) the session. Idempotent. Never opens a port. */
export function startCapture(options: CaptureOptions = {}): void {
  const settings = resolveOptions(options);
  if (settings === "off") {
    stopCapture();
    return;
  }
  if (active !== undefined) {
    active.configure(settings);
    return;
  }
  let inspector: typeof import("node:inspector");
  try {
    inspector = require("node:inspector") as typeof import("node:inspector");
  } catch {
    warnOnce("LOGSIGHT_CAPTURE_UNAVAILABLE", "node:inspector is not available: exceptions are not captured");
    return;
  }
  if (inspector.url() !== undefined) {
    warnDebuggerAttached();
    return;
  }
  try {
    active = CaptureSession.open(inspector, settings, onDebuggerAttached);
  } catch (error) {
    warnOnce("LOGSIGHT_CAPTURE_UNAVAILABLE", `the inspector session could not start (${describeError(error)}): exceptions are not captured`);
  }
}

/** Disables the debugger and closes the session. Idempotent. Captures already recorded stay readable. */
export function stopCapture(): void {
  const session = active;
  active = undefined;
  session?.close();
}

/**
 * The exception the calling code is handling (see findHandledException), "none" when nothing on
 * the calling stack handles one, "unknown" when no capture session is running.
 */
export function handledException(): HandledException | "unknown" {
  if (active === undefined) return "unknown";
  try {
    return active.findHandled();
  } catch {
    return "unknown";
  }
}

export function isCapturing(): boolean {
  return active !== undefined;
}

function onDebuggerAttached(): void {
  stopCapture();
  warnDebuggerAttached();
}

function warnDebuggerAttached(): void {
  warnOnce("LOGSIGHT_DEBUGGER_ATTACHED", "the Node inspector is open for a debugger: logsight does not capture exception variables");
}

function warnOnce(code: string, message: string): void {
  if (warned.has(code)) return;
  warned.add(code);
  process.emitWarning(message, { type: WARNING_TYPE, code });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : inspect(error);
}

function resolveOptions(options: CaptureOptions): SessionSettings | "off" {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`startCapture: options must be an object, got ${inspect(options)}`);
  }
  const { mode = "all", rate = DEFAULT_RATE, includeNodeModules = false, overRate = "uncaught" } = options;
  if (mode !== "all" && mode !== "uncaught" && mode !== "off") {
    throw new TypeError(`startCapture: option "mode" must be "all", "uncaught" or "off", got ${inspect(mode)}`);
  }
  if (typeof rate !== "number" || !(rate > 0) || rate === Infinity) {
    throw new RangeError(`startCapture: option "rate" must be a positive finite number of captures per second, got ${inspect(rate)}`);
  }
  if (typeof includeNodeModules !== "boolean") {
    throw new TypeError(`startCapture: option "includeNodeModules" must be a boolean, got ${inspect(includeNodeModules)}`);
  }
  if (overRate !== "uncaught" && overRate !== "off") {
    throw new TypeError(`startCapture: option "overRate" must be "uncaught" or "off", got ${inspect(overRate)}`);
  }
  if (mode === "off") return "off";
  return { mode, rate, includeNodeModules, overRate };
}
