/**
 * A single-producer, single-consumer byte ring in a SharedArrayBuffer: the logging thread appends
 * UTF-8 messages, the writer thread consumes them. Positions are wrapping 32-bit byte counters, so
 * `head - tail` is the number of bytes in use as long as the capacity stays below 2^30.
 *
 * Each entry is a 4-byte length followed by the message bytes, padded to 4 bytes so that a length
 * never straddles the end of the ring. An entry never wraps: when it does not fit before the end,
 * a wrap marker sends the reader back to the start. A message too big for the ring is cut into
 * pieces flagged as "more follows", which the reader joins before writing.
 */

/** Indices of the Int32 header at the start of the shared buffer. */
export const HEAD = 0;
export const TAIL = 1;
/**
 * What the writer thread is doing between batches: CONSUMER_AWAKE, CONSUMER_ASLEEP (waiting for
 * data: the producer notifies HEAD) or CONSUMER_LINGERING (letting the next batch gather for a
 * moment: the producer notifies this index only when the ring is filling up).
 */
export const CONSUMER_SLEEPING = 2;
export const CONSUMER_AWAKE = 0;
export const CONSUMER_ASLEEP = 1;
export const CONSUMER_LINGERING = 2;
/** The writer thread's lifecycle, see the STATE_* values. */
export const STATE = 3;
const HEADER_INTS = 4;
const HEADER_BYTES = HEADER_INTS * 4;

/** The worker has not started: the logging thread may still claim the queue for itself (-> STOPPED). */
export const STATE_STARTING = 0;
/** The worker is opening its sink; from here on only the worker consumes until it reports STOPPED. */
export const STATE_OPENING = 1;
export const STATE_RUNNING = 2;
/** The process is ending: drain, flush, end the worker without stopping the sink. */
export const STATE_STOP_REQUESTED = 3;
/** The handler was removed: drain, stop the sink, end the worker. */
export const STATE_REMOVE_REQUESTED = 4;
/** The worker has drained and will not read again (or never started). */
export const STATE_STOPPED = 5;
/** The worker could not open its sink or died: the logging thread consumes from now on. */
export const STATE_FAILED = 6;

const WRAP_MARKER = -1;
const MORE_FOLLOWS = 0x40000000;
const LENGTH_MASK = MORE_FOLLOWS - 1;

export const MIN_CAPACITY = 4096;
export const MAX_CAPACITY = 1 << 29;

/** Waits (or not) until `bytes` more bytes are free; false gives up. */
export type SpaceWaiter = (bytes: number, mustWait: boolean) => boolean;

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** The capacity actually used for a requested one: a power of two between the bounds. */
export function ringCapacityFor(requested: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < requested && capacity < MAX_CAPACITY) capacity *= 2;
  return capacity;
}

export function createRingBuffer(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + capacity);
}

