/**
 * Drains the queues of `enqueue` handlers when the process ends: on `exit` (which also follows
 * `process.exit()`, an uncaught exception and an unhandled rejection), before an uncaught
 * exception is printed, and on SIGINT/SIGTERM/SIGHUP, which would otherwise end the process with
 * lines still queued. A signal listener is installed only when the application has none; after
 * draining, the signal is raised again so that the process ends as it would have.
 */

export interface QueueFlusher {
  /** Writes everything queued; the queue then writes synchronously on the calling thread. */
  flushFinal(): void;
  /** Waits until everything queued so far is written; the queue goes on working. */
  flushPending(): void;
}

const EXIT_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const queues = new Set<QueueFlusher>();
const signalListeners = new Map<NodeJS.Signals, () => void>();
let processListenersInstalled = false;

export function flushQueueOnExit(queue: QueueFlusher): () => void {
  queues.add(queue);
  if (!processListenersInstalled) {
    processListenersInstalled = true;
    process.on("exit", flushAllFinal);
    process.on("uncaughtExceptionMonitor", flushAllPending);
  }
  for (const signal of EXIT_SIGNALS) {
    if (signalListeners.has(signal) || process.listenerCount(signal) > 0) continue;
    const listener = (): void => {
      flushAllFinal();
      // The application added its own listener since: it decides how to end, and `exit` follows.
      if (process.listenerCount(signal) > 1) return;
      uninstallSignalListeners();
      process.kill(process.pid, signal);
    };
    signalListeners.set(signal, listener);
    process.on(signal, listener);
  }
  return () => {
    queues.delete(queue);
    if (queues.size === 0) uninstallSignalListeners();
  };
}

function flushAllFinal(): void {
  for (const queue of queues) {
    try {
      queue.flushFinal();
    } catch {
      // One queue failing must not keep the others from being written.
    }
  }
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

function uninstallSignalListeners(): void {
  for (const [signal, listener] of signalListeners) process.removeListener(signal, listener);
  signalListeners.clear();
}
