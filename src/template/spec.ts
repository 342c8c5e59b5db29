/**
 * Python's format-spec mini-language:
 * `[[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]`.
 */
import { strOf } from "./stringify";

/** A spec that cannot apply: the field that holds it is left as written. */
export class FormatSpecError extends Error {
  override name = "FormatSpecError";
}

export interface FormatSpec {
  readonly fill: string;
  readonly fillGiven: boolean;
  readonly align: "" | "<" | ">" | "^" | "=";
  readonly sign: "" | "+" | "-" | " ";
  readonly noNegativeZero: boolean;
  readonly alternate: boolean;
  /** The `0` before the width: zero fill (and `=` alignment for numbers) unless a fill was given. */
  readonly zeroPad: boolean;
  /** -1 when absent. */
  readonly width: number;
  readonly grouping: "" | "," | "_";
  /** -1 when absent. */
  readonly precision: number;
  readonly type: string;
}

/**
 * The largest width and precision a spec may ask for. A field over it stays as written (and a
 * handler format using one is refused at `add()`): `{:>200000000}` from untrusted text must not
 * write a 200 MB line.
 */
const MAX_SPEC_NUMBER = 1000;

const SPEC_CACHE_LIMIT = 512;
const specCache = new Map<string, FormatSpec>();

const GROUPING_TYPES = "defgEG%F";

function isAlign(char: string | undefined): char is "<" | ">" | "^" | "=" {
  return char === "<" || char === ">" || char === "^" || char === "=";
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= "0" && char <= "9";
}

/** Parses a spec (cached); throws FormatSpecError for malformed ones. */
export function parseSpec(text: string): FormatSpec {
  const cached = specCache.get(text);
  if (cached !== undefined) return cached;
  const spec = parseSpecUncached(text);
  if (specCache.size >= SPEC_CACHE_LIMIT) specCache.clear();
  specCache.set(text, spec);
  return spec;
}

function parseSpecUncached(text: string): FormatSpec {
  let pos = 0;
  const end = text.length;
  let fill = " ";
  let fillGiven = false;
  let align: FormatSpec["align"] = "";
  const firstCode = text.codePointAt(0);
  const firstLength = firstCode !== undefined && firstCode > 0xffff ? 2 : 1;
  if (end >= firstLength + 1 && isAlign(text[firstLength])) {
    fill = text.slice(0, firstLength);
    fillGiven = true;
    align = text[firstLength] as FormatSpec["align"];
    pos = firstLength + 1;
  } else if (isAlign(text[0])) {
    align = text[0] as FormatSpec["align"];
    pos = 1;
  }
  let sign: FormatSpec["sign"] = "";
  const signChar = text[pos];
  if (signChar === "+" || signChar === "-" || signChar === " ") {
    sign = signChar;
    pos++;
  }
  let noNegativeZero = false;
  if (text[pos] === "z") {
    noNegativeZero = true;
    pos++;
  }
  let alternate = false;
  if (text[pos] === "#") {
    alternate = true;
    pos++;
  }
  let zeroPad = false;
  if (!fillGiven && text[pos] === "0") {
    zeroPad = true;
    pos++;
  }
  let width = -1;
  const widthStart = pos;
  while (isDigit(text[pos])) pos++;
  if (pos > widthStart) width = specNumber(text.slice(widthStart, pos), "Width");
  let grouping: FormatSpec["grouping"] = "";
  if (text[pos] === ",") {
    grouping = ",";
    pos++;
  }
  if (text[pos] === "_") {
    if (grouping !== "") throw new FormatSpecError("Cannot specify both ',' and '_'.");
    grouping = "_";
    pos++;
  }
  if (text[pos] === "," && grouping === "_") throw new FormatSpecError("Cannot specify both ',' and '_'.");
  let precision = -1;
  if (text[pos] === ".") {
    pos++;
    const precisionStart = pos;
    while (isDigit(text[pos])) pos++;
    if (pos === precisionStart) throw new FormatSpecError("Format specifier missing precision");
    precision = specNumber(text.slice(precisionStart, pos), "Precision");
  }
  if (end - pos > 1) throw new FormatSpecError(`Invalid format specifier '${text}'`);
  const type = pos < end ? text[pos] : "";
  if (grouping !== "") {
    const allowed = type === "" || GROUPING_TYPES.includes(type);
    const allowedUnderscore = grouping === "_" && (type === "b" || type === "o" || type === "x" || type === "X");
    if (!(allowed || allowedUnderscore)) throw new FormatSpecError(`Cannot specify '${grouping}' with '${type}'.`);
  }
  return { fill, fillGiven, align, sign, noNegativeZero, alternate, zeroPad, width, grouping, precision, type };
}

