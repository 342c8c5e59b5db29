import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import webpack from "webpack";
import { repoRoot, tempDir } from "../helpers";

/**
 * A project that uses logsight, as npm lays it out: the package and the two dependencies that a
 * bundle never contains (native xz, WebAssembly bzip2), so that bundles built here can run here.
 */
const project = tempDir("logsight-bundler-project-");
const modules = path.join(project, "node_modules");
fs.mkdirSync(modules);
fs.symlinkSync(repoRoot, path.join(modules, "logsight"), "dir");
for (const name of ["@napi-rs", "libbzip2-wasm"]) fs.symlinkSync(path.join(repoRoot, "node_modules", name), path.join(modules, name), "dir");
fs.copyFileSync(path.join(__dirname, "app.js"), path.join(project, "app.js"));

test.after(() => fs.rmSync(project, { recursive: true, force: true }));

interface AppReport {
  dir: string;
  results: { [feature: string]: string };
  files: string[];
  seen: string[];
}

function run(bundle: string): AppReport {
  const result = spawnSync(process.execPath, [bundle], { encoding: "utf8", timeout: 60_000, env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, "");
  const report = JSON.parse(result.stdout) as AppReport;
  return report;
}

/** What each file sink holds: the two messages (the second followed by its traceback). */
function assertBothMessages(text: string): void {
  assert.match(text, /^hello from the bundle\nPayment failed\n[^]*RangeError: bad coupon SPRING\n$/);
}

function checkLogged(report: AppReport): void {
  assert.equal(report.seen[0], "hello from the bundle\n");
  assert.match(report.seen[1]!, /^Payment failed\n/);
  assert.match(report.seen[1]!, /\nRangeError: bad coupon SPRING\n$/);
  // The capture engine works inside the bundle: the throwing line of the program is annotated.
  assert.match(report.seen[1]!, /, in priceOf\n    if \(percent > 100\) throw new RangeError\(`bad coupon \$\{coupon\.code\}`\);\n/);
  assert.match(report.seen[1]!, /\n        └ 120\n/);
  assertBothMessages(execFileSync("gzip", ["-dc", path.join(report.dir, "gz.log.gz")], { encoding: "utf8" }));
  assertBothMessages(execFileSync("unzip", ["-p", path.join(report.dir, "zip.log.zip")], { encoding: "utf8" }));
}

/** Runs the bundle where logsight is installed: every feature works. */
function checkInstalled(bundle: string): void {
  const report = run(bundle);
  try {
    assert.deepEqual(report.results, { enqueue: "added", gz: "added", zip: "added", xz: "added", "tar.bz2": "added" });
    assert.deepEqual(report.files, ["gz.log.gz", "queued.log", "tar-bz2.log.tar.bz2", "xz.log.xz", "zip.log.zip"]);
    checkLogged(report);
    assertBothMessages(fs.readFileSync(path.join(report.dir, "queued.log"), "utf8"));
    assertBothMessages(execFileSync("xz", ["-dc", path.join(report.dir, "xz.log.xz")], { encoding: "utf8" }));
    assertBothMessages(execFileSync("tar", ["-xjOf", path.join(report.dir, "tar-bz2.log.tar.bz2")], { encoding: "utf8" }));
  } finally {
    fs.rmSync(report.dir, { recursive: true, force: true });
  }
}

/** Runs a copy of the bundle alone in a directory: what needs node_modules is refused by add(), clearly; the rest works. */
function checkStandalone(bundle: string): void {
  const alone = tempDir("logsight-bundle-alone-");
  const copy = path.join(alone, path.basename(bundle));
  fs.copyFileSync(bundle, copy);
  const report = run(copy);
  try {
    assert.deepEqual(report.results, {
      enqueue:
        "refused: Invalid enqueue true: its worker thread runs dist/src/enqueue/worker.js of the logsight package, which this bundle " +
        "does not contain and which is not installed where it runs; keep logsight external to the bundle, or install it next to the bundle",
      gz: "added",
      zip: "added",
      xz: `refused: Invalid compression "xz": its library cannot be loaded (Cannot find module '@napi-rs/lzma'); a bundle loads it from node_modules where it runs`,
      "tar.bz2": `refused: Invalid compression "tar.bz2": its library cannot be loaded (Cannot find module 'libbzip2-wasm'); a bundle loads it from node_modules where it runs`,
    });
    assert.deepEqual(report.files, ["gz.log.gz", "zip.log.zip"]);
    checkLogged(report);
  } finally {
    fs.rmSync(report.dir, { recursive: true, force: true });
    fs.rmSync(alone, { recursive: true, force: true });
  }
}

test("esbuild --bundle --platform=node (CommonJS): no warning; the capture engine works; enqueue and compression work where logsight is installed, and are refused clearly by add() where it is not", async () => {
  const outfile = path.join(project, "dist", "esbuild.cjs");
  const result = await esbuild.build({ entryPoints: [path.join(project, "app.js")], bundle: true, platform: "node", outfile, logLevel: "silent" });
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.errors, []);
  checkInstalled(outfile);
  checkStandalone(outfile);
});

