import { fdWriter, MAX_PENDING_BYTES } from "./fd";
import { MessagesLost, messagesWere } from "../loss";
import type { LogRecord, SinkWriter } from "../types";

/** Where a queue that lives on another thread ends up: targets that can be rebuilt from plain data. */
export type ThreadTarget =
  | { kind: "file"; path: string; options: { [option: string]: unknown } }
  | { kind: "fd"; fd: number };

/** Writes batches of UTF-8 messages to a target; failures go to `reportError`, never to the caller. */
export interface BatchWriter {
  write(messages: readonly Buffer[]): void;
  stop(): void;
  /** At exit, before the thread ends: write what the target still holds. */
  flushFinal?(): void;
}

/** Builds the writer of a target on the current thread (the worker's, or the main one as a fallback). */
export function openTarget(target: ThreadTarget, reportError: (error: unknown) => void): BatchWriter {
  return target.kind === "fd" ? openFd(target.fd, reportError) : openFile(target.path, target.options, reportError);
}

/** A descriptor whose reader may stall: kept up to a bound, then dropped and counted (see fd.ts). */
function openFd(fd: number, reportError: (error: unknown) => void): BatchWriter {
  const writer = fdWriter(fd);
  let readerGone = false;
  let dropped = 0;
  let waitingForDrain = false;
  const reportDropped = (): void => {
    if (dropped === 0) return;
    reportError(new MessagesLost(`${messagesWere(dropped)} dropped: the reader fell more than ${MAX_PENDING_BYTES} bytes behind`));
    dropped = 0;
  };
  const onDrained = (lost: number, failure: unknown): void => {
    waitingForDrain = false;
    reportDropped();
    if (failure !== null) reportError(failure);
    if (lost > 0) reportError(new MessagesLost(`${messagesWere(lost)} not written: the reader took nothing more before the process ended`));
  };
  return {
    write(messages) {
      if (readerGone) return;
      let result;
      try {
        result = writer.write(messages.length === 1 ? messages[0]! : Buffer.concat(messages as Buffer[]), messages.length);
      } catch (error) {
        reportError(error);
        return;
      }
      if (result === "gone") readerGone = true;
      else if (result === "dropped") dropped += messages.length;
      else if (result === "written") reportDropped();
      if (result !== "gone" && result !== "written" && !waitingForDrain) {
        waitingForDrain = true;
        writer.whenDrained(onDrained);
      }
    },
    stop() {
      reportDropped();
    },
    flushFinal() {
      writer.flushFinal();
      reportDropped();
    },
  };
}

function openFile(path: string, options: { [option: string]: unknown }, reportError: (error: unknown) => void): BatchWriter {
  const { createFileSink } = require("../sinks/file/index") as typeof import("../sinks/file/index");
  let sink: SinkWriter;
  try {
    sink = createFileSink(path, options, reportError);
  } catch (error) {
    // The options were validated before the queue was made, so this is the file failing to open:
    // report it and let each write try again, as a file sink without a queue does.
    reportError(error);
    sink = createFileSink(path, { ...options, delay: true }, reportError);
  }
  // Rotation decides per message, so it must see them one by one; otherwise one write per batch.
  const perMessage = options.rotation !== undefined && options.rotation !== null;
  return {
    write(messages) {
      // The file sink reads only the time of a record (for time-based rotation): the time of writing.
      const record = { time: new Date() } as unknown as LogRecord;
      if (perMessage) {
        for (const message of messages) {
          try {
            sink.write(message.toString("utf8"), record);
          } catch (error) {
            reportError(error);
          }
        }
        return;
      }
      try {
        sink.write(messages.length === 1 ? messages[0].toString("utf8") : Buffer.concat(messages as Buffer[]).toString("utf8"), record);
      } catch (error) {
        reportError(error);
      }
    },
    stop() {
      sink.stop();
    },
  };
}
