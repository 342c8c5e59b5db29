import type { DateReader, PropertyReader, RemoteObject, RemoteProperties, RemoteProperty } from "./protocol.js";

/** How deep objects are copied: as deep as the one-line value display looks, plus shells below. */
export const MIRROR_DEPTH = 2;
const MAX_ITEMS = 12;
const MAX_PROPERTIES = 40;
const MAX_PROTOTYPE_HOPS = 20;

/** A member found on a remote object or its prototypes. */
export type RemoteMember =
  | { readonly kind: "data"; readonly value: RemoteObject; readonly own: boolean }
  | { readonly kind: "accessor" }
  | { readonly kind: "missing" };

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
};

/**
 * Local copies of values living in another process, built from their property descriptors only,
 * good enough for `util.inspect` to print what it would print in that process: same constructor
 * names, function names, own enumerable properties, accessors shown as `[Getter]`.
 */
export class RemoteMirror {
  private readonly properties = new Map<string, Promise<RemoteProperties | undefined>>();
  private readonly classes = new Map<string, new () => object>();
  private readonly mirrors = new WeakMap<object, RemoteObject>();
  private calls = 0;

  constructor(
    private readonly read: PropertyReader,
    private readonly maxCalls: number,
    private readonly readTime: DateReader,
  ) {}

  /** The remote object a local mirror was made from. */
  remoteOf(mirror: unknown): RemoteObject | undefined {
    return typeof mirror === "object" && mirror !== null || typeof mirror === "function" ? this.mirrors.get(mirror as object) : undefined;
  }

  /** Own properties of a remote object, fetched once; undefined past the call budget or on error. */
  propertiesOf(objectId: string): Promise<RemoteProperties | undefined> {
    let pending = this.properties.get(objectId);
    if (pending === undefined) {
      if (this.calls >= this.maxCalls) return Promise.resolve(undefined);
      this.calls++;
      pending = this.read(objectId).catch(() => undefined);
      this.properties.set(objectId, pending);
    }
    return pending;
  }

  /** Finds `name` on a remote object, walking its prototypes by descriptor. */
  async memberOf(remote: RemoteObject, name: string): Promise<RemoteMember> {
    let current: RemoteObject | undefined = remote;
    for (let hop = 0; current?.objectId !== undefined && hop < MAX_PROTOTYPE_HOPS; hop++) {
      const props = await this.propertiesOf(current.objectId);
      if (props === undefined) return { kind: "missing" };
      const found = props.result.find((p) => p.symbol === undefined && p.name === name);
      if (found !== undefined) {
        if (found.value !== undefined) return { kind: "data", value: found.value, own: hop === 0 };
        return { kind: "accessor" };
      }
      current = prototypeOf(props);
    }
    return { kind: "missing" };
  }

  /** A local copy of a remote value, objects copied `depth` levels deep (shells below that). */
  async mirror(remote: RemoteObject, depth: number = MIRROR_DEPTH): Promise<unknown> {
    const primitive = primitiveOf(remote);
    if (primitive.is) return primitive.value;
    let local: unknown;
    try {
      local = await this.mirrorObject(remote, depth);
    } catch {
      local = this.shell(remote);
    }
    if ((typeof local === "object" && local !== null) || typeof local === "function") this.mirrors.set(local as object, remote);
    return local;
  }

  private async mirrorObject(remote: RemoteObject, depth: number): Promise<unknown> {
    if (remote.type === "function") return this.mirrorFunction(remote);
    switch (remote.subtype) {
      case "regexp":
        return regexpFrom(remote.description ?? "/(?:)/");
      case "date": {
        const time = remote.objectId === undefined || this.calls >= this.maxCalls ? undefined : (this.calls++, await this.readTime(remote.objectId).catch(() => undefined));
        return new Date(time ?? remote.description ?? NaN);
      }
      case "error":
        return depth < 0 ? this.shell(remote) : this.mirrorError(remote, depth);
      default:
        break;
    }
    if (depth < 0 || remote.objectId === undefined) return this.shell(remote);
    const props = await this.propertiesOf(remote.objectId);
    if (props === undefined) return this.shell(remote);
    switch (remote.subtype) {
      case "array":
        return this.mirrorArray(props, depth);
      case "map":
      case "set":
        return this.mirrorCollection(remote, props, depth);
      case "proxy":
        return this.mirrorProxy(props, depth);
      case "promise":
        return this.mirrorPromise(props, depth);
      case "typedarray":
        return this.mirrorTypedArray(remote, props);
      default: {
        const target = this.instanceOf(remote.className ?? "Object", props);
        await this.copyProperties(props.result, target, depth);
        return target;
      }
    }
  }

