import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { TIMEOUT, cli, root, run } from "./helpers";

test("no other process can discover or attach to the program: no inspector port, no HTTP listing", { skip: !fs.existsSync("/proc/net/tcp") && "reads /proc (Linux)" }, async () => {
  const child = spawn(process.execPath, [cli, "fixtures/cli/secret.js"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const ready = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      const timer = setTimeout(() => reject(new Error(`not ready: ${stdout}`)), TIMEOUT);
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk;
        if (stdout.includes("\n")) {
          clearTimeout(timer);
          resolve(stdout);
        }
      });
    });
    const [, programPid, inspectorUrl] = /^ready (\d+) (\S+)\n/.exec(ready)!;
    assert.equal(inspectorUrl, "no-inspector-url");
    // A second process looks for a debugger endpoint of the program and of the CLI.
    const seen = run([process.execPath, "fixtures/cli/discover.js", programPid!, String(child.pid)]);
    assert.equal(seen.status, 0, seen.stderr);
    const found = JSON.parse(seen.stdout) as Record<string, { ports: number[]; targets: unknown[] }> & { defaultPort: string | null };
    assert.deepEqual(found[programPid!], { ports: [], targets: [] });
    assert.deepEqual(found[String(child.pid)], { ports: [], targets: [] });
    // Node's default inspector port may belong to another program on this machine, never to ours.
    assert.ok(found.defaultPort === null || !found.defaultPort.includes("secret.js"), found.defaultPort ?? "");
  } finally {
    child.kill("SIGTERM");
  }
});
