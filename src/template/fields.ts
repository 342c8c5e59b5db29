/**
 * The replacement-field grammar of Python's `str.format`:
 * `{[name|index][.attr|[key]]*[!conversion][:spec]}`, `{{`/`}}` escapes, nested fields in specs.
 */
import { types } from "node:util";
import { asciiOf, reprOf, strOf } from "./stringify";

/** A format string that cannot be parsed (only raised in strict mode, for templates). */
export class FormatSyntaxError extends Error {
  override name = "FormatSyntaxError";
}

export interface Accessor {
  /** `.name` (true) or `[key]` (false). */
  readonly attribute: boolean;
  readonly key: string | number;
}

export interface Field {
  /** The field exactly as written, braces included: what is shown when it cannot be resolved. */
  readonly raw: string;
  /** Positional index (auto-numbered ones resolved), or -1 for a named field. */
  readonly index: number;
  /** The name of a named field ("" for positional ones). */
  readonly name: string;
  readonly accessors: readonly Accessor[];
  readonly conversion: "" | "r" | "s" | "a";
  /** The spec with its nested fields; a lone string when it has none. */
  readonly spec: readonly FormatPart[];
  /** The spec as written. */
  readonly specText: string;
}

/** Literal text, or a field. */
export type FormatPart = string | Field;

export interface ParsedFormat {
  readonly parts: readonly FormatPart[];
  /** Auto-numbered and explicitly numbered fields were mixed: the string cannot be formatted. */
  readonly mixedNumbering: boolean;
  /** Every positional index some field (nested ones included) reads. */
  readonly positional: ReadonlySet<number>;
}

interface ParseState {
  readonly strict: boolean;
  autoIndex: number;
  numbering: "" | "auto" | "manual";
  mixed: boolean;
  readonly positional: Set<number>;
}

const MAX_SPEC_NESTING = 2;

/**
 * Parses a format string. Lenient (messages): malformed braces and fields stay literal text.
 * Strict (templates): they throw a FormatSyntaxError naming the problem.
 */
export function parseFormat(text: string, strict: boolean): ParsedFormat {
  const state: ParseState = { strict, autoIndex: 0, numbering: "", mixed: false, positional: new Set() };
  const parts = parseParts(text, state, MAX_SPEC_NESTING);
  return { parts, mixedNumbering: state.mixed, positional: state.positional };
}

function parseParts(text: string, state: ParseState, nesting: number): FormatPart[] {
  const parts: FormatPart[] = [];
  let literal = "";
  let start = 0;
  let i = 0;
  const length = text.length;
  while (i < length) {
    const char = text.charCodeAt(i);
    if (char !== 123 /* { */ && char !== 125 /* } */) {
      i++;
      continue;
    }
    literal += text.slice(start, i);
    if (char === 125) {
      if (text.charCodeAt(i + 1) !== 125 && state.strict) {
        throw new FormatSyntaxError(`Single '}' encountered in format string at position ${i}`);
      }
      literal += "}";
      i += text.charCodeAt(i + 1) === 125 ? 2 : 1;
      start = i;
      continue;
    }
    if (text.charCodeAt(i + 1) === 123) {
      literal += "{";
      i += 2;
      start = i;
      continue;
    }
    let depth = 1;
    let j = i + 1;
    for (; j < length; j++) {
      const c = text.charCodeAt(j);
      if (c === 123) depth++;
      else if (c === 125 && --depth === 0) break;
    }
    if (j >= length) {
      if (state.strict) throw new FormatSyntaxError(`Expected '}' before the end of the format string, for the field starting at position ${i}: '${text.slice(i)}'`);
      literal += text.slice(i);
      start = i = length;
      break;
    }
    const raw = text.slice(i, j + 1);
    const field = parseField(raw, state, nesting);
    if (field === null) literal += raw;
    else {
      if (literal !== "") parts.push(literal);
      literal = "";
      parts.push(field);
    }
    i = start = j + 1;
  }
  literal += text.slice(start, i);
  if (literal !== "") parts.push(literal);
  return parts;
}

function invalid(state: ParseState, raw: string, reason: string): null {
  if (state.strict) throw new FormatSyntaxError(`Invalid field '${raw}': ${reason}`);
  return null;
}