function specNumber(digits: string, what: string): number {
  const value = Number(digits);
  if (value > MAX_SPEC_NUMBER) throw new FormatSpecError(`${what} ${digits} is over the limit of ${MAX_SPEC_NUMBER}`);
  return value;
}

const INTEGER_TYPES = "bcdoxXn";
const FLOAT_TYPES = "eEfFgG%";

/** Formats one value with a spec the way Python's `format(value, spec)` would; throws FormatSpecError. */
export function formatWithSpec(value: unknown, specText: string): string {
  if (specText === "") return strOf(value);
  const spec = parseSpec(specText);
  switch (typeof value) {
    case "number":
      return formatNumber(value, spec);
    case "bigint":
      return formatBigInt(value, spec);
    case "boolean":
      if (spec.type !== "" && spec.type !== "s") return formatNumber(value ? 1 : 0, spec);
      return formatString(String(value), spec);
    case "string":
      return formatString(value, spec);
    default:
      return formatString(strOf(value), spec);
  }
}

export function formatString(value: string, spec: FormatSpec): string {
  if (spec.type !== "" && spec.type !== "s") throw new FormatSpecError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign !== "") throw new FormatSpecError("Sign not allowed in string format specifier");
  if (spec.noNegativeZero) throw new FormatSpecError("Negative zero coercion (z) not allowed in format specifier");
  if (spec.alternate) throw new FormatSpecError("Alternate form (#) not allowed in string format specifier");
  if (spec.align === "=") throw new FormatSpecError("'=' alignment not allowed in string format specifier");
  if (spec.grouping !== "") throw new FormatSpecError(`Cannot specify '${spec.grouping}' with 's'.`);
  let text = value;
  if (spec.precision >= 0 && codePointLength(text) > spec.precision) text = sliceCodePoints(text, spec.precision);
  const fill = spec.fillGiven ? spec.fill : spec.zeroPad ? "0" : " ";
  return pad(text, "", spec.width, fill, spec.align === "" ? "<" : spec.align);
}

function formatNumber(value: number, spec: FormatSpec): string {
  const type = spec.type;
  if (type === "s") throw new FormatSpecError(`Unknown format code 's' for object of type '${Number.isInteger(value) ? "int" : "float"}'`);
  const integral = Number.isInteger(value);
  if (type !== "" && type !== "n" && INTEGER_TYPES.includes(type)) {
    if (!integral) throw new FormatSpecError(`Unknown format code '${type}' for object of type 'float'`);
    return formatInteger(value, spec);
  }
  if (integral && (type === "n" || (type === "" && spec.precision < 0))) return formatInteger(value, spec);
  if (type === "" || type === "n" || FLOAT_TYPES.includes(type)) return formatFloat(value, spec);
  throw new FormatSpecError(`Unknown format code '${type}' for object of type '${integral ? "int" : "float"}'`);
}

function formatBigInt(value: bigint, spec: FormatSpec): string {
  const type = spec.type;
  if (type === "" || INTEGER_TYPES.includes(type)) return formatInteger(value, spec);
  if (type !== "" && FLOAT_TYPES.includes(type)) return formatFloat(Number(value), spec);
  throw new FormatSpecError(`Unknown format code '${type}' for object of type 'int'`);
}

