import * as fs from "node:fs";
import * as nodePath from "node:path";
import type { HandlerOptions, LogRecord, SinkWriter } from "../../types";
import { now } from "../../template/time";
import { compileCompression, type LogFileCompression } from "./compression";
import { describeValue } from "../../describe";
import { flushOnExit } from "./flush-on-exit";
import { withFileLock } from "./lock";
import { compilePathTemplate, recordTimeAt, rotatedPath, type PathTemplate } from "./path";
import { compileRetention, type RetentionRule } from "./retention";
import { compileRotation, type RotatingFile, type RotationRule } from "./rotation";

export interface FileSinkOptions {
  /** When to close the file and start a new one: a size, duration, frequency, day/time, function or a list of them. */
  rotation?: HandlerOptions["rotation"];
  /** Which old files to remove at rotation and at stop: a count, an age, or a function of the paths. */
  retention?: HandlerOptions["retention"];
  /** The archive format of closed files, or a function of the closed file's path. */
  compression?: HandlerOptions["compression"];
  /** Create the file at the first message rather than at `add()`. */
  delay?: boolean;
  /** `"a"` appends to an existing file (the default), `"w"` truncates it first. */
  mode?: "a" | "w";
  /** 0 or 1 (the default): each message written when logged; more: bytes gathered before one write. */
  buffering?: number;
  encoding?: BufferEncoding;
  /** Reopen the path before a write when someone else moved or deleted the file. */
  watch?: boolean;
}

/**
 * Validates every option (throwing an Error that names the option and the value), opens the file
 * unless `delay`, and returns the writer. `reportError` receives failures that happen off the write
 * path (compression, retention, flushing at exit); errors during `write()` are thrown to the caller,
 * and the next write opens the file again.
 */
export function createFileSink(path: string, options: FileSinkOptions, reportError: (error: unknown) => void): SinkWriter {
  const delay = booleanOption("delay", options.delay);
  const watch = booleanOption("watch", options.watch);
  const mode = options.mode ?? "a";
  if (mode !== "a" && mode !== "w") throw new Error(`Invalid mode ${describeValue(mode)}: expected "a" or "w"`);
  const buffering = options.buffering ?? 0;
  if (typeof buffering !== "number" || !Number.isInteger(buffering) || buffering < 0) {
    throw new Error(`Invalid buffering ${describeValue(buffering)}: expected a whole number of bytes, 0 for none`);
  }
  const encoding = options.encoding ?? "utf8";
  if (typeof encoding !== "string" || !Buffer.isEncoding(encoding)) {
    throw new Error(`Invalid encoding ${describeValue(encoding)}: expected a Node.js encoding such as "utf8"`);
  }
  if (typeof path !== "string" || path === "") throw new Error(`Invalid file path ${describeValue(path)}`);
  const sink = new FileSink(compilePathTemplate(path), {
    rotation: compileRotation(options.rotation),
    retention: compileRetention(options.retention),
    compression: compileCompression(options.compression),
    // Python's buffering=1 means line buffering: one write per message, as here by default.
    bufferSize: buffering > 1 ? buffering : 0,
    truncate: mode === "w",
    encoding,
    watch,
    reportError,
  });
  if (!delay) sink.open();
  return sink;
}

interface FileSinkSettings {
  readonly rotation: RotationRule | null;
  readonly retention: RetentionRule | null;
  readonly compression: LogFileCompression | null;
  readonly bufferSize: number;
  readonly truncate: boolean;
  readonly encoding: BufferEncoding;
  readonly watch: boolean;
  readonly reportError: (error: unknown) => void;
}

const PATH_CHECK_INTERVAL_MS = 1;
/** Many times the path check interval: how long a rotated file is left alone before it is compressed or removed. */
const ROTATED_FILE_GRACE_MS = 25;
const APPEND_FLAGS = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND;

class FileSink implements SinkWriter, RotatingFile {
  path = "";
  /** Bytes in the file plus those buffered. */
  size = 0;
  created = 0;
  private fd = -1;
  private dev = 0;
  private ino = 0;
  private truncateNext: boolean;
  private buffered: string[] = [];
  private bufferedBytes = 0;
  private unregisterExitFlush: (() => void) | null = null;
  private pending: Promise<void> = Promise.resolve();
  private tasksInFlight = 0;
  /** Rotated files of this sink not compressed yet. */
  private readonly awaitingCompression = new Set<string>();
  private stopped = false;
  /** Whether to compare the path's inode with the open file's before writing. */
  private readonly followsPath: boolean;
  /** Set once another writer is seen appending to the file: from then on the path is checked before every write. */
  private sharedFile: boolean;
  private nextPathCheck = 0;

