import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";
import { emptyProject, npm, packTarball } from "./pack";

/** Each resolution mode a consumer may use, and the consumer files that exercise it. */
const modes = [
  { name: "node16 (ESM and CJS)", module: "node16", moduleResolution: "node16", files: ["esm.mts", "cjs.cts"] },
  { name: "nodenext (ESM and CJS)", module: "nodenext", moduleResolution: "nodenext", files: ["esm.mts", "cjs.cts"] },
  { name: "bundler", module: "esnext", moduleResolution: "bundler", files: ["bundler.ts"] },
  { name: "node10", module: "commonjs", moduleResolution: "node10", files: ["node10.ts"] },
];

/** TypeScript 5 and the latest release (an npm alias in devDependencies). */
const compilers = [
  { name: `TypeScript ${version("typescript")}`, tsc: require.resolve("typescript/bin/tsc"), node10: true },
  // TypeScript 7 no longer has the node10 resolution mode.
  { name: `TypeScript ${version("typescript-latest")}`, tsc: path.join(repoRoot, "node_modules", "typescript-latest", "bin", "tsc"), node10: false },
];

function version(pkg: string): string {
  return (JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

const tarball = packTarball();
const project = emptyProject();
const install = npm(["install", "--prefer-offline", tarball], project);
assert.equal(install.status, 0, install.stderr);
// The consumer's own @types/node; `types: []` below (TypeScript 6's default) leaves it to logsight's reference.
fs.mkdirSync(path.join(project, "node_modules", "@types"), { recursive: true });
fs.symlinkSync(path.join(repoRoot, "node_modules", "@types", "node"), path.join(project, "node_modules", "@types", "node"), "dir");
for (const file of fs.readdirSync(path.join(__dirname, "consumer"))) {
  fs.copyFileSync(path.join(__dirname, "consumer", file), path.join(project, file));
}

for (const compiler of compilers) {
  for (const mode of modes) {
    test(`${compiler.name}, ${mode.name}: logsight's types check under strict settings`, { skip: mode.name === "node10" && !compiler.node10 ? "this TypeScript has no node10 mode" : false }, () => {
      const config = `tsconfig.${mode.moduleResolution}.json`;
      fs.writeFileSync(
        path.join(project, config),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
            target: "ES2022",
            lib: ["ES2022"],
            module: mode.module,
            moduleResolution: mode.moduleResolution,
            ...(mode.moduleResolution === "node10" ? { esModuleInterop: true } : {}),
          },
          files: [...mode.files, "checks.ts"],
        }),
      );
      const result = spawnSync(process.execPath, [compiler.tsc, "-p", config], { cwd: project, encoding: "utf8" });
      assert.equal(result.stdout + result.stderr, "");
      assert.equal(result.status, 0);
    });
  }
}

test.after(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
});