function formatInteger(value: number | bigint, spec: FormatSpec): string {
  if (spec.precision >= 0) throw new FormatSpecError("Precision not allowed in integer format specifier");
  if (spec.noNegativeZero) throw new FormatSpecError("Negative zero coercion (z) not allowed in integer format specifier");
  const type = spec.type;
  const negative = value < 0;
  const magnitude: number | bigint = negative ? -value : value;
  if (type === "c") {
    if (spec.sign !== "") throw new FormatSpecError("Sign not allowed with integer format specifier 'c'");
    if (spec.alternate) throw new FormatSpecError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (negative || magnitude > 0x10ffff) throw new FormatSpecError("%c arg not in range(0x110000)");
    const fill = spec.fillGiven ? spec.fill : spec.zeroPad ? "0" : " ";
    const align = spec.align === "" ? (spec.zeroPad ? "=" : ">") : spec.align;
    return pad(String.fromCodePoint(Number(magnitude)), "", spec.width, fill, align);
  }
  if (type === "n" && spec.grouping !== "") throw new FormatSpecError(`Cannot specify '${spec.grouping}' with 'n'.`);
  let radix = 10;
  let prefix = "";
  let groupSize = 3;
  if (type === "b") {
    radix = 2;
    prefix = "0b";
    groupSize = 4;
  } else if (type === "o") {
    radix = 8;
    prefix = "0o";
    groupSize = 4;
  } else if (type === "x" || type === "X") {
    radix = 16;
    prefix = "0x";
    groupSize = 4;
  }
  let digits =
    typeof magnitude === "number" && magnitude >= 1e21 ? BigInt(magnitude).toString(radix) : magnitude.toString(radix);
  if (type === "X") {
    digits = digits.toUpperCase();
    prefix = "0X";
  }
  const lead = signOf(negative, spec.sign) + (spec.alternate ? prefix : "");
  return layoutNumber(lead, digits, "", spec, groupSize);
}

function signOf(negative: boolean, sign: FormatSpec["sign"]): string {
  if (negative) return "-";
  if (sign === "+") return "+";
  if (sign === " ") return " ";
  return "";
}

/**
 * Joins sign/prefix, the integer digits (grouped, and zero-filled through the separators when the
 * fill is `0` with `=` alignment, as Python does) and the rest (fraction, exponent, `%`).
 */
function layoutNumber(lead: string, intDigits: string, rest: string, spec: FormatSpec, groupSize: number): string {
  const fill = spec.fillGiven ? spec.fill : spec.zeroPad ? "0" : " ";
  const align = spec.align === "" ? (spec.zeroPad ? "=" : ">") : spec.align;
  if (spec.grouping !== "") {
    const minWidth = fill === "0" && align === "=" ? spec.width - lead.length - rest.length : 0;
    intDigits = group(intDigits, spec.grouping, groupSize, minWidth);
  }
  return pad(intDigits + rest, lead, spec.width, fill, align);
}

function group(digits: string, separator: string, size: number, minWidth: number): string {
  let remaining = digits.length;
  let out = "";
  let first = true;
  for (;;) {
    const length = Math.min(size, Math.max(remaining, minWidth, 1));
    const chars = Math.max(0, Math.min(remaining, length));
    const zeros = Math.max(0, length - remaining);
    const chunk = "0".repeat(zeros) + digits.slice(remaining - chars, remaining);
    out = first ? chunk : chunk + separator + out;
    first = false;
    remaining -= chars;
    minWidth -= length;
    if (remaining <= 0 && minWidth <= 0) return out;
    minWidth -= separator.length;
  }
}

