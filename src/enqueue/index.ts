/**
 * `enqueue: true`: the logging thread formats, a bounded queue carries the text, and a background
 * writer writes it, so that a logging call does not wait for I/O. Files and file descriptors are
 * written by a worker thread through a shared ring buffer; other sinks by a deferred drain on this
 * thread. `complete()` resolves once everything enqueued before it is written; whatever is still
 * queued when the process ends is written synchronously before it does (see exit.ts).
 */
import * as fs from "node:fs";
import { basename, dirname, extname, join } from "node:path";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { inspect } from "node:util";
import { flushQueueOnExit } from "./exit";
import { createDeferredWriter } from "./local";
import {
  changeOf,
  CONSUMER_ASLEEP,
  CONSUMER_AWAKE,
  CONSUMER_LINGERING,
  CONSUMER_SLEEPING,
  createRingBuffer,
  HEAD,
  MAX_CAPACITY,
  ringCapacityFor,
  RingView,
  STATE,
  STATE_FAILED,
  STATE_OPENING,
  STATE_REMOVE_REQUESTED,
  STATE_RUNNING,
  STATE_STARTING,
  STATE_STOP_REQUESTED,
  STATE_STOPPED,
  TAIL,
} from "./ring";
import { openTarget, type BatchWriter, type ThreadTarget } from "./target";
import type { ErrorMessage, WorkerInput } from "./worker";
import type { LogRecord, SinkWriter } from "../types";
import { nodeRequire } from "../node-require";

export type QueueTarget =
  | { kind: "file"; path: string; options: { [option: string]: unknown } }
  | { kind: "fd"; fd: number }
  | { kind: "local"; writer: SinkWriter };

export interface QueueOptions {
  /** Bytes the queue holds before `overflow` applies (default 4 MiB; rounded up to a power of two for threads). */
  capacity?: number;
  /** When the queue is full: "block" (default) waits for room; "drop" discards the message and reports the count. */
  overflow?: "block" | "drop";
}

export const DEFAULT_QUEUE_CAPACITY = 4 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;
/** At exit, how long the worker may make no progress before the wait for it is abandoned. */
const EXIT_STALL_MS = 5000;

/** Wraps a target in a queue; see the module comment. Throws for invalid options, naming them. */
export function createQueuedWriter(target: QueueTarget, options: QueueOptions, reportError: (error: unknown) => void): SinkWriter {
  const { capacity, overflow } = checkQueueOptions(options ?? {});
  if (target.kind === "local") return createDeferredWriter(target.writer, capacity, overflow, reportError);
  if (target.kind === "fd") {
    if (!Number.isInteger(target.fd) || target.fd < 0) throw new TypeError(`Invalid fd ${inspect(target.fd)}: it should be a file descriptor number`);
    return new ThreadQueue(target, capacity, overflow, reportError);
  }
  checkFileTarget(target);
  if (!isCloneable(target.options)) {
    // Functions (rotation, retention, compression) cannot cross to another thread: the file sink
    // stays here and the queue drains on this thread instead.
    const { createFileSink } = require("../sinks/file/index") as typeof import("../sinks/file/index");
    return createDeferredWriter(createFileSink(target.path, target.options, reportError), capacity, overflow, reportError);
  }
  return new ThreadQueue(target, capacity, overflow, reportError);
}

function checkQueueOptions(options: QueueOptions): { capacity: number; overflow: "block" | "drop" } {
  const capacity = options.capacity ?? DEFAULT_QUEUE_CAPACITY;
  if (typeof capacity !== "number" || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new TypeError(`Invalid capacity ${inspect(capacity)}: it should be a whole number of bytes between 1 and ${MAX_CAPACITY}`);
  }
  const overflow = options.overflow ?? "block";
  if (overflow !== "block" && overflow !== "drop") throw new TypeError(`Invalid overflow ${inspect(overflow)}: it should be "block" or "drop"`);
  return { capacity, overflow };
}

