import { MessagesLost, messagesWere } from "../loss";
import { flushOnExit } from "./file/flush-on-exit";
import type { FunctionSink, LogRecord, SinkWriter } from "../types";

/**
 * A function `(message, record)`; when it returns a promise the call is tracked so that
 * `complete()` can await it, and a rejection is reported like a thrown error. Promises still
 * pending when the process exits can no longer settle (no event loop is left to run them): their
 * count is reported at exit, since `await logger.complete()` before exiting is the only way to
 * have them written.
 */
export function createFunctionSink(fn: FunctionSink, reportError: (error: unknown, record: LogRecord | null) => void): SinkWriter {
  const pending = new Set<Promise<unknown>>();
  let exitHookInstalled = false;
  const reportPendingAtExit = (): void => {
    if (pending.size === 0) return;
    reportError(new MessagesLost(`${messagesWere(pending.size)} still being written by this async sink when the process exited, and may be lost (await logger.complete() before exiting)`), null);
  };
  return {
    write(message: string, record: LogRecord): void {
      const result = fn(message, record) as unknown;
      if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") {
        const tracked = Promise.resolve(result as Promise<unknown>).then(
          () => {
            pending.delete(tracked);
          },
          (error: unknown) => {
            pending.delete(tracked);
            reportError(error, record);
          },
        );
        pending.add(tracked);
        if (!exitHookInstalled) {
          exitHookInstalled = true;
          // Through the shared exit hook, so that it runs after the enqueue queue feeding this sink is flushed.
          flushOnExit(reportPendingAtExit);
        }
      }
    },
    stop(): void {},
    async complete(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
