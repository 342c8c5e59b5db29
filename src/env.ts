import { readRedactVariable, type RedactionSpec } from "./redact";
import { levelColorProblem } from "./levels";

/** The `add()` format used when neither the call nor `LOGSIGHT_FORMAT` gives one. */
export const DEFAULT_FORMAT =
  "<green>{time:YYYY-MM-DD HH:mm:ss.SSS}</green> | <level>{level: <8}</level> | " +
  "<cyan>{name}</cyan>:<cyan>{function}</cyan>:<cyan>{line}</cyan> - <level>{message}</level>";

const BUILTIN_LEVEL_NAMES = ["TRACE", "DEBUG", "INFO", "SUCCESS", "WARNING", "ERROR", "CRITICAL"] as const;

export type BuiltinLevelName = (typeof BUILTIN_LEVEL_NAMES)[number];

/** What `LOGSIGHT_<LEVEL>_NO|COLOR|ICON` change about a built-in level; unset attributes are absent. */
export interface LevelOverrides {
  no?: number;
  color?: string;
  icon?: string;
}

/** File-sink option defaults; only the variables that are set appear. Grammars are checked by the file sink. */
export type FileDefaults = {
  /** `LOGSIGHT_ROTATION`: a size/duration/time string, or a number of bytes when all digits. */
  rotation?: string | number;
  /** `LOGSIGHT_RETENTION`: a duration string, or a number of files when all digits. */
  retention?: string | number;
  compression?: string;
  delay?: boolean;
  mode?: "a" | "w";
  buffering?: number;
  encoding?: BufferEncoding;
  watch?: boolean;
};

/** The defaults `add()` falls back to, as read from `LOGSIGHT_*` variables over the built-in ones. */
export interface EnvDefaults {
  /** `LOGSIGHT_LEVEL`: a level name, or a number when the value is all digits. Default `"DEBUG"`. */
  level: string | number;
  format: string;
  /** `LOGSIGHT_FILTER`: a name prefix; `null` when unset. */
  filter: string | null;
  /** `LOGSIGHT_COLORIZE`; `null` (decide per sink) when unset. */
  colorize: boolean | null;
  /** `LOGSIGHT_SERIALIZE`: a boolean, or `pino`. */
  serialize: boolean | "pino";
  backtrace: boolean;
  /** Default `true`, but `false` when `NODE_ENV=production`. */
  diagnose: boolean;
  enqueue: boolean;
  catch: boolean;
  /** `LOGSIGHT_ESCAPE`; default true. */
  escape: boolean;
  file: FileDefaults;
  /** `LOGSIGHT_AUTOINIT=false` leaves out the default stderr handler. */
  autoinit: boolean;
  /** `LOGSIGHT_REDACT`: names and paths (comma-separated) added to the default secret names, or `false`. */
  redact: RedactionSpec;
  /** Overrides of the built-in levels, keyed by level name; levels without any variable are absent. */
  levels: { [name in BuiltinLevelName]?: LevelOverrides };
}

const TRUE_SPELLINGS = new Set(["1", "true", "yes", "y", "ok", "on"]);
const FALSE_SPELLINGS = new Set(["0", "false", "no", "n", "nok", "off"]);
const INTEGER = /^[+-]?\d+$/;

function invalid(key: string, value: string, expected: string): Error {
  return new Error(`Invalid environment variable ${key}=${JSON.stringify(value)}: expected ${expected}`);
}

/** The value of a variable, with an empty value treated as unset (as `FOO= node app.js` intends). */
function raw(env: NodeJS.ProcessEnv, key: string): string | undefined {
  const value = env[key];
  return value === undefined || value === "" ? undefined : value;
}

function booleanVar(env: NodeJS.ProcessEnv, key: string): boolean | undefined {
  const value = raw(env, key);
  if (value === undefined) return undefined;
  const spelled = value.trim().toLowerCase();
  if (TRUE_SPELLINGS.has(spelled)) return true;
  if (FALSE_SPELLINGS.has(spelled)) return false;
  throw invalid(key, value, "a boolean (true/false, 1/0, yes/no, y/n, on/off, ok/nok)");
}

function serializeVar(env: NodeJS.ProcessEnv): boolean | "pino" | undefined {
  const value = raw(env, "LOGSIGHT_SERIALIZE");
  if (value !== undefined && value.trim().toLowerCase() === "pino") return "pino";
  try {
    return booleanVar(env, "LOGSIGHT_SERIALIZE");
  } catch {
    throw invalid("LOGSIGHT_SERIALIZE", value!, "a boolean (true/false, 1/0, yes/no, y/n, on/off, ok/nok) or pino");
  }
}

function integerVar(env: NodeJS.ProcessEnv, key: string, minimum: number): number | undefined {
  const value = raw(env, key);
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const number = Number(trimmed);
  if (!INTEGER.test(trimmed) || !Number.isSafeInteger(number) || number < minimum) {
    throw invalid(key, value, minimum === 0 ? "a non-negative integer" : `an integer >= ${minimum}`);
  }
  return number;
}

/** A string that becomes a number when it is all digits, for options that accept either. */
function stringOrCountVar(env: NodeJS.ProcessEnv, key: string): string | number | undefined {
  const value = raw(env, key);
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : value;
}

