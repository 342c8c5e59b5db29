import { types } from "node:util";

/** An own data property's value: never runs a getter or a proxy's trap beyond the descriptor, never throws. */
export function ownDataProperty(object: object, key: PropertyKey): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    return descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An own or inherited data property (Node keeps defaults such as `statusCode` or an error's `name`
 * on the prototype); an accessor, a proxy in the chain or a throwing descriptor reads as nothing.
 */
export function dataProperty(object: object, key: PropertyKey): unknown {
  for (let current: object | null = object, hops = 0; current !== null && hops < 20; hops++) {
    // A proxy's getOwnPropertyDescriptor trap is the program's code: it reads as nothing.
    if (types.isProxy(current)) return undefined;
    try {
      const descriptor = Object.getOwnPropertyDescriptor(current, key);
      if (descriptor !== undefined) return "value" in descriptor ? descriptor.value : undefined;
      current = Object.getPrototypeOf(current) as object | null;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
