import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { isAppUrl, isOwnUrl } from "../../diagnose/capture/app-frames";

const root = path.resolve(__dirname, "../..");
const fileUrl = (...parts: string[]) => pathToFileURL(path.join(root, ...parts)).href;

test("which urls are the program's own code", () => {
  const table: Array<[url: string, includeNodeModules: boolean, expected: boolean]> = [
    ["file:///srv/app/server.js", false, true],
    ["/srv/app/server.js", false, true],
    ["", false, false],
    ["node:internal/modules/cjs/loader", false, false],
    ["node:fs", true, false],
    ["file:///srv/app/node_modules/pkg/index.js", false, false],
    ["file:///srv/app/node_modules/pkg/index.js", true, true],
    ["C:\\app\\node_modules\\pkg\\index.js", false, false],
    [fileUrl("src", "logger.js"), true, false],
    [fileUrl("dist", "src", "logger.js"), true, false],
    [fileUrl("diagnose", "capture", "session.ts"), true, false],
    [path.join(root, "dist", "diagnose", "render.js"), true, false],
    [fileUrl("test", "diagnose-capture", "x.test.ts"), false, true],
    [fileUrl("fixtures", "capture", "scenarios.js"), false, true],
    [fileUrl("srcfoo", "a.js"), false, true],
  ];
  for (const [url, includeNodeModules, expected] of table) {
    assert.equal(isAppUrl(url, includeNodeModules), expected, `${url} (includeNodeModules ${includeNodeModules})`);
  }
});

test("logsight's own folders are recognised in path and file-URL form", () => {
  assert.equal(isOwnUrl(fileUrl("diagnose", "index.js")), true);
  assert.equal(isOwnUrl(path.join(root, "src", "index.ts")), true);
  assert.equal(isOwnUrl(fileUrl("fixtures", "diagnose", "a.js")), false);
});
