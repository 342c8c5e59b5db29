import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../helpers";

// fixtures/bundles/app.ts bundled together with logsight by esbuild (CommonJS and ES module output)
// and webpack must print what the same program prints unbundled: its frames mapped back to the
// original .ts files and lines, logsight's own frames hidden, the record's location the same.
const dir = path.join(repoRoot, "fixtures", "bundles");
const build = path.join(dir, "build");
const expectedFile = path.join(dir, "app.expected.txt");
const entry = path.join(dir, "app.ts");
// Native and optional modules stay outside the bundle, as bundling guides tell.
const external = ["@napi-rs/lzma", "chrome-remote-interface"];
const createRequireBanner = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

interface Esbuild {
  buildSync(options: object): { errors: unknown[] };
}

before(async () => {
  fs.rmSync(build, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(dir, "tsconfig.json")], { cwd: repoRoot, stdio: "pipe" });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as Esbuild;
  const common = { entryPoints: [entry], bundle: true, platform: "node", sourcemap: true, external, logLevel: "silent" };
  esbuild.buildSync({ ...common, format: "cjs", outfile: path.join(build, "esbuild-cjs", "app.cjs") });
  esbuild.buildSync({ ...common, format: "esm", outfile: path.join(build, "esbuild-esm", "app.mjs"), banner: { js: createRequireBanner } });
  await runWebpack();
});

async function runWebpack(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const webpack = require("webpack") as (config: object, callback: (error: Error | null, stats?: { hasErrors(): boolean; toString(o: object): string }) => void) => void;
  await new Promise<void>((resolve, reject) => {
    webpack(
      {
        mode: "development",
        target: "node",
        devtool: "source-map",
        context: repoRoot,
        entry,
        output: { path: path.join(build, "webpack"), filename: "app.js" },
        resolve: { extensions: [".ts", ".js"], extensionAlias: { ".js": [".ts", ".js"] } },
        externals: Object.fromEntries(external.map((name) => [name, `commonjs ${name}`])),
        module: {
          rules: [
            {
              test: /\.ts$/,
              loader: require.resolve("ts-loader"),
              options: { transpileOnly: true, configFile: path.join(dir, "tsconfig.json"), compilerOptions: { module: "commonjs", moduleResolution: "node10" } },
            },
          ],
        },
        infrastructureLogging: { level: "error" },
      },
      (error, stats) => {
        if (error) reject(error);
        else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
        else resolve();
      },
    );
  });
}

function run(file: string, args: string[] = []): string {
  const result = spawnSync(process.execPath, [...args, file], {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, LOGSIGHT_CAPTURE: "all", NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 60_000,
  });
  assert.equal(result.stderr, "", `${path.relative(repoRoot, file)} wrote to stderr`);
  assert.equal(result.status, 0);
  return result.stdout;
}

test("the unbundled program (tsc output with source maps)", () => {
  const actual = run(path.join(build, "tsc", "app.js"));
  if (process.env.UPDATE_EXPECTED === "1") fs.writeFileSync(expectedFile, actual);
  assert.equal(actual, fs.readFileSync(expectedFile, "utf8"));
});

/**
 * The traceback without its value lines: a bundler may turn `(0, pricing_1.applyDiscount)(…)` into
 * `applyDiscount(…)`, so a line can have one more or one less name to annotate. Frames, files,
 * lines, source text and the values of the throwing line must be the same.
 */
function withoutValueLines(text: string): string {
  return text.replace(/^ {4}[ │]*└ .*\n/gm, "");
}

const bundles: { title: string; file: string; args?: string[] }[] = [
  { title: "esbuild --bundle --platform=node --sourcemap, CommonJS", file: path.join("esbuild-cjs", "app.cjs") },
  { title: "esbuild, CommonJS, run with --enable-source-maps", file: path.join("esbuild-cjs", "app.cjs"), args: ["--enable-source-maps"] },
  { title: "esbuild --format=esm with the createRequire banner", file: path.join("esbuild-esm", "app.mjs") },
  { title: "webpack, target node, devtool source-map", file: path.join("webpack", "app.js") },
];

for (const bundle of bundles) {
  test(`bundled: ${bundle.title}`, () => {
    const actual = run(path.join(build, bundle.file), bundle.args);
    const expected = fs.readFileSync(expectedFile, "utf8");
    assert.equal(withoutValueLines(actual), withoutValueLines(expected));
    const throwingLine = /if \(percent > 100\)[^\n]*\n((?: {4}[ │]*└ [^\n]*\n)+)/;
    assert.equal(throwingLine.exec(actual)?.[1], throwingLine.exec(expected)?.[1]);
  });
}
