/**
 * Message formatting: `logger.info("{} took {ms:.1f} ms", name, { ms })`, with Python's str.format rules;
 * arguments no field reads are formatted the way `util.format` does, so none is dropped.
 */
import { formatWithOptions, types } from "node:util";
import { isPlainObject } from "./describe";
import { accessOwnData, convert, MISSING, parseFormat, type Field, type FormatPart, type ParsedFormat } from "./template/fields";
import { formatFieldValue } from "./template/field-value";
import { inspectValue } from "./template/stringify";
import { NO_REDACTION, REDACTED, type PathNode, type Redactor } from "./redact";
import { escapeControls, hasControls } from "./escape";

export interface FormattedMessage {
  /** The formatted message. */
  text: string;
  /**
   * The same with the control characters of the text that came from arguments (fields, appended
   * arguments, a non-string message) escaped; the message's own text is untouched. `text` itself
   * when there was nothing to escape.
   */
  escaped: string;
  /** Trailing plain object not consumed by a positional field. */
  kwargs: { [k: string]: unknown } | null;
  /** Trailing Error (instanceof Error) not consumed by a field, else undefined. */
  error: unknown;
}

const PARSE_CACHE_LIMIT = 512;
const CACHEABLE_LENGTH = 2048;
/** What formatting a message needs, worked out once per distinct message. */
interface MessageShape {
  readonly parsed: ParsedFormat;
  /** The message has at least one `{}` field; without any, printf specifiers apply instead. */
  readonly hasFields: boolean;
  /** The message's text with `{{`/`}}` unescaped, when it has no fields. */
  readonly literal: string;
  /** How many arguments its printf specifiers read (`%s %d %i %f %j %o %O %c`; `%%` reads none). */
  readonly printfArgs: number;
}

const shapeCache = new Map<string, MessageShape>();

function shapeOf(message: string): MessageShape {
  let shape = shapeCache.get(message);
  if (shape !== undefined) return shape;
  const parsed = parseFormat(message, false);
  const hasFields = parsed.parts.some((part) => typeof part !== "string");
  const literal = hasFields ? "" : parsed.parts.join("");
  shape = { parsed, hasFields, literal, printfArgs: hasFields ? 0 : countPrintfArgs(literal) };
  if (message.length <= CACHEABLE_LENGTH) {
    if (shapeCache.size >= PARSE_CACHE_LIMIT) shapeCache.clear();
    shapeCache.set(message, shape);
  }
  return shape;
}

/** The number of arguments `util.format` would read for the specifiers of `text`. */
function countPrintfArgs(text: string): number {
  let count = 0;
  for (let i = text.indexOf("%"); i !== -1 && i < text.length - 1; i = text.indexOf("%", i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 37 /* % */) i++;
    else if (PRINTF_READS.has(next)) count++;
  }
  return count;
}

const PRINTF_READS: ReadonlySet<number> = new Set(Array.from("sdifjoOc", (c) => c.charCodeAt(0)));
/** util.format's own inspection of appended objects, kept on one line. */
const ONE_LINE = { breakLength: Infinity, compact: true } as const;


const NO_FIELDS: ReadonlySet<number> = new Set();

/**
 * Never throws. Formatting happens only when args.length > 0 (then `{{`/`}}` unescape too).
 * A non-string message is rendered like util.inspect (strings as-is).
 *
 * Which argument goes where (README "How arguments are used"):
 * 1. `{}`/`{0}` fields read arguments by position; in a message with no field at all, printf
 *    specifiers read them instead, as `util.format` does.
 * 2. The last argument, when no field or specifier read it and it is an Error, is the exception;
 *    the one before it (or the last), when a plain object no field read, is the kwargs.
 * 3. Every other argument is appended, separated by spaces: strings as-is, others inspected.
 */
export function formatMessage(message: unknown, args: readonly unknown[], redactor: Redactor = NO_REDACTION): FormattedMessage {
  try {
    if (typeof message !== "string") {
      const { kwargs, error, end } = trailing(args, NO_FIELDS, 0);
      const out = new MessageBuilder();
      out.fromArgument(inspectMessage(message, redactor));
      appendUnread(out, args, NO_FIELDS, end, redactor);
      return { text: out.text, escaped: out.escaped ?? out.text, kwargs, error };
    }
    if (args.length === 0) return { text: message, escaped: message, kwargs: null, error: undefined };
    const shape = shapeOf(message);
    if (!shape.hasFields) {
      const { kwargs, error, end } = trailing(args, NO_FIELDS, shape.printfArgs);
      if (end === 0) return { text: shape.literal, escaped: shape.literal, kwargs, error };
      const masked = maskedArgs(args, end, redactor);
      const text = formatWithOptions(ONE_LINE, shape.literal, ...masked);
      // Strings are escaped before util.format places them; objects are inspected, which escapes
      // the control characters of their strings itself.
      const escaped = masked.some((arg) => typeof arg === "string" && hasControls(arg))
        ? formatWithOptions(ONE_LINE, shape.literal, ...masked.map((arg) => (typeof arg === "string" ? escapeControls(arg) : arg)))
        : text;
      return { text, escaped, kwargs, error };
    }
    const parsed = shape.parsed;
    const positional = parsed.mixedNumbering ? NO_FIELDS : parsed.positional;
    const { kwargs, error, end } = trailing(args, positional, 0);
    const out = new MessageBuilder();
    if (parsed.mixedNumbering) out.fromMessage(message);
    else {
      const parts = parsed.parts;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        if (typeof part === "string") out.fromMessage(part);
        else {
          const rendered = renderField(part, args, kwargs, redactor);
          if (rendered === part.raw) out.fromMessage(rendered);
          else out.fromArgument(rendered);
        }
      }
    }
    appendUnread(out, args, positional, end, redactor);
    return { text: out.text, escaped: out.escaped ?? out.text, kwargs, error };
  } catch {
    const text = typeof message === "string" ? message : inspectMessage(message, redactor);
    return { text, escaped: typeof message === "string" ? text : escapeControls(text), kwargs: null, error: undefined };
  }
}