  /** What an object beyond the copied depth looks like: an empty instance of the same kind. */
  private shell(remote: RemoteObject): unknown {
    switch (remote.subtype) {
      case "array":
        return [];
      case "map":
        return new Map();
      case "set":
        return new Set();
      case "error":
        return errorFrom(remote.className ?? "Error", firstLine(remote.description ?? ""), remote.description ?? "");
      default:
        return this.instanceOf(remote.className ?? "Object", undefined);
    }
  }

  private instanceOf(className: string, props: RemoteProperties | undefined): object {
    if (className === "Object") {
      return props !== undefined && prototypeOf(props) === undefined ? Object.create(null) as object : {};
    }
    return new (this.localClass(className))();
  }

  private localClass(name: string): new () => object {
    let local = this.classes.get(name);
    if (local === undefined) {
      local = { [name]: class {} }[name]!;
      this.classes.set(name, local);
    }
    return local;
  }

  private async copyProperties(list: readonly RemoteProperty[], target: object, depth: number): Promise<void> {
    let count = 0;
    for (const property of list) {
      if (!property.enumerable) continue;
      if (count++ >= MAX_PROPERTIES) break;
      const key: string | symbol = property.symbol !== undefined ? symbolFrom(property.symbol) : property.name;
      if (property.value !== undefined) {
        const value = await this.mirror(property.value, depth - 1);
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        Object.defineProperty(target, key, {
          get: property.get?.type === "function" ? neverCalled : undefined,
          set: property.set?.type === "function" ? neverCalled : undefined,
          enumerable: true,
          configurable: true,
        });
      }
    }
  }

  private async mirrorArray(props: RemoteProperties, depth: number): Promise<unknown[]> {
    const lengthProperty = props.result.find((p) => p.name === "length");
    const length = typeof lengthProperty?.value?.value === "number" ? lengthProperty.value.value : 0;
    const array: unknown[] = new Array(length);
    const rest: RemoteProperty[] = [];
    let items = 0;
    for (const property of props.result) {
      if (!property.enumerable) continue;
      if (property.symbol === undefined && /^(?:0|[1-9]\d*)$/.test(property.name)) {
        if (items++ >= MAX_ITEMS || property.value === undefined) continue;
        array[Number(property.name)] = await this.mirror(property.value, depth - 1);
      } else {
        rest.push(property);
      }
    }
    await this.copyProperties(rest, array, depth);
    return array;
  }

  private async mirrorCollection(remote: RemoteObject, props: RemoteProperties, depth: number): Promise<unknown> {
    const isMap = remote.subtype === "map";
    const collection: Map<unknown, unknown> | Set<unknown> = isMap ? new Map() : new Set();
    const entries = props.internalProperties?.find((p) => p.name === "[[Entries]]")?.value;
    if (entries?.objectId === undefined || depth < 0) return collection;
    const list = await this.propertiesOf(entries.objectId);
    let items = 0;
    for (const entry of list?.result ?? []) {
      if (!/^\d+$/.test(entry.name) || entry.value?.objectId === undefined) continue;
      if (items++ >= MAX_ITEMS) break;
      const pair = await this.propertiesOf(entry.value.objectId);
      const key = pair?.result.find((p) => p.name === "key")?.value;
      const value = pair?.result.find((p) => p.name === "value")?.value;
      if (isMap) {
        if (key !== undefined && value !== undefined) (collection as Map<unknown, unknown>).set(await this.mirror(key, depth - 1), await this.mirror(value, depth - 1));
      } else if (value !== undefined) {
        (collection as Set<unknown>).add(await this.mirror(value, depth - 1));
      }
    }
    return collection;
  }

  private async mirrorProxy(props: RemoteProperties, depth: number): Promise<unknown> {
    const target = props.internalProperties?.find((p) => p.name === "[[Target]]")?.value;
    const handler = props.internalProperties?.find((p) => p.name === "[[Handler]]")?.value;
    const localTarget = target === undefined ? {} : await this.mirror(target, depth);
    const localHandler = handler === undefined ? {} : await this.mirror(handler, depth);
    const safeTarget = typeof localTarget === "object" && localTarget !== null || typeof localTarget === "function" ? localTarget as object : {};
    const safeHandler = typeof localHandler === "object" && localHandler !== null ? localHandler as ProxyHandler<object> : {};
    return new Proxy(safeTarget, safeHandler);
  }

