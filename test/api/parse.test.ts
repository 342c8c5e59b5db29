import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { logger } from "logsight";
import { MatchScanner, compileParsePattern } from "../../src/parse";
import { tempDir } from "../helpers";

let dir: string;
let file: string;
const LINES: string[] = [];
for (let i = 0; i < 40; i++) LINES.push(`${i} - message ${i} é€😀 ${"x".repeat(i % 5)}`);

before(() => {
  dir = tempDir("logsight-parse-");
  file = path.join(dir, "app.log");
  fs.writeFileSync(file, LINES.join("\n") + "\n");
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function collectAll<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const EXPECTED = LINES.map((line, i) => ({ lvl: String(i), msg: line.slice(String(i).length + 3) }));

test("yields the named groups of every match, whatever the chunk size (matches and characters split across reads)", async () => {
  for (const chunk of [1, 2, 3, 5, 7, 16, 100, 65536, undefined]) {
    const got = await collectAll(logger.parse(file, /(?<lvl>\d+) - (?<msg>.*)/, chunk === undefined ? {} : { chunk }));
    assert.deepEqual(got, EXPECTED, `chunk ${chunk}`);
  }
});

test("accepts Python-style named groups in a string pattern", async () => {
  const got = await collectAll(logger.parse(file, String.raw`(?P<lvl>\d+) - (?P<msg>.*)`, { chunk: 3 }));
  assert.deepEqual(got, EXPECTED);
  const repeated = path.join(dir, "repeated.log");
  fs.writeFileSync(repeated, "ab ab\nab cd\n");
  assert.deepEqual(await collectAll(logger.parse(repeated, String.raw`(?P<w>\w+) (?P=w)`)), [{ w: "ab" }]);
});

test("a string pattern matches ^ and $ at line boundaries", async () => {
  const got = await collectAll(logger.parse(file, String.raw`^(?<lvl>\d)$|^(?<one>1) -`, { chunk: 4 }));
  assert.equal(got.length, 1);
  assert.deepEqual({ ...got[0] }, { lvl: undefined, one: "1" });
});

test("cast converts groups by table or in place by function", async () => {
  const byTable = await collectAll(logger.parse(file, /(?<lvl>\d+) - (?<msg>\S+)/, { cast: { lvl: Number, msg: (s) => s.toUpperCase() } }));
  assert.deepEqual(byTable[3], { lvl: 3, msg: "MESSAGE" });
  const inPlace = await collectAll(
    logger.parse(file, /(?<lvl>\d+) - (?<msg>\S+)/, {
      cast: (groups) => {
        groups.even = Number(groups.lvl) % 2 === 0;
        delete groups.msg;
      },
    }),
  );
  assert.deepEqual(inPlace.slice(0, 2), [{ lvl: "0", even: true }, { lvl: "1", even: false }]);
});

test("a cast table skips groups that did not take part in the match", async () => {
  const sparse = path.join(dir, "sparse.log");
  fs.writeFileSync(sparse, "a=1\nb\n");
  const got = await collectAll(logger.parse(sparse, /(?<key>[a-z])(?:=(?<value>\d))?/, { cast: { value: Number } }));
  assert.deepEqual(got, [{ key: "a", value: 1 }, { key: "b", value: undefined }]);
});

test("multi-line entries are not cut at chunk boundaries", async () => {
  const entries = path.join(dir, "entries.log");
  fs.writeFileSync(entries, "E1 start\n  more 1\n  more 2\nE2 single\nE3 last\n  tail\n");
  for (const chunk of [1, 2, 5, 9, 1000]) {
    const got = await collectAll(logger.parse(entries, /^(?<head>E\d) (?<body>.*(?:\n  .*)*)/m, { chunk }));
    assert.deepEqual(
      got,
      [
        { head: "E1", body: "start\n  more 1\n  more 2" },
        { head: "E2", body: "single" },
        { head: "E3", body: "last\n  tail" },
      ],
      `chunk ${chunk}`,
    );
  }
});

test("a match is not handed out while the unfinished last line could still extend it", async () => {
  // Read two bytes at a time, "ab c" is first seen as "ab", where "a" and "b" both match on their own.
  const tricky = path.join(dir, "tricky.log");
  fs.writeFileSync(tricky, "ab c\nx\n");
  const got = await collectAll(logger.parse(tricky, /(?<t>ab c|a|b|x)/, { chunk: 2 }));
  assert.deepEqual(got.map((g) => g.t), ["ab c", "x"]);
});

test("reads from a stream, including bytes split inside a character", async () => {
  const bytes = Buffer.from(LINES.join("\n") + "\n", "utf8");
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 3) pieces.push(bytes.subarray(i, i + 3));
  const got = await collectAll(logger.parse(Readable.from(pieces), /(?<lvl>\d+) - (?<msg>.*)/));
  assert.deepEqual(got, EXPECTED);
  const text = await collectAll(logger.parse(Readable.from(["1 - a\n2 -", " b\n"]), /(?<lvl>\d+) - (?<msg>.*)/));
  assert.deepEqual(text, [{ lvl: "1", msg: "a" }, { lvl: "2", msg: "b" }]);
});

test("a long stretch without matches is not kept in memory, and matches after it are found", async () => {
  const scanner = new MatchScanner(compileParsePattern(String.raw`(?<n>\d+) - ok`), 1000);
  const junk = "no match on this line\n".repeat(10);
  let found = 0;
  for (let i = 0; i < 500; i++) {
    found += scanner.push(junk).length;
    assert.ok(scanner.pendingLength < 2000, `pending text stays bounded (${scanner.pendingLength})`);
  }
  found += scanner.push("7 - ok\n").length + scanner.push(junk).length + scanner.end().length;
  assert.equal(found, 1);

  const big = path.join(dir, "big.log");
  fs.writeFileSync(big, "junk line without the pattern\n".repeat(80_000) + "42 - ok\n");
  const got = await collectAll(logger.parse(big, /(?<n>\d+) - ok/, { chunk: 4096 }));
  assert.deepEqual(got, [{ n: "42" }]);
});

test("breaking out of the loop closes the file", async () => {
  const openFds = (): number => fs.readdirSync("/proc/self/fd").length;
  const before = openFds();
  for (let round = 0; round < 5; round++) {
    for await (const groups of logger.parse(file, /(?<lvl>\d+)/, { chunk: 8 })) {
      assert.equal(groups.lvl, "0");
      break;
    }
  }
  assert.equal(openFds(), before);
});

test("the iterable can be iterated again", async () => {
  const parsed = logger.parse(file, /(?<lvl>\d+) - /);
  assert.equal((await collectAll(parsed)).length, 40);
  assert.equal((await collectAll(parsed)).length, 40);
});

test("a missing file rejects when iteration starts", async () => {
  await assert.rejects(collectAll(logger.parse(path.join(dir, "missing.log"), /x/)), { code: "ENOENT" });
});

test("wrong arguments throw at once, naming the argument", () => {
  const cases: ReadonlyArray<readonly [() => unknown, RegExp]> = [
    [() => logger.parse(42 as unknown as string, /x/), /Invalid file 42/],
    [() => logger.parse({} as unknown as string, /x/), /Invalid file/],
    [() => logger.parse(file, 42 as unknown as string), /Invalid pattern 42/],
    [() => logger.parse(file, "(unclosed"), /Invalid pattern "\(unclosed"/],
    [() => logger.parse(file, /x/, { cast: 5 as never }), /Invalid cast 5/],
    [() => logger.parse(file, /x/, { cast: { lvl: "int" } as never }), /Invalid cast\.lvl "int"/],
    [() => logger.parse(file, /x/, { chunk: 0 }), /Invalid chunk 0/],
    [() => logger.parse(file, /x/, { chunk: -1 }), /Invalid chunk -1/],
    [() => logger.parse(file, /x/, { chunk: 1.5 }), /Invalid chunk 1\.5/],
    [() => logger.parse(file, /x/, { chunk: "64" as unknown as number }), /Invalid chunk "64"/],
  ];
  for (const [call, message] of cases) assert.throws(call, message);
});