/** The message text as it is built, and its escaped twin once some argument's text needs escaping. */
class MessageBuilder {
  text = "";
  escaped: string | null = null;

  /** Text the developer wrote (the message's own literal parts): never escaped. */
  fromMessage(piece: string): void {
    this.text += piece;
    if (this.escaped !== null) this.escaped += piece;
  }

  /** Text that came from an argument. */
  fromArgument(piece: string): void {
    if (this.escaped === null) {
      if (!hasControls(piece)) {
        this.text += piece;
        return;
      }
      this.escaped = this.text;
    }
    this.text += piece;
    this.escaped += escapeControls(piece);
  }
}

/** A message that is not a string, shown like util.inspect with its secret keys masked. */
export function inspectMessage(message: unknown, redactor: Redactor): string {
  return inspectValue(redactor.maskForText(message, redactor.root));
}

/**
 * The trailing Error, then the plain object before it, when no positional field (nor one of the
 * first `printfArgs` arguments a printf specifier reads) takes them; `end` is where they start.
 */
function trailing(
  args: readonly unknown[],
  positional: ReadonlySet<number>,
  printfArgs: number,
): Pick<FormattedMessage, "kwargs" | "error"> & { end: number } {
  let end = args.length;
  let error: unknown = undefined;
  if (end > printfArgs && !isProxy(args[end - 1]) && args[end - 1] instanceof Error && !positional.has(end - 1)) {
    error = args[end - 1];
    end--;
  }
  let kwargs: FormattedMessage["kwargs"] = null;
  if (end > printfArgs && !isProxy(args[end - 1]) && isPlainObject(args[end - 1]) && !positional.has(end - 1)) {
    kwargs = args[end - 1] as FormattedMessage["kwargs"];
    end--;
  }
  return { kwargs, error, end };
}

/** `text` followed by every argument before `end` that no field read, as `util.format` appends them. */
function appendUnread(out: MessageBuilder, args: readonly unknown[], positional: ReadonlySet<number>, end: number, redactor: Redactor): void {
  for (let i = 0; i < end; i++) {
    if (positional.has(i)) continue;
    const arg = args[i];
    out.fromMessage(" ");
    out.fromArgument(typeof arg === "string" ? arg : inspectValue(redactor.maskForText(arg, null)));
  }
}

/** The first `end` arguments for util.format, objects with their secret keys masked. */
function maskedArgs(args: readonly unknown[], end: number, redactor: Redactor): unknown[] {
  const out = new Array<unknown>(end);
  for (let i = 0; i < end; i++) out[i] = redactor.maskForText(args[i], null);
  return out;
}

/** Proxies are never kwargs nor the trailing Error: telling would run their traps. */
function isProxy(value: unknown): boolean {
  return typeof value === "object" && value !== null && types.isProxy(value);
}

/** One field's text, or the field as written when it cannot be resolved or its spec does not apply. */
function renderField(field: Field, args: readonly unknown[], kwargs: FormattedMessage["kwargs"], redactor: Redactor): string {
  let value: unknown;
  // Positional arguments have no name: only secret names inside them are masked. Named fields
  // are kwargs keys, where paths (`req.headers.authorization`) start.
  let at: PathNode | null = null;
  let hidden = false;
  if (field.index >= 0) {
    if (field.index >= args.length) return field.raw;
    value = args[field.index];
  } else {
    if (kwargs === null) return field.raw;
    const descriptor = Object.getOwnPropertyDescriptor(kwargs, field.name);
    if (descriptor === undefined || !("value" in descriptor)) return field.raw;
    value = descriptor.value;
    hidden = redactor.hides(field.name, redactor.root);
    at = redactor.enter(field.name, redactor.root);
  }
  if (field.accessors.length > 0) {
    value = accessOwnData(value, field.accessors);
    if (value === MISSING) return field.raw;
    for (let i = 0; i < field.accessors.length && !hidden; i++) {
      const key = String(field.accessors[i].key);
      hidden = redactor.hides(key, at);
      at = redactor.enter(key, at);
    }
  }
  if (hidden) value = REDACTED;
  else if (typeof value === "object" && value !== null) value = redactor.maskForText(value, at);
  if (field.conversion !== "") value = convert(value, field.conversion);
  const spec = renderSpec(field.spec, args, kwargs, redactor);
  if (spec === null) return field.raw;
  try {
    return formatFieldValue(value, spec);
  } catch {
    return field.raw;
  }
}

function renderSpec(parts: readonly FormatPart[], args: readonly unknown[], kwargs: FormattedMessage["kwargs"], redactor: Redactor): string | null {
  if (parts.length === 0) return "";
  if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
  let spec = "";
  for (const part of parts) {
    if (typeof part === "string") spec += part;
    else {
      const text = renderField(part, args, kwargs, redactor);
      if (text === part.raw) return null;
      spec += text;
    }
  }
  return spec;
}
