import { isAppUrl } from "../capture/app-frames.js";
import type { Capture, CapturedFrame, CapturedScope, ScopeType } from "../capture/types.js";
import { analyzeLine, readSourceLine, type MemberChain } from "../source.js";
import { mapGeneratedPosition, toPath } from "../sourcemap.js";
import type { RemoteMirror } from "./mirror.js";
import type { PausedEvent, RemoteCallFrame, RemoteObject } from "./protocol.js";
import type { ScriptRegistry } from "./scripts.js";

// Present in every CommonJS module scope; kept (as placeholders) so a frame reads as module top level.
const MODULE_WRAPPER_NAMES = ["require", "module", "exports", "__filename", "__dirname"];

/** The thrown value and the frames of a pause, copied into this process for the renderer. */
export interface PauseSnapshot {
  readonly thrown: unknown;
  readonly capture: Capture;
}

/**
 * Copies what the traceback of a pause needs: the thrown value, and for each app frame the
 * variables and member chains its source line mentions (nothing else is fetched).
 */
export async function snapshotPause(
  event: PausedEvent,
  scripts: ScriptRegistry,
  mirror: RemoteMirror,
  includeNodeModules: boolean,
): Promise<PauseSnapshot> {
  const data: RemoteObject = event.data ?? { type: "undefined" };
  const thrown = data.subtype === "error" ? await mirror.mirrorError(data, 2, true) : await mirror.mirror(data);
  const stack = typeof thrown === "object" && thrown !== null ? Object.getOwnPropertyDescriptor(thrown, "stack")?.value : undefined;
  const frames: CapturedFrame[] = [];
  for (const callFrame of event.callFrames) {
    const url = scripts.urlOf(callFrame.location.scriptId) ?? callFrame.url;
    if (!isAppUrl(url, includeNodeModules)) continue;
    try {
      frames.push(await snapshotFrame(callFrame, url, typeof stack === "string" ? stack : undefined, scripts, mirror));
    } catch {
      // This frame is shown from the stack alone, without values.
    }
  }
  return { thrown, capture: { frames, at: performance.now() } };
}

/** Whether a pause has at least one frame of the program's own code. */
export function hasAppFrame(event: PausedEvent, scripts: ScriptRegistry, includeNodeModules: boolean): boolean {
  return event.callFrames.some((f) => isAppUrl(scripts.urlOf(f.location.scriptId) ?? f.url, includeNodeModules));
}

async function snapshotFrame(
  callFrame: RemoteCallFrame,
  url: string,
  stack: string | undefined,
  scripts: ScriptRegistry,
  mirror: RemoteMirror,
): Promise<CapturedFrame> {
  const generated = { file: toPath(url), line: callFrame.location.lineNumber + 1, column: (callFrame.location.columnNumber ?? 0) + 1 };
  const position = shownPosition(generated, callFrame.location.scriptId, stack, scripts);
  const sourceFile = position.original?.file ?? generated.file;
  const sourceLine = readSourceLine(sourceFile, position.original?.line ?? generated.line);
  const chains = sourceLine === undefined ? [] : analyzeLine(sourceLine.replace(/\t/g, "    ").trim()).chains;
  const scopes = await snapshotScopes(callFrame, chains, mirror);
  const at = position.premapped ? position.original! : generated;
  return {
    url: position.premapped ? at.file : url,
    line: at.line,
    column: at.column,
    functionName: callFrame.functionName,
    scopes,
  };
}

/**
 * Where the source line is, and whether the frame must be handed over already mapped: when only
 * the program holds the map (tsx), or when the program's own stack is mapped (--enable-source-maps)
 * so that the renderer can line the captured frame up with it.
 */
function shownPosition(
  generated: { file: string; line: number; column: number },
  scriptId: string,
  stack: string | undefined,
  scripts: ScriptRegistry,
): { original: { file: string; line: number; column: number } | undefined; premapped: boolean } {
  const local = mapGeneratedPosition(generated.file, generated.line, generated.column);
  if (local !== undefined) {
    const mapped = { file: local.source, line: local.line, column: local.column };
    const stackIsMapped = stack !== undefined && stack.includes(local.source) && !stack.includes(`${generated.file}:`);
    return { original: mapped, premapped: stackIsMapped };
  }
  const inline = scripts.mapInline(scriptId, generated.line, generated.column);
  if (inline !== undefined) return { original: inline, premapped: true };
  return { original: undefined, premapped: false };
}

async function snapshotScopes(callFrame: RemoteCallFrame, chains: readonly MemberChain[], mirror: RemoteMirror): Promise<CapturedScope[]> {
  const wanted = new Map<string, MemberChain[]>();
  for (const chain of chains) {
    const root = chain[0]!.name;
    let list = wanted.get(root);
    if (list === undefined) wanted.set(root, (list = []));
    list.push(chain);
  }
  const scopes: CapturedScope[] = [];
  const resolved = new Set<string>();
  for (const scope of callFrame.scopeChain) {
    if (scope.type === "global" || scope.object.objectId === undefined) continue;
    const variables: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    scopes.push({ type: scope.type as ScopeType, variables });
    if (wanted.size === resolved.size && scope.type !== "local") continue;
    const props = await mirror.propertiesOf(scope.object.objectId);
    if (props === undefined) continue;
    for (const variable of props.result) {
      if (variable.value === undefined) continue;
      if (MODULE_WRAPPER_NAMES.includes(variable.name) && !(variable.name in variables)) variables[variable.name] = undefined;
      const chainsOfName = wanted.get(variable.name);
      if (chainsOfName === undefined || resolved.has(variable.name)) continue;
      resolved.add(variable.name);
      const value = await mirror.mirror(variable.value);
      variables[variable.name] = value;
      for (const chain of chainsOfName) await followChain(chain, variable.value, value, mirror);
    }
  }
  return scopes;
}

/** Fetches the members `a.b.c` reads and puts them on the mirror, where the renderer will look. */
async function followChain(chain: MemberChain, remoteRoot: RemoteObject, localRoot: unknown, mirror: RemoteMirror): Promise<void> {
  let remote = remoteRoot;
  let local = localRoot;
  for (let k = 1; k < chain.length; k++) {
    if (remote.objectId === undefined) return;
    const member = await mirror.memberOf(remote, chain[k]!.name);
    if (member.kind !== "data") return;
    const value = await mirror.mirror(member.value);
    mirror.attachMember(local, chain[k]!.name, value, member.own);
    remote = member.value;
    local = value;
  }
}
