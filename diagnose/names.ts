import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { readSourceText } from "./source.js";

/**
 * Which variable of the generated code holds the value of a name on an original source line, for
 * frames shown through a source map. A minifier renames `order` to `n`: the captured scope has
 * `n`, and an unrelated original `n` must not be shown with its value. A name is looked up only
 * when the map says so: the mapping at the name's original position points at a generated
 * identifier that either is the same name or is recorded under that name in the map's `names`.
 */
export type GeneratedNames = (name: string, originalColumn: number) => string | undefined;

interface RawSourceMap {
  readonly sources: readonly string[];
  readonly names?: readonly string[];
  readonly mappings: string;
  readonly sourceRoot?: string;
}

interface Segment {
  readonly generatedLine: number;
  readonly generatedColumn: number;
  readonly originalColumn: number;
  readonly name: string | undefined;
}

interface DecodedMap {
  /** Absolute path of each source. */
  readonly sources: readonly string[];
  /** Each source as the map writes it. */
  readonly rawSources: readonly string[];
  /** `${sourceIndex}:${originalLine}` (0-based line) → the segments starting on it. */
  readonly byOriginalLine: ReadonlyMap<string, readonly Segment[]>;
}

const decodedMaps = new Map<string, DecodedMap | null>();
const MAX_CACHED_MAPS = 50;

/**
 * The name resolver for a frame whose code ran in `generatedFile` and is shown from `originalFile`
 * at 1-based `line`; undefined when the frame is shown from the code that ran (no renaming).
 */
export function generatedNamesFor(generatedFile: string, originalFile: string, line: number): GeneratedNames | undefined {
  if (generatedFile === originalFile) return undefined;
  const map = decodedMapOf(generatedFile);
  const generatedText = readSourceText(generatedFile);
  if (map === undefined || generatedText === undefined) return () => undefined;
  const sourceIndex = sourceIndexOf(map, originalFile);
  const segments = sourceIndex === -1 ? undefined : map.byOriginalLine.get(`${sourceIndex}:${line - 1}`);
  if (segments === undefined) return () => undefined;
  const generatedLines = generatedText.split("\n");
  return (name, originalColumn) => {
    let exact = false;
    for (const segment of segments) {
      if (segment.originalColumn !== originalColumn) continue;
      exact = true;
      const identifier = identifierAt(generatedLines[segment.generatedLine] ?? "", segment.generatedColumn);
      if (identifier === undefined) continue;
      if (segment.name !== undefined ? segment.name === name : identifier === name) return identifier;
    }
    if (exact) return undefined;
    // A map with one mapping per statement (webpack's loaders) says nothing about this name: it is
    // taken for itself when the generated code of the line uses it, never when the name is absent.
    const word = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`);
    for (const segment of segments) if (word.test(generatedLines[segment.generatedLine] ?? "")) return name;
    return undefined;
  };
}

/** The map's source that is `originalFile`: by path, else by the path a `webpack://name/./` URL ends with. */
function sourceIndexOf(map: DecodedMap, originalFile: string): number {
  const exact = map.sources.indexOf(originalFile);
  if (exact !== -1) return exact;
  const wanted = originalFile.split(path.sep).join("/");
  return map.rawSources.findIndex((source) => {
    const tail = source.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i, "").replace(/^(\.\/)+/, "");
    return tail !== "" && !tail.startsWith("../") && wanted.endsWith(`/${tail}`);
  });
}

const IDENTIFIER = /[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*/y;

function identifierAt(line: string, column: number): string | undefined {
  IDENTIFIER.lastIndex = column;
  const match = IDENTIFIER.exec(line);
  return match === null ? undefined : match[0];
}

function decodedMapOf(generatedFile: string): DecodedMap | undefined {
  let decoded = decodedMaps.get(generatedFile);
  if (decoded === undefined) {
    decoded = null;
    try {
      const found = rawMapOf(generatedFile);
      if (found !== undefined) decoded = decodeMap(found.map, found.base);
    } catch {
      decoded = null;
    }
    if (decodedMaps.size >= MAX_CACHED_MAPS) decodedMaps.clear();
    decodedMaps.set(generatedFile, decoded);
  }
  return decoded ?? undefined;
}

/** The map of `file` as Node holds it, else as its `sourceMappingURL` comment names it. */
function rawMapOf(file: string): { map: RawSourceMap; base: string } | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { findSourceMap } = require("node:module") as { findSourceMap(p: string): { payload: RawSourceMap } | undefined };
    const held = findSourceMap(file);
    if (held !== undefined) return { map: held.payload, base: file };
  } catch {
    // fall through to the comment
  }
  const text = readSourceText(file);
  if (text === undefined) return undefined;
  const comment = /\/[/*][#@]\s*sourceMappingURL=([^\s*]+)/g;
  let url: string | undefined;
  for (let match = comment.exec(text); match !== null; match = comment.exec(text)) url = match[1];
  if (url === undefined) return undefined;
  const inline = /^data:application\/json;(?:charset=[^;,]+;)?base64,(.*)$/.exec(url);
  if (inline !== null) return { map: JSON.parse(Buffer.from(inline[1]!, "base64").toString("utf8")) as RawSourceMap, base: file };
  const mapFile = url.startsWith("file://") ? fileURLToPath(url) : path.resolve(path.dirname(file), decodeURIComponent(url));
  if (!fs.existsSync(mapFile)) return undefined;
  return { map: JSON.parse(fs.readFileSync(mapFile, "utf8")) as RawSourceMap, base: mapFile };
}

function decodeMap(map: RawSourceMap, base: string): DecodedMap {
  const root = map.sourceRoot ?? "";
  const sources = map.sources.map((source) => {
    const joined = root !== "" && !path.isAbsolute(source) && !/^[a-z][a-z0-9+.-]*:/i.test(source) ? `${root.replace(/\/?$/, "/")}${source}` : source;
    if (joined.startsWith("file://")) return fileURLToPath(joined);
    return path.isAbsolute(joined) ? joined : path.resolve(path.dirname(base), joined);
  });
  const names = map.names ?? [];
  const byOriginalLine = new Map<string, Segment[]>();
  let sourceIndex = 0;
  let originalLine = 0;
  let originalColumn = 0;
  let nameIndex = 0;
  const lines = map.mappings.split(";");
  for (let generatedLine = 0; generatedLine < lines.length; generatedLine++) {
    let generatedColumn = 0;
    const text = lines[generatedLine]!;
    if (text === "") continue;
    for (const segmentText of text.split(",")) {
      const fields = decodeVlq(segmentText);
      if (fields.length === 0) continue;
      generatedColumn += fields[0]!;
      if (fields.length < 4) continue;
      sourceIndex += fields[1]!;
      originalLine += fields[2]!;
      originalColumn += fields[3]!;
      let name: string | undefined;
      if (fields.length >= 5) {
        nameIndex += fields[4]!;
        name = names[nameIndex];
      }
      const key = `${sourceIndex}:${originalLine}`;
      let list = byOriginalLine.get(key);
      if (list === undefined) byOriginalLine.set(key, (list = []));
      list.push({ generatedLine, generatedColumn, originalColumn, name });
    }
  }
  return { sources, rawSources: map.sources, byOriginalLine };
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUES = new Map([...BASE64].map((ch, i) => [ch, i]));

function decodeVlq(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = BASE64_VALUES.get(ch);
    if (digit === undefined) return values;
    value += (digit & 31) << shift;
    if ((digit & 32) !== 0) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