function pad(body: string, lead: string, width: number, fill: string, align: string): string {
  const length = codePointLength(body) + lead.length;
  if (width <= length) return lead + body;
  const count = width - length;
  switch (align) {
    case "<":
      return lead + body + fill.repeat(count);
    case "^": {
      const left = count >> 1;
      return fill.repeat(left) + lead + body + fill.repeat(count - left);
    }
    case "=":
      return lead + fill.repeat(count) + body;
    default:
      return fill.repeat(count) + lead + body;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function sliceCodePoints(text: string, count: number): string {
  if (!SURROGATE.test(text)) return text.slice(0, count);
  let out = "";
  let taken = 0;
  for (const char of text) {
    if (taken++ >= count) break;
    out += char;
  }
  return out;
}

function formatFloat(value: number, spec: FormatSpec): string {
  let type = spec.type;
  if (type === "n") {
    if (spec.grouping !== "") throw new FormatSpecError(`Cannot specify '${spec.grouping}' with 'n'.`);
    type = "g";
  }
  let negative = value < 0 || Object.is(value, -0);
  let magnitude = Math.abs(value);
  let suffix = "";
  if (type === "%") {
    magnitude *= 100;
    type = "f";
    suffix = "%";
  }
  const upper = type === "E" || type === "F" || type === "G";
  let body: string;
  if (type === "" && spec.precision < 0) {
    // No type and no precision: the number's own text, as `{}` shows it.
    body = String(magnitude);
  } else if (!Number.isFinite(magnitude)) {
    body = Number.isNaN(magnitude) ? "nan" : "inf";
    if (upper) body = body.toUpperCase();
  } else {
    const precision = spec.precision < 0 ? 6 : spec.precision;
    switch (type) {
      case "f":
      case "F":
        body = toFixedExact(magnitude, precision);
        if (spec.alternate && precision === 0) body += ".";
        break;
      case "e":
      case "E":
        body = toExponentialExact(magnitude, precision, spec.alternate);
        break;
      default:
        body = toGeneral(magnitude, precision, spec.alternate, type === "");
    }
    if (upper) body = body.toUpperCase();
  }
  if (negative && spec.noNegativeZero && Number.isFinite(magnitude) && !/[1-9]/.test(body.replace(/e.*$/i, ""))) negative = false;
  if (Number.isNaN(value)) negative = false;
  body += suffix;
  const split = body.search(/[^0-9]/);
  const intDigits = split < 0 ? body : body.slice(0, split);
  const rest = split < 0 ? "" : body.slice(split);
  if (intDigits === "") return pad(body, signOf(negative, spec.sign), spec.width, spec.fillGiven ? spec.fill : spec.zeroPad ? "0" : " ", spec.align === "" ? (spec.zeroPad ? "=" : ">") : spec.align);
  return layoutNumber(signOf(negative, spec.sign), intDigits, rest, spec, 3);
}

/** Splits a finite positive double into an odd mantissa and a power of two. */
const float64View = new DataView(new ArrayBuffer(8));

function decompose(value: number): { mantissa: number; exponent: number } {
  const view = float64View;
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const low = view.getUint32(4);
  const biased = (high >>> 20) & 0x7ff;
  let mantissa = (high & 0xfffff) * 2 ** 32 + low;
  let exponent: number;
  if (biased === 0) exponent = -1074;
  else {
    mantissa += 2 ** 52;
    exponent = biased - 1075;
  }
  while (mantissa !== 0 && mantissa % 2 === 0) {
    mantissa /= 2;
    exponent++;
  }
  return { mantissa, exponent };
}

/** Whether `value * 10**decimals` lies exactly halfway between two integers. */
function isHalfway(value: number, decimals: number): boolean {
  if (value === 0) return false;
  const { exponent } = decompose(value);
  if (decimals >= 0) return exponent < 0 && -exponent === decimals + 1;
  if (exponent < 0) return false;
  const unit = 10n ** BigInt(-decimals);
  return BigInt(value) % unit === (unit / 10n) * 5n;
}

/** JavaScript rounds ties away from zero; Python rounds them to even. */
function toEvenOnTie(digits: string, tie: boolean): string {
  if (!tie) return digits;
  const last = digits.charCodeAt(digits.length - 1) - 48;
  if (last % 2 === 0) return digits;
  return digits.slice(0, -1) + String(last - 1);
}

/** Exact decimal digits of a finite non-negative double: value = digits × 10^-scale. */
function exactDecimal(value: number): { digits: bigint; scale: number } {
  if (value === 0) return { digits: 0n, scale: 0 };
  const { mantissa, exponent } = decompose(value);
  if (exponent >= 0) return { digits: BigInt(mantissa) << BigInt(exponent), scale: 0 };
  return { digits: BigInt(mantissa) * 5n ** BigInt(-exponent), scale: -exponent };
}

function roundHalfEven(digits: bigint, drop: number): bigint {
  if (drop <= 0) return digits * 10n ** BigInt(-drop);
  const unit = 10n ** BigInt(drop);
  let kept = digits / unit;
  const remainder = (digits % unit) * 2n;
  if (remainder > unit || (remainder === unit && kept % 2n === 1n)) kept += 1n;
  return kept;
}

function insertPoint(digits: string, decimals: number): string {
  if (decimals === 0) return digits;
  const padded = digits.padStart(decimals + 1, "0");
  return padded.slice(0, -decimals) + "." + padded.slice(-decimals);
}

function toFixedExact(value: number, precision: number): string {
  if (value < 1e21 && precision <= 100) {
    const text = value.toFixed(precision);
    return toEvenOnTie(text, isHalfway(value, precision));
  }
  const { digits, scale } = exactDecimal(value);
  return insertPoint(roundHalfEven(digits, scale - precision).toString(), precision);
}

function toExponentialExact(value: number, precision: number, alternate: boolean): string {
  let mantissa: string;
  let exponent: number;
  if (precision <= 100) {
    const text = value.toExponential(precision);
    const e = text.indexOf("e");
    exponent = Number(text.slice(e + 1));
    mantissa = toEvenOnTie(text.slice(0, e), isHalfway(value, precision - exponent));
  } else if (value === 0) {
    mantissa = "0." + "0".repeat(precision);
    exponent = 0;
  } else {
    const { digits, scale } = exactDecimal(value);
    const length = digits.toString().length;
    exponent = length - 1 - scale;
    let kept = roundHalfEven(digits, length - 1 - precision).toString();
    if (kept.length > precision + 1) {
      kept = kept.slice(0, -1);
      exponent++;
    }
    mantissa = kept.slice(0, 1) + "." + kept.slice(1);
  }
  if (alternate && precision === 0) mantissa += ".";
  const sign = exponent < 0 ? "-" : "+";
  const magnitude = Math.abs(exponent);
  return mantissa + "e" + sign + (magnitude < 10 ? "0" + magnitude : String(magnitude));
}

/** `g` (and the no-type form with a precision, which keeps at least one digit after the point). */
function toGeneral(value: number, precision: number, alternate: boolean, addDotZero: boolean): string {
  const significant = precision === 0 ? 1 : precision;
  const scientific = toExponentialExact(value, significant - 1, false);
  const exponent = value === 0 ? 0 : Number(scientific.slice(scientific.indexOf("e") + 1));
  let body: string;
  // Without a type, Python switches to scientific notation one digit earlier than `g`.
  const limit = addDotZero ? significant - 1 : significant;
  if (exponent >= -4 && exponent < limit) {
    body = toFixedExact(value, significant - 1 - exponent);
    if (!alternate) body = stripZeros(body);
    else if (!body.includes(".")) body += ".";
  } else {
    const e = scientific.indexOf("e");
    let mantissa = scientific.slice(0, e);
    if (!alternate) mantissa = stripZeros(mantissa);
    else if (!mantissa.includes(".")) mantissa += ".";
    body = mantissa + scientific.slice(e);
  }
  if (addDotZero && !/[.e]/.test(body)) body += ".0";
  return body;
}

function stripZeros(text: string): string {
  if (!text.includes(".")) return text;
  let end = text.length;
  while (text[end - 1] === "0") end--;
  if (text[end - 1] === ".") end--;
  return text.slice(0, end);
}
