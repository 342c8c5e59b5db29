import { execFile } from "node:child_process";
import * as path from "node:path";

export const FIXTURES = path.resolve(__dirname, "../../fixtures/capture");

export interface FixtureRun {
  readonly result: any;
  readonly stderr: string;
  readonly status: number | null;
}

/** Runs a fixture in its own process and parses the JSON line it prints. */
export function runFixture(file: string, args: string[] = [], options: { cwd?: string } = {}): Promise<FixtureRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [file, ...args],
      { cwd: options.cwd ?? FIXTURES, encoding: "utf8", timeout: 20_000 },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        const lines = stdout.trim().split("\n").filter((line) => line.startsWith("{"));
        if (lines.length === 0) {
          reject(new Error(`${path.basename(file)} ${args.join(" ")} printed no result (status ${status}):\n${stderr}`));
          return;
        }
        resolve({ result: JSON.parse(lines[lines.length - 1]), stderr, status });
      },
    );
  });
}

export async function runScenario(name: string): Promise<any> {
  return (await runFixture(path.join(FIXTURES, "scenarios.js"), [name])).result;
}

/** The variables of one scope type in a summarized frame, e.g. `{ z: { value: 3 } }`. */
export function variablesOf(frame: any, type: string): Record<string, unknown> | undefined {
  return frame.scopes.find((scope: any) => scope.type === type)?.variables;
}
