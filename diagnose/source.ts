import * as fs from "node:fs";

/** What a token of a displayed source line is, for annotation and coloring. */
export type TokenKind =
  | "keyword"
  | "constant"
  | "name"
  | "property"
  | "string"
  | "number"
  | "regexp"
  | "comment"
  | "operator"
  | "punctuation";

export interface LineToken {
  readonly kind: TokenKind;
  /** UTF-16 offsets into the line. */
  readonly start: number;
  readonly end: number;
}

/** One link of a member chain `a.b.c`: its name and where its text starts on the line. */
export interface ChainLink {
  readonly name: string;
  readonly start: number;
  /**
   * A computed member `a[k]` (`name` is then "[]" and `start` the bracket): the key is either a
   * literal or the value of a chain of names (`handlers[job.kind]`).
   */
  readonly computed?: { readonly literal: string } | { readonly chain: readonly string[]; readonly start: number };
}

/** An identifier and the properties read from it: `cart.items.length` has three links. */
export type MemberChain = readonly ChainLink[];

export interface LineAnalysis {
  readonly tokens: readonly LineToken[];
  readonly chains: readonly MemberChain[];
}

const fileTexts = new Map<string, string | null>();
const fileLines = new Map<string, readonly string[] | null>();

/** The whole text of `file`, read from disk once; undefined when unreadable. */
export function readSourceText(file: string): string | undefined {
  let text = fileTexts.get(file);
  if (text === undefined) {
    try {
      text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
    } catch {
      text = null;
    }
    fileTexts.set(file, text);
  }
  return text ?? undefined;
}

/** The 1-based `line` of `file`, read from disk once per file; undefined when unreadable. */
export function readSourceLine(file: string, line: number): string | undefined {
  let lines = fileLines.get(file);
  if (lines === undefined) {
    const text = readSourceText(file);
    lines = text === undefined ? null : text.split(/\r?\n/);
    fileLines.set(file, lines);
  }
  if (lines === null || line < 1 || line > lines.length) return undefined;
  return lines[line - 1];
}

/** Drops the cached text of every file (for tools that edit files while running). */
export function clearSourceCache(): void {
  fileTexts.clear();
  fileLines.clear();
  analyses.clear();
}

// Contextual words acorn reads as names; on a traceback line they are syntax, not variables.
const CONTEXTUAL_KEYWORDS = new Set([
  "let", "static", "yield", "await", "async", "of", "as", "satisfies", "type", "interface",
  "declare", "readonly", "private", "public", "protected", "abstract", "implements", "keyof",
  "infer", "is", "enum", "namespace", "override", "accessor", "asserts", "unique",
]);
const CONSTANT_WORDS = new Set(["true", "false", "null", "undefined", "NaN", "Infinity"]);

interface RawToken {
  label: string;
  keyword: string | undefined;
  value: unknown;
  start: number;
  end: number;
}

interface AcornTokenType {
  label: string;
  keyword?: string;
}
interface AcornToken {
  type: AcornTokenType;
  value: unknown;
  start: number;
  end: number;
}
interface AcornModule {
  tokenizer(
    input: string,
    options: { ecmaVersion: "latest"; allowHashBang: boolean; onComment: (block: boolean, text: string, start: number, end: number) => void },
  ): { getToken(): AcornToken };
}

let acorn: AcornModule | undefined;
const analyses = new Map<string, LineAnalysis>();
const ANALYSIS_CACHE_LIMIT = 1000;

/**
 * Tokenizes one displayed line and finds the identifiers and member chains worth annotating.
 * Copes with lines that do not tokenize as JavaScript (TypeScript syntax, a line in the middle of
 * a template literal): tokens before an error are kept and tokenizing resumes after it.
 */
export function analyzeLine(line: string): LineAnalysis {
  const cached = analyses.get(line);
  if (cached !== undefined) return cached;
  const raw = tokenize(line);
  const analysis: LineAnalysis = { tokens: classify(raw.tokens, raw.comments), chains: findChains(raw.tokens) };
  if (analyses.size >= ANALYSIS_CACHE_LIMIT) analyses.clear();
  analyses.set(line, analysis);
  return analysis;
}

