import { logger } from "logsight";

/**
 * Awaits `logger.complete()`, then the work of removed file sinks (compression at stop), which
 * `complete()` may no longer see once their handler is gone: polls `done` for up to 10 s.
 */
export async function settle(done: () => boolean): Promise<void> {
  await logger.complete();
  for (let waited = 0; !done() && waited < 10_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
}
