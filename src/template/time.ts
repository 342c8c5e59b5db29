/** Time tokens (loguru's subset of Pendulum's), `strftime` directives, ISO 8601, elapsed time. */
import type { RecordTime } from "../types";

/** The record time: a Date that also knows its microsecond (kept private so it prints as a plain Date). */
class LogTime extends Date implements RecordTime {
  readonly #microsecond: number;
  constructor(epochMs: number, microsecond: number) {
    super(epochMs);
    this.#microsecond = microsecond;
  }
  get microsecond(): number {
    return this.#microsecond;
  }
}
Object.defineProperty(LogTime, "name", { value: "Date" });

/** A RecordTime for a given instant; `microsecond` defaults to the Date's milliseconds × 1000. */
export function recordTime(epochMs: number, microsecond?: number): RecordTime {
  const ms = Math.floor(epochMs);
  const msOfSecond = ((ms % 1000) + 1000) % 1000;
  const us = microsecond === undefined ? msOfSecond * 1000 : microsecond;
  return new LogTime(ms, us);
}

/**
 * Microseconds of the monotonic clock (the one `performance.now()` reads): `process.hrtime()` costs
 * the same per call, and unlike the `performance` global it loads nothing at import.
 */
export function monotonicMicroseconds(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e6 + Math.floor(nanoseconds / 1000);
}

// The wall clock has millisecond resolution; the monotonic clock supplies the microseconds.
// Their offset is re-anchored whenever the two disagree about the current millisecond.
let clockOffsetUs = Date.now() * 1000 - monotonicMicroseconds();

let monotonicUsOfNow = 0;

/** The monotonic clock as the last `now()` read it: a record's elapsed time is taken at the same instant as its time. */
export function monotonicUsOfLastNow(): number {
  return monotonicUsOfNow;
}

/** "Now" with microseconds; cheap enough to call for every record. */
export function now(): RecordTime {
  const wallMs = Date.now();
  monotonicUsOfNow = monotonicMicroseconds();
  let epochUs = clockOffsetUs + monotonicUsOfNow;
  const base = wallMs * 1000;
  if (epochUs < base || epochUs >= base + 1000) {
    const previous = ((epochUs % 1000) + 1000) % 1000;
    clockOffsetUs += base + previous - epochUs;
    epochUs = base + previous;
  }
  return new LogTime(wallMs, (wallMs % 1000) * 1000 + (epochUs - base));
}

function microsecondOf(time: Date): number {
  const us = (time as Partial<RecordTime>).microsecond;
  if (typeof us === "number" && us >= 0 && us < 1e6 && Number.isInteger(us)) return us;
  const ms = time.getTime();
  return Number.isNaN(ms) ? 0 : (((ms % 1000) + 1000) % 1000) * 1000;
}

/** The fields of one instant in one zone. */
interface TimeParts {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  microsecond: number;
  /** Monday = 0 … Sunday = 6, as Python's `weekday()`. */
  weekday: number;
  /** Seconds east of UTC. */
  offset: number;
  utc: boolean;
  epochMs: number;
  date: Date;
}

