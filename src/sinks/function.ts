import type { FunctionSink, LogRecord, SinkWriter } from "../types";

/**
 * A function `(message, record)`; when it returns a promise the call is tracked so that
 * `complete()` can await it, and a rejection is reported like a thrown error.
 */
export function createFunctionSink(fn: FunctionSink, reportError: (error: unknown, record: LogRecord) => void): SinkWriter {
  const pending = new Set<Promise<unknown>>();
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
      }
    },
    stop(): void {},
    async complete(): Promise<void> {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
