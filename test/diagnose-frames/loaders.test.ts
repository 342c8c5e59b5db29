import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";

// fixtures/loaders/lines.ts run four ways must print the same record headers and traceback:
// the record's `name` and `line` and every frame's line are those of the TypeScript source.
const dir = path.join(repoRoot, "fixtures", "loaders");
const build = path.join(dir, "build");
const expectedFile = path.join(dir, "lines.expected.txt");

before(() => {
  fs.rmSync(build, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(dir, "tsconfig.json")], { cwd: repoRoot, stdio: "pipe" });
});

/** The loader's own frames (tsx, ts-node and Node's module loader under them) differ between loaders. */
function withoutLoaderFrames(text: string): string {
  return text.replace(/^  File "(?:node_modules\/(?:tsx|ts-node)\/|node:)[^\n]*\n(?: {4}[^\n]*\n)?\n/gm, "");
}

const modes: { title: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [
  { title: "tsc output with .js.map files", args: [path.join(build, "lines.js")] },
  { title: "tsc output under --enable-source-maps", args: ["--enable-source-maps", path.join(build, "lines.js")] },
  { title: "tsx", args: ["--import", "tsx", path.join(dir, "lines.ts")] },
  {
    title: "ts-node",
    args: ["-r", "ts-node/register", path.join(dir, "lines.ts")],
    env: { TS_NODE_PROJECT: path.join(dir, "tsconfig.json"), TS_NODE_TRANSPILE_ONLY: "1" },
  },
];

for (const mode of modes) {
  test(`the record's location and the traceback agree on the TypeScript lines: ${mode.title}`, () => {
    const result = spawnSync(process.execPath, mode.args, {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, LOGSIGHT_CAPTURE: "all", NO_COLOR: "1", FORCE_COLOR: "0", ...mode.env },
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const actual = withoutLoaderFrames(result.stdout);
    if (process.env.UPDATE_EXPECTED === "1" && mode === modes[0]) fs.writeFileSync(expectedFile, actual);
    assert.equal(actual, fs.readFileSync(expectedFile, "utf8"));
  });
}
