import type { Debugger } from "node:inspector";
import type { ScopeType } from "./types";
import type { FrameDescription } from "./store";
import { isOwnFile } from "../own";

export function isOwnUrl(url: string): boolean {
  return isOwnFile(url);
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
  /** Every frame of the pause; only app frames carry scopes. */
  readonly frames: FrameDescription[];
  /** How many of `frames` are app frames. */
  readonly appFrames: number;
  /** `{objectId}` of each kept scope object, in the order of `frames` and their `scopeTypes`. */
  readonly scopeObjectIds: string[];
}

/**
 * The frames of a pause, innermost first: every frame's position (the call sequence is the truth
 * the traceback is built from), and for app frames every scope except the global one.
 */
export function selectAppFrames(
  callFrames: readonly Debugger.CallFrame[],
  scriptUrls: ReadonlyMap<string, string>,
  includeNodeModules: boolean,
  sourceMapUrls?: ReadonlyMap<string, string>,
): AppFrameSelection {
  const frames: FrameDescription[] = [];
  const scopeObjectIds: string[] = [];
  let appFrames = 0;
  for (const callFrame of callFrames) {
    const scriptId = callFrame.location.scriptId;
    const url = scriptUrls.get(scriptId) ?? callFrame.url;
    const position = {
      url,
      line: callFrame.location.lineNumber + 1,
      column: (callFrame.location.columnNumber ?? 0) + 1,
      functionName: callFrame.functionName,
      functionLine: callFrame.functionLocation === undefined ? 0 : callFrame.functionLocation.lineNumber + 1,
      functionColumn: callFrame.functionLocation === undefined ? 0 : (callFrame.functionLocation.columnNumber ?? 0) + 1,
      sourceMapUrl: sourceMapUrls?.get(scriptId),
    };
    if (!isAppUrl(url, includeNodeModules)) {
      frames.push({ ...position, app: false, scopeTypes: [] });
      continue;
    }
    appFrames++;
    const scopeTypes: ScopeType[] = [];
    const thisId = callFrame.this?.objectId;
    if (thisId !== undefined) {
      scopeTypes.push("this");
      scopeObjectIds.push(thisId);
    }
    // `this` undefined (a detached method in strict code) has no object to hand over.
    const thisUndefined = thisId === undefined && callFrame.this?.type === "undefined";
    for (const scope of callFrame.scopeChain) {
      const objectId = scope.object.objectId;
      if (scope.type === "global" || objectId === undefined) continue;
      scopeTypes.push(scope.type as ScopeType);
      scopeObjectIds.push(objectId);
    }
    frames.push({ ...position, app: true, scopeTypes, thisUndefined });
  }
  return { frames, appFrames, scopeObjectIds };
}
