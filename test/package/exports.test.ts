import { test } from "node:test";
import assert from "node:assert/strict";
import { runNode } from "../helpers";

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
