/** Handler templates: parsed and checked once at `add()`, rendered by closures for every record. */
import type { LogRecord } from "../types";
import { REDACTED, type Redactor } from "../redact";
import { escapeControls } from "../escape";
import { access, convert, FormatSyntaxError, MISSING, parseFormat, type Field, type FormatPart } from "./fields";
import { formatFieldValue } from "./field-value";
import { LEVEL_COLOR, MarkupParser, type MarkupSegment } from "./markup";
import { FormatSpecError, formatString, parseSpec, type FormatSpec } from "./spec";
import { inspectValue, strOf } from "./stringify";
import { compileTimePattern, formatElapsed, formatIsoTime, formatTime } from "./time";

export interface TemplateOptions {
  colorize: boolean;
  /** ANSI prefix for `<level>`/`<lvl>` of a given level name (the core keeps it up to date when levels change). */
  levelAnsi: (levelName: string) => string;
  /** Text for `{exception}`: "" when the record has none, else the traceback ending with "\n". */
  renderException: (record: LogRecord) => string;
  /** The handler's redactor, for `{extra}` and `{extra[key]}`; read per record (configure() may change it). */
  redactor: () => Redactor;
  /** `{extra...}` fields show control characters as escapes (the handler's `escape`). */
  escape: boolean;
}

export interface CompiledTemplate {
  /** `message` replaces record.message for `{message}` (the handler may have colorized or stripped markup in it). */
  render(record: LogRecord, message: string): string;
  /** true when the template reads name/function/line/file/module (the caller site must then be looked up). */
  readonly usesCaller: boolean;
}

type Piece = (record: LogRecord, message: string) => string;

const RECORD_KEYS: ReadonlySet<string> = new Set([
  "elapsed", "exception", "extra", "file", "function", "level", "line", "message", "module", "name", "process", "thread", "time",
]);
const CALLER_KEYS: ReadonlySet<string> = new Set(["name", "function", "line", "file", "module"]);
const NUMERIC_KEYS: ReadonlySet<string> = new Set(["line", "process", "thread"]);
const RESET = "\x1b[0m";

/** Compiled once at add(); throws (naming the tag / field) for bad markup or an unparseable field. */
export function compileTemplate(format: string, options: TemplateOptions): CompiledTemplate {
  let parsed;
  try {
    parsed = parseFormat(format, true);
  } catch (error) {
    if (error instanceof FormatSyntaxError) throw new SyntaxError(`Invalid format ${JSON.stringify(format)}: ${error.message}`);
    throw error;
  }
  const markup = new MarkupParser(options.colorize);
  const pieces: (string | Piece)[] = [];
  const levelColor: Piece = (record) => options.levelAnsi(record.level.name);
  const push = (segment: MarkupSegment | Piece): void => {
    const piece = segment === LEVEL_COLOR ? levelColor : segment;
    const last = pieces[pieces.length - 1];
    if (typeof piece === "string" && typeof last === "string") pieces[pieces.length - 1] = last + piece;
    else if (piece !== "") pieces.push(piece);
  };
  let usesCaller = false;
  const check = (field: Field): void => {
    if (field.index >= 0) {
      throw new SyntaxError(`Invalid field '${field.raw}' in format: a template names record fields ({time}, {level}, {message}, …), not positions`);
    }
    if (!RECORD_KEYS.has(field.name)) {
      throw new SyntaxError(`Unknown field '${field.raw}' in format: the record has no '${field.name}' (known: ${[...RECORD_KEYS].join(", ")})`);
    }
    if (CALLER_KEYS.has(field.name)) usesCaller = true;
    for (const part of field.spec) if (typeof part !== "string") check(part);
  };

  for (const part of parsed.parts) {
    if (typeof part === "string") {
      for (const segment of markup.feed(part)) push(segment);
      continue;
    }
    check(part);
    let piece = compileField(part, options);
    if (part.name === "extra" && options.escape) {
      const field = piece;
      piece = (record, message) => escapeControls(field(record, message));
    }
    if (part.name === "message" && part.accessors.length === 0 && options.colorize) {
      piece = keepColorsAcrossResets(piece, markup.activeSegments(), levelColor);
    }
    push(piece);
  }
  markup.finish(true);

  const frozen = pieces.slice();
  let render: (record: LogRecord, message: string) => string;
  if (frozen.length === 1 && typeof frozen[0] === "string") {
    const text = frozen[0];
    render = () => text;
  } else {
    render = (record, message) => {
      let out = "";
      for (let i = 0; i < frozen.length; i++) {
        const piece = frozen[i];
        out += typeof piece === "string" ? piece : piece(record, message);
      }
      return out;
    };
  }
  return { render, usesCaller };
}

/**
 * A colored message ends its own colors with a reset; the template's colors around `{message}`
 * are put back after each one, as loguru does.
 */
function keepColorsAcrossResets(piece: Piece, active: MarkupSegment[], levelColor: Piece): Piece {
  if (active.length === 0) return piece;
  const fixed = active.every((s) => s !== LEVEL_COLOR) ? active.join("") : null;
  return (record, message) => {
    const text = piece(record, message);
    if (!text.includes(RESET)) return text;
    const restore = fixed ?? active.map((s) => (s === LEVEL_COLOR ? levelColor(record, message) : s)).join("");
    return text.split(RESET).join(RESET + restore);
  };
}

