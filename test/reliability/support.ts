import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const fixtures = path.join(repoRoot, "fixtures", "reliability");

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "logsight-reliability-"));
}

/** Runs a fixture script from fixtures/reliability in a fresh Node process. */
export function runFixture(script: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [path.join(fixtures, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, LOGSIGHT_AUTOINIT: "false", ...env },
    encoding: "utf8",
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** The numbers of the `line <n>` lines in a text, and anything else that is not such a line. */
export function numberedLines(text: string): { numbers: number[]; other: string[] } {
  const numbers: number[] = [];
  const other: string[] = [];
  for (const line of text.split("\n")) {
    const match = /^line (\d+)$/.exec(line);
    if (match) numbers.push(Number(match[1]));
    else if (line !== "") other.push(line);
  }
  return { numbers, other };
}

/** Asserts-friendly summary: how many lines, whether each of 0..count-1 appears exactly once and in order. */
export function lineReport(numbers: number[], count: number): { lines: number; inOrder: boolean; missing: number[] } {
  const seen = new Set(numbers);
  const missing: number[] = [];
  for (let i = 0; i < count && missing.length < 10; i++) if (!seen.has(i)) missing.push(i);
  return { lines: numbers.length, inOrder: numbers.every((n, i) => n === i), missing };
}