function tokenize(line: string): { tokens: RawToken[]; comments: { start: number; end: number }[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  acorn ??= require("acorn") as AcornModule;
  const tokens: RawToken[] = [];
  const comments: { start: number; end: number }[] = [];
  let offset = 0;
  while (offset < line.length) {
    const base = offset;
    const text = line.slice(base);
    const onComment = (_block: boolean, _text: string, start: number, end: number): void => {
      comments.push({ start: start + base, end: end + base });
    };
    try {
      const it = acorn.tokenizer(text, { ecmaVersion: "latest", allowHashBang: true, onComment });
      for (;;) {
        const t = it.getToken();
        if (t.type.label === "eof") return { tokens, comments };
        tokens.push({ label: t.type.label, keyword: t.type.keyword, value: t.value, start: t.start + base, end: t.end + base });
      }
    } catch (error) {
      // The rest of the line is inside a string or template literal that continues on the next line.
      if (/^Unterminated (string|template)/.test(String((error as { message?: unknown }).message))) break;
      const at = (error as { pos?: unknown }).pos;
      const failedAt = typeof at === "number" ? at + base : base;
      // Resume just past the failure; everything before it was already collected.
      offset = Math.max(failedAt, lastEnd(tokens, base)) + 1;
    }
  }
  return { tokens, comments };
}

function lastEnd(tokens: readonly RawToken[], fallback: number): number {
  return tokens.length > 0 ? Math.max(tokens[tokens.length - 1]!.end - 1, fallback) : fallback;
}

function isWordToken(t: RawToken | undefined): boolean {
  return t !== undefined && (t.label === "name" || t.keyword !== undefined) && typeof t.value === "string";
}
function isPropertyAccess(t: RawToken | undefined): boolean {
  return t !== undefined && (t.label === "." || t.label === "?.");
}
function isKeywordLike(t: RawToken): boolean {
  return t.keyword !== undefined || (t.label === "name" && CONTEXTUAL_KEYWORDS.has(t.value as string));
}

function classify(tokens: readonly RawToken[], comments: readonly { start: number; end: number }[]): LineToken[] {
  const out: LineToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    out.push({ kind: kindOf(t, tokens[i - 1]), start: t.start, end: t.end });
  }
  for (const c of comments) out.push({ kind: "comment", start: c.start, end: c.end });
  if (comments.length > 0) out.sort((a, b) => a.start - b.start);
  return out;
}

function kindOf(t: RawToken, previous: RawToken | undefined): TokenKind {
  if (isPropertyAccess(previous) && isWordToken(t)) return "property";
  if (t.label === "name") {
    const word = t.value as string;
    if (CONSTANT_WORDS.has(word)) return "constant";
    return CONTEXTUAL_KEYWORDS.has(word) ? "keyword" : "name";
  }
  if (t.keyword !== undefined) return CONSTANT_WORDS.has(t.keyword) ? "constant" : "keyword";
  switch (t.label) {
    case "string":
    case "template":
    case "`":
    case "${":
      return "string";
    case "num":
      return "number";
    case "regexp":
      return "regexp";
    case "privateId":
      return "property";
    case "(": case ")": case "[": case "]": case "{": case "}": case ";": case ",": case ".": case "?.": case ":":
      return "punctuation";
    default:
      return "operator";
  }
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}", "${": "}" };

/** Per-token flags: why a name token is not a variable reference. */
const enum Skip {
  None = 0,
  Key = 1,
  Type = 2,
  Declared = 3,
}

function findChains(tokens: readonly RawToken[]): MemberChain[] {
  const skip = markNonReferences(tokens);
  const chains: MemberChain[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const isRoot =
      skip[i] === Skip.None &&
      !isPropertyAccess(tokens[i - 1]) &&
      ((t.label === "name" && !isKeywordLike(t) && !CONSTANT_WORDS.has(t.value as string)) || t.keyword === "this");
    if (!isRoot) {
      i++;
      continue;
    }
    const links: ChainLink[] = [{ name: t.keyword === "this" ? "this" : (t.value as string), start: t.start }];
    let j = i + 1;
    // Names inside a computed member are chains of their own: scanning resumes inside the first bracket.
    let resumeAt = -1;
    for (;;) {
      let k = j;
      if (tokens[k]?.label === "!/~" && tokens[k]!.value === "!" && (isPropertyAccess(tokens[k + 1]) || tokens[k + 1]?.label === "[")) k++;
      if (tokens[k]?.label === "?." && tokens[k + 1]?.label === "[") k++;
      if (tokens[k]?.label === "[") {
        const computed = computedKey(tokens, k);
        if (computed === undefined) break;
        links.push({ name: "[]", start: tokens[k]!.start, computed: computed.key });
        if (resumeAt === -1) resumeAt = k + 1;
        j = computed.end + 1;
        continue;
      }
      if (!isPropertyAccess(tokens[k]) || !isWordToken(tokens[k + 1])) break;
      links.push({ name: tokens[k + 1]!.value as string, start: tokens[k + 1]!.start });
      j = k + 2;
    }
    chains.push(links);
    i = resumeAt === -1 ? j : resumeAt;
  }
  return chains;
}

/**
 * The key of the computed member opening at `open` when it needs no code to evaluate: a string or
 * number literal, or a chain of plain names (`job.kind`); undefined otherwise.
 */