/** How a record key shows without accessors or conversion (`{level}` is the level's name, …). */
function displayOf(name: string, options: TemplateOptions): (record: LogRecord, message: string) => unknown {
  switch (name) {
    case "message":
      return (_record, message) => message;
    case "level":
    case "file":
      return (record) => (record[name] as { name?: unknown } | null)?.name;
    case "process":
    case "thread":
      return (record) => (record[name] as { id?: unknown } | null)?.id;
    case "elapsed":
      return (record) => {
        const elapsed = record.elapsed;
        return elapsed && typeof elapsed.microseconds === "number" ? formatElapsed(elapsed) : strOf(elapsed);
      };
    case "extra":
      return (record) => {
        const redactor = options.redactor();
        return inspectValue(redactor.maskForText(record.extra, redactor.root));
      };
    case "exception":
      return (record) => options.renderException(record);
    default:
      return (record) => record[name as keyof LogRecord];
  }
}

function compileField(field: Field, options: TemplateOptions): Piece {
  const { raw, name, accessors, conversion } = field;
  const plain = accessors.length === 0;
  const display = displayOf(name, options);
  let value: (record: LogRecord, message: string) => unknown;
  if (plain && conversion !== "r" && conversion !== "a") value = display;
  else if (plain && name === "message") value = (_record, message) => message;
  else if (name === "extra") value = (record) => readExtra(record.extra, accessors, options.redactor());
  else value = (record) => access(record[name as keyof LogRecord], accessors);

  const specIsStatic = field.spec.length === 0 || (field.spec.length === 1 && typeof field.spec[0] === "string");
  const specText = field.specText;

  if (plain && name === "time" && conversion === "") {
    if (specIsStatic) {
      let formatter;
      try {
        formatter = compileTimePattern(specText);
      } catch (error) {
        throw new SyntaxError(`Invalid field '${raw}' in format: ${(error as Error).message}`);
      }
      return (record) => {
        const time = record.time;
        return time instanceof Date ? formatter.format(time) : strOf(time);
      };
    }
    const spec = compileSpecParts(field.spec, options);
    return (record, message) => {
      const time = record.time;
      try {
        if (!(time instanceof Date)) return strOf(time);
        const pattern = spec(record, message);
        return pattern === "" ? formatIsoTime(time) : formatTime(time, pattern);
      } catch {
        return raw;
      }
    };
  }

  if (specIsStatic) {
    let parsedSpec: FormatSpec | null = null;
    if (specText !== "") {
      try {
        parsedSpec = parseSpec(specText);
        // Record fields have known types: a spec that cannot fit them is refused now, not at every record.
        if (plain) formatFieldValue(conversion === "" && NUMERIC_KEYS.has(name) ? 1 : "", specText);
      } catch (error) {
        if (error instanceof FormatSpecError) throw new SyntaxError(`Invalid field '${raw}' in format: ${error.message}`);
        throw error;
      }
    }
    let lastInput: unknown = MISSING;
    let lastOutput = "";
    return (record, message) => {
      let v = value(record, message);
      if (v === MISSING) return raw;
      if (conversion !== "") v = convert(v, conversion);
      if (parsedSpec === null) {
        if (typeof v === "string") return v;
        if (typeof v !== "number") return strOf(v);
        // Line numbers and ids repeat: skip the number-to-text conversion.
        if (v === lastInput) return lastOutput;
        lastOutput = String(v);
        lastInput = v;
        return lastOutput;
      }
      // Level names and the like repeat from record to record: keep the last padding.
      if (typeof v === "string") {
        if (v === lastInput) return lastOutput;
        try {
          lastOutput = formatString(v, parsedSpec);
          lastInput = v;
          return lastOutput;
        } catch {
          return raw;
        }
      }
      try {
        return formatFieldValue(v, specText);
      } catch {
        return raw;
      }
    };
  }

  const spec = compileSpecParts(field.spec, options);
  return (record, message) => {
    let v = value(record, message);
    if (v === MISSING) return raw;
    if (conversion !== "") v = convert(v, conversion);
    try {
      return formatFieldValue(v, spec(record, message));
    } catch {
      return raw;
    }
  };
}

/** `{extra[key]...}` with secret keys and paths shown as `[redacted]`. */
function readExtra(extra: unknown, accessors: Field["accessors"], redactor: Redactor): unknown {
  const value = access(extra, accessors);
  if (value === MISSING || redactor.off) return value;
  let at = redactor.root;
  for (let i = 0; i < accessors.length; i++) {
    const key = String(accessors[i].key);
    if (redactor.hides(key, at)) return REDACTED;
    at = redactor.enter(key, at);
  }
  return redactor.maskForText(value, at);
}

/** A spec with nested fields (`{level:{extra[width]}}`), rendered per record. */
function compileSpecParts(parts: readonly FormatPart[], options: TemplateOptions): Piece {
  const pieces = parts.map((part) => (typeof part === "string" ? part : compileField(part, options)));
  return (record, message) => {
    let out = "";
    for (const piece of pieces) out += typeof piece === "string" ? piece : piece(record, message);
    return out;
  };
}