function partsOf(time: Date, utc: boolean): TimeParts {
  const epochMs = time.getTime();
  const offset = utc ? 0 : Math.round(-time.getTimezoneOffset() * 60);
  // Civil date from the day number (H. Hinnant's algorithm): cheaper than the local-time getters.
  const wall = epochMs + offset * 1000;
  const days = Math.floor(wall / 86_400_000);
  const msOfDay = wall - days * 86_400_000;
  const era = Math.floor((days + 719468) / 146097);
  const dayOfEra = days + 719468 - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const secondOfDay = Math.floor(msOfDay / 1000);
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1,
    hour: Math.floor(secondOfDay / 3600),
    minute: Math.floor((secondOfDay % 3600) / 60),
    second: secondOfDay % 60,
    microsecond: microsecondOf(time),
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    weekday: (((days + 3) % 7) + 7) % 7,
    offset,
    utc,
    epochMs,
    date: time,
  };
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function pad2(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

function padN(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function dayOfYear(p: TimeParts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
}

function hour12(hour: number): number {
  return ((hour + 11) % 12) + 1;
}

/** `+01:00` (separator ":") or `+0100` (separator ""); seconds appear only when the offset has them. */
export function formatOffset(offsetSeconds: number, separator: string): string {
  const sign = offsetSeconds >= 0 ? "+" : "-";
  const total = Math.abs(offsetSeconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  let text = sign + pad2(hours) + separator + pad2(minutes);
  if (seconds > 0) text += separator + pad2(seconds);
  return text;
}

let zoneCacheKey: string | undefined;
let zoneNames = new Map<number, string>();
let zoneFormatters: Intl.DateTimeFormat[] | null = null;

/** The local zone's abbreviation ("CET", "EST", "UTC"), else the offset as tzdata spells it ("+09"). */
function zoneAbbreviation(p: TimeParts): string {
  if (p.utc) return "UTC";
  if (zoneCacheKey !== process.env.TZ) {
    zoneCacheKey = process.env.TZ;
    zoneNames = new Map();
    zoneFormatters = null;
  }
  const cached = zoneNames.get(p.offset);
  if (cached !== undefined) return cached;
  let name = "";
  try {
    zoneFormatters ??= ["en-US", "en-GB"].map((locale) => new Intl.DateTimeFormat(locale, { timeZoneName: "short" }));
    for (const formatter of zoneFormatters) {
      const part = formatter.formatToParts(p.date).find((x) => x.type === "timeZoneName");
      if (part && /^[A-Z]{2,5}$/.test(part.value)) {
        name = part.value;
        break;
      }
    }
  } catch {
    // No Intl data: fall through to the offset.
  }
  if (name === "") {
    const full = formatOffset(p.offset, "");
    name = full.endsWith("00") && full.length === 5 ? full.slice(0, 3) : full;
  }
  zoneNames.set(p.offset, name);
  return name;
}

type TokenFormatter = (p: TimeParts) => string;

const TOKENS: { [token: string]: TokenFormatter } = {
  YYYY: (p) => padN(p.year, 4),
  YY: (p) => pad2(p.year % 100),
  Q: (p) => String(Math.floor((p.month - 1) / 3) + 1),
  MMMM: (p) => MONTH_NAMES[p.month - 1],
  MMM: (p) => MONTH_NAMES[p.month - 1].slice(0, 3),
  MM: (p) => pad2(p.month),
  M: (p) => String(p.month),
  DDDD: (p) => padN(dayOfYear(p), 3),
  DDD: (p) => String(dayOfYear(p)),
  DD: (p) => pad2(p.day),
  D: (p) => String(p.day),
  dddd: (p) => DAY_NAMES[p.weekday],
  ddd: (p) => DAY_NAMES[p.weekday].slice(0, 3),
  d: (p) => String(p.weekday),
  E: (p) => String(p.weekday + 1),
  HH: (p) => pad2(p.hour),
  H: (p) => String(p.hour),
  hh: (p) => pad2(hour12(p.hour)),
  h: (p) => String(hour12(p.hour)),
  mm: (p) => pad2(p.minute),
  m: (p) => String(p.minute),
  ss: (p) => pad2(p.second),
  s: (p) => String(p.second),
  S: (p) => String(Math.floor(p.microsecond / 100000)),
  SS: (p) => padN(Math.floor(p.microsecond / 10000), 2),
  SSS: (p) => padN(Math.floor(p.microsecond / 1000), 3),
  SSSS: (p) => padN(Math.floor(p.microsecond / 100), 4),
  SSSSS: (p) => padN(Math.floor(p.microsecond / 10), 5),
  SSSSSS: (p) => padN(p.microsecond, 6),
  A: (p) => (p.hour < 12 ? "AM" : "PM"),
  Z: (p) => formatOffset(p.offset, ":"),
  ZZ: (p) => formatOffset(p.offset, ""),
  zz: zoneAbbreviation,
  X: (p) => String(Math.trunc(p.epochMs / 1000)),
  x: (p) => String(Math.floor(p.epochMs / 1000) * 1_000_000 + p.microsecond),
};

const TOKEN_SOURCE = "H{1,2}|h{1,2}|m{1,2}|s{1,2}|S+|YYYY|YY|M{1,4}|D{1,4}|Z{1,2}|zz|A|X|x|E|Q|dddd|ddd|d";
const TOKEN_PATTERN = new RegExp(`(?:${TOKEN_SOURCE})|\\[(?:${TOKEN_SOURCE}|!UTC|)\\]`, "g");

const STRFTIME: { [directive: string]: TokenFormatter } = {
  a: (p) => DAY_NAMES[p.weekday].slice(0, 3),
  A: (p) => DAY_NAMES[p.weekday],
  b: (p) => MONTH_NAMES[p.month - 1].slice(0, 3),
  B: (p) => MONTH_NAMES[p.month - 1],
  d: (p) => pad2(p.day),
  f: (p) => padN(p.microsecond, 6),
  H: (p) => pad2(p.hour),
  I: (p) => pad2(hour12(p.hour)),
  j: (p) => padN(dayOfYear(p), 3),
  m: (p) => pad2(p.month),
  M: (p) => pad2(p.minute),
  p: (p) => (p.hour < 12 ? "AM" : "PM"),
  S: (p) => pad2(p.second),
  s: (p) => String(Math.floor(p.epochMs / 1000)),
  u: (p) => String(p.weekday + 1),
  w: (p) => String((p.weekday + 1) % 7),
  y: (p) => pad2(p.year % 100),
  Y: (p) => String(p.year),
  z: (p) => formatOffset(p.offset, ""),
  Z: zoneAbbreviation,
  "%": () => "%",
};

/** A time pattern compiled once; `format` remembers its last result for the same instant. */
export interface TimeFormatter {
  format(time: Date): string;
}

const SUB_SECOND_TOKENS = /S|x|%f/;
const SUB_MILLISECOND_TOKENS = /S{4,}|x|%f/;

/** Compiles a pattern; throws for more than six `S` (sub-microsecond precision is not kept). */
export function compileTimePattern(pattern: string): TimeFormatter {
  let utc = false;
  let spec = pattern;
  if (spec.endsWith("!UTC")) {
    utc = true;
    spec = spec.slice(0, -4);
  }
  if (spec === "") return cached(utc ? formatIsoTimeUtc : formatIsoTime, 0);
  const pieces: (string | TokenFormatter)[] = [];
  if (spec.includes("%")) {
    let start = 0;
    for (let i = 0; i < spec.length - 1; i++) {
      if (spec[i] !== "%") continue;
      const directive = STRFTIME[spec[i + 1]];
      if (directive === undefined) continue;
      if (i > start) pieces.push(spec.slice(start, i));
      pieces.push(directive);
      start = i + 2;
      i++;
    }
    if (start < spec.length) pieces.push(spec.slice(start));
  } else {
    if (spec.includes("SSSSSSS")) {
      throw new RangeError(`Invalid time format '${pattern}': more than six successive 'S' (sub-microsecond precision is not kept)`);
    }
    let start = 0;
    for (const match of spec.matchAll(TOKEN_PATTERN)) {
      const at = match.index!;
      if (at > start) pieces.push(spec.slice(start, at));
      const token = match[0];
      const formatter = TOKENS[token];
      if (formatter !== undefined) pieces.push(formatter);
      else if (token.length > 2) pieces.push(token.slice(1, -1));
      start = at + token.length;
    }
    if (start < spec.length) pieces.push(spec.slice(start));
  }
  const render = (time: Date): string => {
    const p = partsOf(time, utc);
    let out = "";
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      out += typeof piece === "string" ? piece : piece(p);
    }
    return out;
  };
  const resolution = SUB_MILLISECOND_TOKENS.test(spec) ? 0 : SUB_SECOND_TOKENS.test(spec) ? 1 : 1000;
  return cached(render, resolution);
}

/** One-entry cache keyed by the instant at the pattern's resolution (0 = microseconds, else ms). */
function cached(render: (time: Date) => string, resolutionMs: number): TimeFormatter {
  let lastKey = NaN;
  let lastText = "";
  return {
    format(time: Date): string {
      const ms = time.getTime();
      const key = resolutionMs === 0 ? ms * 1000 + (microsecondOf(time) % 1000) : Math.floor(ms / resolutionMs);
      if (key === lastKey) return lastText;
      lastText = render(time);
      lastKey = key;
      return lastText;
    },
  };
}

const PATTERN_CACHE_LIMIT = 64;
const patternCache = new Map<string, TimeFormatter>();

/** Formats a time with loguru's tokens, `[escapes]`, `strftime` directives, and a trailing `!UTC`. */
export function formatTime(time: RecordTime | Date, pattern: string): string {
  let formatter = patternCache.get(pattern);
  if (formatter === undefined) {
    formatter = compileTimePattern(pattern);
    if (patternCache.size >= PATTERN_CACHE_LIMIT) patternCache.clear();
    patternCache.set(pattern, formatter);
  }
  return formatter.format(time);
}

function iso(p: TimeParts): string {
  return (
    padN(p.year, 4) + "-" + pad2(p.month) + "-" + pad2(p.day) + "T" + pad2(p.hour) + ":" + pad2(p.minute) + ":" +
    pad2(p.second) + "." + padN(p.microsecond, 6) + formatOffset(p.offset, ":")
  );
}

let isoSecond = NaN;
let isoOffset = NaN;
let isoHead = "";
let isoTail = "";

/** ISO 8601 local time with microseconds and offset: `2026-11-24T12:17:16.123456+01:00`. */
export function formatIsoTime(time: RecordTime | Date): string {
  // Everything but the microseconds changes at most once a second: keep it.
  const ms = time.getTime();
  const second = Math.floor(ms / 1000);
  const offset = time.getTimezoneOffset();
  if (second !== isoSecond || offset !== isoOffset) {
    const text = iso(partsOf(time, false));
    const dot = text.indexOf(".", 17);
    isoHead = text.slice(0, dot + 1);
    isoTail = text.slice(dot + 7);
    isoSecond = second;
    isoOffset = offset;
  }
  return isoHead + padN(microsecondOf(time), 6) + isoTail;
}

function formatIsoTimeUtc(time: Date): string {
  return iso(partsOf(time, true));
}

/** Python's `str(timedelta)`: `0:00:00.123456`, `1 day, 2:03:04.000005`, `0:00:05`. */
export function formatElapsed(elapsed: { readonly microseconds: number }): string {
  const total = Math.max(0, Math.round(elapsed.microseconds));
  const micro = total % 1_000_000;
  const totalSeconds = (total - micro) / 1_000_000;
  const days = Math.floor(totalSeconds / 86400);
  const rest = totalSeconds % 86400;
  const hours = Math.floor(rest / 3600);
  const minutes = Math.floor((rest % 3600) / 60);
  const seconds = rest % 60;
  let text = days > 0 ? `${days} day${days === 1 ? "" : "s"}, ` : "";
  text += hours + ":" + pad2(minutes) + ":" + pad2(seconds);
  if (micro > 0) text += "." + padN(micro, 6);
  return text;
}
