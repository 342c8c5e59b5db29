import type { RotationOption } from "../../types";
import {
  GrammarError,
  nextPeriodStart,
  parseDayTime,
  parseDuration,
  parseFrequency,
  parseSize,
  type TimeOfDay,
} from "./grammar";
import { describeValue } from "../../describe";

/** What a rotation rule may look at: the file as it is before the message is written. */
export interface RotatingFile {
  readonly path: string;
  /** Bytes in the file, including those still buffered. */
  readonly size: number;
  /** When the file was created, in epoch milliseconds. */
  readonly created: number;
}

/** Decides, before each message, whether the current file must be closed and a new one started. */
export interface RotationRule {
  /** Whether the rule reads `file.size` (the sink then keeps it exact across processes). */
  readonly usesSize: boolean;
  /** Called whenever a file is opened, so that time rules anchor on that file's creation. */
  reset(created: number): void;
  /** `messageBytes` is the encoded length of `message` when `usesSize`, else -1; `time` is the record's. */
  isDue(message: string, messageBytes: number, time: number, file: RotatingFile): boolean;
}

type RotationFunction = (message: string, file: { path: string; size: number; created: Date }) => boolean;

/** Turns the `rotation` option into a rule; throws an Error naming the option and value if invalid. */
export function compileRotation(option: RotationOption | null | undefined): RotationRule | null {
  if (option === null || option === undefined) return null;
  return compile(option, option);
}

function compile(option: RotationOption, whole: RotationOption): RotationRule {
  if (typeof option === "number") {
    if (!(option > 0) || !Number.isFinite(option)) {
      throw invalid(whole, `a size in bytes must be a positive number, got ${option}`);
    }
    return sizeRule(option);
  }
  if (typeof option === "string") return compileText(option, whole);
  if (typeof option === "function") return functionRule(option as RotationFunction);
  if (Array.isArray(option)) {
    if (option.length === 0) throw invalid(whole, "an empty list never rotates; use null for no rotation");
    return anyOf(option.map((item) => compile(item, whole)));
  }
  throw invalid(whole, "expected a size, duration, frequency or day/time string, a number of bytes, a function or a list of those");
}

function compileText(text: string, whole: RotationOption): RotationRule {
  try {
    const size = parseSize(text);
    if (size !== null) return sizeRule(size);
    const interval = parseDurationUnlessDayTime(text);
    if (interval !== null) return timeRule((time) => time + interval);
    const frequency = parseFrequency(text);
    if (frequency !== null) return timeRule((time) => nextPeriodStart(frequency, time));
    const dayTime = parseDayTime(text);
    if (dayTime !== null) {
      const at = dayTime.time ?? { hour: 0, minute: 0, second: 0, millisecond: 0 };
      return dayTime.weekday === null ? dailyRule(at) : weeklyRule(dayTime.weekday, at);
    }
  } catch (error) {
    if (error instanceof GrammarError) throw invalid(whole, error.message);
    throw error;
  }
  throw invalid(whole, "cannot parse it as a size, duration, frequency or day/time");
}

/** `"10 PM"` reads like a duration with an unknown unit: a day/time, or its own error, wins. */
function parseDurationUnlessDayTime(text: string): number | null {
  try {
    return parseDuration(text);
  } catch (durationError) {
    if (!(durationError instanceof GrammarError)) throw durationError;
    try {
      if (parseDayTime(text) !== null) return null;
    } catch (dayTimeError) {
      if (/[ap]m\s*$/i.test(text)) throw dayTimeError;
    }
    throw durationError;
  }
}

function sizeRule(limit: number): RotationRule {
  return {
    usesSize: true,
    reset() {},
    // An empty file is never rotated: a message larger than the limit gets a file of its own.
    isDue: (_message, messageBytes, _time, file) => file.size > 0 && file.size + messageBytes > limit,
  };
}

/** A rule whose next limit is `stepForward(previous limit)`, the first one computed from the creation. */
function timeRule(firstLimit: (created: number) => number, stepForward: (limit: number) => number = firstLimit): RotationRule {
  let created = 0;
  let limit = Number.NaN;
  return {
    usesSize: false,
    reset(fileCreated) {
      created = fileCreated;
      limit = Number.NaN;
    },
    isDue(_message, _bytes, time) {
      if (Number.isNaN(limit)) limit = firstLimit(created);
      if (time < limit) return false;
      while (limit <= time) limit = stepForward(limit);
      return true;
    },
  };
}

function dailyRule(at: TimeOfDay): RotationRule {
  return timeRule(
    (created) => {
      let limit = atTimeOfDay(created, at);
      if (limit <= created) limit = addDays(limit, 1, at);
      return limit;
    },
    (limit) => addDays(limit, 1, at),
  );
}

function weeklyRule(weekday: number, at: TimeOfDay): RotationRule {
  return timeRule(
    (created) => {
      let limit = atTimeOfDay(created, at);
      while (limit <= created || new Date(limit).getDay() !== weekday) limit = addDays(limit, 1, at);
      return limit;
    },
    (limit) => addDays(limit, 7, at),
  );
}

function atTimeOfDay(time: number, at: TimeOfDay): number {
  const date = new Date(time);
  date.setHours(at.hour, at.minute, at.second, at.millisecond);
  return date.getTime();
}

/** Calendar days in local time, so that a daylight-saving change keeps the wall-clock time. */
function addDays(time: number, days: number, at: TimeOfDay): number {
  const date = new Date(time);
  date.setDate(date.getDate() + days);
  date.setHours(at.hour, at.minute, at.second, at.millisecond);
  return date.getTime();
}

function functionRule(rotate: RotationFunction): RotationRule {
  return {
    usesSize: true,
    reset() {},
    isDue: (message, _bytes, _time, file) =>
      Boolean(rotate(message, { path: file.path, size: file.size, created: new Date(file.created) })),
  };
}

function anyOf(rules: RotationRule[]): RotationRule {
  return {
    usesSize: rules.some((rule) => rule.usesSize),
    reset(created) {
      for (const rule of rules) rule.reset(created);
    },
    isDue(message, bytes, time, file) {
      // Every rule sees every message, so that time rules step their limits past it.
      let due = false;
      for (const rule of rules) if (rule.isDue(message, bytes, time, file)) due = true;
      return due;
    },
  };
}

function invalid(value: unknown, reason: string): Error {
  return new Error(`Invalid rotation ${describeValue(value)}: ${reason}`);
}