/** A view of the ring shared by both threads; each side uses only its own half of the methods. */
export class RingView {
  readonly header: Int32Array;
  readonly data: Buffer;
  readonly capacity: number;
  private readonly mask: number;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.capacity = buffer.byteLength - HEADER_BYTES;
    this.mask = this.capacity - 1;
    this.data = Buffer.from(buffer, HEADER_BYTES, this.capacity);
  }

  /** Bytes currently queued (including framing). */
  used(): number {
    return (Atomics.load(this.header, HEAD) - Atomics.load(this.header, TAIL)) >>> 0;
  }

  free(): number {
    return this.capacity - this.used();
  }

  // ---- producer side ----

  /**
   * Appends one message if there is room now; returns false (writing nothing) when there is not.
   * `waitForSpace(bytes, mustWait)` is called when room is missing and may block until it is there;
   * it returns false to give up (the message is then not written), which it may not do when
   * `mustWait` is set (the rest of a message already partly queued).
   */
  push(message: string, waitForSpace: SpaceWaiter): boolean {
    const header = this.header;
    const capacity = this.capacity;
    let head = Atomics.load(header, HEAD);
    let index = head & this.mask;
    const contiguous = capacity - index;
    const worstCase = 4 + message.length * 3;
    // Fast path: room for the worst-case UTF-8 size before the end, so encode straight into the ring.
    if (worstCase <= contiguous && worstCase <= capacity - ((head - Atomics.load(header, TAIL)) >>> 0)) {
      const length = this.data.write(message, index + 4, "utf8");
      this.data.writeInt32LE(length, index);
      Atomics.store(header, HEAD, (head + 4 + align4(length)) | 0);
      return true;
    }
    const length = Buffer.byteLength(message, "utf8");
    const entry = 4 + align4(length);
    if (entry > capacity >>> 1) return this.pushInPieces(Buffer.from(message, "utf8"), waitForSpace);
    if (!this.reserve(entry, waitForSpace)) return false;
    head = Atomics.load(header, HEAD);
    index = head & this.mask;
    this.data.write(message, index + 4, "utf8");
    this.data.writeInt32LE(length, index);
    Atomics.store(header, HEAD, (head + entry) | 0);
    return true;
  }

  private pushInPieces(bytes: Buffer, waitForSpace: SpaceWaiter): boolean {
    const piece = this.capacity >>> 2;
    for (let offset = 0; offset < bytes.length; offset += piece) {
      const end = Math.min(bytes.length, offset + piece);
      const length = end - offset;
      // Once the first piece is in, the rest must follow: a half message cannot be taken back.
      if (!this.reserve(4 + align4(length), waitForSpace, offset > 0)) return false;
      const head = Atomics.load(this.header, HEAD);
      const index = head & this.mask;
      bytes.copy(this.data, index + 4, offset, end);
      this.data.writeInt32LE(end < bytes.length ? length | MORE_FOLLOWS : length, index);
      Atomics.store(this.header, HEAD, (head + 4 + align4(length)) | 0);
    }
    return true;
  }

  /** Makes `entry` contiguous bytes available at HEAD, writing a wrap marker if needed. */
  private reserve(entry: number, waitForSpace: SpaceWaiter, mustWait = false): boolean {
    const header = this.header;
    for (;;) {
      const head = Atomics.load(header, HEAD);
      const free = this.capacity - ((head - Atomics.load(header, TAIL)) >>> 0);
      const contiguous = this.capacity - (head & this.mask);
      if (contiguous >= entry) {
        if (free >= entry) return true;
        if (!waitForSpace(entry, mustWait)) return false;
        continue;
      }
      if (free >= contiguous + entry) {
        this.data.writeInt32LE(WRAP_MARKER, head & this.mask);
        Atomics.store(header, HEAD, (head + contiguous) | 0);
        return true;
      }
      if (!waitForSpace(contiguous + entry, mustWait)) return false;
    }
  }

  // ---- consumer side ----

  /**
   * Reads complete messages from `from` up to HEAD (at most about `limitBytes`), calling `onMessage`
   * with a view into the ring (valid until the tail moves past it). Returns the position after the
   * last complete message read.
   */
  read(from: number, limitBytes: number, onMessage: (bytes: Buffer) => void, pending: Buffer[]): number {
    const head = Atomics.load(this.header, HEAD);
    let position = from;
    let consumed = 0;
    while (position !== head && consumed < limitBytes) {
      const index = position & this.mask;
      const word = this.data.readInt32LE(index);
      if (word === WRAP_MARKER) {
        const skip = this.capacity - index;
        position = (position + skip) | 0;
        continue;
      }
      const length = word & LENGTH_MASK;
      const view = this.data.subarray(index + 4, index + 4 + length);
      const entry = 4 + align4(length);
      if (word & MORE_FOLLOWS) {
        pending.push(Buffer.from(view));
      } else if (pending.length > 0) {
        pending.push(view);
        const joined = Buffer.concat(pending);
        pending.length = 0;
        onMessage(joined);
      } else {
        onMessage(view);
      }
      position = (position + entry) | 0;
      consumed += entry;
    }
    return position;
  }
}

type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => { async: boolean; value: Promise<string> | string };
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Resolves when `header[index]` is notified or no longer holds `value` (or after `timeout` ms), without blocking the thread. */
export async function changeOf(header: Int32Array, index: number, value: number, timeout?: number): Promise<void> {
  const waiting = atomicsWaitAsync(header, index, value, timeout);
  if (waiting.async) await waiting.value;
}
