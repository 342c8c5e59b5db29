import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { logger } from "logsight";
import { collect, runNode } from "../helpers";

beforeEach(() => logger.remove());

test("the seven built-in levels have loguru's numbers, colors and icons", () => {
  const expected = [
    ["TRACE", 5, "<cyan><bold>", "✏️"],
    ["DEBUG", 10, "<blue><bold>", "🐞"],
    ["INFO", 20, "<bold>", "ℹ️"],
    ["SUCCESS", 25, "<green><bold>", "✅"],
    ["WARNING", 30, "<yellow><bold>", "⚠️"],
    ["ERROR", 40, "<red><bold>", "❌"],
    ["CRITICAL", 50, "<RED><bold>", "☠️"],
  ] as const;
  for (const [name, no, color, icon] of expected) {
    assert.deepEqual({ ...logger.level(name) }, { name, no, color, icon });
  }
});

test("each level method logs at its level", () => {
  const { records } = collect({ level: 0 });
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.success("s");
  logger.warning("w");
  logger.error("e");
  logger.critical("c");
  assert.deepEqual(
    records.map((r) => [r.level.name, r.level.no, r.message]),
    [
      ["TRACE", 5, "t"],
      ["DEBUG", 10, "d"],
      ["INFO", 20, "i"],
      ["SUCCESS", 25, "s"],
      ["WARNING", 30, "w"],
      ["ERROR", 40, "e"],
      ["CRITICAL", 50, "c"],
    ],
  );
});

test("a handler's level drops records below it, by name or by number", () => {
  const { messages } = collect({ level: "WARNING" });
  logger.info("no");
  logger.warning("yes");
  logger.log(35, "numeric yes");
  logger.log(29, "numeric no");
  assert.deepEqual(messages, ["yes\n", "numeric yes\n"]);
});

test("log() takes a level name or a number; numbers get the name 'Level N'", () => {
  const { records } = collect({ level: 0, format: "{level}|{level.no}|{level.icon}|{message}" });
  logger.log("SUCCESS", "by name");
  logger.log(17, "by number");
  assert.equal(records[0].level.name, "SUCCESS");
  assert.equal(records[1].level.name, "Level 17");
  assert.equal(records[1].level.no, 17);
});

test("log() rejects unknown level names and negative numbers", () => {
  collect();
  assert.throws(() => logger.log("NOPE", "x"), /Level 'NOPE' does not exist/);
  assert.throws(() => logger.log(-1, "x"), /positive integer, not: -1/);
  assert.throws(() => logger.log(1.5 as number, "x"), /integer or a string/);
});

test("level() adds a level, which can then be logged to and used as a handler level", () => {
  const created = logger.level("NOTICE", { no: 27, color: "<magenta>", icon: "@" });
  assert.deepEqual({ ...created }, { name: "NOTICE", no: 27, color: "<magenta>", icon: "@" });
  const { messages } = collect({ level: "NOTICE", format: "{level.icon} {level: <8}|{message}" });
  logger.log("NOTICE", "custom");
  logger.success("below");
  assert.deepEqual(messages, ["@ NOTICE  |custom\n"]);
});

