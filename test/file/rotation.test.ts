import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { logger } from "logsight";
import type { LogRecord } from "../../src/types";
import { createFileSink } from "../../src/sinks/file/index";
import { compileRotation } from "../../src/sinks/file/rotation";

logger.remove();

const STAMPED = /^app\.(\d{4})-(\d{2})-(\d{2})_(\d{2})-(\d{2})-(\d{2})_(\d{6})(\.\d+)?\.log$/;

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-rotation-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function recordAt(time: number): LogRecord {
  return { time: Object.assign(new Date(time), { microsecond: (time % 1000) * 1000 }) } as unknown as LogRecord;
}

function local(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return new Date(year, month - 1, day, hour, minute, second).getTime();
}

test("size rotation renames the closed file with its creation time and never exceeds the limit", async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const id = logger.add(file, { format: "{message}", rotation: "100 B" });
  const lines = Array.from({ length: 40 }, (_, i) => `message number ${String(i).padStart(2, "0")}`);
  for (const line of lines) logger.info(line);
  logger.remove(id);
  const names = fs.readdirSync(dir).sort();
  const rotated = names.filter((name) => name !== "app.log");
  assert.ok(rotated.length >= 5);
  let text = "";
  for (const name of rotated) {
    const match = STAMPED.exec(name);
    assert.ok(match, name);
    const content = fs.readFileSync(path.join(dir, name), "utf8");
    assert.ok(Buffer.byteLength(content) <= 100, `${name} holds ${content.length} bytes`);
    assert.ok(content.length > 0);
    text += content;
  }
  text += fs.readFileSync(file, "utf8");
  assert.equal(text, lines.map((line) => `${line}\n`).join(""));
});

test("the stamp on a rotated file is the file's creation time", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const sink = createFileSink(file, { rotation: "10 B" }, (error) => assert.fail(String(error)));
  const created = fs.statSync(file).birthtimeMs;
  sink.write("0123456789\n", recordAt(Date.now()));
  sink.write("next\n", recordAt(Date.now()));
  sink.stop();
  const rotated = fs.readdirSync(dir).find((name) => name !== "app.log")!;
  const [, y, mo, d, h, mi, s, us] = STAMPED.exec(rotated)!.map(Number);
  const stamped = new Date(y!, mo! - 1, d!, h!, mi!, s!).getTime() + Math.floor(us! / 1000);
  assert.ok(Math.abs(stamped - Math.floor(created)) <= 1, `${rotated} vs ${new Date(created).toISOString()}`);
});

test("a message larger than the limit gets a file of its own and no empty file is left", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const sink = createFileSink(file, { rotation: 20 }, (error) => assert.fail(String(error)));
  const big = `${"B".repeat(50)}\n`;
  for (const message of ["small\n", big, big, "tail\n"]) sink.write(message, recordAt(Date.now()));
  sink.stop();
  const contents = fs.readdirSync(dir).sort().map((name) => fs.readFileSync(path.join(dir, name), "utf8"));
  assert.equal(contents.length, 4);
  assert.deepEqual(contents.filter((text) => text === ""), []);
  assert.deepEqual([...contents].sort(), ["small\n", big, big, "tail\n"].sort());
});

test("rotated names get a counter instead of overwriting a file of the same name", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const sink = createFileSink(file, { rotation: "5 B" }, (error) => assert.fail(String(error)));
  sink.write("first line\n", recordAt(Date.now()));
  // Take the name the closed file will want, so the sink must choose another.
  const created = new Date(fs.statSync(file).birthtimeMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const wanted =
    `app.${created.getFullYear()}-${pad(created.getMonth() + 1)}-${pad(created.getDate())}_` +
    `${pad(created.getHours())}-${pad(created.getMinutes())}-${pad(created.getSeconds())}_` +
    `${pad(Math.floor((fs.statSync(file).birthtimeMs % 1000) * 1000), 6)}.log`;
  fs.writeFileSync(path.join(dir, wanted), "someone else's\n");
  sink.write("second line\n", recordAt(Date.now()));
  sink.stop();
  assert.equal(fs.readFileSync(path.join(dir, wanted), "utf8"), "someone else's\n");
  const countered = wanted.replace(/\.log$/, ".2.log");
  assert.equal(fs.readFileSync(path.join(dir, countered), "utf8"), "first line\n");
  assert.equal(fs.readFileSync(file, "utf8"), "second line\n");
});

