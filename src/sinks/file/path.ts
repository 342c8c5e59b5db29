import * as fs from "node:fs";
import * as nodePath from "node:path";
import type { RecordTime } from "../../types";
import { formatTime, recordTime } from "../../template/time";

/** The file-name-friendly rendering of `{time}` in a path, and of the stamp on rotated files. */
export const FILE_TIME_FORMAT = "YYYY-MM-DD_HH-mm-ss_SSSSSS";
const STAMP_PATTERN = String.raw`\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_\d{6}`;
const ARCHIVE_EXTENSIONS = String.raw`(?:\.(?:gz|bz2|xz|lzma|tar|tar\.gz|tar\.bz2|tar\.xz|zip))?`;

type Part = { readonly text: string } | { readonly timeFormat: string };

/** A sink's path with its `{time}` fields, compiled once. */
export interface PathTemplate {
  /** The path as given, resolved. */
  readonly source: string;
  readonly hasTime: boolean;
  /** The path of a file created at `time`. */
  render(time: RecordTime): string;
  /** Every existing file this sink may have written, rotated or compressed, and nothing else. */
  listLogFiles(): string[];
  /** The lock taken around rotation decisions, shared by every process logging to this path. */
  readonly lockPath: string;
}

export function compilePathTemplate(path: string): PathTemplate {
  const source = nodePath.resolve(path);
  const segments = source.split(nodePath.sep).map((segment) => parseSegment(segment, path));
  const firstDynamic = segments.findIndex((parts) => parts.some((part) => "timeFormat" in part));
  const hasTime = firstDynamic >= 0;
  const lastIndex = segments.length - 1;
  const staticCount = hasTime ? firstDynamic : lastIndex;
  const baseDir = segments.slice(0, staticCount).map(literalOf).join(nodePath.sep) || nodePath.sep;
  const matchers = segments
    .slice(staticCount)
    .map((parts, index, all) => (index === all.length - 1 ? fileNameMatcher(parts) : segmentMatcher(parts)));
  const lastLiteral = segments[lastIndex]!.map((part) => ("text" in part ? part.text : "time")).join("");

  return {
    source,
    hasTime,
    render(time) {
      if (!hasTime) return source;
      return segments
        .map((parts) => parts.map((part) => ("text" in part ? part.text : formatTime(time, part.timeFormat))).join(""))
        .join(nodePath.sep);
    },
    listLogFiles: () => listMatching(baseDir, matchers),
    lockPath: nodePath.join(baseDir, `.${lastLiteral}.lock`),
  };
}

/**
 * `app.log` closed at rotation becomes `app.<created stamp>.log`, or `app.<stamp>.2.log` if taken;
 * `ext` says where the stamp goes when the extension has several dots (`.log.gz`).
 */
export function rotatedPath(path: string, created: RecordTime, ext: string = nodePath.extname(path)): string {
  const root = path.slice(0, path.length - ext.length);
  const stamp = formatTime(created, FILE_TIME_FORMAT);
  let candidate = `${root}.${stamp}${ext}`;
  for (let counter = 2; fs.existsSync(candidate); counter++) candidate = `${root}.${stamp}.${counter}${ext}`;
  return candidate;
}

/** A RecordTime for an instant in fractional epoch milliseconds, as file times are. */
export function recordTimeAt(milliseconds: number): RecordTime {
  const whole = Math.floor(milliseconds);
  return recordTime(whole, (whole % 1000) * 1000 + Math.floor((milliseconds - whole) * 1000));
}

function parseSegment(segment: string, original: string): Part[] {
  const parts: Part[] = [];
  let text = "";
  for (let index = 0; index < segment.length; index++) {
    const char = segment[index]!;
    const next = segment[index + 1];
    if ((char === "{" && next === "{") || (char === "}" && next === "}")) {
      text += char;
      index++;
      continue;
    }
    if (char !== "{") {
      text += char;
      continue;
    }
    const close = segment.indexOf("}", index);
    const field = close < 0 ? "" : segment.slice(index + 1, close);
    if (field !== "time" && !field.startsWith("time:")) {
      throw new Error(
        `Invalid file path ${JSON.stringify(original)}: unknown field "{${field}}"; ` +
          "only {time} and {time:FORMAT} are filled (write {{ and }} for literal braces)",
      );
    }
    if (text !== "") parts.push({ text });
    text = "";
    parts.push({ timeFormat: field === "time" ? FILE_TIME_FORMAT : field.slice(5) });
    index = close;
  }
  if (text !== "" || parts.length === 0) parts.push({ text });
  return parts;
}

function literalOf(parts: Part[]): string {
  return parts.map((part) => ("text" in part ? part.text : "")).join("");
}

function partsPattern(parts: Part[]): string {
  return parts.map((part) => ("text" in part ? escapeRegExp(part.text) : "[^/]+?")).join("");
}

function segmentMatcher(parts: Part[]): RegExp {
  return new RegExp(`^${partsPattern(parts)}$`);
}

/** `root(.stamp(.n)?)?ext(.archive)?`, with the extension taken from the text after the last field. */
function fileNameMatcher(parts: Part[]): RegExp {
  const last = parts[parts.length - 1]!;
  let ext = "";
  let rootParts = parts;
  if ("text" in last) {
    const dot = last.text.lastIndexOf(".");
    const isWholeName = parts.length === 1;
    if (dot > 0 || (dot === 0 && !isWholeName)) {
      ext = last.text.slice(dot);
      rootParts = [...parts.slice(0, -1), { text: last.text.slice(0, dot) }];
    }
  }
  const rotated = `(?:\\.${STAMP_PATTERN}(?:\\.\\d+)?)?`;
  return new RegExp(`^${partsPattern(rootParts)}${rotated}${escapeRegExp(ext)}${ARCHIVE_EXTENSIONS}$`);
}

function listMatching(dir: string, matchers: RegExp[]): string[] {
  const [matcher, ...rest] = matchers;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!matcher!.test(entry.name)) continue;
    const full = nodePath.join(dir, entry.name);
    if (rest.length > 0) {
      if (entry.isDirectory()) found.push(...listMatching(full, rest));
    } else if (entry.isFile()) {
      found.push(full);
    }
  }
  return found;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