/** Validates the file options here, where `add()` can throw, without opening or creating anything. */
function checkFileTarget(target: { path: string; options: { [option: string]: unknown } }): void {
  const { createFileSink } = require("../sinks/file/index") as typeof import("../sinks/file/index");
  // buffering > 0 would hook process exit; it is checked on its own, on a sink that buffers nothing.
  const { buffering, ...rest } = target.options;
  createFileSink(target.path, { ...rest, delay: true }, () => {});
  if (buffering !== undefined && !(typeof buffering === "number" && Number.isInteger(buffering) && buffering >= 0)) {
    createFileSink(target.path, { buffering, delay: true } as never, () => {});
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function rebuildError(message: ErrorMessage): Error {
  const error = new Error(message.message);
  error.name = message.name;
  if (message.stack !== undefined) error.stack = message.stack;
  if (message.code !== undefined) (error as NodeJS.ErrnoException).code = message.code as string;
  return error;
}

let workerFile: string | null = null;

/**
 * The worker's file: next to this module, or, inside a bundle (which holds this module but not the
 * worker), the copy of the logsight installed where the bundle runs. Throws, for `add()` to report,
 * when there is neither.
 */
function findWorkerFile(): string {
  if (workerFile !== null) return workerFile;
  const here = typeof __filename === "string" ? __filename : "";
  const sibling = join(dirname(here), "worker" + extname(here));
  if (basename(dirname(here)) === "enqueue" && fs.existsSync(sibling)) return (workerFile = sibling);
  let installed: string | null = null;
  try {
    installed = join(dirname(nodeRequire.resolve("logsight/package.json")), "dist", "src", "enqueue", "worker.js");
  } catch {
    // not installed where the bundle runs
  }
  if (installed !== null && fs.existsSync(installed)) return (workerFile = installed);
  throw new Error(
    "Invalid enqueue true: its worker thread runs dist/src/enqueue/worker.js of the logsight package, which this bundle " +
      "does not contain and which is not installed where it runs; keep logsight external to the bundle, or install it next to the bundle",
  );
}

/** A queue whose consumer is a worker thread; see ring.ts for the protocol. */
class ThreadQueue implements SinkWriter {
  private readonly ring: RingView;
  private readonly header: Int32Array;
  private readonly errors: MessagePort;
  private readonly worker: Worker;
  private readonly unregister: () => void;
  /** Set once this thread writes for itself: at exit, or after the worker failed. */
  private direct: BatchWriter | null = null;
  private final = false;
  private stopped = false;
  private dropped = 0;
  /** False only when this thread claimed the queue before the worker began opening the target. */
  private workerMayHaveOpened = true;
  private readonly pieces: Buffer[] = [];

  constructor(
    private readonly target: ThreadTarget,
    capacity: number,
    private readonly overflow: "block" | "drop",
    private readonly reportError: (error: unknown) => void,
  ) {
    const file = findWorkerFile();
    const buffer = createRingBuffer(ringCapacityFor(capacity));
    this.ring = new RingView(buffer);
    this.header = this.ring.header;
    const channel = new MessageChannel();
    this.errors = channel.port1;
    this.errors.on("message", (message: ErrorMessage) => reportError(rebuildError(message)));
    this.errors.unref();
    const input: WorkerInput = { buffer, target, errors: channel.port2 };
    this.worker = new Worker(file, { workerData: input, transferList: [channel.port2], stdout: false, stderr: false });
    this.worker.unref();
    this.worker.on("error", (error) => {
      reportError(error);
      this.markFailed();
    });
    this.worker.on("exit", () => {
      this.markFailed();
      if (this.stopped) this.unregister();
    });
    this.unregister = flushQueueOnExit({ flushFinal: () => this.flushFinal(), flushPending: () => this.flushPending() });
  }

  write(message: string, _record: LogRecord): void {
    if (this.stopped) return;
    if (this.final || this.direct !== null) {
      this.writeHere(message);
      return;
    }
    if (!this.ring.push(message, this.waitForSpace)) {
      this.dropped++;
      return;
    }
    if (this.direct !== null) this.drainHere();
    else this.wakeConsumer();
    if (this.dropped > 0) this.reportDropped();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.claimUnstartedWorker();
    if (this.direct !== null) {
      this.drainHere();
      this.stopDirect();
      this.unregister();
      return;
    }
    // Like loguru's remove(): the queue is written and the sink stopped before this returns.
    this.requestState(STATE_REMOVE_REQUESTED);
    this.waitForWorker(() => this.workerGone());
    if (Atomics.load(this.header, STATE) === STATE_FAILED) {
      this.takeOver();
      this.stopDirect();
    }
    this.receiveErrors();
    this.reportDropped();
    this.unregister();
  }

  async complete(): Promise<void> {
    const target = Atomics.load(this.header, HEAD);
    // Atomics.waitAsync does not keep the event loop alive on its own.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      for (;;) {
        const tail = Atomics.load(this.header, TAIL);
        if (((tail - target) | 0) >= 0) break;
        if (this.workerGone()) {
          this.takeOver();
          break;
        }
        await changeOf(this.header, TAIL, tail, 100);
      }
    } finally {
      clearInterval(keepAlive);
    }
    this.receiveErrors();
    this.reportDropped();
  }

  /** A worker that has not started yet is told not to, and this thread takes its place; true if so. */
  private claimUnstartedWorker(): boolean {
    if (Atomics.compareExchange(this.header, STATE, STATE_STARTING, STATE_STOPPED) !== STATE_STARTING) return false;
    this.workerMayHaveOpened = false;
    this.takeOver();
    return true;
  }

  /** At exit: everything queued is written before this returns, then this thread writes for itself. */
  private flushFinal(): void {
    if (this.final) return;
    this.final = true;
    const state = Atomics.load(this.header, STATE);
    if (!this.claimUnstartedWorker()) {
      if (!this.workerGone() && this.direct === null) {
        if (state !== STATE_REMOVE_REQUESTED) this.requestState(STATE_STOP_REQUESTED);
        this.waitForWorker(() => this.workerGone());
        if (this.workerGone()) this.takeOver();
      } else {
        this.takeOver();
      }
    }
    this.receiveErrors();
    this.reportDropped();
  }

  /** Before an uncaught exception is printed: wait until the worker has written what is queued. */
  private flushPending(): void {
    if (this.final || this.direct !== null) return;
    const target = Atomics.load(this.header, HEAD);
    if (Atomics.load(this.header, STATE) === STATE_STARTING) return; // flushFinal at exit will do it
    this.waitForWorker(() => ((Atomics.load(this.header, TAIL) - target) | 0) >= 0 || this.workerGone());
    this.receiveErrors();
  }

  /** Blocks this thread until `done()`, giving up if the worker makes no progress for a while. */
  private waitForWorker(done: () => boolean): void {
    let lastTail = Atomics.load(this.header, TAIL);
    let stalledSince = Date.now();
    while (!done()) {
      Atomics.wait(this.header, TAIL, lastTail, 50);
      const tail = Atomics.load(this.header, TAIL);
      if (tail !== lastTail) {
        lastTail = tail;
        stalledSince = Date.now();
      } else if (Date.now() - stalledSince > EXIT_STALL_MS) {
        this.reportError(new Error(`the enqueue writer made no progress for ${EXIT_STALL_MS} ms; ${this.ring.used()} queued bytes may not be written`));
        return;
      }
    }
  }

  private readonly waitForSpace = (bytes: number, mustWait: boolean): boolean => {
    for (;;) {
      if (this.workerGone()) {
        this.takeOver();
        return true;
      }
      if (!mustWait && this.overflow === "drop") return false;
      const tail = Atomics.load(this.header, TAIL);
      if (this.ring.free() >= bytes) return true;
      // What is queued so far (the first pieces of a big message, say) must be read to make room.
      this.wakeConsumer();
      Atomics.wait(this.header, TAIL, tail, 50);
    }
  };

  /** A sleeping writer is woken at once; a lingering one (it has just written a batch) only when the ring is filling up. */
  private wakeConsumer(): void {
    const header = this.header;
    const consumer = Atomics.load(header, CONSUMER_SLEEPING);
    if (consumer === CONSUMER_AWAKE) return;
    if (consumer === CONSUMER_ASLEEP) {
      if (Atomics.compareExchange(header, CONSUMER_SLEEPING, CONSUMER_ASLEEP, CONSUMER_AWAKE) === CONSUMER_ASLEEP) Atomics.notify(header, HEAD);
    } else if (consumer === CONSUMER_LINGERING && this.ring.used() >= this.ring.capacity >>> 2) {
      if (Atomics.compareExchange(header, CONSUMER_SLEEPING, CONSUMER_LINGERING, CONSUMER_AWAKE) === CONSUMER_LINGERING) {
        Atomics.notify(header, CONSUMER_SLEEPING);
      }
    }
  }

  private requestState(state: number): void {
    for (const from of [STATE_OPENING, STATE_RUNNING]) {
      if (Atomics.compareExchange(this.header, STATE, from, state) === from) break;
    }
    Atomics.notify(this.header, HEAD);
    Atomics.notify(this.header, CONSUMER_SLEEPING);
  }

  private workerGone(): boolean {
    const state = Atomics.load(this.header, STATE);
    return state === STATE_STOPPED || state === STATE_FAILED;
  }

  private markFailed(): void {
    const state = Atomics.load(this.header, STATE);
    if (state !== STATE_STOPPED) Atomics.store(this.header, STATE, STATE_FAILED);
  }

  /** This thread becomes the consumer (the worker is gone or never started) and writes what is left. */
  private takeOver(): void {
    if (this.direct === null) this.direct = this.openHereWhenNeeded();
    this.drainHere();
  }

  /**
   * The target opened on this thread at its first write (often there is none: the worker wrote all).
   * A file the worker already opened is appended to, never truncated again by mode "w".
   */
  private openHereWhenNeeded(): BatchWriter {
    const workerOpened = this.workerMayHaveOpened;
    let opened: BatchWriter | null = null;
    const open = (): BatchWriter => {
      if (opened !== null) return opened;
      const target: ThreadTarget = this.target.kind === "file" && workerOpened ? { ...this.target, options: { ...this.target.options, mode: "a" } } : this.target;
      try {
        opened = openTarget(target, this.reportError);
      } catch (error) {
        this.reportError(error);
        opened = { write() {}, stop() {} };
      }
      return opened;
    };
    return {
      write: (messages) => open().write(messages),
      stop: () => opened?.stop(),
    };
  }

  private drainHere(): void {
    const direct = this.direct!;
    let tail = Atomics.load(this.header, TAIL);
    const batch: Buffer[] = [];
    for (;;) {
      const next = this.ring.read(tail, READ_BYTES, (message) => batch.push(message), this.pieces);
      if (next === tail) return;
      if (batch.length > 0) direct.write(batch);
      batch.length = 0;
      tail = next;
      Atomics.store(this.header, TAIL, tail);
    }
  }

  private writeHere(message: string): void {
    if (this.direct === null) this.takeOver();
    this.direct!.write([Buffer.from(message, "utf8")]);
  }

  private stopDirect(): void {
    try {
      this.direct?.stop();
    } catch (error) {
      this.reportError(error);
    }
  }

  private receiveErrors(): void {
    for (let received = receiveMessageOnPort(this.errors); received; received = receiveMessageOnPort(this.errors)) {
      this.reportError(rebuildError(received.message as ErrorMessage));
    }
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    const count = this.dropped;
    this.dropped = 0;
    this.reportError(new Error(`${count} message${count === 1 ? " was" : "s were"} dropped: the enqueue queue was full (overflow: "drop")`));
  }
}
