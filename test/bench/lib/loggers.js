"use strict";
// The loggers set up the way each one's documentation recommends for writing to a file.
// Each `open*` returns `{ logger, finish }`: `finish()` resolves when the logger says it is done
// (the bench then still waits for the file to hold every line).

function openLogsight(file, options) {
  const { logger } = require("logsight");
  logger.remove();
  logger.add(file, options);
  if (!(options.buffering > 1)) return { logger, finish: () => logger.complete() };
  // A buffering file sink writes what it holds when it is removed (or when the process ends):
  // after the warm-up, the sink is replaced by a new one on the same file.
  const flush = () => {
    logger.remove();
    logger.add(file, options);
  };
  return { logger, flush, finish: async () => logger.remove() };
}

/** `minLength`: bytes sonic-boom gathers before one write (0, the default: one write per line). */
function openPinoSync(file, options = {}, minLength = 0) {
  const pino = require("pino");
  const destination = pino.destination({ dest: file, sync: true, minLength });
  const logger = pino(options, destination);
  return { logger, flush: () => destination.flushSync(), finish: async () => destination.flushSync() };
}

/** pino's worker-thread transport: formatting on the main thread, file writes in the worker. */
function openPinoTransport(file, options = {}) {
  const pino = require("pino");
  const transport = pino.transport({ target: "pino/file", options: { destination: file } });
  const logger = pino(options, transport);
  // The worker is unref'd: without a timer of our own the process could end before "close".
  const finish = () =>
    new Promise((resolve, reject) => {
      const keepAlive = setInterval(() => {}, 1000);
      transport.once("close", () => {
        clearInterval(keepAlive);
        resolve();
      });
      transport.once("error", (error) => {
        clearInterval(keepAlive);
        reject(error);
      });
      transport.end();
    });
  return { logger, finish };
}

function openWinstonFile(file, format, level = "info") {
  const winston = require("winston");
  const transport = new winston.transports.File({ filename: file });
  const logger = winston.createLogger({ level, format, transports: [transport] });
  const finish = () =>
    new Promise((resolve, reject) => {
      transport.once("finish", resolve);
      transport.once("error", reject);
      logger.end();
    });
  return { logger, finish };
}

/** winston's equivalent of `{time} {level} {message}`. */
function winstonLineFormat() {
  const { format } = require("winston");
  return format.combine(
    format.timestamp(),
    format.printf((info) => `${info.timestamp} ${info.level} ${info.message}`),
  );
}

/** winston's usual structured output: timestamp, level, message and metadata as JSON. */
function winstonJsonFormat() {
  const { format } = require("winston");
  return format.combine(format.timestamp(), format.json());
}

/** pino with pino-caller: the calling line (from `Error().stack`) in every line. */
function openPinoCaller(file) {
  const pino = require("pino");
  const pinoCaller = require("pino-caller");
  const destination = pino.destination({ dest: file, sync: true });
  const logger = pinoCaller(pino({}, destination));
  return { logger, finish: async () => destination.flushSync() };
}

/**
 * winston's usual caller format: the first frame of `new Error().stack` outside node_modules and
 * this file, as `file:function:line` (the limit is raised because winston's own frames come first).
 * The format runs inside winston's stream: once the file transport pushes back, records wait in the
 * stream and are formatted later from its callbacks, with no caller on the stack ("?").
 */
function winstonCallerFormat() {
  const { format } = require("winston");
  const path = require("node:path");
  const caller = format((info) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const stack = new Error().stack;
    Error.stackTraceLimit = limit;
    info.caller = "?";
    for (const line of stack.split("\n").slice(1)) {
      if (line.includes("node_modules") || line.includes(__filename) || line.includes("node:")) continue;
      const match = /at (?:(.+?) \()?(.*):(\d+):\d+\)?$/.exec(line);
      if (match !== null) {
        info.caller = `${path.basename(match[2])}:${match[1] || "<anonymous>"}:${match[3]}`;
        break;
      }
    }
    return info;
  });
  return format.combine(
    caller(),
    format.timestamp(),
    format.printf((info) => `${info.timestamp} | ${info.level} | ${info.caller} - ${info.message}`),
  );
}

/** log4js with `enableCallStack`: file, function and line from its stack parsing, synchronous file appender. */
function openLog4js(file) {
  const log4js = require("log4js");
  log4js.configure({
    appenders: { file: { type: "fileSync", filename: file, layout: { type: "pattern", pattern: "%d %p %f{1}:%M:%l - %m" } } },
    categories: { default: { appenders: ["file"], level: "info", enableCallStack: true } },
  });
  const logger = log4js.getLogger();
  const finish = () => new Promise((resolve, reject) => log4js.shutdown((error) => (error ? reject(error) : resolve())));
  return { logger, finish };
}

/** tslog's pretty line (time, level, file:line from its stack capture) through its file transport. */
function openTslog(file) {
  const { Logger } = require("tslog");
  const { fileTransport } = require("tslog/transports/file");
  const logger = new Logger({ type: "hidden", stack: { capture: "full" } });
  logger.attachTransport(fileTransport({ path: file, format: "pretty" }));
  return { logger, finish: () => logger.flush() };
}

/** bunyan's JSON line to a file stream; `src: true` adds the caller (file, line, function). */
function openBunyan(file, { src = false } = {}) {
  const fs = require("node:fs");
  const bunyan = require("bunyan");
  const stream = fs.createWriteStream(file, { flags: "a" });
  const logger = bunyan.createLogger({ name: "bench", src, streams: [{ stream, level: "info" }] });
  const finish = () =>
    new Promise((resolve, reject) => {
      stream.once("finish", resolve);
      stream.once("error", reject);
      stream.end();
    });
  return { logger, finish };
}

module.exports = {
  openLogsight,
  openPinoSync,
  openPinoTransport,
  openPinoCaller,
  openWinstonFile,
  winstonLineFormat,
  winstonJsonFormat,
  winstonCallerFormat,
  openLog4js,
  openTslog,
  openBunyan,
};
