import type { LineToken, TokenKind } from "./source.js";

const RESET = "\x1b[0m";

// better_exceptions' palette as loguru uses it for source lines.
const TOKEN_STYLES: Record<TokenKind, string> = {
  keyword: "\x1b[35m\x1b[1m",
  constant: "\x1b[36m\x1b[1m",
  name: "\x1b[1m",
  property: "\x1b[1m",
  string: "\x1b[36m",
  number: "\x1b[34m\x1b[1m",
  regexp: "\x1b[36m",
  comment: "\x1b[30m\x1b[1m",
  operator: "\x1b[35m\x1b[1m",
  punctuation: "\x1b[1m",
};

/**
 * Colors a source line from the tokens the annotator already has (no second parse): text between
 * tokens (spaces, anything the tokenizer skipped) is left as is.
 */
export function highlightLine(line: string, tokens: readonly LineToken[]): string {
  let out = "";
  let at = 0;
  for (const token of tokens) {
    if (token.start < at) continue;
    out += line.slice(at, token.start);
    out += TOKEN_STYLES[token.kind] + line.slice(token.start, token.end) + RESET;
    at = token.end;
  }
  return out + line.slice(at);
}

/** The traceback's own colors (loguru's default theme); `plain` applies none. */
export interface TracebackTheme {
  introduction(text: string): string;
  cause(text: string): string;
  dirname(text: string): string;
  basename(text: string): string;
  line(text: string): string;
  function(text: string): string;
  exceptionType(text: string): string;
  exceptionValue(text: string): string;
  arrows(text: string): string;
  value(text: string): string;
  source(line: string, tokens: readonly LineToken[]): string;
}

const identity = (text: string): string => text;

export const plainTheme: TracebackTheme = {
  introduction: identity,
  cause: identity,
  dirname: identity,
  basename: identity,
  line: identity,
  function: identity,
  exceptionType: identity,
  exceptionValue: identity,
  arrows: identity,
  value: identity,
  source: (line) => line,
};

const paint = (style: string) => (text: string): string => (text === "" ? "" : style + text + RESET);

export const colorTheme: TracebackTheme = {
  introduction: paint("\x1b[33m\x1b[1m"),
  cause: paint("\x1b[1m"),
  dirname: paint("\x1b[32m"),
  basename: paint("\x1b[32m\x1b[1m"),
  line: paint("\x1b[33m"),
  function: paint("\x1b[35m"),
  exceptionType: paint("\x1b[31m\x1b[1m"),
  exceptionValue: paint("\x1b[1m"),
  arrows: paint("\x1b[36m"),
  value: paint("\x1b[36m\x1b[1m"),
  source: highlightLine,
};
