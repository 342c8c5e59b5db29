"use strict";
// The logging cases: the same work done by logsight and its peers. Each implementation has
// `open(file)` (from ../lib/loggers) and `write(opened, n)`, which makes n calls in a plain loop so
// that the loop itself is the same for every library; `loguru` runs Python's loguru (loguru-child.py)
// when python3 can import it. Targets are judged on CPU time per call (steadier than wall time when
// the machine is shared); `rss` targets on peak resident memory.

const {
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
} = require("../lib/loggers");

const LINE_FORMAT = "{time} {level} {message}";
/** Case 11: both loggers hold this many bytes before writing them in one system call. */
const BUFFER_BYTES = 4096;

function infoHelloWorld({ logger }, n) {
  for (let i = 0; i < n; i++) logger.info("hello world");
}

function debugHelloWorld({ logger }, n) {
  for (let i = 0; i < n; i++) logger.debug("hello world");
}

const payload = { a: 1, b: "x" };

const cases = [
  {
    number: 1,
    name: "plain",
    title: 'info("hello world") to a file, "{time} {level} {message}"',
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { format: LINE_FORMAT }), write: infoHelloWorld },
      pino: { open: (file) => openPinoSync(file), write: infoHelloWorld },
      winston: { open: (file) => openWinstonFile(file, winstonLineFormat()), write: infoHelloWorld },
      bunyan: { open: (file) => openBunyan(file), write: infoHelloWorld },
      loguru: { python: "plain" },
    },
    targets: [{ against: "pino", atLeast: 1.0 }, { rss: "pino", atMost: 1.5 }],
  },
  {
    number: 2,
    name: "default-format",
    title: "logsight's default format (caller name:function:line), colorize false, against pino without a caller and the loggers that report the caller",
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { colorize: false }), write: infoHelloWorld },
      pino: { open: (file) => openPinoSync(file), write: infoHelloWorld },
      // The loggers that parse a stack string spend 10-40x logsight's time a call: a fifth of the calls
      // gives the same ns/call and keeps the run short.
      "pino-caller": { open: (file) => openPinoCaller(file), write: infoHelloWorld, callsScale: 0.2 },
      "winston-caller": { open: (file) => openWinstonFile(file, winstonCallerFormat()), write: infoHelloWorld, callsScale: 0.2 },
      "log4js-callstack": { open: (file) => openLog4js(file), write: infoHelloWorld, callsScale: 0.2 },
      tslog: { open: (file) => openTslog(file), write: infoHelloWorld, callsScale: 0.2 },
      "bunyan-src": { open: (file) => openBunyan(file, { src: true }), write: infoHelloWorld },
      loguru: { python: "default-format" },
    },
    targets: [
      { against: "pino", atLeast: 0.7 },
      { against: "pino-caller", atLeast: 3.0 },
      { against: "winston-caller", atLeast: 1.3 },
      { rss: "pino", atMost: 1.5 },
    ],
  },
  {
    number: 11,
    name: "default-buffered",
    title: "case 2 with both loggers gathering 4 KiB before one write (logsight buffering: 4096, pino.destination minLength: 4096)",
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { colorize: false, buffering: BUFFER_BYTES }), write: infoHelloWorld },
      pino: { open: (file) => openPinoSync(file, {}, BUFFER_BYTES), write: infoHelloWorld },
    },
    targets: [{ rss: "pino", atMost: 1.5 }],
  },
  {
    number: 3,
    name: "serialize",
    title: 'info("hello world") as one JSON object per line (logsight serialize: true, loguru\'s record shape with the caller)',
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { serialize: true }), write: infoHelloWorld },
      pino: { open: (file) => openPinoSync(file), write: infoHelloWorld },
      winston: { open: (file) => openWinstonFile(file, winstonJsonFormat()), write: infoHelloWorld },
      bunyan: { open: (file) => openBunyan(file), write: infoHelloWorld },
      loguru: { python: "serialize" },
    },
    targets: [{ against: "pino", atLeast: 0.5 }, { rss: "pino", atMost: 1.5 }],
  },
  {
    number: 9,
    name: "pino-line",
    title: 'info("hello world") as pino\'s JSON line (logsight serialize: "pino")',
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { serialize: "pino" }), write: infoHelloWorld },
      pino: { open: (file) => openPinoSync(file), write: infoHelloWorld },
    },
    targets: [{ against: "pino", atLeast: 0.9 }],
  },
  {
    number: 4,
    name: "enqueue",
    title: 'info("hello world") written by a worker thread (logsight enqueue: true, pino.transport pino/file)',
    kind: "file",
    implementations: {
      logsight: { open: (file) => openLogsight(file, { format: LINE_FORMAT, enqueue: true }), write: infoHelloWorld },
      "pino-transport": { open: (file) => openPinoTransport(file), write: infoHelloWorld },
    },
    targets: [{ against: "pino-transport", atLeast: 1.5 }],
  },
  {
    number: 5,
    name: "below-level",
    title: 'debug("hello world") with the minimum level at INFO: nothing is written',
    kind: "loop",
    callsFactor: 100,
    implementations: {
      logsight: { open: (file) => openLogsight(file, { format: LINE_FORMAT, level: "INFO" }), write: debugHelloWorld },
      pino: { open: (file) => openPinoSync(file, { level: "info" }), write: debugHelloWorld },
      // winston spends ~0.7 us on a call below its level: a tenth of the calls gives the same ns/call.
      winston: { open: (file) => openWinstonFile(file, winstonLineFormat(), "info"), write: debugHelloWorld, callsScale: 0.1 },
    },
    targets: [{ absolute: "logsight", atMost: 10 }],
  },
  {
    number: 6,
    name: "object",
    title: 'an object payload: info("msg", {a: 1, b: "x"}) (logsight "{time} {level} {message} {extra}")',
    kind: "file",
    implementations: {
      logsight: {
        open: (file) => openLogsight(file, { format: "{time} {level} {message} {extra}" }),
        write: ({ logger }, n) => {
          for (let i = 0; i < n; i++) logger.info("msg", payload);
        },
      },
      pino: {
        open: (file) => openPinoSync(file),
        write: ({ logger }, n) => {
          for (let i = 0; i < n; i++) logger.info(payload, "msg");
        },
      },
      winston: {
        open: (file) => openWinstonFile(file, winstonJsonFormat()),
        write: ({ logger }, n) => {
          for (let i = 0; i < n; i++) logger.info("msg", payload);
        },
      },
    },
    targets: [],
  },
];

module.exports = { cases };
