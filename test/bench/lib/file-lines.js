"use strict";
// Counting the complete lines of a log file, incrementally, to know when a logger is really done.

const fs = require("node:fs");

const NEWLINE = 0x0a;

class LineCounter {
  constructor(file) {
    this.file = file;
    this.offset = 0;
    this.lines = 0;
    this.buffer = Buffer.allocUnsafe(1 << 20);
  }

  /** Reads what was appended since the last call; returns the number of newlines so far. */
  update() {
    let fd;
    try {
      fd = fs.openSync(this.file, "r");
    } catch (error) {
      if (error.code === "ENOENT") return this.lines;
      throw error;
    }
    try {
      for (;;) {
        const read = fs.readSync(fd, this.buffer, 0, this.buffer.length, this.offset);
        if (read === 0) break;
        this.offset += read;
        const chunk = read === this.buffer.length ? this.buffer : this.buffer.subarray(0, read);
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) this.lines++;
      }
    } finally {
      fs.closeSync(fd);
    }
    return this.lines;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `file` holds `expected` lines and returns the hrtime (ns) at which the successful
 * check began, so that the time spent counting is not charged to the logger.
 */
async function waitForLines(counter, expected, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const checkedAt = process.hrtime.bigint();
    const lines = counter.update();
    if (lines >= expected) {
      if (lines > expected) throw new Error(`${counter.file} holds ${lines} lines, expected ${expected}`);
      return checkedAt;
    }
    if (Date.now() > deadline) {
      throw new Error(`${counter.file} holds ${lines} lines after ${timeoutMs} ms, expected ${expected}`);
    }
    await sleep(1);
  }
}

module.exports = { LineCounter, waitForLines };
