import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { lineReport, numberedLines, runFixture, tempDir } from "./support";

const LINES = 2001;
const endings = [
  { ending: "exit", status: 0, signal: null },
  { ending: "throw", status: 1, signal: null },
  { ending: "reject", status: 1, signal: null },
  { ending: "sigterm", status: null, signal: "SIGTERM" },
  { ending: "natural", status: 0, signal: null },
] as const;

// file: the synchronous file sink; file-enqueue / stderr-enqueue: through add({ enqueue: true });
// queue-*: the queue itself (worker thread for file and fd targets, deferred drain for local ones).
const sinks = [
  { sink: "file", output: "file", warm: [""] },
  { sink: "file-enqueue", output: "file", warm: ["", "warm"] },
  { sink: "stderr-enqueue", output: "stderr", warm: ["", "warm"] },
  { sink: "queue-file", output: "file", warm: ["", "warm"] },
  { sink: "queue-fd", output: "stderr", warm: ["", "warm"] },
  { sink: "queue-local", output: "file", warm: ["", "warm"] },
] as const;

for (const { sink, output, warm } of sinks) {
  test(`${sink}: all ${LINES} lines are written however the process ends`, () => {
    for (const { ending, status, signal } of endings) {
      for (const mode of warm) {
        const dir = tempDir();
        try {
          const result = runFixture("exit-child.js", [sink, ending, dir, mode]);
          const label = `${sink} ${ending} ${mode || "cold"}`;
          assert.equal(result.signal, signal, `${label}: signal (stderr: ${result.stderr.slice(-500)})`);
          assert.equal(result.status, status, `${label}: exit status (stderr: ${result.stderr.slice(-500)})`);
          const text = output === "file" ? fs.readFileSync(path.join(dir, "out.log"), "utf8") : result.stderr;
          const { numbers } = numberedLines(text);
          assert.deepEqual(lineReport(numbers, LINES), { lines: LINES, inOrder: true, missing: [] }, label);
          assert.doesNotMatch(result.stderr, /REPORTED|Logging error/, label);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }
    }
  });
}
