import { open } from "node:fs/promises";
import { describeValue } from "./describe";

/** The named groups of one match; a group that took no part in the match is `undefined`. */
export type ParsedGroups = { [group: string]: unknown };

/** Per-group converters (`{ lvl: Number }`), or a function that converts the groups in place. */
export type ParseCast = { [group: string]: (value: string) => unknown } | ((groups: ParsedGroups) => void);

export interface ParseOptions {
  cast?: ParseCast;
  /** Bytes read from a file per step (default 65536). */
  chunk?: number;
}

type ParseSource = string | URL | Buffer | NodeJS.ReadableStream | AsyncIterable<string | Uint8Array>;

const DEFAULT_CHUNK = 2 ** 16;
/**
 * Text that holds no match is dropped up to its unfinished line once more than this many characters
 * (or 4 chunks) wait: it bounds memory, and the rescanning each read costs, on long unmatched stretches.
 */
const MIN_PENDING_LIMIT = 2 ** 18;


/** Python's `(?P<name>...)` and `(?P=name)` spelled the JavaScript way, so loguru patterns work unchanged. */
function translatePythonGroups(source: string): string {
  return source.replace(/(\\*)\(\?P(<[A-Za-z_$][\w$]*>|=[A-Za-z_$][\w$]*\))/g, (whole, slashes: string, rest: string) => {
    if (slashes.length % 2 === 1) return whole;
    return rest.startsWith("<") ? `${slashes}(?${rest}` : `${slashes}\\k<${rest.slice(1, -1)}>`;
  });
}

/**
 * A string pattern gets the `g` and `m` flags (`^`/`$` match at line ends, as log lines expect);
 * a RegExp keeps its flags, with `g` added.
 */
export function compileParsePattern(pattern: unknown): RegExp {
  if (typeof pattern === "string") {
    try {
      return new RegExp(translatePythonGroups(pattern), "gm");
    } catch (error) {
      throw new SyntaxError(`Invalid pattern ${describeValue(pattern)}: ${(error as Error).message}`);
    }
  }
  if (pattern instanceof RegExp) {
    return pattern.global ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags + "g");
  }
  throw new TypeError(`Invalid pattern ${describeValue(pattern)}: it should be a string or a RegExp`);
}

