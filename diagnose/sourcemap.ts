import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { readSourceText } from "./source.js";

/** A position in the original source that produced a generated position. */
export interface OriginalPosition {
  /** Absolute path of the original source (or the URL as given when it is not a file URL). */
  readonly source: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

interface NodeSourceMap {
  findEntry(line: number, column: number): {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
}

type FindSourceMap = (path: string) => NodeSourceMap | undefined;
type MapSourcePosition = (position: { source: string; line: number; column: number }) => {
  source: string;
  line: number;
  column: number;
};

let findNodeSourceMap: FindSourceMap | undefined;
let mapWithSupport: MapSourcePosition | undefined;

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

function resolveSource(source: string, generatedFile: string): string {
  const asPath = toPath(source);
  if (path.isAbsolute(asPath)) return asPath;
  if (/^[a-z][a-z0-9+.-]*:/i.test(asPath)) return asPath;
  return path.resolve(path.dirname(generatedFile), asPath);
}

/**
 * Maps a generated position (1-based line and column) of `generatedFile` to its original source,
 * first through the maps Node already holds (tsx, `--enable-source-maps`), then by reading the
 * file's `sourceMappingURL` (a `.js.map` file or an inline data URL). Returns undefined when the
 * file has no source map or the position has no mapping.
 */
export function mapGeneratedPosition(
  generatedFile: string,
  line: number,
  column: number,
): OriginalPosition | undefined {
  const fromNode = mapThroughNode(generatedFile, line, column);
  if (fromNode !== undefined) return fromNode;
  return mapThroughSourceMapSupport(generatedFile, line, column);
}

function mapThroughNode(generatedFile: string, line: number, column: number): OriginalPosition | undefined {
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
  const entry = map.findEntry(line - 1, column - 1);
  if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
  return {
    source: resolveSource(entry.originalSource, generatedFile),
    line: entry.originalLine + 1,
    column: (entry.originalColumn ?? 0) + 1,
  };
}

function mapThroughSourceMapSupport(
  generatedFile: string,
  line: number,
  column: number,
): OriginalPosition | undefined {
  // Most files have no map: finding that out must not cost loading the source map machinery.
  const text = readSourceText(generatedFile);
  if (text === undefined || !/[#@]\s*sourceMappingURL=/.test(text.slice(text.lastIndexOf("sourceMappingURL=") - 4))) return undefined;
  if (mapWithSupport === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mapWithSupport = (require("source-map-support") as { mapSourcePosition: MapSourcePosition }).mapSourcePosition;
  }
  let mapped: { source: string; line: number; column: number };
  try {
    mapped = mapWithSupport({ source: generatedFile, line, column: column - 1 });
  } catch {
    return undefined;
  }
  if (mapped.source === generatedFile && mapped.line === line && mapped.column === column - 1) return undefined;
  if (typeof mapped.line !== "number" || mapped.line < 1) return undefined;
  return {
    source: resolveSource(mapped.source, generatedFile),
    line: mapped.line,
    column: (mapped.column ?? 0) + 1,
  };
}
