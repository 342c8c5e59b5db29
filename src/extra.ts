/**
 * Building `record.extra` from values callers pass (kwargs, `bind`, `contextualize`, `configure`):
 * keys are data. `__proto__`, `constructor` and `prototype` become plain own keys, and a value
 * that cannot be read (a throwing getter, a Proxy whose traps throw, a revoked Proxy) never makes
 * the call throw.
 */
import { types } from "node:util";

export type ExtraValues = { [key: string]: unknown };

/** Sets an own data property, even for `__proto__` (which plain assignment treats as the prototype). */
export function setOwn(target: ExtraValues, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * Copies `source`'s own enumerable keys onto `target`. Object spread already defines `__proto__`
 * as an own key; when spreading throws, each key is copied on its own, an unreadable value shows
 * as `[Unreadable: ...]` and keys that cannot even be listed are left out.
 */
export function assignOwn(target: ExtraValues, source: object): ExtraValues {
  if (!types.isProxy(source)) {
    try {
      const spread = { ...source } as ExtraValues;
      for (const key in spread) {
        if (Object.prototype.hasOwnProperty.call(spread, key)) setOwn(target, key, spread[key]);
      }
      return target;
    } catch {
      // Fall through to the careful copy.
    }
  }
  let keys: string[];
  try {
    keys = Object.keys(source);
  } catch {
    return target;
  }
  for (const key of keys) {
    let value: unknown;
    try {
      const descriptor = Object.getOwnPropertyDescriptor(source, key);
      value = descriptor !== undefined && "value" in descriptor ? descriptor.value : (source as ExtraValues)[key];
    } catch (error) {
      value = `[Unreadable: ${describeError(error)}]`;
    }
    setOwn(target, key, value);
  }
  return target;
}

/** `{ ...base, ...values }` for caller-given `values`: never throws, never sets a prototype. */
export function mergedExtra(base: ExtraValues, values: object): ExtraValues {
  return assignOwn({ ...base }, values);
}

/** True for an object (not an array) as `bind()`/`contextualize()` take; never runs a trap. */
export function isExtraObject(value: unknown): value is object {
  if (value === null || typeof value !== "object") return false;
  if (types.isProxy(value)) return true;
  return !Array.isArray(value);
}

function describeError(error: unknown): string {
  try {
    if (types.isNativeError(error)) return `${(error as Error).name}: ${(error as Error).message}`;
    return typeof error === "string" ? error : Object.prototype.toString.call(error);
  } catch {
    return "unknown error";
  }
}