test("esbuild --bundle --platform=node --format=esm, with the createRequire banner: the same", async () => {
  const outfile = path.join(project, "dist", "esbuild.mjs");
  fs.writeFileSync(path.join(project, "entry.mjs"), 'import "./app.js";\n');
  const result = await esbuild.build({
    entryPoints: [path.join(project, "entry.mjs")],
    bundle: true,
    platform: "node",
    format: "esm",
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    outfile,
    logLevel: "silent",
  });
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.errors, []);
  checkInstalled(outfile);
  checkStandalone(outfile);
});

test("webpack, target node: no warning; the capture engine works; enqueue and compression work where logsight is installed, and are refused clearly by add() where it is not", async () => {
  const outDir = path.join(project, "dist");
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(
      { mode: "production", target: "node", context: project, entry: "./app.js", output: { path: outDir, filename: "webpack.js" }, optimization: { minimize: false } },
      (error, result) => (error || result === undefined ? reject(error) : resolve(result)),
    ),
  );
  const info = stats.toJson({ all: false, warnings: true, errors: true });
  assert.deepEqual(info.errors, []);
  assert.deepEqual(info.warnings, []);
  checkInstalled(path.join(outDir, "webpack.js"));
  checkStandalone(path.join(outDir, "webpack.js"));
});

// A bundler reads logsight's `module` condition (tsc's `export * from "./index.js"`), not the bridge Node
// imports, which loads the CommonJS build with a require no bundler follows.
test("an ES module importing logsight by name and by default bundles with esbuild and webpack, and runs", async () => {
  fs.writeFileSync(
    path.join(project, "esm-app.mjs"),
    `import logger, { logger as named, Logger } from "logsight";
     import { formatException } from "logsight/diagnose";
     logger.add((message) => process.stdout.write(message), { format: "{level}: {message}" });
     named.info("bundled");
     process.stdout.write([logger === named, logger instanceof Logger, typeof formatException].join(" ") + "\\n");`,
  );
  const esbuildOut = path.join(project, "dist", "esm-app.esbuild.mjs");
  const built = await esbuild.build({
    entryPoints: [path.join(project, "esm-app.mjs")],
    bundle: true,
    platform: "node",
    format: "esm",
    // As for any bundle of CommonJS code in ES module format: its require of Node's built-in modules.
    banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
    outfile: esbuildOut,
    logLevel: "silent",
  });
  assert.deepEqual(built.errors, []);
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    webpack(
      { mode: "production", target: "node", context: project, entry: "./esm-app.mjs", output: { path: path.join(project, "dist"), filename: "esm-app.webpack.js" }, optimization: { minimize: false } },
      (error, result) => (error || result === undefined ? reject(error) : resolve(result)),
    ),
  );
  assert.deepEqual(stats.toJson({ all: false, errors: true }).errors, []);
  for (const bundle of [esbuildOut, path.join(project, "dist", "esm-app.webpack.js")]) {
    const copy = path.join(tempDir("logsight-esm-bundle-"), path.basename(bundle));
    fs.copyFileSync(bundle, copy);
    const result = spawnSync(process.execPath, [copy], { encoding: "utf8", env: { ...process.env, LOGSIGHT_AUTOINIT: "false" } });
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    assert.equal(result.status, 0, `${path.basename(bundle)}: ${result.stderr}`);
    assert.equal(result.stdout, "INFO: bundled\ntrue true function\n", path.basename(bundle));
  }
});
