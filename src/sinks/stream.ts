import type { LogRecord, SinkWriter, WritableSink } from "../types";

/** Anything with `write(string)`; `flush()` after each message, `stop()` on removal, `complete()` awaited. */
export function createStreamSink(stream: WritableSink): SinkWriter {
  const flush = typeof stream.flush === "function" ? stream.flush.bind(stream) : null;
  return {
    write(message: string, _record: LogRecord): void {
      stream.write(message);
      if (flush) flush();
    },
    stop(): void {
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
