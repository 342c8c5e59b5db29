"use strict";
// The three loggers set up the way each one's documentation recommends for writing to a file.
// Each `open*` returns `{ logger, finish }`: `finish()` resolves when the logger says it is done
// (the bench then still waits for the file to hold every line).

function openLogsight(file, options) {
  const { logger } = require("logsight");
  logger.remove();
  logger.add(file, options);
  return { logger, finish: () => logger.complete() };
}

function openPinoSync(file, options = {}) {
  const pino = require("pino");
  const destination = pino.destination({ dest: file, sync: true });
  const logger = pino(options, destination);
  return { logger, finish: async () => destination.flushSync() };
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

module.exports = { openLogsight, openPinoSync, openPinoTransport, openWinstonFile, winstonLineFormat, winstonJsonFormat };
