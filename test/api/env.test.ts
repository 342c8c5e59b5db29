import { test } from "node:test";
import assert from "node:assert/strict";
import { DEFAULT_FORMAT, readEnvDefaults } from "../../src/env";
import { runNode } from "../helpers";

test("with no variables set, the built-in defaults apply", () => {
  assert.deepEqual(readEnvDefaults({}), {
    level: "DEBUG",
    format: DEFAULT_FORMAT,
    filter: null,
    colorize: null,
    serialize: false,
    backtrace: true,
    diagnose: true,
    enqueue: false,
    catch: true,
    escape: true,
    file: {},
    autoinit: true,
    redact: { defaults: true, entries: [] },
    levels: {},
  });
});

test("booleans accept loguru's spellings in any case", () => {
  const cases: ReadonlyArray<readonly [string, boolean]> = [
    ["1", true], ["true", true], ["True", true], ["TRUE", true], ["yes", true], ["Y", true], ["on", true], ["ok", true], [" On ", true],
    ["0", false], ["false", false], ["False", false], ["no", false], ["N", false], ["off", false], ["nok", false], ["NO", false],
  ];
  for (const option of ["SERIALIZE", "BACKTRACE", "DIAGNOSE", "ENQUEUE", "CATCH", "COLORIZE", "AUTOINIT"] as const) {
    for (const [value, expected] of cases) {
      const defaults = readEnvDefaults({ [`LOGSIGHT_${option}`]: value });
      assert.equal(defaults[option.toLowerCase() as "serialize"], expected, `LOGSIGHT_${option}=${value}`);
    }
  }
});

test("an invalid boolean throws, naming the variable and the value", () => {
  for (const value of ["maybe", "2", "tru", "yes please", "-1"]) {
    assert.throws(() => readEnvDefaults({ LOGSIGHT_ENQUEUE: value }), {
      message: `Invalid environment variable LOGSIGHT_ENQUEUE=${JSON.stringify(value)}: expected a boolean (true/false, 1/0, yes/no, y/n, on/off, ok/nok)`,
    });
  }
});

test("an empty variable counts as unset", () => {
  const defaults = readEnvDefaults({ LOGSIGHT_LEVEL: "", LOGSIGHT_ENQUEUE: "", LOGSIGHT_FORMAT: "", LOGSIGHT_MODE: "" });
  assert.equal(defaults.level, "DEBUG");
  assert.equal(defaults.enqueue, false);
  assert.equal(defaults.format, DEFAULT_FORMAT);
  assert.deepEqual(defaults.file, {});
});

test("DIAGNOSE defaults to false when NODE_ENV=production, and the variable still wins", () => {
  assert.equal(readEnvDefaults({ NODE_ENV: "production" }).diagnose, false);
  assert.equal(readEnvDefaults({ NODE_ENV: "development" }).diagnose, true);
  assert.equal(readEnvDefaults({ NODE_ENV: "production", LOGSIGHT_DIAGNOSE: "yes" }).diagnose, true);
  assert.equal(readEnvDefaults({ LOGSIGHT_DIAGNOSE: "no" }).diagnose, false);
});

test("LEVEL is a name, or a number when all digits; FORMAT and FILTER are strings", () => {
  assert.equal(readEnvDefaults({ LOGSIGHT_LEVEL: "WARNING" }).level, "WARNING");
  assert.equal(readEnvDefaults({ LOGSIGHT_LEVEL: "25" }).level, 25);
  assert.equal(readEnvDefaults({ LOGSIGHT_FORMAT: "{level} {message}" }).format, "{level} {message}");
  assert.equal(readEnvDefaults({ LOGSIGHT_FILTER: "app/db" }).filter, "app/db");
});

test("file options are read with their types", () => {
  const defaults = readEnvDefaults({
    LOGSIGHT_ROTATION: "500 MB",
    LOGSIGHT_RETENTION: "10",
    LOGSIGHT_COMPRESSION: "tar.gz",
    LOGSIGHT_DELAY: "true",
    LOGSIGHT_MODE: "w",
    LOGSIGHT_BUFFERING: "1",
    LOGSIGHT_ENCODING: "latin1",
    LOGSIGHT_WATCH: "off",
  });
  assert.deepEqual(defaults.file, {
    rotation: "500 MB",
    retention: 10,
    compression: "tar.gz",
    delay: true,
    mode: "w",
    buffering: 1,
    encoding: "latin1",
    watch: false,
  });
  assert.equal(readEnvDefaults({ LOGSIGHT_ROTATION: "1048576" }).file.rotation, 1048576);
  assert.equal(readEnvDefaults({ LOGSIGHT_RETENTION: "1 week" }).file.retention, "1 week");
});