  private async mirrorPromise(props: RemoteProperties, depth: number): Promise<unknown> {
    const state = props.internalProperties?.find((p) => p.name === "[[PromiseState]]")?.value?.value;
    const result = props.internalProperties?.find((p) => p.name === "[[PromiseResult]]")?.value;
    if (state === "fulfilled" && result !== undefined) return Promise.resolve(await this.mirror(result, depth - 1));
    if (state === "rejected" && result !== undefined) {
      const rejected = Promise.reject(await this.mirror(result, depth - 1));
      rejected.catch(() => undefined);
      return rejected;
    }
    return new Promise(() => undefined);
  }

  private mirrorTypedArray(remote: RemoteObject, props: RemoteProperties): unknown {
    const constructors: Record<string, new (length: number) => ArrayLike<unknown> & Record<number, unknown>> = {
      Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array,
      Uint8ClampedArray, BigInt64Array, BigUint64Array, Buffer: Buffer as unknown as new (length: number) => Uint8Array,
    };
    const name = remote.className ?? "Uint8Array";
    const length = Number(/\((\d+)\)/.exec(remote.description ?? "")?.[1] ?? 0);
    const Local = constructors[name] ?? Uint8Array;
    const array = name === "Buffer" ? Buffer.alloc(length) : new Local(length);
    for (const property of props.result) {
      if (/^\d+$/.test(property.name) && property.value !== undefined) {
        const primitive = primitiveOf(property.value);
        if (primitive.is) (array as unknown as Record<number, unknown>)[Number(property.name)] = primitive.value;
      }
    }
    return array;
  }

  private async mirrorFunction(remote: RemoteObject): Promise<unknown> {
    const source = remote.description ?? "";
    const native = /\{\s*\[native code\]\s*\}$/.test(source);
    let name = nameFromSource(source);
    if (remote.objectId !== undefined) {
      const props = await this.propertiesOf(remote.objectId);
      const own = props?.result.find((p) => p.name === "name" && p.symbol === undefined)?.value?.value;
      if (typeof own === "string") name = own;
    }
    if (native) {
      // Bound functions print as native code: `isNativeFunction` sees them as the engine's own.
      const bound = (function () { return undefined; }).bind(null);
      Object.defineProperty(bound, "name", { value: name });
      return bound;
    }
    if (/^class\b/.test(source)) {
      const base = /^class\s*(?:[\w$]+\s*)?extends\s+([\w$.]+)/.exec(source)?.[1];
      // util.inspect recognizes a class by its source text: the heritage must be a bare name.
      const Parent = base === undefined ? Object : this.localClass(base.split(".").pop()!);
      const local = base === undefined ? class {} : class extends Parent {};
      Object.defineProperty(local, "name", { value: name });
      return local;
    }
    const kind = remote.className ?? "Function";
    const local =
      kind === "AsyncFunction" ? async function () { return undefined; }
      : kind === "GeneratorFunction" ? function* () { return undefined; }
      : kind === "AsyncGeneratorFunction" ? async function* () { return undefined; }
      : function () { return undefined; };
    Object.defineProperty(local, "name", { value: name });
    return local;
  }

  /** A local Error with the remote error's class name, name, message, stack and own data. */
  async mirrorError(remote: RemoteObject, depth: number, withRelatives = false): Promise<Error> {
    const props = remote.objectId === undefined ? undefined : await this.propertiesOf(remote.objectId);
    const description = remote.description ?? "";
    const own = (key: string): RemoteObject | undefined => props?.result.find((p) => p.name === key && p.symbol === undefined)?.value;
    const stack = own("stack")?.value;
    const message = own("message")?.value;
    const error = errorFrom(remote.className ?? "Error", typeof message === "string" ? message : "", typeof stack === "string" ? stack : description);
    const nameMember = await this.memberOf(remote, "name");
    if (nameMember.kind === "data" && typeof nameMember.value.value === "string" && nameMember.value.value !== error.name) {
      Object.defineProperty(error, "name", { value: nameMember.value.value, enumerable: false, writable: true, configurable: true });
    }
    if (props === undefined) return error;
    const shown = props.result.filter((p) => p.enumerable && p.name !== "stack" && p.name !== "message" && p.name !== "cause" && p.name !== "errors");
    await this.copyProperties(shown, error, depth);
    if (!withRelatives) return error;
    const cause = own("cause");
    if (cause !== undefined) {
      const local = cause.subtype === "error" ? await this.mirrorError(cause, depth, true) : await this.mirror(cause, depth);
      Object.defineProperty(error, "cause", { value: local, enumerable: false, writable: true, configurable: true });
    }
    const errors = own("errors");
    if (errors?.objectId !== undefined) {
      const list = await this.propertiesOf(errors.objectId);
      const members: unknown[] = [];
      for (const item of list?.result ?? []) {
        if (!/^\d+$/.test(item.name) || item.value === undefined) continue;
        members.push(item.value.subtype === "error" ? await this.mirrorError(item.value, depth) : await this.mirror(item.value, depth));
      }
      Object.defineProperty(error, "errors", { value: members, enumerable: false, writable: true, configurable: true });
    }
    return error;
  }