  constructor(
    private readonly template: PathTemplate,
    private readonly settings: FileSinkSettings,
  ) {
    this.truncateNext = settings.truncate;
    this.followsPath = settings.watch || settings.rotation !== null;
    this.sharedFile = settings.watch;
    if (settings.bufferSize > 0 || settings.retention !== null || settings.compression !== null) {
      this.unregisterExitFlush = flushOnExit(() => {
        try {
          this.flush();
        } catch (error) {
          settings.reportError(error);
        }
        this.finishAtExit();
      });
    }
  }

  write(message: string, record: LogRecord): void {
    try {
      if (this.fd < 0) this.open();
      else if (this.followsPath && this.settings.bufferSize === 0 && (this.sharedFile || Date.now() >= this.nextPathCheck)) {
        this.followPath();
      }
      const rotation = this.settings.rotation;
      let bytes = -1;
      if (rotation !== null) {
        if (rotation.usesSize) bytes = Buffer.byteLength(message, this.settings.encoding);
        const time = record.time.getTime();
        if (rotation.isDue(message, bytes, time, this)) this.rotate(rotation, message, bytes, time);
      }
      if (this.settings.bufferSize > 0) this.buffer(message, bytes);
      else this.size += this.writeAll(message, bytes);
    } catch (error) {
      this.closeQuietly();
      throw error;
    }
  }

  stop(): void {
    if (this.unregisterExitFlush !== null) {
      this.unregisterExitFlush();
      this.unregisterExitFlush = null;
    }
    this.stopped = true;
    try {
      this.flush();
    } catch (error) {
      this.settings.reportError(error);
    }
    this.closeQuietly();
    const { rotation, compression, retention } = this.settings;
    // Without rotation the file is complete at stop; with it, the next run carries on in it.
    if (rotation === null && compression !== null && this.path !== "" && fs.existsSync(this.path)) {
      this.finishClosedFile(this.path);
      this.keepExitHook();
    } else if (retention !== null) {
      if (this.tasksInFlight > 0) this.keepExitHook();
      if (this.tasksInFlight === 0) this.applyRetention();
      else this.schedule(async () => this.applyRetention());
    }
  }

  async complete(): Promise<void> {
    let seen: Promise<void> | null = null;
    while (seen !== this.pending) {
      seen = this.pending;
      await seen;
    }
  }

  /** Opens the current file again, or a new one (its path rendered now) when there is none yet. */
  open(): void {
    this.openAt(this.path !== "" ? this.path : this.template.render(now()));
  }

