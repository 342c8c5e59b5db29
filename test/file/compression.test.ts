import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { logger } from "logsight";
import { settle } from "./settle";

logger.remove();

/** How to read back each format with the system's own tools. */
const decoders: Record<string, (archive: string, dir: string) => string> = {
  gz: (archive) => execFileSync("gzip", ["-dc", archive], { encoding: "utf8" }),
  bz2: (archive) => execFileSync("bzip2", ["-dc", archive], { encoding: "utf8" }),
  xz: (archive) => execFileSync("xz", ["-dc", archive], { encoding: "utf8" }),
  // The xz container, as Python's lzma module writes it.
  lzma: (archive) => execFileSync("xz", ["--format=xz", "-dc", archive], { encoding: "utf8" }),
  tar: (archive) => untar(archive, []),
  "tar.gz": (archive) => untar(archive, ["-z"]),
  "tar.bz2": (archive) => untar(archive, ["-j"]),
  "tar.xz": (archive) => untar(archive, ["-J"]),
  zip: (archive) => {
    assert.equal(execFileSync("unzip", ["-Z1", archive], { encoding: "utf8" }).trim(), "app.log");
    execFileSync("unzip", ["-tq", archive]);
    return execFileSync("unzip", ["-p", archive, "app.log"], { encoding: "utf8" });
  },
};

function untar(archive: string, flags: string[]): string {
  assert.equal(execFileSync("tar", [...flags, "-tf", archive], { encoding: "utf8" }).trim(), "app.log");
  return execFileSync("tar", [...flags, "-xOf", archive], { encoding: "utf8" });
}

function expectedText(count: number): string {
  let text = "";
  for (let i = 0; i < count; i++) text += `message ${i} ünïcödé ${"z".repeat(i % 50)}\n`;
  return text;
}

for (const [format, decode] of Object.entries(decoders)) {
  test(`compression "${format}" replaces the file at stop with an archive holding the same text`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `logsight-${format}-`));
    try {
      const file = path.join(dir, "app.log");
      const id = logger.add(file, { format: "{message}", compression: format });
      for (let i = 0; i < 2000; i++) logger.info(`message ${i} ünïcödé ${"z".repeat(i % 50)}`);
      logger.remove(id);
      await settle(() => !fs.existsSync(file));
      assert.deepEqual(fs.readdirSync(dir), [`app.log.${format}`]);
      assert.equal(decode(path.join(dir, `app.log.${format}`), dir), expectedText(2000));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

test("an archive already at the target is kept under a dated name, not overwritten", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-gz-twice-"));
  try {
    const file = path.join(dir, "app.log");
    for (const run of ["first", "second"]) {
      const id = logger.add(file, { format: "{message}", compression: "gz" });
      logger.info(`${run} run`);
      logger.remove(id);
      await settle(() => !fs.existsSync(file));
    }
    const names = fs.readdirSync(dir).sort();
    assert.equal(names.length, 2);
    assert.ok(names.includes("app.log.gz"));
    const dated = names.find((name) => name !== "app.log.gz")!;
    assert.match(dated, /^app\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}\.log\.gz$/);
    assert.equal(decoders.gz!(path.join(dir, dated), dir), "first run\n");
    assert.equal(decoders.gz!(path.join(dir, "app.log.gz"), dir), "second run\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("rotated files are compressed after the new file is open; the current file stays plain", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-rot-xz-"));
  try {
    const file = path.join(dir, "app.log");
    const id = logger.add(file, { format: "{message}", rotation: "1 KB", compression: "xz" });
    for (let i = 0; i < 100; i++) logger.info(`line ${i} ${"y".repeat(20)}`);
    await logger.complete();
    const names = fs.readdirSync(dir).sort();
    assert.ok(names.includes("app.log"));
    const archives = names.filter((name) => name.endsWith(".log.xz"));
    assert.equal(archives.length, names.length - 1);
    assert.ok(archives.length >= 2);
    let text = "";
    for (const name of archives) text += decoders.xz!(path.join(dir, name), dir);
    logger.remove(id);
    text += fs.readFileSync(file, "utf8");
    const expected = Array.from({ length: 100 }, (_, i) => `line ${i} ${"y".repeat(20)}\n`).join("");
    assert.equal(text, expected);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a compression function receives the closed file's path", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-cfn-"));
  try {
    const file = path.join(dir, "app.log");
    const seen: Array<[string, string]> = [];
    const id = logger.add(file, {
      format: "{message}",
      rotation: "10 B",
      compression: async (closed: string) => {
        seen.push([path.basename(closed), fs.readFileSync(closed, "utf8")]);
      },
    });
    logger.info("first message");
    logger.info("second message");
    await logger.complete();
    logger.remove(id);
    assert.equal(seen.length, 1);
    assert.match(seen[0]![0], /^app\.\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}\.log$/);
    assert.equal(seen[0]![1], "first message\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an unknown compression format is refused at add()", () => {
  assert.throws(
    () => logger.add(path.join(os.tmpdir(), "never.log"), { compression: "rar", delay: true }),
    /^Error: Invalid compression "rar": expected one of gz, bz2, xz, lzma, tar, tar\.gz, tar\.bz2, tar\.xz, zip, or a function$/,
  );
});

for (const [format, library, hint] of [
  ["xz", "@napi-rs/lzma", "; a bundle loads it from node_modules where it runs"],
  ["tar.bz2", "libbzip2-wasm", "; a bundle loads it from node_modules where it runs"],
  ["zip", "fflate", ""],
]) {
  test(`a ${format} compression whose library cannot load is refused at add(), not at rotation`, () => {
    const child = path.join(__dirname, "child-logger.js");
    const file = path.join(os.tmpdir(), "never-created.log");
    const result = spawnSync(process.execPath, [child, "missing-library", file, format!, library!], { encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      result.stdout,
      `Invalid compression "${format}": its library cannot be loaded (Cannot find module '${library}')${hint}\n`,
    );
  });
}

test("a tar archive keeps a file name longer than 100 bytes whole", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-longtar-"));
  try {
    const name = `${"long-name-".repeat(12)}.log`;
    const file = path.join(dir, name);
    const id = logger.add(file, { format: "{message}", compression: "tar" });
    logger.info("inside");
    logger.remove(id);
    await settle(() => !fs.existsSync(file));
    const archive = `${file}.tar`;
    assert.equal(execFileSync("tar", ["-tf", archive], { encoding: "utf8" }), `${name}\n`);
    assert.equal(execFileSync("tar", ["-xOf", archive, name], { encoding: "utf8" }), "inside\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
