/**
 * Flushes buffered file sinks when the process ends: on `exit` (which also follows
 * `process.exit()`, an uncaught exception and an unhandled rejection) and on the termination
 * signals, which would otherwise end the process without an `exit` event.
 */

const EXIT_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const flushers = new Set<() => void>();
const signalListeners = new Map<NodeJS.Signals, () => void>();
let exitListenerInstalled = false;

export function flushOnExit(flush: () => void): () => void {
  flushers.add(flush);
  if (!exitListenerInstalled) {
    exitListenerInstalled = true;
    process.on("exit", flushAll);
  }
  for (const signal of EXIT_SIGNALS) {
    // An application that handles the signal itself decides how to end, and `exit` then flushes.
    if (signalListeners.has(signal) || process.listenerCount(signal) > 0) continue;
    const listener = (): void => {
      flushAll();
      if (process.listenerCount(signal) > 1) return;
      uninstallSignals();
      process.kill(process.pid, signal);
    };
    signalListeners.set(signal, listener);
    process.on(signal, listener);
  }
  return () => {
    flushers.delete(flush);
    if (flushers.size === 0) uninstallSignals();
  };
}

function flushAll(): void {
  for (const flush of flushers) flush();
}

function uninstallSignals(): void {
  for (const [signal, listener] of signalListeners) process.removeListener(signal, listener);
  signalListeners.clear();
}
