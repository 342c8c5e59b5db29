import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { logger, type HandlerOptions, type LogRecord } from "logsight";

export const repoRoot = path.resolve(__dirname, "..");

/** Replaces every handler with one function sink collecting messages and records. */
export function collect(options: HandlerOptions = {}): { messages: string[]; records: LogRecord[]; id: number } {
  logger.remove();
  const messages: string[] = [];
  const records: LogRecord[] = [];
  const id = logger.add(
    (message, record) => {
      messages.push(message);
      records.push(record);
    },
    { format: "{message}", ...options },
  );
  return { messages, records, id };
}

/** Runs a snippet of JavaScript in a fresh Node process from the repository root. */
export function runNode(
  code: string,
  options: { env?: NodeJS.ProcessEnv; args?: string[]; type?: "commonjs" | "module"; input?: string; cwd?: string } = {},
): SpawnSyncReturns<string> {
  const args = [...(options.args ?? []), "--input-type=" + (options.type ?? "commonjs"), "-e", code];
  return spawnSync(process.execPath, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env },
    encoding: "utf8",
    input: options.input,
    timeout: 60_000,
  });
}

export function tempDir(prefix = "logsight-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs `code` saved as a file under test/.tmp/ (so tracebacks can show its source lines), from the
 * repository root; `require("logsight")` resolves to the built package.
 */
export function runScript(
  code: string,
  options: { env?: NodeJS.ProcessEnv; args?: string[]; ext?: ".js" | ".mjs" | ".cjs"; name?: string; scriptArgs?: string[] } = {},
): SpawnSyncReturns<string> & { file: string } {
  const dir = path.join(repoRoot, "test", ".tmp");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${options.name ?? "script"}-${process.pid}-${Math.random().toString(36).slice(2, 8)}${options.ext ?? ".js"}`);
  fs.writeFileSync(file, code);
  try {
    const result = spawnSync(process.execPath, [...(options.args ?? []), file, ...(options.scriptArgs ?? [])], {
      cwd: repoRoot,
      env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env },
      encoding: "utf8",
      timeout: 60_000,
    });
    return Object.assign(result, { file: path.relative(repoRoot, file) });
  } finally {
    fs.rmSync(file, { force: true });
  }
}
