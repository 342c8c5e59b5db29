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

// Under Node, `import` loads a bridge (scripts/esm-bridges.mjs) that requires the CommonJS build; bundlers
// read tsc's `export * from` module (the `module` condition). Both must give the same bindings, which
// must be the CommonJS module's: one instance of each export whichever way it was loaded.
test("every import entry point gives Node the same bindings as the compiled .mts entry, and they are the CommonJS module's", () => {
  const result = runNode(
    `import * as fs from "node:fs";
     import { createRequire } from "node:module";
     const require = createRequire(import.meta.url);
     const { exports } = JSON.parse(fs.readFileSync("package.json", "utf8"));
     const report = {};
     for (const [subpath, conditions] of Object.entries(exports)) {
       if (typeof conditions.import !== "object") continue;
       const specifier = "logsight" + subpath.slice(1);
       const resolved = import.meta.resolve(specifier);
       const viaNode = await import(specifier);
       const compiled = await import(new URL(conditions.import.module, import.meta.url).href);
       const cjs = require(specifier);
       const names = Object.keys(viaNode);
       report[subpath] = {
         bridge: resolved.endsWith(conditions.import.default.slice(1)),
         names: names.join(" "),
         sameNames: names.join(" ") === Object.keys(compiled).join(" "),
         sameValues: names.filter((name) => viaNode[name] !== compiled[name]),
         notFromRequire: names.filter((name) => name !== "default" && viaNode[name] !== cjs[name]),
       };
     }
     console.log(JSON.stringify(report));`,
    { type: "module", env: { LOGSIGHT_AUTOINIT: "false" } },
  );
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as Record<string, { bridge: boolean; names: string; sameNames: boolean; sameValues: string[]; notFromRequire: string[] }>;
  assert.deepEqual(Object.keys(report), [".", "./diagnose", "./nest", "./express", "./otel"]);
  for (const [subpath, entry] of Object.entries(report)) {
    assert.ok(entry.bridge, `${subpath}: Node resolves import to the bridge`);
    assert.ok(entry.sameNames, `${subpath}: the bridge exports ${entry.names}, not the compiled entry's names`);
    assert.deepEqual(entry.sameValues, [], `${subpath}: bindings whose value differs from the compiled entry's`);
    assert.deepEqual(entry.notFromRequire, [], `${subpath}: bindings that are not require()'s`);
  }
  assert.equal(report["."]!.names, "Logger __esModule default logger");
  assert.match(report["./diagnose"]!.names, /\bformatException\b.*\bstartCapture\b/);
});

test("a module that imports logsight and one that requires it, loaded in either order, share one logger", () => {
  for (const order of [["import", "require"], ["require", "import"]]) {
    const load = { import: `(await import("logsight")).logger`, require: `require("logsight").logger` };
    const result = runNode(
      `import { createRequire } from "node:module";
       const require = createRequire(import.meta.url);
       const first = ${load[order[0] as "import"]};
       const second = ${load[order[1] as "import"]};
       const { default: fromDefault } = await import("logsight");
       console.log(first === second, fromDefault === first);`,
      { type: "module", env: { LOGSIGHT_AUTOINIT: "false" } },
    );
    assert.equal(result.stdout.trim(), "true true", `${order.join(" then ")}: ${result.stderr}`);
  }
});
