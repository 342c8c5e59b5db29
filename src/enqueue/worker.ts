/**
 * The writer thread of an `enqueue` handler: consumes the shared ring and writes to the target it
 * opened itself (a file sink, rotation included, or a file descriptor).
 */
import { workerData, type MessagePort } from "node:worker_threads";
import { openTarget, type BatchWriter, type ThreadTarget } from "./target";
import {
  changeOf,
  CONSUMER_ASLEEP,
  CONSUMER_AWAKE,
  CONSUMER_LINGERING,
  CONSUMER_SLEEPING,
  HEAD,
  RingView,
  STATE,
  STATE_FAILED,
  STATE_OPENING,
  STATE_REMOVE_REQUESTED,
  STATE_RUNNING,
  STATE_STARTING,
  STATE_STOP_REQUESTED,
  STATE_STOPPED,
  TAIL,
} from "./ring";

export interface WorkerInput {
  buffer: SharedArrayBuffer;
  target: ThreadTarget;
  errors: MessagePort;
}

/** An error as it crosses to the logging thread, which rebuilds it for the handler's report. */
export interface ErrorMessage {
  name: string;
  message: string;
  stack: string | undefined;
  code: unknown;
}

/** Bytes read per write: big enough for few syscalls, small enough to free space for the producer early. */
const BATCH_BYTES = 64 * 1024;
/** Bytes drained before giving the event loop a turn (file sink compression and retention run there). */
const BYTES_PER_TURN = 4 * 1024 * 1024;
/**
 * An idle consumer looks at the ring again after this long even without a wake-up: a notify that
 * reaches no registered `waitAsync` (seen with a stdout pipe whose reader had gone) must not leave
 * the queue, and `complete()`, waiting forever.
 */
const IDLE_RECHECK_MS = 100;
/**
 * After writing a batch, the writer waits this long before looking again, without asking to be
 * woken: while lines keep coming, the logging thread then pays no wake-up (a futex system call)
 * per line, and the next batch is bigger. The logging thread still wakes it early when the ring
 * is a quarter full, and a stop request ends the wait.
 */
const LINGER_MS = 1;

const { buffer, target, errors } = workerData as WorkerInput;
const ring = new RingView(buffer);
const header = ring.header;

function reportError(error: unknown): void {
  const described: ErrorMessage =
    error instanceof Error
      ? { name: error.name, message: error.message, stack: error.stack, code: (error as NodeJS.ErrnoException).code }
      : { name: "Error", message: String(error), stack: undefined, code: undefined };
  try {
    errors.postMessage(described);
  } catch {
    // The logging thread is gone.
  }
}

function markStopped(): void {
  const state = Atomics.load(header, STATE);
  if (state !== STATE_FAILED) Atomics.store(header, STATE, STATE_STOPPED);
  Atomics.notify(header, STATE);
  Atomics.notify(header, TAIL);
}

function fail(error: unknown): void {
  reportError(error);
  Atomics.store(header, STATE, STATE_FAILED);
  Atomics.notify(header, STATE);
  Atomics.notify(header, TAIL);
}

function start(): void {
  // The logging thread may have claimed the queue already (the process ended before this thread ran).
  if (Atomics.compareExchange(header, STATE, STATE_STARTING, STATE_OPENING) !== STATE_STARTING) return;
  let writer: BatchWriter;
  try {
    writer = openTarget(target, reportError);
  } catch (error) {
    fail(error);
    return;
  }
  Atomics.compareExchange(header, STATE, STATE_OPENING, STATE_RUNNING);
  // Runs after the file sink's own exit hook (registered when it was opened), which flushes its buffer.
  process.on("exit", markStopped);
  run(writer).catch(fail);
}

async function run(writer: BatchWriter): Promise<void> {
  const keepAlive = setInterval(() => {}, 1 << 30);
  const batch: Buffer[] = [];
  const pieces: Buffer[] = [];
  const collect = (message: Buffer): void => {
    batch.push(message);
  };
  let tail = Atomics.load(header, TAIL);

  const drain = (limit: number): number => {
    let drained = 0;
    while (drained < limit) {
      const next = ring.read(tail, BATCH_BYTES, collect, pieces);
      if (next === tail) break;
      if (batch.length > 0) writer.write(batch);
      batch.length = 0;
      drained += (next - tail) >>> 0;
      tail = next;
      Atomics.store(header, TAIL, tail);
      Atomics.notify(header, TAIL);
    }
    return drained;
  };

  for (;;) {
    const drained = drain(BYTES_PER_TURN);
    const state = Atomics.load(header, STATE);
    if (state === STATE_STOP_REQUESTED || state === STATE_REMOVE_REQUESTED) {
      drain(Infinity);
      clearInterval(keepAlive);
      if (state === STATE_REMOVE_REQUESTED) {
        try {
          writer.stop();
        } catch (error) {
          reportError(error);
        }
        // Compression or retention started by stop() may still run; the thread ends when they are done.
        markStopped();
        return;
      }
      try {
        writer.flushFinal?.();
      } catch (error) {
        reportError(error);
      }
      process.exit(0);
    }
    if (drained >= BYTES_PER_TURN) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      continue;
    }
    if (drained > 0) {
      Atomics.store(header, CONSUMER_SLEEPING, CONSUMER_LINGERING);
      if (Atomics.load(header, STATE) === STATE_RUNNING) await changeOf(header, CONSUMER_SLEEPING, CONSUMER_LINGERING, LINGER_MS);
      Atomics.store(header, CONSUMER_SLEEPING, CONSUMER_AWAKE);
      continue;
    }
    Atomics.store(header, CONSUMER_SLEEPING, CONSUMER_ASLEEP);
    const head = Atomics.load(header, HEAD);
    if (head !== tail || Atomics.load(header, STATE) !== STATE_RUNNING) {
      Atomics.store(header, CONSUMER_SLEEPING, CONSUMER_AWAKE);
      continue;
    }
    await changeOf(header, HEAD, head, IDLE_RECHECK_MS);
    Atomics.store(header, CONSUMER_SLEEPING, CONSUMER_AWAKE);
  }
}

start();
