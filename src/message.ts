/** Message formatting: `logger.info("{} took {ms:.1f} ms", name, { ms })`, with Python's str.format rules. */
import { isPlainObject } from "./describe";
import { access, convert, MISSING, parseFormat, type Field, type FormatPart, type ParsedFormat } from "./template/fields";
import { formatFieldValue } from "./template/field-value";
import { inspectValue } from "./template/stringify";

export interface FormattedMessage {
  /** The formatted message. */
  text: string;
  /** Trailing plain object not consumed by a positional field. */
  kwargs: { [k: string]: unknown } | null;
  /** Trailing Error (instanceof Error) not consumed by a field, else undefined. */
  error: unknown;
}

const PARSE_CACHE_LIMIT = 512;
const CACHEABLE_LENGTH = 2048;
const parseCache = new Map<string, ParsedFormat>();

function parseMessage(message: string): ParsedFormat {
  let parsed = parseCache.get(message);
  if (parsed !== undefined) return parsed;
  parsed = parseFormat(message, false);
  if (message.length <= CACHEABLE_LENGTH) {
    if (parseCache.size >= PARSE_CACHE_LIMIT) parseCache.clear();
    parseCache.set(message, parsed);
  }
  return parsed;
}


const NO_FIELDS: ReadonlySet<number> = new Set();

/**
 * Never throws. Formatting happens only when args.length > 0 (then `{{`/`}}` unescape too).
 * A non-string message is rendered like util.inspect (strings as-is).
 */
export function formatMessage(message: unknown, args: readonly unknown[]): FormattedMessage {
  try {
    if (typeof message !== "string") {
      const { kwargs, error } = trailing(args, NO_FIELDS);
      return { text: inspectValue(message), kwargs, error };
    }
    if (args.length === 0) return { text: message, kwargs: null, error: undefined };
    const parsed = parseMessage(message);
    const { kwargs, error } = trailing(args, parsed.positional);
    if (parsed.mixedNumbering) return { text: message, kwargs, error };
    const parts = parsed.parts;
    let text = "";
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      text += typeof part === "string" ? part : renderField(part, args, kwargs);
    }
    return { text, kwargs, error };
  } catch {
    return { text: typeof message === "string" ? message : inspectValue(message), kwargs: null, error: undefined };
  }
}

/** The trailing Error, then the plain object before it, when no positional field reads them. */
function trailing(args: readonly unknown[], positional: ReadonlySet<number>): Pick<FormattedMessage, "kwargs" | "error"> {
  let end = args.length;
  let error: unknown = undefined;
  if (end > 0 && args[end - 1] instanceof Error && !positional.has(end - 1)) {
    error = args[end - 1];
    end--;
  }
  let kwargs: FormattedMessage["kwargs"] = null;
  if (end > 0 && isPlainObject(args[end - 1]) && !positional.has(end - 1)) kwargs = args[end - 1] as FormattedMessage["kwargs"];
  return { kwargs, error };
}

/** One field's text, or the field as written when it cannot be resolved or its spec does not apply. */
function renderField(field: Field, args: readonly unknown[], kwargs: FormattedMessage["kwargs"]): string {
  let value: unknown;
  if (field.index >= 0) {
    if (field.index >= args.length) return field.raw;
    value = args[field.index];
  } else {
    if (kwargs === null || !Object.prototype.hasOwnProperty.call(kwargs, field.name)) return field.raw;
    value = kwargs[field.name];
  }
  if (field.accessors.length > 0) {
    value = access(value, field.accessors);
    if (value === MISSING) return field.raw;
  }
  if (field.conversion !== "") value = convert(value, field.conversion);
  const spec = renderSpec(field.spec, args, kwargs);
  if (spec === null) return field.raw;
  try {
    return formatFieldValue(value, spec);
  } catch {
    return field.raw;
  }
}

function renderSpec(parts: readonly FormatPart[], args: readonly unknown[], kwargs: FormattedMessage["kwargs"]): string | null {
  if (parts.length === 0) return "";
  if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
  let spec = "";
  for (const part of parts) {
    if (typeof part === "string") spec += part;
    else {
      const text = renderField(part, args, kwargs);
      if (text === part.raw) return null;
      spec += text;
    }
  }
  return spec;
}