test("level() updates color and icon of an existing level but never its number", () => {
  logger.level("AUDIT", { no: 33 });
  const updated = logger.level("AUDIT", { icon: "!" });
  assert.equal(updated.no, 33);
  assert.equal(updated.icon, "!");
  assert.equal(logger.level("AUDIT").color, "");
  assert.throws(() => logger.level("AUDIT", { no: 34 }), /already exists, you can't update its severity no/);
  const { messages } = collect({ format: "{level.icon}{message}" });
  logger.level("INFO", { icon: "i" });
  logger.info("x");
  assert.deepEqual(messages, ["ix\n"]);
  logger.level("INFO", { icon: "ℹ️" });
});

test("level() errors follow loguru", () => {
  assert.throws(() => logger.level("MISSING"), /Level 'MISSING' does not exist/);
  assert.throws(() => logger.level("NEW1", { color: "<red>" }), /you have to create it by specifying a level no/);
  assert.throws(() => logger.level("NEW2", { no: -3 }), /positive integer, not: -3/);
  assert.throws(() => logger.level("NEW3", { no: "5" as unknown as number }), /it should be an integer/);
  assert.throws(() => logger.level(42 as unknown as string), /Invalid level name 42, it should be a string/);
});

test("a level's color is used by <level> in a colored format, and follows updates", () => {
  const { messages } = collect({ format: "<level>{message}</level>", colorize: true });
  logger.level("COLORFUL", { no: 21, color: "<green>" });
  logger.log("COLORFUL", "a");
  logger.level("COLORFUL", { color: "<red>" });
  logger.log("COLORFUL", "b");
  assert.equal(messages[0], "\x1b[32ma\x1b[0m\n");
  assert.equal(messages[1], "\x1b[31mb\x1b[0m\n");
});

test("LOGSIGHT_<LEVEL>_NO, _COLOR and _ICON change the built-in levels at start-up", () => {
  const result = runNode(
    `const { logger } = require("logsight"); logger.remove();
     logger.add((m) => process.stdout.write(m), { format: "{level.no} {level.icon} {message}", level: 0 });
     logger.debug("moved"); console.log(JSON.stringify(logger.level("DEBUG")));`,
    { env: { LOGSIGHT_DEBUG_NO: "15", LOGSIGHT_DEBUG_ICON: "D", LOGSIGHT_DEBUG_COLOR: "<red>" } },
  );
  assert.equal(result.status, 0, result.stderr);
  const [line, json] = result.stdout.trim().split("\n");
  assert.equal(line, "15 D moved");
  assert.deepEqual(JSON.parse(json), { name: "DEBUG", no: 15, color: "<red>", icon: "D" });
});

test("level() and configure({ levels }) refuse a color whose markup does not parse, naming the level and the color", () => {
  assert.throws(() => logger.level("BADCOLOR", { no: 33, color: "<nope>" }), /Invalid level color "<nope>" for level 'BADCOLOR': Unknown color tag "<nope>"/);
  assert.throws(() => logger.level("BADCOLOR"), /Level 'BADCOLOR' does not exist/);
  assert.throws(() => logger.level("INFO", { color: "<bogus>" }), /Invalid level color "<bogus>" for level 'INFO'/);
  assert.throws(() => logger.configure({ levels: [{ name: "BADCOLOR2", no: 34, color: "</red>" }] }), /Invalid level color "<\/red>" for level 'BADCOLOR2'/);
  // The refused update left INFO's color alone: colored INFO lines still render.
  const { messages } = collect({ format: "<level>{message}</level>", colorize: true });
  logger.info("still colored");
  assert.deepEqual(messages, ["\x1b[1mstill colored\x1b[0m\n"]);
  assert.equal(logger.level("INFO").color, "<bold>");
});

test("LOGSIGHT_<LEVEL>_COLOR with markup that does not parse is an error naming the variable and its value", () => {
  const result = runNode(`require("logsight")`, { env: { LOGSIGHT_INFO_COLOR: "<bogus>" } });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /Invalid environment variable LOGSIGHT_INFO_COLOR="<bogus>": expected color markup such as "<red><bold>" \(Unknown color tag "<bogus>"/);
});

test("a level that is neither a name nor an integer is refused with its value, wherever a level is given", () => {
  assert.throws(() => logger.add(() => {}, { level: 1.5 }), /Invalid level 1\.5, it should be an integer or a string, not: 'number'/);
  assert.throws(() => logger.add(() => {}, { level: { no: 5 } as never }), /Invalid level \{ no: 5 \}, it should be an integer or a string/);
  assert.throws(() => logger.log(2.5 as never, "x"), /Invalid level 2\.5, it should be an integer or a string/);
  assert.throws(() => logger.level("NEWNO", { no: "5" as never }), /Invalid level no "5", it should be an integer/);
  assert.throws(() => logger.level("INFO", { icon: 7 as never }), /Invalid level icon 7, it should be a string/);
  assert.throws(() => logger.level("INFO", { color: 7 as never }), /Invalid level color 7, it should be a string/);
});

test("level() refuses an option it does not know, naming it", () => {
  assert.throws(() => logger.level("COLOURED", { no: 33, colour: "<red>" } as never), /Unknown option 'colour' for level 'COLOURED': it takes \{ no, color, icon \}/);
  assert.throws(() => logger.level("COLOURED"), /does not exist/);
});
