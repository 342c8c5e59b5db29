/**
 * The human-friendly grammar of file sink options: sizes, durations, frequencies and day/time.
 * Each parser returns `null` when the text is not of its kind and throws a `GrammarError` when it
 * is of its kind but malformed; callers prefix the option name and value to the message.
 */

export class GrammarError extends Error {}

const SIZE = /^([+\-]?[0-9.][0-9eE+\-.]*)\s*([kmgtpezy])?(i)?(b)$/i;
const SIZE_PREFIXES = "kmgtpezy";

/** `"500 MB"`, `"0.5 GB"`, `"64 KiB"`, `"100 b"` (bits) to a number of bytes. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (match === null) return null;
  const [, amount, prefix, binary, unit] = match;
  const value = parseDecimal(amount!, "size");
  const power = prefix === undefined ? 0 : SIZE_PREFIXES.indexOf(prefix.toLowerCase()) + 1;
  const base = binary === undefined ? 1000 : 1024;
  const bytes = (value * base ** power) / (unit === "b" ? 8 : 1);
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw new GrammarError("the size must be a positive number");
  return bytes;
}

const DURATION_PART = /([+\-]?[0-9.][0-9eE+\-.]*)\s*([a-z]+)(?:[\s,]*(?:and\s+)?)/iy;
const DURATION_UNITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(?:y|years?)$/i, 31_536_000_000],
  [/^months?$/i, 2_628_000_000],
  [/^(?:w|weeks?)$/i, 604_800_000],
  [/^(?:d|days?)$/i, 86_400_000],
  [/^(?:h|hours?)$/i, 3_600_000],
  [/^min(?:ute)?s?$/i, 60_000],
  [/^(?:s|sec(?:ond)?s?)$/i, 1_000],
  [/^(?:ms|milliseconds?)$/i, 1],
  [/^(?:us|microseconds?)$/i, 0.001],
];

/** `"1 week, 3 days"`, `"10h"`, `"1.5 hours"`, `"2 days and 3 hours"` to milliseconds. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  const parts: Array<[string, string]> = [];
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < trimmed.length) {
    const start = DURATION_PART.lastIndex;
    const match = DURATION_PART.exec(trimmed);
    if (match === null || match.index !== start) return null;
    parts.push([match[1]!, match[2]!]);
  }
  if (parts.length === 0) return null;
  let milliseconds = 0;
  for (const [amount, unit] of parts) {
    const value = parseDecimal(amount, "duration");
    const scale = DURATION_UNITS.find(([pattern]) => pattern.test(unit));
    if (scale === undefined) throw new GrammarError(`unknown duration unit "${unit}"`);
    milliseconds += value * scale[1];
  }
  if (!(milliseconds > 0) || !Number.isFinite(milliseconds)) {
    throw new GrammarError("the duration must be positive");
  }
  return milliseconds;
}

export type Frequency = "hourly" | "daily" | "weekly" | "monthly" | "yearly";
const FREQUENCIES = new Set<string>(["hourly", "daily", "weekly", "monthly", "yearly"]);

export function parseFrequency(text: string): Frequency | null {
  const word = text.trim().toLowerCase();
  return FREQUENCIES.has(word) ? (word as Frequency) : null;
}

/** The start of the period after the one containing `time`, in local time. */
export function nextPeriodStart(frequency: Frequency, time: number): number {
  const date = new Date(time);
  switch (frequency) {
    case "hourly":
      date.setMinutes(0, 0, 0);
      date.setHours(date.getHours() + 1);
      break;
    case "daily":
      date.setHours(0, 0, 0, 0);
      date.setDate(date.getDate() + 1);
      break;
    case "weekly":
      date.setHours(0, 0, 0, 0);
      // Weeks start on Monday.
      date.setDate(date.getDate() + (7 - ((date.getDay() + 6) % 7)));
      break;
    case "monthly":
      date.setHours(0, 0, 0, 0);
      date.setDate(1);
      date.setMonth(date.getMonth() + 1);
      break;
    case "yearly":
      date.setHours(0, 0, 0, 0);
      date.setMonth(0, 1);
      date.setFullYear(date.getFullYear() + 1);
      break;
  }
  return date.getTime();
}

/** A time of day. */
export interface TimeOfDay {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** A weekday as JavaScript numbers it (0 = Sunday), a time of day, or both. */
export interface DayTime {
  readonly weekday: number | null;
  readonly time: TimeOfDay | null;
}

const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** `"sunday"` or `"w0"`..`"w6"` (w0 is Monday, as in Python's `weekday()`) to 0 = Sunday..6. */
export function parseDay(text: string): number | null {
  const word = text.trim().toLowerCase();
  const named = DAY_NAMES.indexOf(word);
  if (named >= 0) return named;
  const numbered = /^w(\d+)$/.exec(word);
  if (numbered === null) return null;
  const index = Number(numbered[1]);
  if (index > 6) throw new GrammarError(`weekday "${text.trim()}" must be w0 to w6 (w0 is Monday)`);
  return (index + 1) % 7;
}

const TIME_SHAPE = /^[\d.:]+\s*(?:[ap]m)?$/i;
const TIME_24H = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;
const TIME_12H = /^(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*([ap]m)$/i;

/** `"18:00"`, `"10 PM"`, `"08:30:15.5"`, `"12:00 am"`. */
export function parseTime(text: string): TimeOfDay | null {
  const trimmed = text.trim();
  if (!TIME_SHAPE.test(trimmed)) return null;
  const h12 = TIME_12H.exec(trimmed);
  const match = h12 ?? TIME_24H.exec(trimmed);
  if (match === null) throw new GrammarError(`unrecognized time "${trimmed}"`);
  let hour = Number(match[1]);
  const minute = match[2] === undefined ? 0 : Number(match[2]);
  const second = match[3] === undefined ? 0 : Number(match[3]);
  const millisecond = match[4] === undefined ? 0 : Number(match[4].padEnd(6, "0")) / 1000;
  if (h12 !== null) {
    if (hour < 1 || hour > 12) throw new GrammarError(`unrecognized time "${trimmed}": hour must be 1 to 12 with AM/PM`);
    hour = (hour % 12) + (h12[5]!.toLowerCase() === "pm" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) throw new GrammarError(`unrecognized time "${trimmed}"`);
  return { hour, minute, second, millisecond };
}

const DAY_AT_TIME = /^(.*?)\s+at\s+(.*)$/i;

/** `"monday at 12:00"`, `"sunday"`, `"w0"`, `"18:00"`. */
export function parseDayTime(text: string): DayTime | null {
  const trimmed = text.trim();
  const both = DAY_AT_TIME.exec(trimmed);
  if (both !== null) {
    const weekday = parseDay(both[1]!);
    if (weekday === null) throw new GrammarError(`unknown day "${both[1]}"`);
    const time = parseTime(both[2]!);
    if (time === null) throw new GrammarError(`unrecognized time "${both[2]}"`);
    return { weekday, time };
  }
  const weekday = parseDay(trimmed);
  if (weekday !== null) return { weekday, time: null };
  const time = parseTime(trimmed);
  if (time !== null) return { weekday: null, time };
  return null;
}

function parseDecimal(text: string, kind: string): number {
  const value = Number(text);
  if (text === "" || Number.isNaN(value)) throw new GrammarError(`"${text}" is not a valid ${kind} number`);
  return value;
}