function computedKey(tokens: readonly RawToken[], open: number): { key: { literal: string } | { chain: string[]; start: number }; end: number } | undefined {
  const first = tokens[open + 1];
  if (first === undefined) return undefined;
  if ((first.label === "string" || first.label === "num") && tokens[open + 2]?.label === "]") {
    return { key: { literal: String(first.value) }, end: open + 2 };
  }
  if (!(first.label === "name" || first.keyword === "this")) return undefined;
  const chain = [first.keyword === "this" ? "this" : (first.value as string)];
  let k = open + 2;
  while (isPropertyAccess(tokens[k]) && tokens[k]!.label === "." && isWordToken(tokens[k + 1])) {
    chain.push(tokens[k + 1]!.value as string);
    k += 2;
  }
  return tokens[k]?.label === "]" ? { key: { chain, start: first.start }, end: k } : undefined;
}

/** Marks object-literal keys, type-only names and names being declared on this line. */
function markNonReferences(tokens: readonly RawToken[]): Skip[] {
  const skip: Skip[] = new Array<Skip>(tokens.length).fill(Skip.None);
  const brackets: { opener: string; ternaries: number }[] = [{ opener: "", ternaries: 0 }];
  let declaring = false;
  let declarationOpen = false;
  let declaringDepth = 0;
  let pendingCase = false;

  if (startsTypeDeclaration(tokens)) return skip.fill(Skip.Type);
  let first = 0;
  if (startsPropertyOfObjectLiteral(tokens)) {
    // `total: order.lines.reduce(...),` on a line of its own: the key, then a value expression.
    skip[0] = Skip.Key;
    first = 2;
  } else if (tokens[1]?.label === ":" && tokens[0]!.label === "name") {
    // `total: number;`, `total: Money = zero;`: a field or member being declared, never a variable.
    skip[0] = Skip.Declared;
  }

  for (let i = first; i < tokens.length; i++) {
    const t = tokens[i]!;
    const top = brackets[brackets.length - 1]!;
    const label = t.label;

    if (OPENERS[label] !== undefined) {
      brackets.push({ opener: label, ternaries: 0 });
    } else if (label === ")" || label === "]" || label === "}") {
      if (brackets.length > 1) brackets.pop();
      if (declaring && brackets.length - 1 < declaringDepth) declaring = false;
    }

    if (t.keyword === "const" || t.keyword === "var" || (label === "name" && t.value === "let" && isWordOrPattern(tokens[i + 1]))) {
      declaring = true;
      declarationOpen = true;
      declaringDepth = brackets.length - 1;
      continue;
    }
    if (t.keyword === "function" || t.keyword === "class") {
      if (tokens[i + 1]?.label === "name") skip[i + 1] = Skip.Declared;
      continue;
    }
    if (declarationOpen && !declaring && label === "," && brackets.length - 1 === declaringDepth) {
      declaring = true; // `let a = 1, b = 2`: the next declarator
      continue;
    }
    if (label === ";" || brackets.length - 1 < declaringDepth) declarationOpen = false;
    if (declaring) {
      const depth = brackets.length - 1;
      if (depth === declaringDepth && (label === "=" || label === ";" || (label === "name" && (t.value === "of" || t.value === "in")) || t.keyword === "in")) {
        declaring = false;
        if (label !== "=") declarationOpen = false;
      } else if (label === ":" && depth === declaringDepth) {
        i = markType(tokens, i + 1, skip) - 1;
        continue;
      } else if (label === "name") {
        skip[i] = Skip.Declared;
        continue;
      }
    }
    if (t.keyword === "case" || t.keyword === "default") pendingCase = true;

    if (label === "?") {
      const next = tokens[i + 1]?.label;
      if (next !== ":" && next !== "," && next !== ")") top.ternaries++;
      continue;
    }
    if (label === ":") {
      if (top.ternaries > 0) {
        top.ternaries--;
        continue;
      }
      if (pendingCase) {
        pendingCase = false;
        continue;
      }
      const before = tokens[i - 1];
      const beforeThat = tokens[i - 2];
      if (top.opener === "{" && before !== undefined && (beforeThat === undefined || beforeThat.label === "{" || beforeThat.label === ",")) {
        if (isWordToken(before)) skip[i - 1] = Skip.Key;
        continue;
      }
      if (top.opener === "{" && before?.label === "]") continue; // computed key: the value follows
      if (before !== undefined && (before.label === "name" || before.label === ")" || before.label === "?" || before.label === "]")) {
        i = markType(tokens, i + 1, skip) - 1;
      }
      continue;
    }
    if (label === "name" && (t.value === "as" || t.value === "satisfies") && i > 0 && endsExpression(tokens[i - 1]!)) {
      i = markType(tokens, i + 1, skip) - 1;
      continue;
    }
    if (label === "</>/<=/>=" && t.value === "<" && i > 0 && tokens[i - 1]!.label === "name") {
      const end = matchGenericArguments(tokens, i);
      if (end !== -1) {
        for (let k = i + 1; k < end; k++) skip[k] = Skip.Type;
        i = end;
      }
      continue;
    }
    // `{ method() {}` and `get x()` are declarations in an object literal or class body.
    if (label === "name" && top.opener === "{" && tokens[i + 1]?.label === "(" && (tokens[i - 1]?.label === "{" || tokens[i - 1]?.label === "," || tokens[i - 1]?.label === ";")) {
      if (closesBeforeBrace(tokens, i + 1)) skip[i] = Skip.Declared;
    }
  }
  return skip;
}

