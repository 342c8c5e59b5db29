import { writeSync } from "node:fs";

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to a file descriptor synchronously, waiting out EAGAIN on non-blocking
 * pipes. Returns false when the reader is gone (EPIPE): the caller stops writing there, quietly.
 */
export function writeAllToFd(fd: number, bytes: Uint8Array): boolean {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (code === "EPIPE") return false;
      throw error;
    }
  }
  return true;
}
