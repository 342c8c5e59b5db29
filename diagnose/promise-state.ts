import type { Runtime, Session } from "node:inspector";

/** A promise's state as the engine holds it: JavaScript can only learn it by running `then` later. */
export type PromiseState = { readonly state: "pending" } | { readonly state: "fulfilled" | "rejected"; readonly result: unknown };

const SLOT = Symbol.for("logsight.describe.slot");
const GROUP = "logsight-describe";

let session: Session | null | undefined;

/**
 * Reads the state and result of `promise` through an in-process inspector session (the Runtime
 * domain only: no debugger is enabled, nothing pauses). Undefined when the inspector is not
 * available. Runs none of the program's code: the engine reads its internal slots.
 */
export function promiseState(promise: object): PromiseState | undefined {
  const runtime = connect();
  if (runtime === undefined) return undefined;
  try {
    const objectId = handOver(runtime, promise);
    if (objectId === undefined) return undefined;
    let internal: Runtime.InternalPropertyDescriptor[] | undefined;
    runtime.post("Runtime.getProperties", { objectId, ownProperties: true, nonIndexedPropertiesOnly: true }, (error, result) => {
      if (error === null) internal = (result as Runtime.GetPropertiesReturnType | undefined)?.internalProperties;
    });
    const state = internal?.find((p) => p.name === "[[PromiseState]]")?.value?.value;
    const result = internal?.find((p) => p.name === "[[PromiseResult]]")?.value;
    if (state === "pending") return { state };
    if ((state !== "fulfilled" && state !== "rejected") || result === undefined) return undefined;
    return { state, result: takeBack(runtime, result) };
  } catch {
    return undefined;
  } finally {
    runtime.post("Runtime.releaseObjectGroup", { objectGroup: GROUP });
  }
}

function connect(): Session | undefined {
  if (session === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const inspector = require("node:inspector") as typeof import("node:inspector");
      session = new inspector.Session();
      session.connect();
    } catch {
      session = null;
    }
  }
  return session ?? undefined;
}

/** An objectId for `value`, through a global slot that exists only for one evaluate. */
function handOver(runtime: Session, value: object): string | undefined {
  Object.defineProperty(globalThis, SLOT, { value, configurable: true, enumerable: false });
  let objectId: string | undefined;
  try {
    runtime.post(
      "Runtime.evaluate",
      { expression: `globalThis[Symbol.for(${JSON.stringify(SLOT.description)})]`, objectGroup: GROUP, silent: true },
      (error, result) => {
        if (error === null) objectId = result.result.objectId;
      },
    );
  } finally {
    delete (globalThis as Record<symbol, unknown>)[SLOT];
  }
  return objectId;
}

/** The value a RemoteObject stands for, back in this thread. */
function takeBack(runtime: Session, remote: Runtime.RemoteObject): unknown {
  if (remote.objectId === undefined) {
    if (remote.type === "undefined") return undefined;
    if (remote.unserializableValue !== undefined) {
      const text = remote.unserializableValue;
      if (text.endsWith("n")) return BigInt(text.slice(0, -1));
      return Number(text);
    }
    return remote.value;
  }
  let taken: unknown;
  const slot = (value: unknown): void => {
    taken = value;
  };
  Object.defineProperty(globalThis, SLOT, { value: slot, configurable: true, enumerable: false });
  try {
    runtime.post("Runtime.callFunctionOn", {
      objectId: remote.objectId,
      functionDeclaration: `function () { globalThis[Symbol.for(${JSON.stringify(SLOT.description)})](this); }`,
      silent: true,
    });
  } finally {
    delete (globalThis as Record<symbol, unknown>)[SLOT];
  }
  return taken;
}
