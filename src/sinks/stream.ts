import { writeSync } from "node:fs";
import { fdWriter, MAX_PENDING_BYTES } from "../enqueue/fd";
import { MessagesLost, messagesWere } from "../loss";
import type { LogRecord, SinkWriter, WritableSink } from "../types";

/**
 * Bytes a stream may hold unwritten before new messages are dropped: a Node stream's
 * `writableLength`, or what process.stdout/stderr's descriptor did not take yet. A reader that
 * stops reading must not make the process grow without bound, nor freeze it. Dropping (counted,
 * and reported once the stream drains) is chosen over blocking because a stream on this thread
 * can only drain when the logging call returns.
 */
export const MAX_UNWRITTEN_BYTES = MAX_PENDING_BYTES;

type NodeWritable = WritableSink & {
  on?(event: string, listener: (...args: unknown[]) => void): unknown;
  once?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
  writableLength?: number;
  destroyed?: boolean;
};

/** What the sinks writing to one stream share: whether it still takes writes, and one error listener. */
interface StreamState {
  /** Set after EPIPE (the reader is gone) or any other error the stream emitted: writes stop. */
  closed: boolean;
  readonly reporters: Set<(error: unknown) => void>;
  readonly onError: (error: unknown) => void;
}

const streamStates = new WeakMap<object, StreamState>();

/** Errors meaning the other end went away, which end a handler quietly. */
const READER_GONE = new Set(["EPIPE", "ECONNRESET", "ERR_STREAM_DESTROYED"]);

function reportToStderr(error: unknown): void {
  try {
    writeSync(2, `logsight: a stream sink failed and was stopped: ${error instanceof Error ? error.message : String(error)}\n`);
  } catch {
    // Nowhere left to report to.
  }
}

function watchStream(stream: NodeWritable, reportError: (error: unknown) => void): StreamState {
  let state = streamStates.get(stream);
  if (state === undefined) {
    const created: StreamState = {
      closed: false,
      reporters: new Set(),
      onError: (error: unknown) => {
        const wasClosed = created.closed;
        created.closed = true;
        if (wasClosed || READER_GONE.has((error as NodeJS.ErrnoException | null)?.code ?? "")) return;
        const first = created.reporters.values().next();
        (first.done ? reportToStderr : first.value)(error);
      },
    };
    state = created;
    streamStates.set(stream, state);
    // Without a listener, an 'error' event (EPIPE after `| head -1`) would end the whole program.
    if (typeof stream.on === "function") stream.on("error", state.onError);
  }
  state.reporters.add(reportError);
  return state;
}

function unwatchStream(stream: NodeWritable, state: StreamState, reportError: (error: unknown) => void): void {
  state.reporters.delete(reportError);
  if (state.reporters.size > 0 || state.closed) return;
  streamStates.delete(stream);
  if (typeof stream.removeListener === "function") stream.removeListener("error", state.onError);
}

/**
 * Anything with `write(string)`; `flush()` after each message, `stop()` on removal, `complete()`
 * awaited. A stream whose reader has gone (EPIPE) ends this handler quietly; another error the
 * stream emits is reported once and ends it too. Messages that find more than
 * MAX_UNWRITTEN_BYTES waiting in a Node stream are dropped and counted.
 */
export function createStreamSink(stream: WritableSink, reportError: (error: unknown) => void = reportToStderr): SinkWriter {
  const writable = stream as NodeWritable;
  const flush = typeof stream.flush === "function" ? stream.flush.bind(stream) : null;
  const state = watchStream(writable, reportError);
  // process.stdout/stderr on a socket or a non-blocking pipe queue asynchronously and lose that
  // queue on process.exit(); written to the descriptor (when Node's stream has nothing queued
  // ahead, to keep the order) every accepted line is out before the call returns, or kept by the
  // descriptor's writer, which writes it from a timer and, at the latest, at exit.
  // Only while `write` is the stream's own method: a test runner or a tool that replaced it wants the text.
  const fd = stream === process.stdout ? 1 : stream === process.stderr ? 2 : -1;
  const unpatchedWrite = fd >= 0 ? (Object.getPrototypeOf(stream) as WritableSink).write : null;
  const direct = fd >= 0 ? fdWriter(fd) : null;
  let dropped = 0;
  let waitingForDrain = false;

  const reportDropped = (): void => {
    if (dropped === 0) return;
    const count = dropped;
    dropped = 0;
    reportError(new MessagesLost(`${messagesWere(count)} dropped: the stream had more than ${MAX_UNWRITTEN_BYTES} bytes waiting to be written`));
  };

  const onDescriptorDrained = (lost: number, failure: unknown): void => {
    waitingForDrain = false;
    reportDropped();
    if (failure !== null) {
      state.closed = true;
      reportError(failure);
    }
    if (lost > 0) reportError(new MessagesLost(`${messagesWere(lost)} not written: the reader took nothing more before the process ended`));
  };

  const writeToDescriptor = (message: string): void => {
    const result = direct!.write(Buffer.from(message, "utf8"));
    if (result === "written") {
      if (dropped > 0) reportDropped();
      return;
    }
    if (result === "gone") state.closed = true;
    else if (result === "dropped") dropped++;
    if (result !== "gone" && !waitingForDrain) {
      waitingForDrain = true;
      direct!.whenDrained(onDescriptorDrained);
    }
  };

  return {
    write(message: string, _record: LogRecord): void {
      if (state.closed || writable.destroyed === true) return;
      const unwritten = writable.writableLength;
      if (direct !== null && (direct.pending > 0 || !unwritten) && stream.write === unpatchedWrite) {
        writeToDescriptor(message);
        return;
      }
      if (typeof unwritten === "number" && unwritten > MAX_UNWRITTEN_BYTES) {
        if (dropped++ === 0 && typeof writable.once === "function") writable.once("drain", reportDropped);
        return;
      }
      if (dropped > 0) reportDropped();
      stream.write(message);
      if (flush) flush();
    },
    stop(): void {
      reportDropped();
      unwatchStream(writable, state, reportError);
      if (typeof stream.stop === "function") stream.stop();
    },
    async complete(): Promise<void> {
      if (typeof stream.complete === "function") await stream.complete();
    },
  };
}

/** Whether ANSI colors suit a stream when `colorize` is left unset. */
export function streamWantsColor(stream: WritableSink, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === "0" || force.toLowerCase() === "false");
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}
