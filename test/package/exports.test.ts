import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, runNode, tempDir } from "../helpers";

test("import and require give the same logger object", () => {
  const result = runNode(
    `import { logger } from "logsight";
     import def from "logsight";
     import { createRequire } from "node:module";
     const require = createRequire(import.meta.url);
     const cjs = require("logsight");
     console.log(logger === cjs.logger, def === logger, typeof logger.info);`,
    { type: "module" },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), "true true function");
});

test("logsight/diagnose is importable from ESM and CommonJS", () => {
  const esm = runNode(`import { formatException } from "logsight/diagnose"; console.log(typeof formatException);`, { type: "module" });
  assert.equal(esm.stdout.trim(), "function", esm.stderr);
  const cjs = runNode(`console.log(typeof require("logsight/diagnose").formatException);`);
  assert.equal(cjs.stdout.trim(), "function", cjs.stderr);
});

test("the types resolve for ESM and CommonJS consumers under strict TypeScript", () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, "esm.mts"),
    `import { logger, type LogRecord, type HandlerOptions } from "logsight";
import { formatException } from "logsight/diagnose";
const options: HandlerOptions = { level: "INFO", format: "{time} {message}" };
const id: number = logger.add((message: string, record: LogRecord) => { void message; void record.level.no; }, options);
logger.bind({ a: 1 }).opt({ colors: true }).info("x {}", 1);
const text: string = formatException(new Error("x"), { colorize: false });
logger.remove(id); void text;
`,
  );
  fs.writeFileSync(
    path.join(dir, "cjs.cts"),
    `import logsight = require("logsight");
const n: number = logsight.logger.level("INFO").no;
void n;
`,
  );
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, module: "node16", moduleResolution: "node16", noEmit: true, types: ["node"], skipLibCheck: false, typeRoots: [path.join(repoRoot, "node_modules", "@types")] },
      include: ["esm.mts", "cjs.cts"],
    }),
  );
  // Resolve "logsight" the way an installed copy would be resolved.
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(repoRoot, path.join(dir, "node_modules", "logsight"), "dir");
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  fs.rmSync(dir, { recursive: true, force: true });
});
