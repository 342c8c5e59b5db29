import { writeSync } from "node:fs";

/**
 * Bytes written to a file descriptor or a Node stream that may wait for a slow reader before new
 * messages are dropped (and counted). A reader that stops reading must neither freeze the process
 * nor make it grow without bound.
 */
export const MAX_PENDING_BYTES = 16 * 1024 * 1024;
/** At exit, how long a reader may take no bytes before what is still pending is given up. */
const EXIT_STALL_MS = 2000;
/** Retry delays while the reader takes nothing: from 1 ms, doubling, up to this. */
const MAX_RETRY_MS = 32;

const pause = new Int32Array(new SharedArrayBuffer(4));

export type FdWriteResult = "written" | "queued" | "dropped" | "gone";

/**
 * Writes to one descriptor (stdout or stderr, often a non-blocking pipe) without ever waiting for
 * its reader: what the pipe does not take is kept, in order, up to MAX_PENDING_BYTES, and written
 * from a timer as the reader takes it; beyond that new messages are dropped and counted by the
 * caller. At exit what is kept is written synchronously while the reader keeps taking it.
 */
export class FdWriter {
  private readonly chunks: Buffer[] = [];
  /** How many messages each kept chunk holds, so that a chunk given up at exit is counted. */
  private readonly chunkMessages: number[] = [];
  private offset = 0;
  private pendingBytes = 0;
  private readerGone = false;
  private final = false;
  private retryMs = 1;
  private timer: NodeJS.Timeout | null = null;
  private exitHookInstalled = false;
  private drainedCallbacks: Array<(lost: number, failure: unknown) => void> = [];
  /** Messages given up: at exit because the reader stopped taking them, or after a write error. */
  private lost = 0;
  private failure: unknown = null;
  private exitStallMs = EXIT_STALL_MS;

  constructor(readonly fd: number) {}

  /** Bytes kept for the reader. */
  get pending(): number {
    return this.pendingBytes;
  }

  /** `messages` is how many log messages `bytes` holds (for the counts of what was dropped). */
  write(bytes: Buffer, messages = 1): FdWriteResult {
    if (this.readerGone) return "gone";
    if (this.final) return this.writeBlocking(bytes, messages);
    if (this.chunks.length > 0) {
      if (this.pendingBytes + bytes.length > MAX_PENDING_BYTES) return "dropped";
      this.keep(bytes, messages, 0);
      return "queued";
    }
    let offset = 0;
    try {
      while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
      return "written";
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EPIPE") {
        this.readerGone = true;
        return "gone";
      }
      if (code !== "EAGAIN") throw error;
    }
    // The reader is behind: keep the rest (a message is never cut), whatever its size.
    this.keep(bytes, messages, offset);
    this.scheduleRetry();
    return "queued";
  }

  /**
   * Calls `callback` once nothing is kept any more (right away if nothing is); the first callback
   * also receives the messages given up since the last one, and the error that caused it if any.
   */
  whenDrained(callback: (lost: number, failure: unknown) => void): void {
    if (this.chunks.length === 0) callback(0, null);
    else this.drainedCallbacks.push(callback);
  }

  /**
   * At exit: writes what is kept, waiting for the reader as long as it takes bytes; from then on
   * every write is synchronous. Returns the messages given up.
   */
  flushFinal(): number {
    this.final = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.writeKept(this.exitStallMs);
    const lost = this.lost;
    this.notifyDrained();
    return lost;
  }

  private keep(bytes: Buffer, messages: number, from: number): void {
    // A copy: the caller's bytes may be a view of memory it reuses (the enqueue ring).
    const rest = Buffer.from(bytes.subarray(from));
    this.chunks.push(rest);
    this.chunkMessages.push(messages);
    this.pendingBytes += rest.length;
    if (!this.exitHookInstalled) {
      this.exitHookInstalled = true;
      // On the main thread through the shared hook, which also runs hooks added while the process
      // ends (a report written at exit) and covers the termination signals. Both modules are loaded
      // here, as a reader that keeps up never needs them.
      const { isMainThread } = require("node:worker_threads") as typeof import("node:worker_threads");
      if (isMainThread) (require("../sinks/file/flush-on-exit") as typeof import("../sinks/file/flush-on-exit")).flushOnExit(() => this.flushFinal());
      else process.on("exit", () => this.flushFinal());
    }
  }

  private scheduleRetry(): void {
    if (this.timer !== null || this.final) return;
    this.timer = setTimeout(this.retry, this.retryMs);
    this.timer.unref();
  }

  private readonly retry = (): void => {
    this.timer = null;
    const before = this.pendingBytes;
    this.writeKept(null);
    if (this.chunks.length === 0) {
      this.retryMs = 1;
      this.notifyDrained();
      return;
    }
    this.retryMs = this.pendingBytes < before ? 1 : Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.scheduleRetry();
  };

  /**
   * Writes kept chunks until the end, EPIPE, or EAGAIN: from the timer (`stallMs` null) it returns
   * there; at exit it waits up to `stallMs` for the reader to take bytes, then gives up.
   */
  private writeKept(stallMs: number | null): void {
    let stalledSince = -1;
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0]!;
      try {
        const written = writeSync(this.fd, chunk, this.offset, chunk.length - this.offset);
        this.offset += written;
        this.pendingBytes -= written;
        stalledSince = -1;
        if (this.offset >= chunk.length) {
          this.chunks.shift();
          this.chunkMessages.shift();
          this.offset = 0;
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN" && stallMs === null) return;
        if (code === "EAGAIN") {
          const now = Date.now();
          if (stalledSince < 0) stalledSince = now;
          if (now - stalledSince < stallMs!) {
            Atomics.wait(pause, 0, 0, 1);
            continue;
          }
          // A reader that took nothing for that long at exit is not waited for again.
          this.exitStallMs = 0;
        }
        // The reader is gone (quietly), or failed, or took nothing for a while at exit: what is kept is lost.
        if (code === "EPIPE") this.readerGone = true;
        else this.lost += this.chunkMessages.reduce((sum, count) => sum + count, 0);
        if (code !== "EPIPE" && code !== "EAGAIN") {
          this.failure = error;
          this.readerGone = true;
        }
        this.chunks.length = 0;
        this.chunkMessages.length = 0;
        this.pendingBytes = 0;
        this.offset = 0;
        return;
      }
    }
  }

  private writeBlocking(bytes: Buffer, messages: number): FdWriteResult {
    this.keep(bytes, messages, 0);
    this.writeKept(this.exitStallMs);
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      this.lost = 0;
      throw failure;
    }
    if (this.readerGone) return "gone";
    if (this.lost > 0) {
      this.lost = 0;
      return "dropped";
    }
    return "written";
  }

  private notifyDrained(): void {
    const callbacks = this.drainedCallbacks;
    this.drainedCallbacks = [];
    let lost = this.lost;
    let failure = this.failure;
    this.lost = 0;
    this.failure = null;
    for (const callback of callbacks) {
      callback(lost, failure);
      lost = 0;
      failure = null;
    }
  }
}

const writers = new Map<number, FdWriter>();

/** The one writer of a descriptor on this thread, so that every handler writing there keeps one order. */
export function fdWriter(fd: number): FdWriter {
  let writer = writers.get(fd);
  if (writer === undefined) {
    writer = new FdWriter(fd);
    writers.set(fd, writer);
  }
  return writer;
}