function parseField(raw: string, state: ParseState, nesting: number): Field | null {
  const body = raw.slice(1, -1);
  let i = 0;
  let stop = "";
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === "[") {
      while (i < body.length && body[i] !== "]") i++;
      if (i >= body.length) break;
      continue;
    }
    if (c === "{") return invalid(state, raw, "unexpected '{' in field name");
    if (c === ":" || c === "!") {
      stop = c;
      break;
    }
  }
  const nameText = body.slice(0, i);
  let conversion: Field["conversion"] = "";
  let specText = "";
  if (stop === "!") {
    if (i + 1 >= body.length) return invalid(state, raw, "end of string while looking for conversion specifier");
    const c = body[i + 1];
    if (c !== "r" && c !== "s" && c !== "a") return invalid(state, raw, `unknown conversion specifier '${c}'`);
    conversion = c;
    if (i + 2 < body.length) {
      if (body[i + 2] !== ":") return invalid(state, raw, "expected ':' after conversion specifier");
      specText = body.slice(i + 3);
    }
  } else if (stop === ":") {
    specText = body.slice(i + 1);
  }

  const nameEnd = firstOf(nameText, ".[");
  const first = nameText.slice(0, nameEnd);
  const accessors = parseAccessors(nameText.slice(nameEnd));
  if (typeof accessors === "string") return invalid(state, raw, accessors);

  let index = -1;
  let name = "";
  if (first === "") {
    if (state.numbering === "manual") state.mixed = true;
    state.numbering = "auto";
    index = state.autoIndex++;
  } else if (/^[0-9]+$/.test(first)) {
    if (state.numbering === "auto") state.mixed = true;
    state.numbering = "manual";
    index = Number(first);
  } else {
    name = first;
  }
  if (index >= 0) state.positional.add(index);

  let spec: FormatPart[];
  if (specText === "") spec = [];
  else if (!specText.includes("{") && !specText.includes("}")) spec = [specText];
  else {
    if (nesting <= 0) return invalid(state, raw, "max string recursion exceeded");
    spec = parseParts(specText, state, nesting - 1);
  }
  return { raw, index, name, accessors, conversion, spec, specText };
}

function firstOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i])) return i;
  return text.length;
}

/** `.attr` and `[key]` chains; a string is the reason they are malformed. */
function parseAccessors(text: string): Accessor[] | string {
  const accessors: Accessor[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ".") {
      const end = firstOf(text.slice(i + 1), ".[") + i + 1;
      const key = text.slice(i + 1, end);
      if (key === "") return "empty attribute in format string";
      accessors.push({ attribute: true, key });
      i = end;
    } else if (text[i] === "[") {
      const end = text.indexOf("]", i + 1);
      if (end < 0) return "missing ']' in format string";
      const key = text.slice(i + 1, end);
      if (key === "") return "empty attribute in format string";
      accessors.push({ attribute: false, key: /^[0-9]+$/.test(key) ? Number(key) : key });
      i = end + 1;
      if (i < text.length && text[i] !== "." && text[i] !== "[") return "only '.' or '[' may follow ']' in format field specifier";
    } else {
      return "only '.' or '[' may follow ']' in format field specifier";
    }
  }
  return accessors;
}

/** What `resolve` returns when a lookup fails. */
export const MISSING: unique symbol = Symbol("logsight.missing");

/** Follows `.attr` / `[key]` accessors; MISSING when one of them does not exist. Never throws. */
export function access(base: unknown, accessors: readonly Accessor[]): unknown {
  let value = base;
  for (let i = 0; i < accessors.length; i++) {
    if (value === null || value === undefined) return MISSING;
    const { attribute, key } = accessors[i];
    try {
      if (!attribute && value instanceof Map) {
        if (value.has(key)) value = value.get(key);
        else if (typeof key === "number" && value.has(String(key))) value = value.get(String(key));
        else return MISSING;
        continue;
      }
      const holder = Object(value) as { [key: string | number]: unknown };
      if (!(key in holder)) return MISSING;
      value = holder[key];
    } catch {
      return MISSING;
    }
  }
  return value;
}

const mapHas = Map.prototype.has;
const mapGet = Map.prototype.get;

/**
 * `access` for message fields, whose values come from the program's callers: only own data
 * properties (array indices, string characters, Map entries by `[key]`) are followed. A getter, a
 * Proxy or the prototype chain (`__proto__`, `constructor`) gives MISSING, so no user code runs
 * and the field stays as written. Never throws.
 */
export function accessOwnData(base: unknown, accessors: readonly Accessor[]): unknown {
  let value = base;
  for (let i = 0; i < accessors.length; i++) {
    if (value === null || value === undefined) return MISSING;
    const { attribute, key } = accessors[i];
    if (typeof value === "object" || typeof value === "function") {
      if (types.isProxy(value)) return MISSING;
      if (!attribute && types.isMap(value)) {
        const map = value as Map<unknown, unknown>;
        if (mapHas.call(map, key)) value = mapGet.call(map, key);
        else if (typeof key === "number" && mapHas.call(map, String(key))) value = mapGet.call(map, String(key));
        else return MISSING;
        continue;
      }
    }
    let descriptor: PropertyDescriptor | undefined;
    try {
      descriptor = Object.getOwnPropertyDescriptor(value, key);
    } catch {
      return MISSING;
    }
    if (descriptor === undefined || !("value" in descriptor)) return MISSING;
    value = descriptor.value;
  }
  return value;
}

/** Applies `!r` / `!s` / `!a`. */
export function convert(value: unknown, conversion: Field["conversion"]): unknown {
  switch (conversion) {
    case "r":
      return reprOf(value);
    case "s":
      return strOf(value);
    case "a":
      return asciiOf(value);
    default:
      return value;
  }
}
