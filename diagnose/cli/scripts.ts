import * as path from "node:path";
import { toPath } from "../sourcemap.js";
import type { ScriptParsedEvent } from "./protocol.js";

interface NodeSourceMap {
  findEntry(line: number, column: number): { originalSource?: string; originalLine?: number; originalColumn?: number };
}

/** A position in original source, 1-based. */
export interface MappedPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The scripts the program loaded, by scriptId: their URLs (the debugger's call frames leave them
 * empty on Node 20) and the source maps that exist only in the program's memory (tsx's inline maps).
 */
export class ScriptRegistry {
  private readonly scripts = new Map<string, ScriptParsedEvent>();
  private readonly maps = new Map<string, NodeSourceMap | null>();

  add(script: ScriptParsedEvent): void {
    if (script.url !== "") this.scripts.set(script.scriptId, script);
  }

  urlOf(scriptId: string): string | undefined {
    return this.scripts.get(scriptId)?.url;
  }

  /** Maps a generated position through the script's inline (data URL) source map, if it has one. */
  mapInline(scriptId: string, line: number, column: number): MappedPosition | undefined {
    const map = this.inlineMapOf(scriptId);
    if (map === undefined) return undefined;
    let entry: ReturnType<NodeSourceMap["findEntry"]>;
    try {
      entry = map.findEntry(line - 1, column - 1);
    } catch {
      return undefined;
    }
    if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
    const generated = toPath(this.scripts.get(scriptId)!.url);
    const source = toPath(entry.originalSource);
    const file = path.isAbsolute(source) || /^[a-z][a-z0-9+.-]*:/i.test(source) ? source : path.resolve(path.dirname(generated), source);
    return { file, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  private inlineMapOf(scriptId: string): NodeSourceMap | undefined {
    const cached = this.maps.get(scriptId);
    if (cached !== undefined) return cached ?? undefined;
    let map: NodeSourceMap | null = null;
    const url = this.scripts.get(scriptId)?.sourceMapURL ?? "";
    const match = /^data:application\/json(?:;charset=[\w-]+)?;base64,(.*)$/s.exec(url);
    if (match !== null) {
      try {
        const payload: unknown = JSON.parse(Buffer.from(match[1]!, "base64").toString("utf8"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { SourceMap } = require("node:module") as { SourceMap: new (payload: unknown) => NodeSourceMap };
        map = new SourceMap(payload);
      } catch {
        map = null;
      }
    }
    this.maps.set(scriptId, map);
    return map ?? undefined;
  }
}
