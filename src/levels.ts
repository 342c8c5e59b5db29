import type { LevelInfo, LevelName, RecordLevel } from "./types";
import { renderMarkup } from "./template/markup";
import { describeValue } from "./describe";

export interface Level extends LevelInfo {
  /** The record-facing view, shared by every record of this level. */
  readonly record: RecordLevel;
}

export const BUILTIN_LEVELS: readonly LevelInfo[] = [
  { name: "TRACE", no: 5, color: "<cyan><bold>", icon: "✏️" },
  { name: "DEBUG", no: 10, color: "<blue><bold>", icon: "🐞" },
  { name: "INFO", no: 20, color: "<bold>", icon: "ℹ️" },
  { name: "SUCCESS", no: 25, color: "<green><bold>", icon: "✅" },
  { name: "WARNING", no: 30, color: "<yellow><bold>", icon: "⚠️" },
  { name: "ERROR", no: 40, color: "<red><bold>", icon: "❌" },
  { name: "CRITICAL", no: 50, color: "<RED><bold>", icon: "☠️" },
];

class RecordLevelView implements RecordLevel {
  constructor(
    readonly name: string,
    readonly no: number,
    readonly icon: string,
  ) {}
  toString(): string {
    return this.name;
  }
}

function makeLevel(name: string, no: number, color: string, icon: string): Level {
  return Object.freeze({ name: name as LevelName, no, color, icon, record: Object.freeze(new RecordLevelView(name, no, icon)) });
}

/**
 * Why `color` cannot be a level's color (its markup does not parse), or null when it can. Checked
 * when the level is defined: at render time a bad color would fail every colored line of the level.
 */
export function levelColorProblem(color: string): string | null {
  try {
    renderMarkup(color, true);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * The level table: names to severities, colors and icons; numbers only for ad-hoc `log(15, ...)`.
 * A name is looked up as written first, then in any case (`"info"`).
 */
export class LevelTable {
  private readonly levels = new Map<string, Level>();
  /** Upper-cased names to levels, for lookups in any case. */
  private readonly folded = new Map<string, Level>();
  /** Levels created on the fly for numeric `log(n, ...)` calls. */
  private readonly numeric = new Map<number, Level>();

  constructor(
    private readonly onChange: (name: string) => void,
    overrides: { [name: string]: { no?: number; color?: string; icon?: string } | undefined } = {},
  ) {
    for (const l of BUILTIN_LEVELS) {
      const o = overrides[l.name];
      this.store(makeLevel(l.name, o?.no ?? l.no, o?.color ?? l.color, o?.icon ?? l.icon));
    }
  }

  /** The level of exactly this name. */
  get(name: string): Level | undefined {
    return this.levels.get(name);
  }

  /** The level this name means: exact, then in any case. */
  lookup(name: string): Level | undefined {
    return this.levels.get(name) ?? this.folded.get(name.toUpperCase());
  }

  private store(level: Level): void {
    this.levels.set(level.name, level);
    const upper = level.name.toUpperCase();
    const existing = this.folded.get(upper);
    // Two custom levels differing only in case: the exactly-cased one is found by get(); keep the first here.
    if (existing === undefined || existing.name === level.name) this.folded.set(upper, level);
  }

  /** `logger.level(name, {no, color, icon})`: read, add or update a level (loguru's rules and errors). */
  define(name: unknown, update?: { no?: unknown; color?: unknown; icon?: unknown }): LevelInfo {
    if (typeof name !== "string") {
      throw new TypeError(`Invalid level name ${describeValue(name)}, it should be a string, not: '${typeName(name)}'`);
    }
    for (const key of Object.keys(update ?? {})) {
      if (key !== "no" && key !== "color" && key !== "icon") throw new TypeError(`Unknown option '${key}' for level '${name}': it takes { no, color, icon }`);
    }
    const no = update?.no;
    const color = update?.color;
    const icon = update?.icon;
    const existing = this.levels.get(name) ?? (no === undefined ? this.lookup(name) : undefined);
    if (no === undefined && color === undefined && icon === undefined) {
      if (!existing) throw new Error(`Level '${name}' does not exist`);
      return publicLevel(existing);
    }
    if (!existing && no === undefined) {
      throw new Error(`Level '${name}' does not exist, you have to create it by specifying a level no`);
    }
    if (existing && no !== undefined) {
      throw new TypeError(`Level '${name}' already exists, you can't update its severity no`);
    }
    const newNo = existing ? existing.no : no;
    if (typeof newNo !== "number" || !Number.isInteger(newNo)) {
      throw new TypeError(`Invalid level no ${describeValue(newNo)}, it should be an integer, not: '${typeName(newNo)}'`);
    }
    if (newNo < 0) throw new RangeError(`Invalid level no, it should be a positive integer, not: ${newNo}`);
    if (color !== undefined && typeof color !== "string") {
      throw new TypeError(`Invalid level color ${describeValue(color)}, it should be a string, not: '${typeName(color)}'`);
    }
    const colorProblem = color === undefined ? null : levelColorProblem(color);
    if (colorProblem !== null) throw new Error(`Invalid level color ${JSON.stringify(color)} for level '${name}': ${colorProblem}`);
    if (icon !== undefined && typeof icon !== "string") {
      throw new TypeError(`Invalid level icon ${describeValue(icon)}, it should be a string, not: '${typeName(icon)}'`);
    }
    const level = makeLevel(
      existing ? existing.name : name,
      newNo,
      (color as string | undefined) ?? existing?.color ?? "",
      (icon as string | undefined) ?? existing?.icon ?? " ",
    );
    this.store(level);
    this.onChange(level.name);
    return publicLevel(level);
  }

  /** The level a `log(levelOrNo, ...)` call refers to; throws for an unknown name or a bad number. */
  resolveForLog(level: unknown): Level {
    if (typeof level === "string") {
      const found = this.lookup(level);
      if (!found) throw new Error(`Level '${level}' does not exist`);
      return found;
    }
    if (typeof level === "number" && Number.isInteger(level)) {
      if (level < 0) throw new RangeError(`Invalid level value, it should be a positive integer, not: ${level}`);
      let found = this.numeric.get(level);
      if (!found) {
        found = makeLevel(`Level ${level}`, level, "", " ");
        this.numeric.set(level, found);
      }
      return found;
    }
    throw new TypeError(`Invalid level ${describeValue(level)}, it should be an integer or a string, not: '${typeName(level)}'`);
  }

  /** The severity number of a handler's `level` option (name or number), with loguru's errors. */
  severity(level: unknown, option = "level"): number {
    if (typeof level === "string") {
      const found = this.lookup(level);
      if (!found) throw new Error(`Invalid ${option} '${level}': level '${level}' does not exist`);
      return found.no;
    }
    if (typeof level === "number" && Number.isInteger(level)) {
      if (level < 0) throw new RangeError(`Invalid ${option} ${level}: it should be a positive integer`);
      return level;
    }
    throw new TypeError(`Invalid ${option} ${describeValue(level)}, it should be an integer or a string, not: '${typeName(level)}'`);
  }

  names(): IterableIterator<string> {
    return this.levels.keys();
  }
}

function publicLevel(level: Level): LevelInfo {
  return Object.freeze({ name: level.name, no: level.no, color: level.color, icon: level.icon });
}
