/**
 * Loaded by `--require` into the program that `logsight-diagnose` runs, in its main thread and in
 * each of its worker threads: starts the in-process capture engine (no inspector port is opened)
 * and prints the annotated traceback of each uncaught exception of that thread, and with `--all` of
 * each captured caught one, before node's own report.
 */
import * as fs from "node:fs";
import * as workerThreads from "node:worker_threads";
import { getCapture, startCapture } from "../capture/index.js";
import { observeCaptures } from "../capture/store.js";
import type { Capture } from "../capture/types.js";
import { SETTINGS_VARIABLE, decodeSettings, type ProgramSettings } from "./settings.js";

const ENVIRONMENT_KEY = "logsight-diagnose";

function takeSettings(): ProgramSettings | undefined {
  if (!workerThreads.isMainThread) return decodeSettings(workerThreads.getEnvironmentData(ENVIRONMENT_KEY) as string | undefined);
  const encoded = process.env[SETTINGS_VARIABLE];
  const settings = decodeSettings(encoded);
  if (settings === undefined) return undefined;
  // The program sees the environment it would have had without the tool, and the processes it
  // starts are not instrumented; its worker threads get the settings from here.
  delete process.env[SETTINGS_VARIABLE];
  if (settings.nodeOptions === null) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = settings.nodeOptions;
  workerThreads.setEnvironmentData(ENVIRONMENT_KEY, encoded!);
  return settings;
}

function writeStderr(text: string): void {
  const bytes = Buffer.from(text, "utf8");
  let offset = 0;
  for (let attempts = 0; offset < bytes.length && attempts < 10_000; attempts++) {
    try {
      offset += fs.writeSync(2, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the reader.
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
    }
  }
}

type FormatThrown = typeof import("../format.js").formatThrown;
let formatThrown: FormatThrown | undefined;
let redactionFromEnv: typeof import("../redact.js").redactionFromEnv | undefined;

/**
 * The renderer, loaded on first use: a program that never throws pays only for the capture engine.
 * (Each module loaded before the program's own also makes node's module loader warmer, and a
 * throw at the program's top level, under the loader's frames, slower: see all.test.ts.)
 */
function loadRenderer(): FormatThrown {
  /* eslint-disable @typescript-eslint/no-require-imports */
  formatThrown ??= (require("../format.js") as typeof import("../format.js")).formatThrown;
  redactionFromEnv ??= (require("../redact.js") as typeof import("../redact.js")).redactionFromEnv;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return formatThrown;
}

function render(thrown: unknown, colorize: boolean, kept?: Capture): string {
  // A thrown primitive's capture is found by value only while it is the last one thrown: the kept one is used.
  const lookup = kept === undefined ? getCapture : (value: unknown) => (Object.is(value, thrown) ? kept : getCapture(value));
  const format = loadRenderer();
  return format(thrown, { colorize, redact: redactionFromEnv!(process.env.LOGSIGHT_REDACT) }, lookup);
}

/**
 * The `--all` output: tracebacks of caught throws and notes about the ones the budget left out, in
 * the order they happened. The values are captured at each throw, while it is paused; rendering and
 * printing wait until the program's current task is done (or it exits, or crashes), so that they
 * are not paid for inside its synchronous code.
 */
class CaughtOutput {
  private readonly pending: Array<{ readonly thrown: unknown; readonly capture: Capture } | string> = [];
  private flushScheduled = false;
  private skippingSince: number | undefined;

  constructor(private readonly settings: ProgramSettings) {}

  captured(thrown: unknown, capture: Capture): void {
    this.pending.push({ thrown, capture });
    this.schedule();
  }

  budgetExhausted(at: number): void {
    this.skippingSince ??= at;
  }

  budgetRestored(at: number): void {
    this.noteSkipped(at);
    this.skippingSince = undefined;
    this.schedule();
  }

  /** Prints what is pending; `now` given: also the time the budget has been out so far. */
  flush(now?: number): void {
    this.flushScheduled = false;
    if (now !== undefined) this.noteSkipped(now);
    // Entries added while printing (a throw inside the renderer is not captured, but be safe) wait for the next flush.
    const entries = this.pending.splice(0);
    for (const entry of entries) {
      writeStderr(typeof entry === "string" ? entry : render(entry.thrown, this.settings.colorize, entry.capture));
    }
  }

  private noteSkipped(until: number): void {
    if (this.skippingSince === undefined) return;
    const ms = Math.max(1, Math.round(until - this.skippingSince));
    this.skippingSince = until;
    this.pending.push(`logsight-diagnose: caught exceptions thrown during ${ms} ms were not shown (over the capture budget of ${this.settings.rate} a second)\n`);
  }

  private schedule(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Unreferenced: it never keeps the program alive; what is still pending at exit is printed then.
    setImmediate(() => this.flush()).unref();
  }
}

function install(settings: ProgramSettings): void {
  // "all": a throw the engine takes for caught (an awaited rejection, a module's top level, a
  // retry wrapper's first try) is captured where it is first thrown, within the budget.
  startCapture({ mode: "all", rate: settings.rate, includeNodeModules: settings.includeNodeModules });
  const caught = settings.all ? new CaughtOutput(settings) : undefined;
  process.on("uncaughtExceptionMonitor", (error, origin) => {
    // Caught exceptions thrown before the crash come before it.
    caught?.flush(performance.now());
    // A program with its own uncaughtException listener has handled it: not a crash.
    if (origin === "uncaughtException" && process.listenerCount("uncaughtException") > 0) return;
    // Without values node's own report says everything (an error from another thread arrives here
    // without a capture: that thread printed its traceback).
    if (getCapture(error) === undefined) return;
    writeStderr(render(error, settings.colorize));
  });
  if (caught !== undefined) {
    process.on("exit", () => caught.flush(performance.now()));
    // Caught throws of the program's own code; an uncaught one is printed once, by the monitor.
    observeCaptures({
      captured: (thrown, capture, facts) => {
        if (!facts.uncaught && facts.thrownInApp) caught.captured(thrown, capture);
      },
      budgetExhausted: (at) => caught.budgetExhausted(at),
      budgetRestored: (at) => caught.budgetRestored(at),
    });
  }
}

/**
 * A worker given its own `execArgv` does not get the preload from NODE_OPTIONS: `--require` of this
 * file is put in front of that execArgv (and taken out of the worker's process.execArgv again by
 * `hideOwnRequire`, so the worker sees the flags it was given).
 */
function keepPreloadInWorkers(): void {
  const Original = workerThreads.Worker;
  const preload = __filename;
  class Worker extends Original {
    constructor(filename: string | URL, options?: workerThreads.WorkerOptions) {
      if (options !== undefined && options !== null && Array.isArray(options.execArgv)) {
        options = { ...options, execArgv: ["--require", preload, ...(options.execArgv as unknown[] as string[])] };
      }
      super(filename, options);
    }
  }
  // The module object itself (a namespace import is a read-only copy of it); ES module imports of
  // node:worker_threads made after this see it too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require("node:worker_threads") as { Worker: typeof Original };
  try {
    exported.Worker = Worker;
  } catch {
    // Not writable in some node version: such workers run without values, as before.
  }
}

function hideOwnRequire(): void {
  const argv = process.execArgv;
  if (!workerThreads.isMainThread && argv[0] === "--require" && argv[1] === __filename) argv.splice(0, 2);
}

const settings = takeSettings();
if (settings !== undefined) {
  hideOwnRequire();
  keepPreloadInWorkers();
  install(settings);
}