  /**
   * Makes `holder[name]` on the mirror hold `value` as the remote one does: replaces a shell with a
   * deeper copy, or puts an inherited method on the mirror's local class.
   */
  attachMember(holder: unknown, name: string, value: unknown, own: boolean): void {
    if (typeof holder !== "object" && typeof holder !== "function" || holder === null) return;
    try {
      if (own) {
        const d = Object.getOwnPropertyDescriptor(holder, name);
        if (d !== undefined && (!("value" in d) || d.configurable !== true)) return;
        Object.defineProperty(holder, name, { value, enumerable: d?.enumerable ?? false, writable: true, configurable: true });
        return;
      }
      const proto = Object.getPrototypeOf(holder) as object | null;
      if (proto === null || !this.isLocalClassPrototype(proto)) return;
      if (!Object.prototype.hasOwnProperty.call(proto, name)) Object.defineProperty(proto, name, { value, enumerable: false, writable: true, configurable: true });
    } catch {
      // a frozen or exotic mirror keeps what it has
    }
  }

  private isLocalClassPrototype(proto: object): boolean {
    for (const local of this.classes.values()) if (local.prototype === proto) return true;
    return false;
  }
}

function neverCalled(): undefined {
  return undefined;
}

function prototypeOf(props: RemoteProperties): RemoteObject | undefined {
  const internal = props.internalProperties?.find((p) => p.name === "[[Prototype]]")?.value;
  const legacy = props.result.find((p) => p.name === "__proto__" && p.symbol === undefined)?.value;
  const proto = internal ?? legacy;
  return proto === undefined || proto.subtype === "null" || proto.type !== "object" && proto.type !== "function" ? undefined : proto;
}

function primitiveOf(remote: RemoteObject): { is: true; value: unknown } | { is: false } {
  switch (remote.type) {
    case "undefined":
      return { is: true, value: undefined };
    case "string":
    case "boolean":
      return { is: true, value: remote.value };
    case "number":
      if (remote.unserializableValue !== undefined) {
        const u = remote.unserializableValue;
        return { is: true, value: u === "-0" ? -0 : u === "NaN" ? NaN : u === "Infinity" ? Infinity : u === "-Infinity" ? -Infinity : Number(u) };
      }
      return { is: true, value: remote.value };
    case "bigint": {
      const text = (remote.unserializableValue ?? remote.description ?? "0").replace(/n$/, "");
      try {
        return { is: true, value: BigInt(text) };
      } catch {
        return { is: true, value: 0n };
      }
    }
    case "symbol":
      return { is: true, value: symbolFrom(remote) };
    case "object":
      if (remote.subtype === "null") return { is: true, value: null };
      return { is: false };
    default:
      return { is: false };
  }
}

function symbolFrom(remote: RemoteObject): symbol {
  const inner = /^Symbol\(([\s\S]*)\)$/.exec(remote.description ?? "")?.[1];
  return inner === undefined || inner === "" ? Symbol() : Symbol(inner);
}

function regexpFrom(description: string): RegExp {
  const match = /^\/([\s\S]*)\/([a-z]*)$/.exec(description);
  try {
    return match === null ? new RegExp(description) : new RegExp(match[1]!, match[2]);
  } catch {
    return /(?:)/;
  }
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  const colon = line.indexOf(": ");
  return colon === -1 ? "" : line.slice(colon + 2);
}

function errorFrom(className: string, message: string, stack: string): Error {
  const Builtin = BUILTIN_ERRORS[className];
  let error: Error;
  if (Builtin !== undefined) {
    error = new Builtin(message);
  } else {
    error = new Error(message);
    const local = { [className]: class extends Error {} }[className]!;
    Object.setPrototypeOf(error, local.prototype);
  }
  Object.defineProperty(error, "stack", { value: stack, enumerable: false, writable: true, configurable: true });
  return error;
}

function nameFromSource(source: string): string {
  const match = /^(?:async\s+)?(?:function\s*\*?|class)\s*([\w$]+)/.exec(source) ?? /^(?:async\s+)?(?:get\s+|set\s+|static\s+)?\*?\s*([\w$]+)\s*\(/.exec(source);
  return match?.[1] ?? "";
}