test("invalid file options and level numbers throw, naming the variable and the value", () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ["LOGSIGHT_MODE", "x"],
    ["LOGSIGHT_BUFFERING", "big"],
    ["LOGSIGHT_BUFFERING", "-2"],
    ["LOGSIGHT_ENCODING", "klingon"],
    ["LOGSIGHT_DELAY", "later"],
    ["LOGSIGHT_WATCH", "2"],
    ["LOGSIGHT_DEBUG_NO", "ten"],
    ["LOGSIGHT_DEBUG_NO", "-1"],
    ["LOGSIGHT_INFO_NO", "1.5"],
  ];
  for (const [key, value] of cases) {
    assert.throws(() => readEnvDefaults({ [key]: value }), new RegExp(`^Error: Invalid environment variable ${key}=${JSON.stringify(value).replace(/[.+]/g, "\\$&")}: expected`), `${key}=${value}`);
  }
});

test("per-level NO, COLOR and ICON are read for the built-in levels only", () => {
  const defaults = readEnvDefaults({
    LOGSIGHT_DEBUG_NO: "12",
    LOGSIGHT_DEBUG_COLOR: "<blue>",
    LOGSIGHT_TRACE_ICON: "🚀",
    LOGSIGHT_INFO_COLOR: "",
    LOGSIGHT_CUSTOM_ICON: "x",
  });
  assert.deepEqual(defaults.levels, { DEBUG: { no: 12, color: "<blue>" }, TRACE: { icon: "🚀" }, INFO: { color: "" } });
});

// Through the public API, in fresh processes.

const SNIPPET = `
const { logger } = require("logsight");
logger.debug("debug line");
logger.info("info line");
logger.warning("warning line");
`;

test("LOGSIGHT_LEVEL and LOGSIGHT_FORMAT shape the default handler", () => {
  const run = runNode(SNIPPET, { env: { LOGSIGHT_LEVEL: "WARNING", LOGSIGHT_FORMAT: "[{level}] {message}" } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "[WARNING] warning line\n");
});

test("LOGSIGHT_AUTOINIT=false leaves out the default handler", () => {
  const run = runNode(SNIPPET, { env: { LOGSIGHT_AUTOINIT: "False" } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
});

test("LOGSIGHT_SERIALIZE applies to added handlers too", () => {
  const run = runNode(
    `const { logger } = require("logsight");
     logger.remove();
     logger.add((m) => process.stdout.write(m), { format: "{message}" });
     logger.info("hello", { n: 1 });`,
    { env: { LOGSIGHT_SERIALIZE: "yes" } },
  );
  assert.equal(run.status, 0, run.stderr);
  const line = JSON.parse(run.stdout);
  assert.equal(line.text, "hello\n");
  assert.deepEqual(line.record.extra, { n: 1 });
});

test("LOGSIGHT_FILTER and LOGSIGHT_<LEVEL>_ICON reach the default handler", () => {
  const run = runNode(SNIPPET, { env: { LOGSIGHT_FILTER: "no-such-package", LOGSIGHT_FORMAT: "{message}" } });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
  const icons = runNode(SNIPPET, { env: { LOGSIGHT_INFO_ICON: "(i)", LOGSIGHT_FORMAT: "{level.icon} {message}", LOGSIGHT_LEVEL: "INFO" } });
  assert.equal(icons.status, 0, icons.stderr);
  assert.equal(icons.stderr, "(i) info line\n⚠️ warning line\n");
});

test("LOGSIGHT_DEBUG_NO changes the built-in level's severity", () => {
  const run = runNode(`const { logger } = require("logsight"); process.stdout.write(String(logger.level("DEBUG").no));`, {
    env: { LOGSIGHT_DEBUG_NO: "12" },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "12");
});

test("an invalid variable makes importing logsight fail with a message naming it", () => {
  const run = runNode(SNIPPET, { env: { LOGSIGHT_ENQUEUE: "maybe" } });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /Invalid environment variable LOGSIGHT_ENQUEUE="maybe": expected a boolean/);
});
