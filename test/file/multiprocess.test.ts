import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const child = path.join(__dirname, "child-logger.js");
const LIMIT = 256_000;

/** Children are ended after 60 s: a guard against a hang, far beyond their work even on a loaded machine. */
function runChild(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ["ignore", "ignore", "inherit"], timeout: 60_000 });
    proc.on("error", reject);
    proc.on("exit", (code) => resolve(code));
  });
}

async function logFromProcesses(dir: string, processes: number, lines: number, options: object): Promise<Map<string, string>> {
  const file = path.join(dir, "app.log");
  const codes = await Promise.all(
    Array.from({ length: processes }, (_, index) => runChild(["lines", file, String(lines), `p${index}`, JSON.stringify(options)])),
  );
  assert.deepEqual(codes, Array(processes).fill(0));
  const contents = new Map<string, string>();
  for (const name of fs.readdirSync(dir)) contents.set(name, fs.readFileSync(path.join(dir, name), "utf8"));
  return contents;
}

function assertEveryLineOnceAndWhole(contents: Map<string, string>, processes: number, lines: number): void {
  const seen = new Set<string>();
  for (const [name, text] of contents) {
    assert.ok(text === "" || text.endsWith("\n"), `${name} ends with a partial line`);
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const match = /^(p\d+) (\d+) (x*) end$/.exec(line);
      assert.ok(match, `${name} holds a split or interleaved line: ${JSON.stringify(line.slice(0, 80))}`);
      assert.equal(match[3]!.length, Number(match[2]) % 40, `${name} holds a damaged line`);
      assert.ok(!seen.has(line), `${line} was written twice`);
      seen.add(line);
    }
  }
  assert.equal(seen.size, processes * lines);
}

test("4 processes logging 20k lines each to one rotating file lose, split and duplicate no line", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-multi-"));
  try {
    const contents = await logFromProcesses(dir, 4, 20_000, { rotation: "256 KB" });
    assertEveryLineOnceAndWhole(contents, 4, 20_000);
    const rotated = [...contents.keys()].filter((name) => name !== "app.log" && name.endsWith(".log"));
    assert.ok(rotated.length >= 8, `expected many rotations, got ${rotated.length}`);
    for (const name of rotated) {
      assert.match(name, /^app\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}(\.\d+)?\.log$/);
      const size = Buffer.byteLength(contents.get(name)!);
      // Rotated once per limit: a second rotation by another process would leave a small file.
      assert.ok(size > LIMIT / 2, `${name} has only ${size} bytes: rotated twice?`);
      assert.ok(size <= LIMIT + 4 * 100, `${name} has ${size} bytes, far over the limit`);
    }
    assert.deepEqual([...contents.keys()].filter((name) => name.startsWith(".")), [], "a lock file was left behind");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("processes sharing a rotating, gzip-compressed file lose no line", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-multi-gz-"));
  try {
    const contents = await logFromProcesses(dir, 3, 5_000, { rotation: "64 KB", compression: "gz" });
    const zlib = await import("node:zlib");
    const expanded = new Map<string, string>();
    for (const name of contents.keys()) {
      const full = path.join(dir, name);
      expanded.set(name, name.endsWith(".gz") ? zlib.gunzipSync(fs.readFileSync(full)).toString("utf8") : fs.readFileSync(full, "utf8"));
    }
    assert.ok([...expanded.keys()].some((name) => name.endsWith(".log.gz")));
    assert.deepEqual([...expanded.keys()].filter((name) => name.includes("partial")), []);
    assertEveryLineOnceAndWhole(expanded, 3, 5_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("processes with block buffering on one rotating file lose, split and duplicate no line", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-multi-buf-"));
  try {
    const contents = await logFromProcesses(dir, 3, 10_000, { rotation: "64 KB", buffering: 4096 });
    assert.ok(contents.size >= 4);
    assertEveryLineOnceAndWhole(contents, 3, 10_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a lock left by a process that died is broken, and rotation goes on", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-stale-"));
  try {
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = dead.pid!;
    await new Promise((resolve) => dead.on("exit", resolve));
    fs.writeFileSync(path.join(dir, ".app.log.lock"), `${deadPid}\n`);
    const contents = await logFromProcesses(dir, 1, 2_000, { rotation: "8 KB" });
    assert.ok(contents.size >= 4, `only ${[...contents.keys()]}`);
    assert.ok(!contents.has(".app.log.lock"));
    assertEveryLineOnceAndWhole(contents, 1, 2_000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
