import { AsyncLocalStorage } from "node:async_hooks";
import { isExtraObject, mergedExtra } from "./extra";

type Extra = { readonly [key: string]: unknown };

const storage = new AsyncLocalStorage<Extra>();
const EMPTY: Extra = Object.freeze({});

/** The `contextualize()` values in force for the current async context. */
export function currentContext(): Extra {
  return storage.getStore() ?? EMPTY;
}

/** Runs `fn` with `extra` added to the context; the context is restored when `fn` (or its promise) is done. */
export function runWithContext<T>(extra: Extra, fn: () => T): T {
  if (!isExtraObject(extra)) {
    throw new TypeError(`Invalid contextualize() values ${String(extra)}: they should be an object of key/values`);
  }
  if (typeof fn !== "function") throw new TypeError("contextualize() needs a function to run within the context");
  return storage.run(mergedExtra(currentContext(), extra), fn);
}
