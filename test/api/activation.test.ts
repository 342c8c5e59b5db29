import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { logger, type Logger } from "logsight";
import { tempDir } from "../helpers";

type LogFrom = (log: Logger, message: string) => void;

let root: string;
/** Modules that log, keyed by the record name their calls get: `lib/src/db`, `libx/index`, ... */
const sources: { [name: string]: LogFrom } = {};

function writePackage(dir: string, packageName: string, files: string[]): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: packageName }));
  for (const file of files) {
    const full = path.join(dir, file + ".js");
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, "module.exports = (log, message) => log.info(message);\n");
    sources[`${packageName}/${file}`] = require(full) as LogFrom;
  }
}

before(() => {
  root = tempDir("logsight-activation-");
  writePackage(path.join(root, "lib"), "lib", ["index", "src/db", "src/db/pool", "src/http"]);
  writePackage(path.join(root, "libx"), "libx", ["index"]);
  writePackage(path.join(root, "app"), "app", ["main"]);
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

beforeEach(() => {
  logger.remove();
  logger.enable("");
});

/** Logs once from every module and returns the names of those that got through. */
function enabledNames(): string[] {
  const seen: string[] = [];
  const id = logger.add((_message, record) => void seen.push(record.name), { format: "{message}" });
  try {
    for (const [name, logFrom] of Object.entries(sources)) logFrom(logger, name);
  } finally {
    logger.remove(id);
  }
  return seen.sort();
}

const ALL = ["app/main", "lib/index", "lib/src/db", "lib/src/db/pool", "lib/src/http", "libx/index"];

test("records from the temporary packages carry their package-relative names", () => {
  assert.deepEqual(enabledNames(), ALL);
});

test("disable(name) silences the name and everything under it, on '/' boundaries", () => {
  logger.disable("lib");
  assert.deepEqual(enabledNames(), ["app/main", "libx/index"]);
});

test("disable() of a sub-path leaves its siblings and parents alone", () => {
  logger.disable("lib/src/db");
  assert.deepEqual(enabledNames(), ["app/main", "lib/index", "lib/src/http", "libx/index"]);
});

test("the deepest rule wins: enable() under a disabled name", () => {
  logger.disable("lib");
  logger.enable("lib/src/db");
  assert.deepEqual(enabledNames(), ["app/main", "lib/src/db", "lib/src/db/pool", "libx/index"]);
  logger.disable("lib/src/db/pool");
  assert.deepEqual(enabledNames(), ["app/main", "lib/src/db", "libx/index"]);
});

test("a rule replaces the rules below it", () => {
  logger.disable("lib/src/db");
  logger.enable("lib/src/http");
  logger.disable("lib");
  assert.deepEqual(enabledNames(), ["app/main", "libx/index"]);
  logger.enable("lib");
  assert.deepEqual(enabledNames(), ALL);
});

test("disable(\"\") silences everything, enable(\"\") restores everything", () => {
  logger.disable("");
  assert.deepEqual(enabledNames(), []);
  logger.enable("app");
  assert.deepEqual(enabledNames(), ["app/main"]);
  logger.enable("");
  assert.deepEqual(enabledNames(), ALL);
});

test("a decision is recomputed after the rules change", () => {
  logger.disable("app");
  const withoutApp = ALL.filter((name) => name !== "app/main");
  assert.deepEqual(enabledNames(), withoutApp);
  logger.disable("libx");
  assert.deepEqual(enabledNames(), withoutApp.filter((name) => name !== "libx/index"));
  logger.enable("libx");
  assert.deepEqual(enabledNames(), withoutApp);
  logger.enable("app");
  assert.deepEqual(enabledNames(), ALL);
});

test("configure({ activation }) applies its pairs in order", () => {
  logger.configure({ activation: [["lib", false], ["lib/src/http", true], ["app", false]] });
  assert.deepEqual(enabledNames(), ["lib/src/http", "libx/index"]);
  logger.configure({ activation: [["", true], ["libx", false]] });
  assert.deepEqual(enabledNames(), ALL.filter((name) => name !== "libx/index"));
});

test("disable() and enable() reject a name that is not a string", () => {
  assert.throws(() => logger.disable(42 as unknown as string), /disable\(\).*number/);
  assert.throws(() => logger.enable({} as unknown as string), /enable\(\)/);
  assert.throws(() => logger.configure({ activation: [["lib", "no" as unknown as boolean]] }), /activation/);
});
