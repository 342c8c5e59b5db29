/** The `redact` option: checked at `configure()` and `add()`, compiled once into a Redactor. */
import { NO_REDACTION, parsePath, parseRedactVariable, Redactor, type RedactionSpec } from "../diagnose/redact";
import { describeValue } from "./describe";

export { REDACTED, Redactor, NO_REDACTION, type PathNode, type RedactionSpec } from "../diagnose/redact";

/** The default list alone: what applies when neither `LOGSIGHT_REDACT` nor `configure()` says otherwise. */
const DEFAULT_REDACTION: RedactionSpec = Object.freeze({ defaults: true, entries: Object.freeze([]) as readonly string[] });

/** `LOGSIGHT_REDACT`; throws naming the variable when a path cannot be parsed. */
export function readRedactVariable(value: string | undefined): RedactionSpec {
  try {
    return parseRedactVariable(value) ?? DEFAULT_REDACTION;
  } catch (error) {
    throw new Error(`Invalid environment variable LOGSIGHT_REDACT=${JSON.stringify(value)}: ${(error as Error).message}`);
  }
}

/**
 * Checks a `redact` value: an array of names and paths, or `false`. Throws naming the option and
 * the value (`where` is "configure()" or "add()").
 */
export function checkRedactOption(value: unknown, where: string): readonly string[] | false {
  if (value === false) return false;
  if (!Array.isArray(value)) {
    throw new TypeError(`Invalid redact ${describeValue(value)} for ${where}: it should be an array of names and paths (["password", "req.headers.authorization"]) or false`);
  }
  const entries: string[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== "string") throw new TypeError(`Invalid redact entry ${describeValue(entry)} for ${where}: it should be a name or a path (a string)`);
    try {
      parsePath(entry);
    } catch (error) {
      throw new TypeError(`Invalid redact entry ${describeValue(entry)} for ${where}: ${(error as Error).message}`);
    }
    entries.push(entry);
  }
  return entries;
}

/** The logger-wide spec `configure({ redact })` sets: a list adds to the default names, `false` masks nothing. */
export function configuredRedaction(option: readonly string[] | false): RedactionSpec {
  return option === false ? { defaults: false, entries: [] } : { defaults: true, entries: option };
}

/**
 * A handler's redactor: the logger's own when the handler adds nothing (so a message formatted
 * once serves it), none with `redact: false`, else the logger's names and paths plus its own.
 */
export function handlerRedactor(global: Redactor, own: readonly string[] | false | undefined): Redactor {
  if (own === false) return NO_REDACTION;
  if (own === undefined || own.length === 0) return global;
  return new Redactor({ defaults: global.spec.defaults, entries: [...global.spec.entries, ...own] });
}
