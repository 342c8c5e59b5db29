import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { logger, type FilterOption } from "logsight";

beforeEach(() => logger.remove());

/** Logs one message per [name, level] through a patcher that sets the record's name; returns what passed. */
function passing(filter: FilterOption, calls: ReadonlyArray<readonly [string, string]>, level: string | number = 0): string[] {
  const seen: string[] = [];
  const id = logger.add((_message, record) => void seen.push(`${record.name}@${record.level.name}`), { filter, level, format: "{message}" });
  try {
    for (const [name, levelName] of calls) {
      logger.patch((record) => void (record.name = name)).log(levelName, "m");
    }
  } finally {
    logger.remove(id);
  }
  return seen;
}

test("a string filter accepts the name and its children on '/' boundaries", () => {
  const cases: ReadonlyArray<readonly [string, boolean]> = [
    ["app", true],
    ["app/db", true],
    ["app/db/pool", true],
    ["apple", false],
    ["ap", false],
    ["", false],
    ["other/app", false],
  ];
  for (const [name, accepted] of cases) {
    assert.deepEqual(passing("app", [[name, "INFO"]]), accepted ? [`${name}@INFO`] : [], `name ${JSON.stringify(name)}`);
  }
  for (const [name, accepted] of [["app/db", true], ["app/db/x", true], ["app/dbx", false], ["app", false]] as const) {
    assert.deepEqual(passing("app/db", [[name, "INFO"]]).length, accepted ? 1 : 0, `app/db vs ${name}`);
  }
});

test("a table filter lets the closest parent entry decide", () => {
  const table = { "": "INFO", lib: "WARNING", "lib/noisy": false, "lib/noisy/loud": "ERROR", other: true, numeric: 35 };
  const cases: ReadonlyArray<readonly [string, string, boolean]> = [
    ["app", "DEBUG", false],
    ["app", "INFO", true],
    ["app/deep/file", "INFO", true],
    ["lib", "INFO", false],
    ["lib", "WARNING", true],
    ["lib/db", "INFO", false],
    ["lib/db", "ERROR", true],
    ["lib/noisy", "CRITICAL", false],
    ["lib/noisy/x", "CRITICAL", false],
    ["lib/noisy/loud", "WARNING", false],
    ["lib/noisy/loud", "ERROR", true],
    ["lib/noisy2", "WARNING", true],
    ["libx", "DEBUG", false],
    ["libx", "INFO", true],
    ["other", "TRACE", true],
    ["other/sub", "TRACE", true],
    ["numeric", "WARNING", false],
    ["numeric", "ERROR", true],
    ["", "INFO", true],
    ["", "DEBUG", false],
  ];
  for (const [name, level, accepted] of cases) {
    assert.deepEqual(passing(table, [[name, level]]), accepted ? [`${name}@${level}`] : [], `${name} at ${level}`);
  }
});

test("a table without a \"\" entry accepts names it does not mention", () => {
  const table = { lib: false, "lib/keep": true };
  assert.deepEqual(
    passing(table, [["app", "TRACE"], ["lib", "CRITICAL"], ["lib/x", "CRITICAL"], ["lib/keep/y", "TRACE"], ["library", "TRACE"]]),
    ["app@TRACE", "lib/keep/y@TRACE", "library@TRACE"],
  );
});

test("the table's \"\" entry does not lower the handler's own level", () => {
  assert.deepEqual(passing({ "": "TRACE" }, [["app", "DEBUG"], ["app", "WARNING"]], "WARNING"), ["app@WARNING"]);
});

test("a table can name levels added with logger.level()", () => {
  logger.level("NOTICE_FILTER", { no: 27 });
  assert.deepEqual(passing({ "": "NOTICE_FILTER" }, [["a", "SUCCESS"], ["a", "NOTICE_FILTER"], ["a", "WARNING"]]), [
    "a@NOTICE_FILTER",
    "a@WARNING",
  ]);
});

test("a function filter decides per record", () => {
  const onlyTagged = (record: { extra: { [key: string]: unknown } }) => record.extra.tag === "x";
  const seen: string[] = [];
  const id = logger.add((message) => void seen.push(message), { filter: onlyTagged, format: "{message}" });
  logger.info("plain");
  logger.bind({ tag: "x" }).info("tagged");
  logger.info("kw", { tag: "y" });
  logger.remove(id);
  assert.deepEqual(seen, ["tagged\n"]);
});

test("undefined, null and \"\" mean no filter", () => {
  for (const filter of [undefined, null, ""]) {
    assert.deepEqual(passing(filter, [["a", "INFO"], ["b/c", "DEBUG"]]), ["a@INFO", "b/c@DEBUG"], `filter ${String(filter)}`);
  }
});

test("an empty table accepts everything", () => {
  assert.deepEqual(passing({}, [["a", "TRACE"]]), ["a@TRACE"]);
});

test("an invalid filter throws from add(), naming the option and the value", () => {
  const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
    [42, /filter 42/],
    [true, /filter true/],
    [["app"], /filter \[ 'app' \]/],
    [new Map([["a", "INFO"]]), /filter Map/],
    [{ lib: "NOPE" }, /filter.*"lib".*"NOPE".*does not exist/],
    [{ lib: -1 }, /filter.*"lib".*-1/],
    [{ lib: 1.5 }, /filter.*"lib".*1\.5/],
    [{ lib: null }, /filter.*"lib".*null/],
    [{ lib: { level: "INFO" } }, /filter.*"lib"/],
  ];
  for (const [filter, message] of cases) {
    assert.throws(() => logger.add(() => {}, { filter: filter as FilterOption }), message, `filter ${String(filter)}`);
  }
});
