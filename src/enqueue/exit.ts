/**
 * Drains the queues of `enqueue` handlers when the process ends. `exit` (which also follows
 * `process.exit()`, an uncaught exception and an unhandled rejection) and SIGINT/SIGTERM/SIGHUP
 * go through the same hook as buffered file sinks, so that logsight holds one listener per signal
 * (installed only when the application has none, the signal raised again after flushing). Before
 * an uncaught exception is printed, queues are also drained, so that the log precedes the crash.
 */
import { flushOnExit } from "../sinks/file/flush-on-exit";

export interface QueueFlusher {
  /** Writes everything queued; the queue then writes synchronously on the calling thread. */
  flushFinal(): void;
  /** Waits until everything queued so far is written; the queue goes on working. */
  flushPending(): void;
}

const queues = new Set<QueueFlusher>();
let monitorInstalled = false;

export function flushQueueOnExit(queue: QueueFlusher): () => void {
  queues.add(queue);
  if (!monitorInstalled) {
    monitorInstalled = true;
    process.on("uncaughtExceptionMonitor", flushAllPending);
  }
  const unregisterExit = flushOnExit(() => {
    try {
      queue.flushFinal();
    } catch {
      // One queue failing must not keep the others from being written.
    }
  });
  return () => {
    queues.delete(queue);
    unregisterExit();
  };
}

function flushAllPending(): void {
  for (const queue of queues) {
    try {
      queue.flushPending();
    } catch {
      // As above.
    }
  }
}
