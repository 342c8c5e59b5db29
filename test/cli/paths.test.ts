import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isAppUrl } from "../../diagnose/capture/app-frames";
import { quoteNodeOption, withPreload } from "../../diagnose/cli/node-options";
import { TIMEOUT } from "./helpers";

test("the preload path is quoted for NODE_OPTIONS whatever its shape, Windows paths included", () => {
  assert.equal(quoteNodeOption("/opt/app/node_modules/logsight/dist/diagnose/cli/preload.js"), '"/opt/app/node_modules/logsight/dist/diagnose/cli/preload.js"');
  assert.equal(quoteNodeOption("C:\\Users\\Ada Lovelace\\app\\preload.js"), '"C:\\\\Users\\\\Ada Lovelace\\\\app\\\\preload.js"');
  assert.equal(quoteNodeOption('D:\\say "hi"\\p.js'), '"D:\\\\say \\"hi\\"\\\\p.js"');
  assert.equal(withPreload(undefined, "C:\\a b\\p.js"), '--require "C:\\\\a b\\\\p.js"');
  assert.equal(withPreload("  ", "/p.js"), '--require "/p.js"');
  assert.equal(withPreload("--max-old-space-size=100 --no-warnings", "/p.js"), '--require "/p.js" --max-old-space-size=100 --no-warnings');
});

test("node reads the quoted path back unchanged: spaces, quotes and backslashes", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-cli-path-"));
  try {
    // Backslashes are ordinary file name characters here, so the Windows-shaped name is real.
    const folder = path.join(dir, 'C:\\Program Files\\say "hi"');
    fs.mkdirSync(folder);
    const preload = path.join(folder, "preload.js");
    fs.writeFileSync(preload, 'process.stdout.write("preloaded\\n");\n');
    const env = { ...process.env, NODE_OPTIONS: withPreload("--no-warnings", preload) };
    const result = spawnSync(process.execPath, ["-e", "process.stdout.write('program\\n')"], { env, encoding: "utf8", timeout: TIMEOUT });
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "preloaded\nprogram\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a script is the program's own whether its URL is a POSIX path, a Windows path or a file URL", () => {
  for (const url of ["/home/ada/app/server.js", "file:///home/ada/app/server.mjs", "C:\\Users\\ada\\app\\server.js", "file:///C:/Users/ada/app/server.mjs", "\\\\host\\share\\app\\server.js"]) {
    assert.equal(isAppUrl(url, false), true, url);
  }
  for (const url of ["/home/ada/app/node_modules/express/index.js", "file:///home/ada/app/node_modules/x/y.mjs", "C:\\Users\\ada\\app\\node_modules\\express\\index.js", "file:///C:/Users/ada/app/node_modules/x/y.mjs"]) {
    assert.equal(isAppUrl(url, false), false, url);
    assert.equal(isAppUrl(url, true), true, url);
  }
  for (const url of ["", "node:internal/modules/cjs/loader", "node:fs"]) assert.equal(isAppUrl(url, true), false, url);
});
