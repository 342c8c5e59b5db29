import { flushQueueOnExit } from "./exit";
import type { LogRecord, SinkWriter } from "../types";

/**
 * A queue for sinks that cannot move to another thread (functions, arbitrary objects, files whose
 * options hold functions): messages are kept in order and written in batches on a later turn of
 * the event loop, so the logging call returns before the sink runs. When the queue holds
 * `capacity` characters, "block" writes the backlog right away on the calling stack and "drop"
 * discards the new message and counts it.
 */
export function createDeferredWriter(
  sink: SinkWriter,
  capacity: number,
  overflow: "block" | "drop",
  reportError: (error: unknown) => void,
): SinkWriter {
  let messages: string[] = [];
  let records: LogRecord[] = [];
  let queuedChars = 0;
  let dropped = 0;
  let scheduled = false;
  let final = false;
  let stopped = false;
  let waiters: Array<() => void> = [];

  const reportDropped = (): void => {
    if (dropped === 0) return;
    const count = dropped;
    dropped = 0;
    reportError(new Error(`${count} message${count === 1 ? " was" : "s were"} dropped: the enqueue queue was full (overflow: "drop")`));
  };

  const writeQueued = (): void => {
    while (messages.length > 0) {
      const batch = messages;
      const batchRecords = records;
      messages = [];
      records = [];
      queuedChars = 0;
      for (let i = 0; i < batch.length; i++) {
        try {
          sink.write(batch[i], batchRecords[i]);
        } catch (error) {
          reportError(error);
        }
      }
    }
    reportDropped();
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  };

  const onTurn = (): void => {
    scheduled = false;
    writeQueued();
  };

  const unregister = flushQueueOnExit({
    flushFinal() {
      final = true;
      writeQueued();
    },
    flushPending: writeQueued,
  });

  return {
    write(message: string, record: LogRecord): void {
      if (stopped) return;
      if (final) {
        sink.write(message, record);
        return;
      }
      if (queuedChars + message.length > capacity && messages.length > 0) {
        if (overflow === "drop") {
          dropped++;
          return;
        }
        writeQueued();
      }
      if (dropped > 0) reportDropped();
      messages.push(message);
      records.push(record);
      queuedChars += message.length;
      if (!scheduled) {
        scheduled = true;
        setImmediate(onTurn);
      }
    },
    stop(): void {
      if (stopped) return;
      writeQueued();
      stopped = true;
      unregister();
      sink.stop();
    },
    async complete(): Promise<void> {
      if (messages.length > 0) await new Promise<void>((resolve) => waiters.push(resolve));
      reportDropped();
      await sink.complete();
    },
  };
}
