import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { emptyProject, npm, packTarball } from "./pack";

const tarball = packTarball();
const project = emptyProject();
// Dependencies come from npm's cache when it has them (a clean `npm ci` fills it).
const install = npm(["install", "--prefer-offline", tarball], project);

test.after(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});

test("the packed tarball installs into an empty project without a warning and without install scripts", () => {
  assert.equal(install.status, 0, install.stderr);
  assert.doesNotMatch(install.stderr, /warn|ERR/i, install.stderr);
  assert.match(install.stdout, /added \d+ packages?/);
  const manifest = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "logsight", "package.json"), "utf8"));
  for (const hook of ["preinstall", "install", "postinstall", "prepare"]) assert.equal(manifest.scripts?.[hook], undefined, hook);
});

test("under --enable-source-maps a stack through logsight names source files that are in the package, at lines that exist", () => {
  const script = `
    const { logger } = require("logsight");
    try { logger.add("never.log", { rotation: "every blue moon", delay: true }); } catch (error) { console.log(error.stack); }
  `;
  const run = spawnSync(process.execPath, ["--enable-source-maps", "-e", script], { cwd: project, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const installed = path.join(project, "node_modules", "logsight");
  const frames = [...run.stdout.matchAll(/\(?(\/[^\s()]+):(\d+):\d+\)?$/gm)].map((match) => ({ file: match[1]!, line: Number(match[2]) }));
  const ours = frames.filter((frame) => frame.file.startsWith(installed + path.sep));
  assert.ok(ours.some((frame) => frame.file.endsWith(".ts")), run.stdout);
  for (const frame of ours) {
    assert.ok(fs.existsSync(frame.file), `${frame.file} is named in the stack but not in the package`);
    assert.ok(fs.readFileSync(frame.file, "utf8").split("\n").length >= frame.line, `${frame.file}:${frame.line}`);
  }
});

test("every compression format loads and writes from the installed package", () => {
  const dir = fs.mkdtempSync(path.join(project, "logs-"));
  const script = `
    const { logger } = require("logsight");
    logger.remove();
    const formats = ["gz", "bz2", "xz", "lzma", "tar", "tar.gz", "tar.bz2", "tar.xz", "zip"];
    for (const format of formats) {
      const id = logger.add(${JSON.stringify(dir)} + "/app-" + format.replace(".", "-") + ".log", { format: "{message}", compression: format });
      logger.info("line for " + format);
      logger.remove(id);
    }
  `;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
  // The child has exited: every archive was finished before its event loop emptied.
  assert.equal(fs.readdirSync(dir).filter((name) => !name.endsWith(".log")).length, 9, fs.readdirSync(dir).join(" "));
  assert.equal(execFileSync("xz", ["-dc", path.join(dir, "app-xz.log.xz")], { encoding: "utf8" }), "line for xz\n");
  assert.equal(execFileSync("xz", ["-dc", path.join(dir, "app-lzma.log.lzma")], { encoding: "utf8" }), "line for lzma\n");
  assert.equal(execFileSync("tar", ["-xJOf", path.join(dir, "app-tar-xz.log.tar.xz")], { encoding: "utf8" }), "line for tar.xz\n");
  assert.equal(execFileSync("bzip2", ["-dc", path.join(dir, "app-bz2.log.bz2")], { encoding: "utf8" }), "line for bz2\n");
});

test("an ES module of the installed project imports every entry point by name, and logsight by default", () => {
  const script = `
    import logger, { logger as named } from "logsight";
    import { formatException } from "logsight/diagnose";
    import { requestLogger } from "logsight/express";
    import { NestLogger } from "logsight/nest";
    import { otelSink } from "logsight/otel";
    import { createRequire } from "node:module";
    const cjs = createRequire(import.meta.url)("logsight");
    logger.info("imported");
    console.log(logger === named, named === cjs.logger, [formatException, requestLogger, NestLogger, otelSink].map((f) => typeof f).join(" "));
  `;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: project, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "true true function function function function\n");
  assert.match(run.stderr, /imported/);
});
