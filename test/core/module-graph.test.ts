import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const distSrc = path.join(__dirname, "..", "..", "dist", "src");

/** The package's own modules each compiled module loads at require time (relative `require("./x")` calls). */
function requiresOf(file: string): string[] {
  const code = fs.readFileSync(path.join(distSrc, file), "utf8");
  const found: string[] = [];
  for (const match of code.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
    const target = path.relative(distSrc, path.resolve(path.dirname(path.join(distSrc, file)), match[1]!));
    found.push(target.endsWith(".js") ? target : `${target}.js`);
  }
  return found;
}

function reaches(from: string, to: string): boolean {
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !fs.existsSync(path.join(distSrc, file))) continue;
    seen.add(file);
    for (const next of requiresOf(file)) {
      if (next === to) return true;
      pending.push(next);
    }
  }
  return false;
}

test("catch and the logger do not load each other: the stack helpers live in caller", () => {
  assert.ok(reaches("logger.js", "catch.js"), "the logger loads catch (the check itself works)");
  assert.equal(reaches("catch.js", "logger.js"), false, "catch.js must not load logger.js, directly or through other modules");
});
