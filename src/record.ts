import { types } from "node:util";
import { dataProperty } from "../diagnose/data-property";
import { formatElapsed, monotonicMicroseconds, monotonicUsOfLastNow, now } from "./template/time";
import type { CallerSite } from "./caller";
import type {
  LogRecord,
  RecordElapsed,
  RecordException,
  RecordFile,
  RecordLevel,
  RecordProcess,
  RecordThread,
} from "./types";

const loadedAtUs = monotonicMicroseconds();

class Elapsed implements RecordElapsed {
  constructor(readonly microseconds: number) {}
  get milliseconds(): number {
    return Math.floor(this.microseconds / 1000);
  }
  totalSeconds(): number {
    return this.microseconds / 1e6;
  }
  /** Python's timedelta form: `0:00:01.234567`, `1 day, 2:03:04.000005`. */
  toString(): string {
    return formatElapsed(this);
  }
}

class FileView implements RecordFile {
  constructor(
    readonly name: string,
    readonly path: string,
  ) {}
  toString(): string {
    return this.name;
  }
}

class IdentityView implements RecordProcess, RecordThread {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
  toString(): string {
    return String(this.id);
  }
}

const PROCESS = Object.freeze(new IdentityView(process.pid, "MainProcess"));
let thread: IdentityView | null = null;

/** The thread's view, made at the first record (worker_threads is not loaded at import). */
function threadView(): IdentityView {
  if (thread === null) {
    const { isMainThread, threadId } = require("node:worker_threads") as typeof import("node:worker_threads");
    thread = Object.freeze(new IdentityView(threadId, isMainThread ? "MainThread" : `Worker-${threadId}`));
  }
  return thread;
}
const fileViews = new Map<string, FileView>();
const NO_FILE = new FileView("", "");

function fileView(site: CallerSite): FileView {
  let view = fileViews.get(site.filePath);
  if (!view) {
    view = new FileView(site.fileName, site.filePath);
    fileViews.set(site.filePath, view);
  }
  return view;
}

/** One record per logging call; every handler reads the same object. */
export function createRecord(
  level: RecordLevel,
  message: string,
  extra: { [key: string]: unknown },
  caller: CallerSite | null,
  exception: RecordException | null,
): LogRecord {
  const time = now();
  return {
    elapsed: new Elapsed(monotonicUsOfLastNow() - loadedAtUs),
    exception,
    extra,
    file: caller ? fileView(caller) : NO_FILE,
    function: caller ? caller.functionName : "",
    level,
    line: caller ? caller.line : 0,
    message,
    module: caller ? caller.module : "",
    name: caller ? caller.name : "",
    process: PROCESS,
    thread: thread ?? threadView(),
    time,
  };
}

/** The record's exception for a thrown value; never throws, and runs no Proxy trap. */
export function exceptionOf(value: unknown): RecordException {
  let type: string = value === null ? "null" : typeof value;
  if (typeof value === "object" && value !== null && !types.isProxy(value)) {
    try {
      if (value instanceof Error || "stack" in value) {
        // Data properties only: a `name` getter is the program's code and is not run.
        const name = dataProperty(value, "name");
        const constructor = dataProperty(value, "constructor");
        const constructorName = typeof constructor === "function" ? dataProperty(constructor, "name") : undefined;
        type = typeof name === "string" && name ? name : typeof constructorName === "string" && constructorName ? constructorName : "Error";
      }
    } catch {
      type = "Error";
    }
  } else if (typeof value === "object" && value !== null) {
    type = "Proxy";
  }
  return { type, value, traceback: true };
}

