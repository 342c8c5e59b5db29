// Default imports: `import * as` would copy every export of the module at load (__importStar).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** A position in the original source that produced a generated position. */
export interface OriginalPosition {
  /** Absolute path of the original source (or the URL as given when it is not a file URL). */
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

interface SourceMapEntry {
  generatedLine?: number;
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
}

interface NodeSourceMap {
  findEntry(line: number, column: number): SourceMapEntry | Record<string, never>;
}

type FindSourceMap = (path: string) => NodeSourceMap | undefined;
type SourceMapClass = new (payload: object) => NodeSourceMap;

interface LoadedMap {
  readonly map: NodeSourceMap;
  /** Where relative `sources` are resolved from: the map file's folder, or the script's for inline maps. */
  readonly baseDir: string;
}

let findNodeSourceMap: FindSourceMap | undefined;
let SourceMap: SourceMapClass | undefined;
/** Per generated file: its map, or null when it has none. */
const mapsByFile = new Map<string, LoadedMap | null>();
/** Per `sourceMappingURL` the inspector reported for a script (loaders keep their output in memory). */
const mapsByUrl = new Map<string, LoadedMap | null>();
const existingSources = new Map<string, boolean>();

/** Turns a `file://` URL into a path; other strings are returned unchanged. */
export function toPath(fileOrUrl: string): string {
  if (fileOrUrl.startsWith("file://")) {
    try {
      return fileURLToPath(fileOrUrl);
    } catch {
      return fileOrUrl;
    }
  }
  return fileOrUrl;
}

/**
 * Maps a generated position (1-based line and column) of `generatedFile` to its original source:
 * through the map the script was loaded with when the inspector reported one (`scriptMapUrl`, which
 * covers loaders that compile in memory such as ts-node), else the maps Node already holds (tsx,
 * `--enable-source-maps`), else the file's own `sourceMappingURL` (a map file or an inline data URL).
 * Returns undefined when there is no map or the position has no mapping on its line (code a
 * bundler or loader added); `nearest` maps it the way Node maps stacks, to the closest mapping.
 */
export function mapGeneratedPosition(
  generatedFile: string,
  line: number,
  column: number,
  scriptMapUrl?: string,
  nearest = false,
): OriginalPosition | undefined {
  if (scriptMapUrl !== undefined && scriptMapUrl !== "") {
    const loaded = mapFromUrl(scriptMapUrl, generatedFile);
    if (loaded !== null) return lookUp(loaded, line, column, nearest);
  }
  const fromNode = mapThroughNode(generatedFile, line, column, nearest);
  if (fromNode !== undefined) return fromNode;
  const loaded = mapOfFile(generatedFile);
  return loaded === null ? undefined : lookUp(loaded, line, column, nearest);
}

/** Whether a source map covers `generatedFile` (any of the ways `mapGeneratedPosition` finds one). */
export function hasSourceMap(generatedFile: string, scriptMapUrl?: string): boolean {
  if (scriptMapUrl !== undefined && scriptMapUrl !== "" && mapFromUrl(scriptMapUrl, generatedFile) !== null) return true;
  if (mapOfFile(generatedFile) !== null) return true;
  findNodeSourceMap ??= (require("node:module") as { findSourceMap: FindSourceMap }).findSourceMap;
  try {
    return findNodeSourceMap(generatedFile) !== undefined;
  } catch {
    return false;
  }
}

/** Whether `generatedFile` has a source map of its own (a `sourceMappingURL` comment); cached per file. */
export function hasOwnSourceMap(generatedFile: string): boolean {
  return mapOfFile(generatedFile) !== null;
}

/** `nearest`: like Node's own stack mapping, take the closest mapping even from an earlier line. */
function lookUp(loaded: LoadedMap, line: number, column: number, nearest = false): OriginalPosition | undefined {
  let entry: SourceMapEntry | Record<string, never>;
  try {
    entry = loaded.map.findEntry(line - 1, column - 1);
  } catch {
    return undefined;
  }
  const e = entry as SourceMapEntry;
  if (e.originalSource === undefined || e.originalLine === undefined) return undefined;
  // The nearest mapping lies on an earlier line: this position is code the bundler added (its
  // module loader, a wrapper), not code of any original source.
  if (!nearest && e.generatedLine !== undefined && e.generatedLine !== line - 1) return undefined;
  return { source: resolveSource(e.originalSource, loaded.baseDir), line: e.originalLine + 1, column: (e.originalColumn ?? 0) + 1 };
}

function mapThroughNode(generatedFile: string, line: number, column: number, nearest: boolean): OriginalPosition | undefined {
  if (findNodeSourceMap === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    findNodeSourceMap = (require("node:module") as { findSourceMap: FindSourceMap }).findSourceMap;
  }
  let map: NodeSourceMap | undefined;
  try {
    map = findNodeSourceMap(generatedFile);
  } catch {
    return undefined;
  }
  if (map === undefined) return undefined;
  return lookUp({ map, baseDir: path.dirname(toPath(generatedFile)) }, line, column, nearest);
}

function mapOfFile(generatedFile: string): LoadedMap | null {
  let loaded = mapsByFile.get(generatedFile);
  if (loaded !== undefined) return loaded;
  loaded = null;
  const file = toPath(generatedFile);
  const url = path.isAbsolute(file) ? sourceMappingUrlOf(readText(file)) : undefined;
  if (url !== undefined) loaded = mapFromUrl(url, file);
  mapsByFile.set(generatedFile, loaded);
  return loaded;
}

/** The text of a generated file, read once to find its `sourceMappingURL`; "" when unreadable. */
function readText(file: string): string {
  try {
    // Checked first so that no exception is thrown (the capture engine would pause on it).
    if (!fs.existsSync(file)) return "";
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function sourceMappingUrlOf(text: string): string | undefined {
  const at = text.lastIndexOf("sourceMappingURL=");
  if (at < 4 || !/[#@]\s*$/.test(text.slice(at - 4, at))) return undefined;
  const url = /^sourceMappingURL=(\S+)/.exec(text.slice(at))?.[1];
  return url === undefined || url === "" ? undefined : url;
}

function mapFromUrl(url: string, generatedFile: string): LoadedMap | null {
  const key = url.startsWith("data:") ? url : `${generatedFile}\n${url}`;
  let loaded = mapsByUrl.get(key);
  if (loaded !== undefined) return loaded;
  loaded = null;
  const generated = toPath(generatedFile);
  try {
    let payload: string | undefined;
    let baseDir = path.dirname(generated);
    if (url.startsWith("data:")) {
      const comma = url.indexOf(",");
      const meta = url.slice(5, comma);
      const body = url.slice(comma + 1);
      payload = meta.endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
    } else {
      const mapFile = url.startsWith("file://") ? toPath(url) : path.resolve(baseDir, decodeURIComponent(url));
      if (fs.existsSync(mapFile)) {
        payload = fs.readFileSync(mapFile, "utf8");
        baseDir = path.dirname(mapFile);
      }
    }
    if (payload !== undefined) {
      if (SourceMap === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        SourceMap = (require("node:module") as { SourceMap: SourceMapClass }).SourceMap;
      }
      const parsed = JSON.parse(payload) as { sourceRoot?: unknown };
      if (typeof parsed.sourceRoot === "string" && parsed.sourceRoot !== "") baseDir = resolveSource(parsed.sourceRoot, baseDir);
      delete parsed.sourceRoot;
      loaded = { map: new SourceMap(parsed), baseDir };
    }
  } catch {
    loaded = null;
  }
  mapsByUrl.set(key, loaded);
  return loaded;
}

/**
 * An original source as a path: absolute, `file://`, relative to the map, or a bundler's
 * `webpack://<project>/./src/app.ts`, resolved to the folder above the map that holds it.
 */
function resolveSource(source: string, baseDir: string): string {
  const bundled = /^webpack:\/\/[^/]*\/(.*)$/.exec(source);
  if (bundled !== null) return resolveBundlerPath(bundled[1]!.replace(/\?.*$/, ""), baseDir);
  const asPath = toPath(source);
  if (path.isAbsolute(asPath)) return asPath;
  if (/^[a-z][a-z0-9+.-]*:/i.test(asPath)) return asPath;
  return path.resolve(baseDir, asPath);
}

function resolveBundlerPath(relative: string, baseDir: string): string {
  if (path.isAbsolute(relative)) return relative;
  const candidates: string[] = [];
  for (let dir = baseDir, i = 0; i < 6; i++) {
    candidates.push(path.resolve(dir, relative));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  candidates.push(path.resolve(process.cwd(), relative));
  for (const candidate of candidates) {
    let exists = existingSources.get(candidate);
    if (exists === undefined) {
      exists = fs.existsSync(candidate);
      existingSources.set(candidate, exists);
    }
    if (exists) return candidate;
  }
  return path.resolve(process.cwd(), relative);
}
