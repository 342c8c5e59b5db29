// A program for the file sink tests to run as a child process.
//   node child-logger.js lines <path> <count> <tag> <options-json>
//   node child-logger.js end <path> <how>      (buffered lines, then the process ends as <how> says)
"use strict";
const { logger } = require("logsight");

const [, , command, path, ...rest] = process.argv;
logger.remove();

if (command === "lines") {
  const [count, tag, optionsJson] = rest;
  logger.add(path, { format: "{message}", ...JSON.parse(optionsJson || "{}") });
  for (let i = 0; i < Number(count); i++) logger.info(`${tag} ${i} ${"x".repeat(i % 40)} end`);
} else if (command === "end") {
  const [how] = rest;
  const appHandler = () => {
    logger.info("app handler ran");
    process.exit(0);
  };
  if (how === "own-handler-before") process.on("SIGTERM", appHandler);
  logger.add(path, { format: "{message}", buffering: 1 << 20 });
  for (let i = 0; i < 1000; i++) logger.info(`line ${i} end`);
  if (how === "exit") {
    process.exit(3);
  } else if (how === "throw") {
    setImmediate(() => {
      throw new Error("uncaught on purpose");
    });
  } else if (how === "reject") {
    Promise.reject(new Error("unhandled on purpose"));
  } else if (how === "SIGTERM" || how === "SIGINT" || how === "SIGHUP") {
    process.kill(process.pid, how);
    setTimeout(() => {}, 10_000);
  } else if (how === "own-handler-before" || how === "own-handler-after") {
    // Added after the logger, the app's handler must still decide how the process ends.
    if (how === "own-handler-after") process.on("SIGTERM", appHandler);
    process.kill(process.pid, "SIGTERM");
    setTimeout(() => {}, 10_000);
  } else if (how === "natural") {
    // The event loop empties.
  } else {
    throw new Error(`unknown ending ${how}`);
  }
} else if (command === "rotate-then-exit") {
  const [compression] = rest;
  logger.add(path, { format: "{message}", rotation: "200 B", compression });
  for (let i = 0; i < 200; i++) logger.info(`line ${i} end`);
  process.exit(0);
} else if (command === "missing-library") {
  // As if the package of the format were not installed.
  const Module = require("node:module");
  const [format, library] = rest;
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...args) {
    if (request === library) throw new Error(`Cannot find module '${library}'`);
    return resolve.call(this, request, ...args);
  };
  try {
    logger.add(path, { compression: format, delay: true });
    process.stdout.write("added\n");
  } catch (error) {
    process.stdout.write(`${error.message}\n`);
  }
} else if (command === "blocked") {
  // <path> is under a regular file: the first call fails, the second succeeds once it is gone.
  const fs = require("node:fs");
  const nodePath = require("node:path");
  logger.add(path, { format: "{message}", delay: true });
  logger.info("lost");
  fs.rmSync(nodePath.dirname(path));
  logger.info("kept");
  process.stdout.write("still running\n");
} else {
  throw new Error(`unknown command ${command}`);
}
