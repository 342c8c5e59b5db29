import * as fs from "node:fs";
import * as nodePath from "node:path";

/** A lock older than this is taken to be left by a process that died while holding it. */
const STALE_AFTER_MS = 10_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `fn` while holding an exclusive lock shared by every process on this machine: a lock file
 * created with O_EXCL that holds the owner's pid. Synchronous, because rotation happens inside a
 * synchronous write; it is held only for a rename and an open.
 */
export function withFileLock<T>(lockPath: string, fn: () => T): T {
  acquire(lockPath);
  try {
    return fn();
  } finally {
    try {
      fs.unlinkSync(lockPath);
    } catch {
      // Already broken as stale by another process: nothing left to release.
    }
  }
}

function acquire(lockPath: string): void {
  for (let waited = 0; ; ) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        fs.mkdirSync(nodePath.dirname(lockPath), { recursive: true });
        continue;
      }
      if (code !== "EEXIST") throw error;
    }
    if (isStale(lockPath) || waited >= STALE_AFTER_MS) {
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // Someone else broke it first.
      }
      waited = 0;
      continue;
    }
    Atomics.wait(sleeper, 0, 0, 1);
    waited += 1;
  }
}

function isStale(lockPath: string): boolean {
  let content: string;
  let modified: number;
  try {
    content = fs.readFileSync(lockPath, "utf8");
    modified = fs.statSync(lockPath).mtimeMs;
  } catch {
    return false;
  }
  const owner = Number.parseInt(content, 10);
  if (Number.isInteger(owner) && owner > 0) return !isAlive(owner);
  // Created but its pid not yet written, or written by something else: judge by age alone.
  return Date.now() - modified > STALE_AFTER_MS;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