function compileCast(cast: unknown): ((groups: ParsedGroups) => void) | null {
  if (cast === undefined || cast === null) return null;
  if (typeof cast === "function") return cast as (groups: ParsedGroups) => void;
  if (typeof cast !== "object" || Array.isArray(cast)) {
    throw new TypeError(`Invalid cast ${describeValue(cast)}: it should be an object of converters or a function`);
  }
  const converters = Object.entries(cast);
  for (const [group, convert] of converters) {
    if (typeof convert !== "function") {
      throw new TypeError(`Invalid cast.${group} ${describeValue(convert)}: it should be a function`);
    }
  }
  if (converters.length === 0) return null;
  return (groups) => {
    for (const [group, convert] of converters) {
      const value = groups[group];
      if (value !== undefined) groups[group] = (convert as (value: unknown) => unknown)(value);
    }
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return typeof value === "object" && value !== null && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === "function";
}

/**
 * Finds matches in text that arrives piece by piece, keeping only the unconsumed tail. A match is
 * handed out once more text cannot change it: it is not the last match found so far (the entry after
 * it has begun) and it ends before the unfinished last line. At the end everything left is handed out.
 */
export class MatchScanner {
  private buffer = "";

  constructor(
    private readonly regex: RegExp,
    private readonly pendingLimit: number = MIN_PENDING_LIMIT,
  ) {}

  push(text: string): RegExpMatchArray[] {
    this.buffer += text;
    const matches = Array.from(this.buffer.matchAll(this.regex));
    const lineEnd = this.buffer.lastIndexOf("\n") + 1;
    let settled = Math.max(0, matches.length - 1);
    while (settled > 0 && endOf(matches[settled - 1]) > lineEnd) settled--;
    const consumed = settled > 0 ? endOf(matches[settled - 1]) : 0;
    if (consumed > 0) this.buffer = this.buffer.slice(consumed);
    if (this.buffer.length > this.pendingLimit) this.dropStaleLines(settled < matches.length ? matches[settled] : null, consumed);
    return matches.slice(0, settled);
  }

  /** Characters held back, waiting for more text. */
  get pendingLength(): number {
    return this.buffer.length;
  }

  end(): RegExpMatchArray[] {
    const matches = Array.from(this.buffer.matchAll(this.regex));
    this.buffer = "";
    return matches;
  }

  /** Keeps memory bounded when a long stretch of text matches nothing: it is dropped up to the line being read. */
  private dropStaleLines(firstPending: RegExpMatchArray | null, consumed: number): void {
    let cut = this.buffer.lastIndexOf("\n") + 1;
    if (firstPending) cut = Math.min(cut, firstPending.index! - consumed);
    if (cut > 0) this.buffer = this.buffer.slice(cut);
  }
}

function endOf(match: RegExpMatchArray): number {
  return match.index! + match[0].length;
}

async function* readFileText(path: string | URL | Buffer, chunk: number): AsyncGenerator<string> {
  const handle = await open(path, "r");
  try {
    const decoder = new TextDecoder("utf-8");
    const bytes = Buffer.allocUnsafe(chunk);
    for (;;) {
      const { bytesRead } = await handle.read(bytes, 0, chunk, null);
      if (bytesRead === 0) break;
      yield decoder.decode(bytes.subarray(0, bytesRead), { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    await handle.close();
  }
}

async function* readStreamText(stream: AsyncIterable<string | Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const piece of stream) {
    if (typeof piece === "string") yield piece;
    else if (piece instanceof Uint8Array) yield decoder.decode(piece, { stream: true });
    else throw new TypeError(`Invalid file: the stream produced ${describeValue(piece)}, expected strings or bytes`);
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

function groupsOf(match: RegExpMatchArray): ParsedGroups {
  const groups: ParsedGroups = {};
  if (match.groups) {
    for (const name of Object.keys(match.groups)) {
      if (name === "__proto__") Object.defineProperty(groups, name, { value: match.groups[name], enumerable: true, writable: true, configurable: true });
      else groups[name] = match.groups[name];
    }
  }
  return groups;
}

/**
 * Reads a log file (a path, or a readable stream) and yields the named groups of every match of
 * `pattern`, converted by `cast`. The file is read `chunk` bytes at a time and only the text not yet
 * matched is kept, so files of any size can be parsed (an entry whose beginning does not match on
 * its own, yet spans more than 256 KiB or 4 chunks of text, may be missed). Python-style `(?P<name>...)` groups are
 * accepted in string patterns. Since matching restarts after the last yielded match, `^` without
 * the `m` flag and lookbehinds see that point as the start of the text.
 */
export function parse(file: ParseSource, pattern: string | RegExp, options?: ParseOptions): AsyncIterable<ParsedGroups> {
  const isPath = typeof file === "string" || file instanceof URL || Buffer.isBuffer(file);
  if (!isPath && !isAsyncIterable(file)) {
    throw new TypeError(`Invalid file ${describeValue(file)}: it should be a path or a readable stream`);
  }
  const regex = compileParsePattern(pattern);
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`Invalid options ${describeValue(options)}: parse() takes an object { cast, chunk }`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (key !== "cast" && key !== "chunk") throw new TypeError(`Unknown option '${key}' for parse(): it takes { cast, chunk }`);
  }
  const castGroups = compileCast(options?.cast);
  const chunk = options?.chunk ?? DEFAULT_CHUNK;
  if (typeof chunk !== "number" || !Number.isSafeInteger(chunk) || chunk < 1) {
    throw new TypeError(`Invalid chunk ${describeValue(chunk)}: it should be a positive integer (bytes per read)`);
  }
  const pendingLimit = Math.max(MIN_PENDING_LIMIT, 4 * chunk);

  return {
    async *[Symbol.asyncIterator]() {
      const scanner = new MatchScanner(regex, pendingLimit);
      const texts = isPath ? readFileText(file as string | URL | Buffer, chunk) : readStreamText(file as AsyncIterable<string | Uint8Array>);
      for await (const text of texts) {
        for (const match of scanner.push(text)) {
          const groups = groupsOf(match);
          if (castGroups) castGroups(groups);
          yield groups;
        }
      }
      for (const match of scanner.end()) {
        const groups = groupsOf(match);
        if (castGroups) castGroups(groups);
        yield groups;
      }
    },
  };
}