  private openAt(path: string): void {
    fs.mkdirSync(nodePath.dirname(path), { recursive: true });
    const truncate = this.truncateNext;
    const fd = fs.openSync(path, truncate ? APPEND_FLAGS | fs.constants.O_TRUNC : APPEND_FLAGS);
    let stats: fs.Stats;
    try {
      stats = fs.fstatSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    this.truncateNext = false;
    this.fd = fd;
    this.path = path;
    this.dev = stats.dev;
    this.ino = stats.ino;
    this.size = stats.size + this.bufferedBytes;
    this.created = creationTime(stats, truncate);
    this.settings.rotation?.reset(this.created);
  }

  /**
   * Another process rotated the file, or someone moved or deleted it: write where the path now
   * points. A file nobody else writes to is checked at most once a millisecond; one that grows
   * by others' writes, before every write, so that size limits hold and no line goes to a file
   * that another process has rotated (and may be compressing).
   */
  private followPath(): void {
    this.nextPathCheck = Date.now() + PATH_CHECK_INTERVAL_MS;
    const stats = fs.statSync(this.path, { throwIfNoEntry: false });
    if (stats === undefined || stats.ino !== this.ino || stats.dev !== this.dev) {
      this.sharedFile = true;
      this.closeQuietly();
      this.openAt(this.path);
    } else {
      if (stats.size + this.bufferedBytes !== this.size) this.sharedFile = true;
      this.size = stats.size + this.bufferedBytes;
    }
  }

  private rotate(rotation: RotationRule, message: string, bytes: number, time: number): void {
    const decidedOn = { dev: this.dev, ino: this.ino };
    this.flush();
    let closedPath: string | null = null;
    withFileLock(this.template.lockPath, () => {
      if (!this.template.hasTime) {
        const stats = fs.statSync(this.path, { throwIfNoEntry: false });
        if (stats === undefined || stats.ino !== decidedOn.ino || stats.dev !== decidedOn.dev) {
          // Rotated by another process since we decided: carry on in its new file if that one is not due.
          if (stats === undefined || stats.ino !== this.ino || stats.dev !== this.dev) {
            this.closeQuietly();
            this.openAt(this.path);
          }
          if (!rotation.isDue(message, bytes, time, this)) return;
        }
      }
      const oldPath = this.path;
      const oldCreated = this.created;
      this.closeQuietly();
      const newPath = this.template.render(now());
      closedPath = oldPath;
      if (newPath === oldPath) {
        closedPath = rotatedPath(oldPath, recordTimeAt(oldCreated));
        fs.renameSync(oldPath, closedPath);
      }
      this.openAt(newPath);
    });
    if (closedPath !== null) this.finishClosedFile(closedPath, ROTATED_FILE_GRACE_MS);
  }

  /** Compression, then retention, off the write path; `complete()` awaits them, and the exit path finishes them. */
  private finishClosedFile(closedPath: string, graceMs = 0): void {
    const { compression, retention } = this.settings;
    if (compression === null && retention === null) return;
    if (compression !== null) this.awaitingCompression.add(closedPath);
    this.schedule(async () => {
      // Other processes that have not looked at the path since the rotation may still append to it.
      if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
      if (compression !== null && this.awaitingCompression.has(closedPath)) {
        try {
          await compression.compress(closedPath);
        } catch (error) {
          this.settings.reportError(error);
        }
        this.awaitingCompression.delete(closedPath);
      }
      this.applyRetention();
    });
  }

  /**
   * A rotated file waiting to be compressed is never given to retention (it would be read after
   * its removal); the files are ordered by the rotation time in their names. With rotation, the
   * file being written is not one of them (loguru applies retention to the rotated files before it
   * opens the next one): a count of 3 keeps 3 rotated files besides it.
   */
  private applyRetention(): void {
    const retention = this.settings.retention;
    if (retention === null) return;
    try {
      const active = this.settings.rotation !== null ? this.path : "";
      const files = this.template.listLogFiles().filter((file) => file !== active && !this.awaitingCompression.has(file));
      retention(files, this.path);
    } catch (error) {
      this.settings.reportError(error);
    }
  }

  /**
   * The process is ending and nothing scheduled will run: the rotated files still waiting are
   * compressed now where the format has a synchronous encoder (the others stay as they are,
   * whole), then retention is applied, so that an exit right after rotations leaves what the
   * options say.
   */
  private finishAtExit(): void {
    if (this.tasksInFlight === 0) return;
    const { compression, retention } = this.settings;
    if (compression !== null) {
      for (const file of this.awaitingCompression) {
        try {
          compression.compressNow?.(file);
        } catch (error) {
          this.settings.reportError(error);
        }
      }
      this.awaitingCompression.clear();
    }
    if (retention !== null) this.applyRetention();
  }

  /** After stop(), compression or retention may still be scheduled: the exit path must finish them too. */
  private keepExitHook(): void {
    if (this.unregisterExitFlush !== null) return;
    this.unregisterExitFlush = flushOnExit(() => this.finishAtExit());
  }

  private schedule(task: () => Promise<void>): void {
    this.tasksInFlight++;
    this.pending = this.pending.then(task).catch(this.settings.reportError).finally(() => {
      this.tasksInFlight--;
      if (this.tasksInFlight === 0 && this.stopped && this.unregisterExitFlush !== null) {
        this.unregisterExitFlush();
        this.unregisterExitFlush = null;
      }
    });
  }

  private buffer(message: string, knownBytes: number): void {
    const bytes = knownBytes >= 0 ? knownBytes : Buffer.byteLength(message, this.settings.encoding);
    this.buffered.push(message);
    this.bufferedBytes += bytes;
    this.size += bytes;
    if (this.bufferedBytes >= this.settings.bufferSize) this.flush();
  }

  /** Writes what is buffered, as one append so that other processes' lines cannot come between. */
  private flush(): void {
    if (this.bufferedBytes === 0) return;
    if (this.fd < 0) this.open();
    else if (this.followsPath) this.followPath();
    const data = this.buffered.length === 1 ? this.buffered[0]! : this.buffered.join("");
    this.writeAll(data);
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  /** Writes the whole text, resuming after a short write; returns the bytes written. */
  private writeAll(text: string, knownBytes = -1): number {
    const encoding = this.settings.encoding;
    const written = fs.writeSync(this.fd, text, null, encoding);
    const total = knownBytes >= 0 ? knownBytes : Buffer.byteLength(text, encoding);
    if (written === total) return total;
    const bytes = Buffer.from(text, encoding);
    for (let offset = written; offset < total; ) offset += fs.writeSync(this.fd, bytes, offset, total - offset);
    return total;
  }

  private closeQuietly(): void {
    if (this.fd < 0) return;
    const fd = this.fd;
    this.fd = -1;
    try {
      fs.closeSync(fd);
    } catch {
      // The descriptor is gone either way; the next write opens the file again.
    }
  }
}

/**
 * When the file was created: its birth time where the file system keeps one, so that a restarted
 * program resumes the same rotation schedule; else the time we create or truncate it.
 */
function creationTime(stats: fs.Stats, truncated: boolean): number {
  if (truncated) return Date.now();
  if (stats.birthtimeMs > 0) return stats.birthtimeMs;
  return stats.size === 0 ? Date.now() : stats.mtimeMs;
}

function booleanOption(name: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") throw new Error(`Invalid ${name} ${describeValue(value)}: expected true or false`);
  return value;
}
