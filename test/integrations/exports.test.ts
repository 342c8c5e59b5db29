import { test } from "node:test";
import assert from "node:assert/strict";
import { runNode } from "../helpers";

// Their types in every resolution mode are checked by test/package/types.test.ts (consumer/checks.ts).
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