test("a {time} path opens a new file at each rotation without renaming", async (t) => {
  const dir = tempDir(t);
  const id = logger.add(path.join(dir, "app_{time}.log"), { format: "{message}", rotation: "30 B" });
  for (let i = 0; i < 6; i++) {
    logger.info(`message ${i} ${"-".repeat(10)}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  logger.remove(id);
  const names = fs.readdirSync(dir).sort();
  assert.ok(names.length >= 3);
  for (const name of names) assert.match(name, /^app_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}\.log$/);
  const text = names.map((name) => fs.readFileSync(path.join(dir, name), "utf8")).join("");
  assert.equal(text, Array.from({ length: 6 }, (_, i) => `message ${i} ${"-".repeat(10)}\n`).join(""));
});

test("a {time:...} path that renders the same name again renames the closed file", (t) => {
  const dir = tempDir(t);
  const sink = createFileSink(path.join(dir, "logs-{time:YYYY}", "app.log"), { rotation: "5 B" }, (error) => assert.fail(String(error)));
  sink.write("one line\n", recordAt(Date.now()));
  sink.write("two line\n", recordAt(Date.now()));
  sink.stop();
  const year = fs.readdirSync(dir)[0]!;
  assert.equal(year, `logs-${new Date().getFullYear()}`);
  const names = fs.readdirSync(path.join(dir, year)).sort();
  assert.equal(names.length, 2);
  assert.match(names[0]!, STAMPED);
  assert.equal(names[1], "app.log");
});

type Case = [rotation: string, created: number, notDue: number, due: number];
const timeCases: Case[] = [
  ["18:00", local(2026, 11, 24, 10), local(2026, 11, 24, 17, 59, 59), local(2026, 11, 24, 18)],
  ["18:00", local(2026, 11, 24, 19), local(2026, 11, 25, 17, 59, 59), local(2026, 11, 25, 18)],
  ["00:00", local(2026, 11, 24, 10), local(2026, 11, 24, 23, 59, 59), local(2026, 11, 25)],
  ["10 PM", local(2026, 11, 24, 10), local(2026, 11, 24, 21, 59), local(2026, 11, 24, 22)],
  // 2026-11-24 is a Tuesday.
  ["monday at 12:00", local(2026, 11, 24, 10), local(2026, 11, 30, 11, 59), local(2026, 11, 30, 12)],
  ["tuesday at 12:00", local(2026, 11, 24, 10), local(2026, 11, 24, 11, 59), local(2026, 11, 24, 12)],
  ["sunday", local(2026, 11, 24, 10), local(2026, 11, 28, 23, 59), local(2026, 11, 29)],
  ["w0", local(2026, 11, 24, 10), local(2026, 11, 29, 23, 59), local(2026, 11, 30)],
  ["hourly", local(2026, 11, 24, 10, 30), local(2026, 11, 24, 10, 59, 59), local(2026, 11, 24, 11)],
  ["daily", local(2026, 11, 24, 10, 30), local(2026, 11, 24, 23, 59, 59), local(2026, 11, 25)],
  ["weekly", local(2026, 11, 24, 10, 30), local(2026, 11, 29, 23, 59, 59), local(2026, 11, 30)],
  ["monthly", local(2026, 11, 24, 10, 30), local(2026, 11, 30, 23, 59, 59), local(2026, 12, 1)],
  ["monthly", local(2026, 12, 24, 10, 30), local(2026, 12, 31, 23, 59, 59), local(2027, 1, 1)],
  ["yearly", local(2026, 11, 24, 10, 30), local(2026, 12, 31, 23, 59, 59), local(2027, 1, 1)],
  ["1 h", local(2026, 11, 24, 10, 30), local(2026, 11, 24, 11, 29, 59), local(2026, 11, 24, 11, 30)],
  ["1 week, 3 days", local(2026, 11, 24, 10), local(2026, 12, 4, 9, 59), local(2026, 12, 4, 10)],
];

for (const [rotation, created, notDue, due] of timeCases) {
  test(`rotation ${JSON.stringify(rotation)} for a file created ${new Date(created).toString().slice(0, 21)} is due at ${new Date(due).toString().slice(0, 21)}`, () => {
    const rule = compileRotation(rotation)!;
    rule.reset(created);
    const file = { path: "app.log", size: 10, created };
    assert.equal(rule.isDue("m", 1, notDue, file), false);
    assert.equal(rule.isDue("m", 1, due, file), true);
    // After rotating, the next file starts a new period.
    rule.reset(due);
    assert.equal(rule.isDue("m", 1, due + 1, file), false);
  });
}

test("a list of rules rotates when any of them is due", () => {
  const rule = compileRotation(["1 KB", "daily"])!;
  const created = local(2026, 11, 24, 10);
  rule.reset(created);
  assert.equal(rule.usesSize, true);
  assert.equal(rule.isDue("m", 10, local(2026, 11, 24, 11), { path: "a", size: 100, created }), false);
  assert.equal(rule.isDue("m", 10, local(2026, 11, 24, 11), { path: "a", size: 1000, created }), true);
  assert.equal(rule.isDue("m", 10, local(2026, 11, 25, 0), { path: "a", size: 0, created }), true);
});

test("a rotation function sees the message and the file's path, size and creation time", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const seen: Array<{ message: string; path: string; size: number; created: Date }> = [];
  const sink = createFileSink(
    file,
    {
      rotation: (message, info) => {
        seen.push({ message, ...info });
        return message.startsWith("rotate");
      },
    },
    (error) => assert.fail(String(error)),
  );
  sink.write("hello\n", recordAt(Date.now()));
  sink.write("rotate now\n", recordAt(Date.now()));
  sink.stop();
  assert.equal(seen.length, 2);
  assert.deepEqual(
    seen.map(({ message, path: p, size }) => [message, p, size]),
    [
      ["hello\n", file, 0],
      ["rotate now\n", file, 6],
    ],
  );
  assert.ok(seen[0]!.created instanceof Date);
  assert.equal(fs.readFileSync(file, "utf8"), "rotate now\n");
});

test("after a restart, time rotation resumes the schedule of the existing file", (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "app.log");
  const fail = (error: unknown) => assert.fail(String(error));
  const first = createFileSink(file, { rotation: "1 hour" }, fail);
  const created = fs.statSync(file).birthtimeMs;
  first.write("first run\n", recordAt(created));
  first.stop();

  // The second run starts half an hour later: no early rotation...
  const second = createFileSink(file, { rotation: "1 hour" }, fail);
  second.write("second run, 30 min\n", recordAt(created + 30 * 60_000));
  assert.deepEqual(fs.readdirSync(dir), ["app.log"]);
  // ...and no late one either: the hour counts from the file's creation, not from this run's start.
  second.write("second run, 61 min\n", recordAt(created + 61 * 60_000));
  second.stop();
  const names = fs.readdirSync(dir).sort();
  assert.equal(names.length, 2);
  assert.equal(fs.readFileSync(path.join(dir, names[0]!), "utf8"), "first run\nsecond run, 30 min\n");
  assert.equal(fs.readFileSync(file, "utf8"), "second run, 61 min\n");
});
