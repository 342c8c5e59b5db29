import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Debugger } from "node:inspector";
import type { ScopeType } from "./types";
import type { FrameDescription } from "./store";

/** Where logsight itself lives: `src/`, `diagnose/` and the compiled `dist/` of this package. */
function ownUrlPrefixes(): string[] {
  const captureDir = __dirname;
  const parent = path.resolve(captureDir, "..", "..");
  const packageRoot = path.basename(parent) === "dist" ? path.dirname(parent) : parent;
  const prefixes: string[] = [];
  for (const folder of ["src", "diagnose", "dist"]) {
    const dir = path.join(packageRoot, folder) + path.sep;
    prefixes.push(dir, pathToFileURL(dir).href);
  }
  return prefixes;
}

const OWN_PREFIXES = ownUrlPrefixes();

export function isOwnUrl(url: string): boolean {
  for (const prefix of OWN_PREFIXES) if (url.startsWith(prefix)) return true;
  return false;
}

function isNodeModulesUrl(url: string): boolean {
  return url.includes("/node_modules/") || url.includes("\\node_modules\\");
}

/** Whether a frame at `url` is the program's own code, worth its scope objects. */
export function isAppUrl(url: string, includeNodeModules: boolean): boolean {
  if (url === "" || url.startsWith("node:")) return false;
  if (!includeNodeModules && isNodeModulesUrl(url)) return false;
  return !isOwnUrl(url);
}

export interface AppFrameSelection {
  readonly frames: FrameDescription[];
  /** `{objectId}` of each kept scope object, in the order of `frames` and their `scopeTypes`. */
  readonly scopeObjectIds: string[];
}

/** The kept frames of a pause, innermost first, with every scope except the global one. */
export function selectAppFrames(
  callFrames: readonly Debugger.CallFrame[],
  scriptUrls: ReadonlyMap<string, string>,
  includeNodeModules: boolean,
): AppFrameSelection {
  const frames: FrameDescription[] = [];
  const scopeObjectIds: string[] = [];
  for (const callFrame of callFrames) {
    const url = scriptUrls.get(callFrame.location.scriptId) ?? callFrame.url;
    if (!isAppUrl(url, includeNodeModules)) continue;
    const scopeTypes: ScopeType[] = [];
    const thisId = callFrame.this?.objectId;
    if (thisId !== undefined) {
      scopeTypes.push("this");
      scopeObjectIds.push(thisId);
    }
    for (const scope of callFrame.scopeChain) {
      const objectId = scope.object.objectId;
      if (scope.type === "global" || objectId === undefined) continue;
      scopeTypes.push(scope.type as ScopeType);
      scopeObjectIds.push(objectId);
    }
    frames.push({
      url,
      line: callFrame.location.lineNumber + 1,
      column: (callFrame.location.columnNumber ?? 0) + 1,
      functionName: callFrame.functionName,
      scopeTypes,
    });
  }
  return { frames, scopeObjectIds };
}
