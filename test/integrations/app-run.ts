import assert from "node:assert/strict";
import { runScript } from "../helpers";

/** A record as the integration apps report it from their function sink. */
export interface Seen {
  level: string;
  message: string;
  extra: { [key: string]: unknown };
  function: string;
  name: string;
  text: string;
}

/**
 * The app scripts' logger set-up (after `logger` is required): every record kept in `seen`, as
 * `Seen`, with values asked for explicitly since the apps run without a terminal.
 */
export const RECORDING_HANDLER = `logger.remove();
const seen = [];
logger.add((text, record) => seen.push({ level: record.level.name, message: record.message, extra: record.extra, function: record.function, name: record.name, text }), {
  format: "{level} {message}",
  colorize: false,
  diagnose: true, // values asked for explicitly: the app runs without a terminal
});`;

/** Runs an app script (saved under test/.tmp/ so tracebacks show its lines) and parses the JSON it prints. */
export function runApp<T>(code: string, name: string, env: NodeJS.ProcessEnv = {}): T {
  const result = runScript(code, { name, env });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** The record with this message; the assertion lists the messages there were. */
export function recordWith(seen: Seen[], message: string): Seen {
  const found = seen.find((s) => s.message === message);
  assert.ok(found, `a record "${message}" among ${JSON.stringify(seen.map((s) => s.message))}`);
  return found;
}
