import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { logger } from "logsight";

logger.remove();

const OURS = [
  "app.log",
  "app.2026-01-01_00-00-00_000000.log",
  "app.2026-01-02_00-00-00_000000.2.log",
  "app.2026-01-03_00-00-00_000000.log.gz",
  "app.2026-01-04_00-00-00_000000.log.tar.xz",
  "app.2026-01-05_00-00-00_000000.log.zip",
  "app.log.bz2",
];
const NOT_OURS = [
  "app.txt",
  "app.log.bak",
  "app.log.gz.partial-123",
  "app2.log",
  "other.log",
  "app.2026-01-01.log",
  "xapp.log",
  ".app.log.lock",
];

function populate(dir: string): void {
  const now = Date.now() / 1000;
  // OURS[0] newest, each next one a day older.
  OURS.forEach((name, index) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, name);
    fs.utimesSync(file, now - index * 86_400, now - index * 86_400);
  });
  for (const name of NOT_OURS) {
    fs.writeFileSync(path.join(dir, name), name);
    fs.utimesSync(path.join(dir, name), now - 100 * 86_400, now - 100 * 86_400);
  }
  fs.mkdirSync(path.join(dir, "app.2026-01-09_00-00-00_000000.log"));
}

function withDir(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-retention-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  populate(dir);
  return dir;
}

test("a retention function receives exactly this sink's files: current, rotated and archived", (t) => {
  const dir = withDir(t);
  let received: string[] = [];
  const id = logger.add(path.join(dir, "app.log"), { retention: (files: string[]) => void (received = files) });
  logger.remove(id);
  assert.deepEqual(received.map((file) => path.basename(file)).sort(), [...OURS].sort());
  assert.ok(received.every((file) => path.isAbsolute(file)));
});

test("a count keeps the newest files by the rotation time in their names, not their mtimes, touching nothing else", (t) => {
  const dir = withDir(t);
  const id = logger.add(path.join(dir, "app.log"), { retention: 3 });
  logger.remove(id);
  const left = fs.readdirSync(dir).sort();
  // The mtimes here run against the stamps (OURS[1] has the newest mtime and the oldest stamp).
  // Kept: the current file, the one without a stamp (dated by its mtime, days ago, after the
  // January stamps), and the newest stamp.
  const kept = ["app.log", "app.log.bz2", "app.2026-01-05_00-00-00_000000.log.zip"];
  assert.deepEqual(left, [...kept, ...NOT_OURS, "app.2026-01-09_00-00-00_000000.log"].sort());
});

test("an age removes the files not modified within it", (t) => {
  const dir = withDir(t);
  const id = logger.add(path.join(dir, "app.log"), { retention: "2 days and 12 hours" });
  logger.remove(id);
  const left = fs.readdirSync(dir).sort();
  assert.deepEqual(left, [...OURS.slice(0, 3), ...NOT_OURS, "app.2026-01-09_00-00-00_000000.log"].sort());
});

test("retention runs at each rotation on the rotated files: a count of 2 keeps 2 of them besides the file being written", async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-retention-rot-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "app.log");
  const id = logger.add(file, { format: "{message}", rotation: "20 B", retention: 2 });
  for (let i = 0; i < 10; i++) {
    logger.info(`message ${i} -------`);
    await logger.complete();
    assert.ok(fs.readdirSync(dir).length <= 3, `after message ${i}: ${fs.readdirSync(dir)}`);
  }
  logger.remove(id);
  const left = fs.readdirSync(dir).sort();
  assert.equal(left.length, 3);
  assert.match(left[0]!, /^app\.\d{4}-.*\.log$/);
  assert.match(left[1]!, /^app\.\d{4}-.*\.log$/);
  assert.deepEqual([left[0], left[1]].map((name) => fs.readFileSync(path.join(dir, name!), "utf8")), ["message 7 -------\n", "message 8 -------\n"]);
  assert.equal(left[2], "app.log");
  assert.equal(fs.readFileSync(file, "utf8"), "message 9 -------\n");
});

test("the files of a {time} path are selected by its pattern", (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-retention-time-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const name of ["app_2026-01-01.log", "app_2026-01-02.log.gz", "app_.log", "app.log", "other_2026.log"]) {
    fs.writeFileSync(path.join(dir, name), name);
  }
  let received: string[] = [];
  const id = logger.add(path.join(dir, "app_{time:YYYY-MM-DD}.log"), { retention: (files: string[]) => void (received = files) });
  logger.remove(id);
  const today = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  const current = `app_${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}.log`;
  assert.deepEqual(received.map((file) => path.basename(file)).sort(), [current, "app_2026-01-01.log", "app_2026-01-02.log.gz"].sort());
});
