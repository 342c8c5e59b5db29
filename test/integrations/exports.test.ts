import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, runNode, tempDir } from "../helpers";

test("logsight/nest and logsight/express load from ESM and CommonJS, sharing the one logger", () => {
  const esm = runNode(
    `import { NestLogger } from "logsight/nest";
     import { requestLogger, errorLogger } from "logsight/express";
     import { createRequire } from "node:module";
     const require = createRequire(import.meta.url);
     console.log(typeof NestLogger, typeof requestLogger(), typeof errorLogger(), NestLogger === require("logsight/nest").NestLogger);`,
    { type: "module" },
  );
  assert.equal(esm.stdout.trim(), "function function function true", esm.stderr);
  const cjs = runNode(`const { NestLogger } = require("logsight/nest"); const { requestLogger } = require("logsight/express"); console.log(typeof NestLogger, requestLogger().length);`);
  assert.equal(cjs.stdout.trim(), "function 3", cjs.stderr);
});

test("their types resolve for ESM and CommonJS consumers under strict TypeScript", () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, "esm.mts"),
    `import { logger } from "logsight";
import { NestLogger, type NestLogLevel } from "logsight/nest";
import { requestLogger, errorLogger, type RequestLoggerOptions } from "logsight/express";
const levels: NestLogLevel[] = ["log", "error"];
const nest = new NestLogger(logger.child({ app: "api" }));
nest.setLogLevels(levels);
nest.log("started", "Bootstrap");
const options: RequestLoggerOptions = { header: "x-correlation-id", key: "correlationId" };
void requestLogger(options); void errorLogger({ respond: false });
const restore: () => void = logger.captureConsole(); restore();
logger.add(process.stdout, { serialize: "pino" });
`,
  );
  fs.writeFileSync(
    path.join(dir, "cjs.cts"),
    `import nest = require("logsight/nest");
import express = require("logsight/express");
new nest.NestLogger().error(new Error("x"));
void express.requestLogger();
`,
  );
  fs.writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, module: "node16", moduleResolution: "node16", noEmit: true, types: ["node"], skipLibCheck: false, typeRoots: [path.join(repoRoot, "node_modules", "@types")] },
      include: ["esm.mts", "cjs.cts"],
    }),
  );
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(repoRoot, path.join(dir, "node_modules", "logsight"), "dir");
  const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stdout + result.stderr);
});
