import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { runFixture, tempDir } from "./support";

const MESSAGES = 10_000;
const OUTPUTS = ["function.log", "async.log", "stream.log", "file.log", "enqueue.log"];

function idsIn(text: string): Set<number> {
  const ids = new Set<number>();
  for (const match of text.matchAll(/#(\d+)#/g)) ids.add(Number(match[1]));
  return ids;
}

for (const serialize of ["off", "on"]) {
  test(`10,000 hostile payloads through every sink kind, serialize ${serialize}: no throw, no report, every message written`, () => {
    const dir = tempDir();
    try {
      const result = runFixture("hostile-child.js", [dir, serialize]);
      assert.equal(result.status, 0, result.stderr.slice(-1000));
      assert.equal(result.stdout, "threw 0\n");
      assert.equal(result.stderr, "");
      for (const name of OUTPUTS) {
        const text = fs.readFileSync(path.join(dir, name), "utf8");
        assert.equal(idsIn(text).size, MESSAGES, `${name}: distinct messages`);
        if (serialize === "on") {
          const lines = text.split("\n");
          assert.equal(lines.pop(), "", `${name} ends with a newline`);
          assert.equal(lines.length, MESSAGES, `${name}: one JSON line per message`);
          for (const line of lines) JSON.parse(line);
        }
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
