import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

// Each fixtures/diagnose/<name>.{js,mjs,ts} prints tracebacks; its output must equal <name>.expected.txt.
// UPDATE_EXPECTED=1 rewrites the expected files (read them by eye before keeping them).
const root = path.resolve(__dirname, "..", "..");
const fixturesDir = path.join(root, "fixtures", "diagnose");
const buildDir = path.join(fixturesDir, "build");
const update = process.env.UPDATE_EXPECTED === "1";

const fixtures = fs
  .readdirSync(fixturesDir)
  .filter((f) => /\.(js|mjs|ts)$/.test(f) && !f.endsWith(".d.ts"))
  .sort();

/** First-line directive `// fixture: tsx` runs a .ts file through tsx instead of compiling it. */
function runsThroughTsx(file: string): boolean {
  return fs.readFileSync(path.join(fixturesDir, file), "utf8").startsWith("// fixture: tsx");
}

before(() => {
  const compiled = fixtures.filter((f) => f.endsWith(".ts") && !runsThroughTsx(f));
  if (compiled.length === 0) return;
  fs.rmSync(buildDir, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      path.join(root, "node_modules", "typescript", "bin", "tsc"),
      "--outDir", buildDir, "--rootDir", fixturesDir, "--sourceMap", "--target", "ES2022",
      "--module", "node16", "--moduleResolution", "node16", "--strict", "--skipLibCheck", "--types", "node",
      ...compiled.map((f) => path.join(fixturesDir, f)),
    ],
    { cwd: root, stdio: "pipe" },
  );
  // The same programs with their maps inlined as data URLs must render the same.
  for (const f of compiled) {
    const js = path.join(buildDir, f.replace(/\.ts$/, ".js"));
    const map = fs.readFileSync(`${js}.map`, "utf8");
    const code = fs.readFileSync(js, "utf8").replace(/\/\/# sourceMappingURL=.*$/m, "");
    fs.writeFileSync(js.replace(/\.js$/, ".inline-map.js"), `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`);
  }
});

/** Removes what differs between machines and Node versions: node's own frames, addresses, the root. */
function normalize(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^(?:\s*[|+] )?[ >] File "node:/.test(line)) {
      const indent = /^((?:\s*[|+] )?)/.exec(line)![1]!;
      // A run of node's internal frames (and the blank line after each in diagnose mode) becomes one line.
      while (i + 1 < lines.length && (/^\s*(?:[|+] )?[ >] File "node:/.test(lines[i + 1]!) || (lines[i + 1]!.trim() === "" || /^\s*\|$/.test(lines[i + 1]!)) && /File "node:/.test(lines[i + 2] ?? ""))) i++;
      out.push(`${indent}  [node internals]`);
      continue;
    }
    if (/^(?:\s*[|+] )?[ >] File "node_modules\/tsx\//.test(line)) {
      // tsx's loader frame: its file name and minified line change with every tsx release.
      out.push(line.replace(/File "node_modules\/tsx\/[^"]*", line \d+/, 'File "node_modules/tsx/<loader>", line N'));
      if (/^\s{4}\S/.test(lines[i + 1] ?? "")) i++;
      continue;
    }
    out.push(line);
  }
  return out
    .join("\n")
    .split(root + path.sep).join("<root>/")
    .replace(/0x[0-9a-f]{6,}/g, "0x<addr>");
}

interface FixtureRun {
  readonly title: string;
  readonly name: string;
  readonly args: () => string[];
}

const runs: FixtureRun[] = [];
for (const file of fixtures) {
  const name = file.replace(/\.(js|mjs|ts)$/, "");
  if (!file.endsWith(".ts")) {
    runs.push({ title: file, name, args: () => [path.join(fixturesDir, file)] });
  } else if (runsThroughTsx(file)) {
    runs.push({ title: `${file} (tsx)`, name, args: () => ["--import", "tsx", path.join(fixturesDir, file)] });
  } else {
    runs.push({ title: `${file} (tsc, .js.map)`, name, args: () => [path.join(buildDir, `${name}.js`)] });
    runs.push({ title: `${file} (tsc, inline map)`, name, args: () => [path.join(buildDir, `${name}.inline-map.js`)] });
  }
}

for (const { title, name, args: argsOf } of runs) {
  test(`fixture ${title}`, () => {
    const result = spawnSync(process.execPath, argsOf(), { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
    assert.equal(result.stderr, "", `${title} wrote to stderr`);
    assert.equal(result.status, 0, `${title} exited with ${result.status}`);
    const actual = normalize(result.stdout);
    const expectedFile = path.join(fixturesDir, `${name}.expected.txt`);
    if (update) {
      fs.writeFileSync(expectedFile, actual);
      return;
    }
    assert.ok(fs.existsSync(expectedFile), `missing ${path.relative(root, expectedFile)} (run with UPDATE_EXPECTED=1)`);
    assert.equal(actual, fs.readFileSync(expectedFile, "utf8"));
  });
}
