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
import { SETTINGS_VARIABLE, decodeSettings, type ProgramSettings } from "./settings.js";
import { redactionFromEnv } from "../redact.js";

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

let formatException: typeof import("../index.js").formatException | undefined;

/** The renderer, loaded on first use: a program that never throws pays only for the capture engine. */
function loadRenderer(): typeof import("../index.js").formatException {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  formatException ??= (require("../index.js") as typeof import("../index.js")).formatException;
  return formatException;
}

function render(thrown: unknown, colorize: boolean): string {
  return loadRenderer()(thrown, { colorize, redact: redactionFromEnv(process.env.LOGSIGHT_REDACT) });
}

function install(settings: ProgramSettings): void {
  // "all": a throw the engine takes for caught (an awaited rejection, a module's top level, a
  // retry wrapper's first try) is captured where it is first thrown, within the rate.
  startCapture({ mode: "all", rate: settings.rate, includeNodeModules: settings.includeNodeModules });
  process.on("uncaughtExceptionMonitor", (error, origin) => {
    // A program with its own uncaughtException listener has handled it: not a crash.
    if (origin === "uncaughtException" && process.listenerCount("uncaughtException") > 0) return;
    // Without values node's own report says everything (an error from another thread arrives here
    // without a capture: that thread printed its traceback).
    if (getCapture(error) === undefined) return;
    writeStderr(render(error, settings.colorize));
  });
  if (settings.all) {
    // Caught throws are rendered while the program waits: load the renderer before it starts.
    loadRenderer();
    // Caught throws of the program's own code; an uncaught one is printed once, by the monitor.
    observeCaptures((thrown, facts) => {
      if (!facts.uncaught && facts.thrownInApp) writeStderr(render(thrown, settings.colorize));
    });
  }
}

const settings = takeSettings();
if (settings !== undefined) install(settings);
