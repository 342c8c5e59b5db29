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
  { ending: "sigint", status: null, signal: "SIGINT" },
  { ending: "natural", status: 0, signal: null },
] as const;

/** A sink of exit-child.js, where its lines end up, and whether to also run it with the writer already started. */
export interface ExitCase {
  sink: string;
  output: "file" | "stderr";
  warm?: boolean;
}

/** One test per sink: 2001 lines, then each way of ending the process; every line must be there. */
export function testEveryEnding(cases: readonly ExitCase[]): void {
  for (const { sink, output, warm } of cases) {
    test(`${sink}: all ${LINES} lines are written however the process ends`, () => {
      for (const { ending, status, signal } of endings) {
        for (const mode of warm ? ["", "warm"] : [""]) {
          const dir = tempDir();
          try {
            const result = runFixture("exit-child.js", [sink, ending, dir, mode]);
            const label = `${sink} ${ending} ${mode || "cold"}`;
            assert.equal(result.signal, signal, `${label}: signal (stderr: ${result.stderr.slice(-500)})`);
            assert.equal(result.status, status, `${label}: exit status (stderr: ${result.stderr.slice(-500)})`);
            const text = output === "file" ? fs.readFileSync(path.join(dir, "out.log"), "utf8") : result.stderr;
            const expected = { lines: LINES, inOrder: true, missing: [] };
            const { numbers, other } = numberedLines(text);
            assert.deepEqual(lineReport(numbers, LINES), expected, label);
            if (output === "file") assert.deepEqual(other, [], `${label}: nothing else in the file`);
            if (sink === "mixed") {
              const buffered = numberedLines(fs.readFileSync(path.join(dir, "buffered.log"), "utf8")).numbers;
              assert.deepEqual(lineReport(buffered, LINES), expected, `${label}: buffered.log`);
            }
            assert.doesNotMatch(result.stderr, /REPORTED|Logging error/, label);
          } finally {
            fs.rmSync(dir, { recursive: true, force: true });
          }
        }
      }
    });
  }
}
