/** loguru's color markup: `<red>…</red>`, `</>`, `<level>`, `<fg 86>`, `<bg #AF5FD7>`, `\<escapes>`. */

/** Raised for an unknown tag, a closing tag that closes nothing, or (strictly) a tag left open. */
export class MarkupError extends Error {
  override name = "MarkupError";
}

/** Stands for the record level's color, known only at render time. */
export const LEVEL_COLOR: unique symbol = Symbol("logsight.levelColor");

/** Rendered markup: text and ANSI sequences, with LEVEL_COLOR where the level's color goes. */
export type MarkupSegment = string | typeof LEVEL_COLOR;

const RESET = "\x1b[0m";

function sgr(code: number): string {
  return `\x1b[${code}m`;
}

const STYLES: { [tag: string]: string } = {};
const FOREGROUNDS: { [tag: string]: string } = {};
const BACKGROUNDS: { [tag: string]: string } = {};

for (const [code, names] of [
  [1, ["b", "bold"]],
  [2, ["d", "dim"]],
  [3, ["i", "italic"]],
  [4, ["u", "underline"]],
  [5, ["l", "blink"]],
  [7, ["v", "reverse"]],
  [8, ["h", "hide"]],
  [9, ["s", "strike"]],
  [22, ["n", "normal"]],
] as const) {
  for (const name of names) STYLES[name] = sgr(code);
}

const COLORS: readonly (readonly [string, string])[] = [
  ["k", "black"],
  ["r", "red"],
  ["g", "green"],
  ["y", "yellow"],
  ["e", "blue"],
  ["m", "magenta"],
  ["c", "cyan"],
  ["w", "white"],
];
COLORS.forEach(([short, long], i) => {
  FOREGROUNDS[short] = FOREGROUNDS[long] = sgr(30 + i);
  FOREGROUNDS["l" + short] = FOREGROUNDS["light-" + long] = sgr(90 + i);
  BACKGROUNDS[short.toUpperCase()] = BACKGROUNDS[long.toUpperCase()] = sgr(40 + i);
  BACKGROUNDS["L" + short.toUpperCase()] = BACKGROUNDS["LIGHT-" + long.toUpperCase()] = sgr(100 + i);
});

const own = Object.prototype.hasOwnProperty;

/** The ANSI sequence of one tag's name (without brackets), or null when it is not a color or style. */
export function ansiOfTag(tag: string): string | null {
  if (own.call(STYLES, tag)) return STYLES[tag];
  if (own.call(FOREGROUNDS, tag)) return FOREGROUNDS[tag];
  if (own.call(BACKGROUNDS, tag)) return BACKGROUNDS[tag];
  const isFg = tag.startsWith("fg ");
  if (!isFg && !tag.startsWith("bg ")) return null;
  const color = tag.slice(3).replace(/^ +| +$/g, "");
  const code = isFg ? "38" : "48";
  if (isFg && own.call(FOREGROUNDS, color.toLowerCase())) return FOREGROUNDS[color.toLowerCase()];
  if (!isFg && own.call(BACKGROUNDS, color.toUpperCase())) return BACKGROUNDS[color.toUpperCase()];
  if (/^[0-9]+$/.test(color) && Number(color) <= 255) return `\x1b[${code};5;${Number(color)}m`;
  const hex = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.exec(color);
  if (hex) {
    let digits = hex[1];
    if (digits.length === 3) digits = digits[0] + digits[0] + digits[1] + digits[1] + digits[2] + digits[2];
    const rgb = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `\x1b[${code};2;${rgb.join(";")}m`;
  }
  const parts = color.split(",");
  if (parts.length === 3 && parts.every((x) => /^[0-9]+$/.test(x) && Number(x) <= 255)) {
    return `\x1b[${code};2;${parts.join(";")}m`;
  }
  return null;
}

const TAG_PATTERN = /(\\*)(<\/?(?:[fb]g\s)?[^<>\s]*>)/g;

/**
 * Reads markup piece by piece (a template feeds it the literal text between its fields) and keeps
 * the stack of open tags across pieces.
 */
export class MarkupParser {
  private readonly tags: string[] = [];
  private readonly active: MarkupSegment[] = [];

  constructor(private readonly colorize: boolean) {}

  /** Converts one piece of literal text; throws MarkupError for a bad tag. */
  feed(text: string): MarkupSegment[] {
    const out: MarkupSegment[] = [];
    let position = 0;
    for (const match of text.matchAll(TAG_PATTERN)) {
      const start = match.index!;
      if (start > position) out.push(text.slice(position, start));
      position = start + match[0].length;
      const slashes = match[1].length;
      const markup = match[2];
      const kept = "\\".repeat(slashes >> 1);
      if (slashes % 2 === 1) {
        out.push(kept + markup);
        continue;
      }
      if (kept !== "") out.push(kept);
      this.tag(markup, out);
    }
    if (position < text.length) out.push(text.slice(position));
    return out;
  }

  private tag(markup: string, out: MarkupSegment[]): void {
    const closing = markup[1] === "/";
    const tag = closing ? markup.slice(2, -1) : markup.slice(1, -1);
    if (closing) {
      const tags = this.tags;
      if (tags.length > 0 && (tag === "" || tag === tags[tags.length - 1])) {
        tags.pop();
        this.active.pop();
        if (this.colorize) out.push(RESET, ...this.active);
        return;
      }
      if (tags.includes(tag)) {
        throw new MarkupError(`Closing tag "${markup}" does not match the innermost open tag "<${tags[tags.length - 1]}>"`);
      }
      throw new MarkupError(`Closing tag "${markup}" has no opening tag to close`);
    }
    let segment: MarkupSegment;
    if (tag === "level" || tag === "lvl") segment = LEVEL_COLOR;
    else {
      const ansi = ansiOfTag(tag);
      if (ansi === null) {
        throw new MarkupError(`Unknown color tag "${markup}": it is not a color or a style (write "\\${markup}" to show it as text)`);
      }
      segment = ansi;
    }
    this.tags.push(tag);
    this.active.push(segment);
    if (this.colorize) out.push(segment);
  }

  /** The colors and styles in force at this point, in opening order. */
  activeSegments(): MarkupSegment[] {
    return this.active.slice();
  }

  /** Ends the input; with `strict`, a tag still open is an error. */
  finish(strict: boolean): void {
    if (strict && this.tags.length > 0) throw new MarkupError(`Tag "<${this.tags[0]}>" is never closed`);
  }
}

export interface RenderMarkupOptions {
  /** Tags left open at the end are an error (true for messages; level colors are open tags). */
  strict?: boolean;
  /** What `<level>` becomes when colorizing; without it `<level>` cannot be colorized. */
  levelAnsi?: string;
}

/** Converts markup to ANSI (colorize) or strips it; throws MarkupError naming a bad tag. */
export function renderMarkup(markup: string, colorize: boolean, options?: RenderMarkupOptions): string {
  const parser = new MarkupParser(colorize);
  const segments = parser.feed(markup);
  parser.finish(options?.strict ?? false);
  let out = "";
  for (const segment of segments) {
    if (segment !== LEVEL_COLOR) out += segment;
    else if (options?.levelAnsi !== undefined) out += options.levelAnsi;
    else throw new MarkupError('The "<level>" tag has no color in this context');
  }
  return out;
}