/**
 * A line shaped `key: expression` (ending with `,` or an opening bracket, or at the end of the
 * literal) is a property of an object literal spanning several lines. A TypeScript member or
 * field (`total: number;`, `total: number = 0`) ends with `;` or assigns at the top level.
 */
function startsPropertyOfObjectLiteral(tokens: readonly RawToken[]): boolean {
  const key = tokens[0];
  if (key === undefined || tokens[1]?.label !== ":" || tokens.length < 3) return false;
  if (!(isWordToken(key) || key.label === "string" || key.label === "num")) return false;
  if (key.keyword === "case" || key.keyword === "default") return false;
  let depth = 0;
  for (let i = 2; i < tokens.length; i++) {
    const label = tokens[i]!.label;
    if (OPENERS[label] !== undefined) depth++;
    else if (label === ")" || label === "]" || label === "}") depth--;
    else if (depth === 0 && (label === "=" || label === ";")) return false;
  }
  return true;
}

function isWordOrPattern(t: RawToken | undefined): boolean {
  return t !== undefined && (t.label === "name" || t.label === "{" || t.label === "[");
}

function endsExpression(t: RawToken): boolean {
  return t.label === "name" || t.label === ")" || t.label === "]" || t.label === "}" || t.label === "string" || t.label === "num" || t.keyword === "this";
}

function startsTypeDeclaration(tokens: readonly RawToken[]): boolean {
  let i = 0;
  if (tokens[i]?.keyword === "export") i++;
  if (tokens[i]?.label === "name" && tokens[i]!.value === "declare") return true;
  const first = tokens[i];
  if (first === undefined || first.label !== "name") return false;
  if (first.value === "interface") return tokens[i + 1]?.label === "name";
  if (first.value === "type") return tokens[i + 1]?.label === "name" && (tokens[i + 2]?.label === "=" || tokens[i + 2]?.value === "<");
  return false;
}

/** Skips a type expression starting at `from`; returns the index of the token that ends it. */
function markType(tokens: readonly RawToken[], from: number, skip: Skip[]): number {
  let depth = 0;
  let i = from;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    const label = t.label;
    if (depth === 0 && (label === "=" || label === "," || label === ";" || label === "=>" || label === ")" || label === "]" || label === "}" || label === "{")) {
      if (!(label === "{" && i === from)) break;
    }
    if (label === "(" || label === "[" || label === "{") depth++;
    else if (label === ")" || label === "]" || label === "}") depth--;
    else if (label === "</>/<=/>=" && t.value === "<") depth++;
    else if (label === "</>/<=/>=" && t.value === ">") depth--;
    else if (label === "<</>>/>>>") depth -= (t.value as string).length - 1;
    if (depth < 0) break;
    skip[i] = Skip.Type;
  }
  return i;
}

const GENERIC_INNER = new Set(["name", ",", ".", "[", "]", "|", "&", "string", "num", "{", "}", ":", ";", "?", "=>", "(", ")"]);

/** If `<` at `open` starts type arguments (`f<T>(`, `new Map<K, V>(`), the index of its `>`; else -1. */
function matchGenericArguments(tokens: readonly RawToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.label === "</>/<=/>=" && t.value === "<") depth++;
    else if (t.label === "</>/<=/>=" && t.value === ">") depth--;
    else if (t.label === "<</>>/>>>" && typeof t.value === "string" && t.value.startsWith(">")) depth -= t.value.length;
    else if (!GENERIC_INNER.has(t.label) && t.keyword === undefined) return -1;
    if (depth <= 0) return depth === 0 && tokens[i + 1]?.label === "(" ? i : -1;
  }
  return -1;
}

/** True when the parenthesis at `open` is closed and directly followed by `{` (a method body). */
function closesBeforeBrace(tokens: readonly RawToken[], open: number): boolean {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const label = tokens[i]!.label;
    if (label === "(") depth++;
    else if (label === ")") {
      depth--;
      if (depth === 0) return tokens[i + 1]?.label === "{" || tokens[i + 1]?.label === ":";
    }
  }
  return false;
}