function readFileDefaults(env: NodeJS.ProcessEnv): FileDefaults {
  const file: FileDefaults = {};
  const rotation = stringOrCountVar(env, "LOGSIGHT_ROTATION");
  if (rotation !== undefined) file.rotation = rotation;
  const retention = stringOrCountVar(env, "LOGSIGHT_RETENTION");
  if (retention !== undefined) file.retention = retention;
  const compression = raw(env, "LOGSIGHT_COMPRESSION");
  if (compression !== undefined) file.compression = compression;
  const delay = booleanVar(env, "LOGSIGHT_DELAY");
  if (delay !== undefined) file.delay = delay;
  const mode = raw(env, "LOGSIGHT_MODE");
  if (mode !== undefined) {
    if (mode !== "a" && mode !== "w") throw invalid("LOGSIGHT_MODE", mode, '"a" (append) or "w" (truncate)');
    file.mode = mode;
  }
  const buffering = integerVar(env, "LOGSIGHT_BUFFERING", -1);
  if (buffering !== undefined) file.buffering = buffering;
  const encoding = raw(env, "LOGSIGHT_ENCODING");
  if (encoding !== undefined) {
    if (!Buffer.isEncoding(encoding)) throw invalid("LOGSIGHT_ENCODING", encoding, "an encoding Node knows (utf8, latin1, ...)");
    file.encoding = encoding;
  }
  const watch = booleanVar(env, "LOGSIGHT_WATCH");
  if (watch !== undefined) file.watch = watch;
  return file;
}

function readLevelOverrides(env: NodeJS.ProcessEnv): EnvDefaults["levels"] {
  const levels: EnvDefaults["levels"] = {};
  for (const name of BUILTIN_LEVEL_NAMES) {
    const overrides: LevelOverrides = {};
    const no = integerVar(env, `LOGSIGHT_${name}_NO`, 0);
    if (no !== undefined) overrides.no = no;
    const color = env[`LOGSIGHT_${name}_COLOR`];
    if (color !== undefined) {
      const problem = levelColorProblem(color);
      if (problem !== null) throw invalid(`LOGSIGHT_${name}_COLOR`, color, `color markup such as "<red><bold>" (${problem})`);
      overrides.color = color;
    }
    const icon = env[`LOGSIGHT_${name}_ICON`];
    if (icon !== undefined) overrides.icon = icon;
    if (no !== undefined || color !== undefined || icon !== undefined) levels[name] = overrides;
  }
  return levels;
}

/**
 * Reads the `LOGSIGHT_*` defaults of `add()` and of the built-in levels. Booleans accept
 * true/false, 1/0, yes/no, y/n, on/off, ok/nok in any case; an empty variable counts as unset
 * (except level colors and icons, where empty is a meaningful value). An invalid value throws,
 * naming the variable and the value.
 */
export function readEnvDefaults(env: NodeJS.ProcessEnv = process.env): EnvDefaults {
  const level = raw(env, "LOGSIGHT_LEVEL");
  const levelNumber = level !== undefined && /^\s*\d+\s*$/.test(level) ? Number(level) : undefined;
  const set = new Map<string, string>();
  for (const option of CHECKED_LATER) {
    const value = raw(env, variableOf(option));
    if (value !== undefined) set.set(option, value);
  }
  const defaults: EnvDefaults = {
    level: levelNumber ?? level ?? "DEBUG",
    format: raw(env, "LOGSIGHT_FORMAT") ?? DEFAULT_FORMAT,
    filter: raw(env, "LOGSIGHT_FILTER") ?? null,
    colorize: booleanVar(env, "LOGSIGHT_COLORIZE") ?? null,
    serialize: serializeVar(env) ?? false,
    backtrace: booleanVar(env, "LOGSIGHT_BACKTRACE") ?? true,
    diagnose: booleanVar(env, "LOGSIGHT_DIAGNOSE") ?? env.NODE_ENV !== "production",
    enqueue: booleanVar(env, "LOGSIGHT_ENQUEUE") ?? false,
    catch: booleanVar(env, "LOGSIGHT_CATCH") ?? true,
    escape: booleanVar(env, "LOGSIGHT_ESCAPE") ?? true,
    file: readFileDefaults(env),
    autoinit: booleanVar(env, "LOGSIGHT_AUTOINIT") ?? true,
    redact: readRedactVariable(raw(env, "LOGSIGHT_REDACT")),
    levels: readLevelOverrides(env),
  };
  sources.set(defaults, set);
  return defaults;
}

/** Options whose variables are only checked when `add()` uses them (against the levels, the template and file grammars). */
const CHECKED_LATER = ["level", "format", "filter", "rotation", "retention", "compression"] as const;
const sources = new WeakMap<object, Map<string, string>>();

function variableOf(option: string): string {
  return `LOGSIGHT_${option.toUpperCase()}`;
}

/**
 * An error of `add()` about an option the call did not give, whose default came from a
 * `LOGSIGHT_*` variable, rewritten to name the variable and its value (the original is its `cause`).
 * `option` is the option at fault; when absent it is read from an "Invalid <option> ..." message.
 */
export function nameEnvironmentVariable(error: unknown, defaults: object, given: object | undefined, option?: string): unknown {
  if (!(error instanceof Error)) return error;
  const failed = option ?? /^Invalid (\w+)\b/.exec(error.message)?.[1];
  if (failed === undefined) return error;
  const value = sources.get(defaults)?.get(failed);
  if (value === undefined || (given !== undefined && given !== null && (given as { [key: string]: unknown })[failed] !== undefined)) return error;
  const message = `Invalid environment variable ${variableOf(failed)}=${JSON.stringify(value)}: ${error.message}`;
  const Kind = error instanceof TypeError ? TypeError : error instanceof RangeError ? RangeError : error instanceof SyntaxError ? SyntaxError : Error;
  return new Kind(message, { cause: error });
}
