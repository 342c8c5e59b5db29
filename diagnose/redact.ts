/**
 * Secret masking: which names and paths hide their values as `[redacted]`, and a copy of a value
 * with those parts masked, made without running user code (no getters, no Proxy traps).
 *
 * A name (`password`, `ssn`) matches a key or variable of that name at any depth, case-insensitively,
 * with `-` and `_` ignored. A path (`req.headers.authorization`, `users[*].token`) matches from the
 * root of what is shown: `record.extra`, a kwargs name, a traceback variable. The default list
 * matches the usual spellings of secret names (`dbPassword`, `x-api-key`, `accessToken`,
 * `set-cookie`, `sessionId`, ...).
 */
import { inspect, types } from "node:util";

/** What a masked value shows as. */
export const REDACTED = "[redacted]";

/** The words (and their compounds) that mark a name as secret when no configuration says otherwise. */
const DEFAULT_SECRET_WORDS = [
  "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "token", "apikey", "authorization",
  "auth", "cookie", "cookies", "session", "sessionid", "sessid", "privatekey", "creditcard", "cardnumber",
  "cvv", "cvc", "credential", "credentials", "accesskey",
];
/** Two-word spellings: `api_key`, `apiKey`, `x-api-key`, `private-key`, `credit_card`. */
const DEFAULT_SECRET_PAIRS = [
  ["api", "key"], ["private", "key"], ["access", "key"], ["credit", "card"], ["card", "number"],
  ["set", "cookie"],
];

/** A node of the compiled path tree; `terminal` when a path ends here. */
export interface PathNode {
  readonly children: Map<string, PathNode>;
  wildcard: PathNode | null;
  terminal: boolean;
}

/** What `redact` takes: names and paths, and whether the default list is on. */
export interface RedactionSpec {
  readonly defaults: boolean;
  readonly entries: readonly string[];
}

const NAME_CACHE_LIMIT = 4096;
// mask() prepares values for util.inspect, which shows three levels of nesting (five with `%o`) and
// 100 items of a list: what it cannot show is not walked either (serialize masks in its own,
// complete walk). Past these budgets maskForText() shows a placeholder rather than the value.
const MAX_MASK_DEPTH = 5;
const MAX_MASK_OBJECTS = 2000;
const MAX_MASK_ITEMS = 200;
let nextId = 1;

/** Compiled once (at `add()`, `configure()`); asked per key while values are shown. */
export class Redactor {
  /** Distinguishes renderings made with different redactors (cache keys). */
  readonly id = nextId++;
  /** Nothing is ever masked: every check returns at once. */
  readonly off: boolean;
  /** The root of the path tree, or null when no path was given. */
  readonly root: PathNode | null;
  private readonly defaults: boolean;
  private readonly names: ReadonlySet<string>;
  private readonly cache = new Map<string, boolean>();

  constructor(readonly spec: RedactionSpec) {
    const names = new Set<string>();
    let root: PathNode | null = null;
    for (const entry of spec.entries) {
      const segments = parsePath(entry);
      if (segments.length === 1 && segments[0] !== "*") names.add(normalizeName(segments[0]));
      else {
        root ??= newNode();
        addPath(root, segments);
      }
    }
    if (root !== null) mergeWildcards(root);
    this.defaults = spec.defaults;
    this.names = names;
    this.root = root;
    this.off = !spec.defaults && names.size === 0 && root === null;
  }

  /** Whether a key or variable of this name is secret wherever it appears. */
  hidesName(name: string): boolean {
    if (this.off) return false;
    let hidden = this.cache.get(name);
    if (hidden === undefined) {
      hidden = (this.names.size > 0 && this.names.has(normalizeName(name))) || (this.defaults && isDefaultSecretName(name));
      if (this.cache.size >= NAME_CACHE_LIMIT) this.cache.clear();
      this.cache.set(name, hidden);
    }
    return hidden;
  }

  /** Whether `key`, reached at path node `at` (null: no path leads here), is masked. */
  hides(key: string, at: PathNode | null): boolean {
    if (this.off) return false;
    if (at !== null) {
      const next = at.children.get(key.toLowerCase()) ?? at.wildcard;
      if (next !== null && next.terminal) return true;
    }
    return this.hidesName(key);
  }

  /** The path node below `at` for `key` (null when no path goes on through it). */
  enter(key: string, at: PathNode | null): PathNode | null {
    if (at === null) return null;
    return at.children.get(key.toLowerCase()) ?? at.wildcard;
  }

  /**
   * `value` with every secret part replaced by `[redacted]`: the value itself when nothing
   * matches (no copy), else a copy of the objects on the way to each match (same prototypes, so
   * it shows the same). Own data properties only are looked into; Proxies, getters and exotic
   * objects are left as they are, and so is anything past a depth and size budget.
   */
  mask(value: unknown, at: PathNode | null): unknown {
    if (this.off || typeof value !== "object" || value === null) return value;
    return maskValue(this, value, at, 0, { objects: 0, ancestors: [], forText: false });
  }

  /**
   * `mask()` for a value util.inspect will show (messages, `{extra}`): inspect shows a Proxy's
   * target and every key of an object, so what the walk cannot look into is not left as it is: a
   * Proxy shows as `Proxy [Object]` (its target cannot be read without running its traps), and an
   * object past the depth and size budget as `[too large to mask]`.
   */
  maskForText(value: unknown, at: PathNode | null): unknown {
    if (this.off || typeof value !== "object" || value === null) return value;
    return maskValue(this, value, at, 0, { objects: 0, ancestors: [], forText: true });
  }
}

/** A redactor that masks nothing. */
export const NO_REDACTION = new Redactor({ defaults: false, entries: [] });

let defaultRedactor: Redactor | undefined;

/** The default list alone, as `logsight/diagnose` uses when not told otherwise. */
export function defaultRedaction(): Redactor {
  defaultRedactor ??= new Redactor({ defaults: true, entries: [] });
  return defaultRedactor;
}

/**
 * `LOGSIGHT_REDACT`: names and paths separated by commas, added to the default list; `false`
 * (or `off`, `0`, `no`) turns masking off. Undefined when the variable is unset or empty.
 */
export function parseRedactVariable(value: string | undefined): RedactionSpec | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const spelled = value.trim().toLowerCase();
  if (spelled === "false" || spelled === "off" || spelled === "0" || spelled === "no") return { defaults: false, entries: [] };
  const entries = value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  for (const entry of entries) parsePath(entry);
  return { defaults: true, entries };
}

const fromEnv = new Map<string, Redactor>();

/** The redactor `LOGSIGHT_REDACT` asks for (the default list when unset); never throws. */
export function redactionFromEnv(value: string | undefined): Redactor {
  if (value === undefined || value.trim() === "") return defaultRedaction();
  let redactor = fromEnv.get(value);
  if (redactor === undefined) {
    try {
      redactor = new Redactor(parseRedactVariable(value)!);
    } catch {
      redactor = defaultRedaction();
    }
    fromEnv.set(value, redactor);
  }
  return redactor;
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, "");
}

/** `dbPassword` -> [db, password]; `X-API-Key` -> [x, api, key]; `APIKey` -> [api, key]. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * A word of the name is a secret word, or ends with one (`accesstoken`, `dbpassword`), or two
 * consecutive words spell a secret pair (`api_key`).
 */
export function isDefaultSecretName(name: string): boolean {
  const words = wordsOf(name);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    for (const secret of DEFAULT_SECRET_WORDS) if (word === secret || (word.length > secret.length && word.endsWith(secret) && secret.length >= 4)) return true;
    const next = words[i + 1];
    if (next !== undefined) for (const [a, b] of DEFAULT_SECRET_PAIRS) if (word === a && next === b) return true;
  }
  return false;
}

/** `req.headers.authorization`, `a["b.c"][0]`, `users[*].token`, `*.password` -> segments, lowercased. */
export function parsePath(entry: string): string[] {
  const segments: string[] = [];
  let i = 0;
  let current = "";
  const push = (): void => {
    if (current !== "") segments.push(current.toLowerCase());
    current = "";
  };
  while (i < entry.length) {
    const c = entry[i];
    if (c === ".") {
      push();
      i++;
    } else if (c === "[") {
      push();
      const end = entry.indexOf("]", i);
      if (end < 0) throw new SyntaxError(`unclosed '[' in ${JSON.stringify(entry)}`);
      let inner = entry.slice(i + 1, end).trim();
      if ((inner.startsWith('"') && inner.endsWith('"')) || (inner.startsWith("'") && inner.endsWith("'"))) inner = inner.slice(1, -1);
      if (inner === "") throw new SyntaxError(`empty '[]' in ${JSON.stringify(entry)}`);
      segments.push(inner.toLowerCase());
      i = end + 1;
    } else {
      current += c;
      i++;
    }
  }
  push();
  if (segments.length === 0) throw new SyntaxError(`${JSON.stringify(entry)} names nothing`);
  return segments;
}

function newNode(): PathNode {
  return { children: new Map(), wildcard: null, terminal: false };
}

function addPath(root: PathNode, segments: readonly string[]): void {
  let node = root;
  for (const segment of segments) {
    if (segment === "*") node = node.wildcard ??= newNode();
    else {
      let child = node.children.get(segment);
      if (child === undefined) node.children.set(segment, (child = newNode()));
      node = child;
    }
  }
  node.terminal = true;
}

/** Copies each wildcard subtree into its named siblings, so one node is enough to follow a path. */
function mergeWildcards(node: PathNode): void {
  if (node.wildcard !== null) {
    mergeWildcards(node.wildcard);
    for (const child of node.children.values()) mergeInto(child, node.wildcard);
  }
  for (const child of node.children.values()) mergeWildcards(child);
}

function mergeInto(target: PathNode, source: PathNode): void {
  if (source.terminal) target.terminal = true;
  for (const [key, child] of source.children) {
    let existing = target.children.get(key);
    if (existing === undefined) target.children.set(key, (existing = newNode()));
    mergeInto(existing, child);
  }
  if (source.wildcard !== null) {
    target.wildcard ??= newNode();
    mergeInto(target.wildcard, source.wildcard);
  }
}

interface MaskWalk {
  objects: number;
  /** The objects on the current path (at most MAX_MASK_DEPTH): a cycle stops there. */
  readonly ancestors: object[];
  /** The result is shown by util.inspect: see `Redactor.maskForText`. */
  readonly forText: boolean;
}

/** What `maskForText` puts in place of an object it did not look into: util.inspect shows its text, unquoted. */
class NotShown {
  readonly #text: string;
  constructor(text: string) {
    this.#text = text;
  }
  [inspect.custom](): string {
    return this.#text;
  }
}

const TOO_LARGE_TO_MASK = new NotShown("[too large to mask]");
const PROXY_OBJECT = new NotShown("Proxy [Object]");
const PROXY_ARRAY = new NotShown("Proxy [Array]");
const PROXY_FUNCTION = new NotShown("Proxy [Function]");
const REVOKED_PROXY = new NotShown("<Revoked Proxy>");

function proxyLabel(value: object): NotShown {
  if (typeof value === "function") return PROXY_FUNCTION;
  try {
    return Array.isArray(value) ? PROXY_ARRAY : PROXY_OBJECT;
  } catch {
    return REVOKED_PROXY;
  }
}

const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;

function maskValue(redactor: Redactor, value: unknown, at: PathNode | null, depth: number, walk: MaskWalk): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (types.isProxy(value)) return walk.forText ? proxyLabel(value) : value;
  if (walk.ancestors.includes(value)) return value;
  if (depth >= MAX_MASK_DEPTH || ++walk.objects > MAX_MASK_OBJECTS) return walk.forText ? TOO_LARGE_TO_MASK : value;
  walk.ancestors.push(value);
  try {
    if (Array.isArray(value)) return maskArray(redactor, value, at, depth, walk);
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      if (types.isMap(value)) return maskMap(redactor, value as Map<unknown, unknown>, at, depth, walk);
      if (types.isSet(value)) return maskSet(redactor, value as Set<unknown>, at, depth, walk);
      if (!isOrdinary(value)) return value;
    }
    return maskProperties(redactor, value, at, depth, walk);
  } catch {
    return value;
  } finally {
    walk.ancestors.pop();
  }
}

function isOrdinary(value: object): boolean {
  return !(
    types.isNativeError(value) || types.isDate(value) || types.isRegExp(value) || types.isTypedArray(value) ||
    types.isAnyArrayBuffer(value) || types.isDataView(value) || types.isPromise(value) || types.isWeakMap(value) ||
    types.isWeakSet(value) || types.isBoxedPrimitive(value) || types.isModuleNamespaceObject(value) || typeof value === "function"
  );
}

function maskArray(redactor: Redactor, array: unknown[], at: PathNode | null, depth: number, walk: MaskWalk): unknown {
  let copy: unknown[] | null = null;
  const length = Math.min(array.length, MAX_MASK_ITEMS);
  for (let i = 0; i < length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(array, i);
    if (descriptor === undefined || !("value" in descriptor)) continue;
    const item: unknown = descriptor.value;
    const key = String(i);
    let masked: unknown;
    if (at !== null && redactor.hides(key, at)) masked = REDACTED;
    else if (typeof item !== "object" || item === null) continue;
    else masked = maskValue(redactor, item, redactor.enter(key, at), depth + 1, walk);
    if (masked !== item) {
      copy ??= copyOfArray(array);
      copy[i] = masked;
    }
  }
  return copy ?? array;
}

function maskMap(redactor: Redactor, map: Map<unknown, unknown>, at: PathNode | null, depth: number, walk: MaskWalk): unknown {
  const entries = Array.from(mapEntries.call(map) as IterableIterator<[unknown, unknown]>).slice(0, MAX_MASK_ITEMS);
  let changed = false;
  for (const entry of entries) {
    const [key, item] = entry;
    const name = typeof key === "string" ? key : typeof key === "number" ? String(key) : null;
    let masked: unknown;
    if (name !== null && redactor.hides(name, at)) masked = REDACTED;
    else masked = maskValue(redactor, item, name === null ? null : redactor.enter(name, at), depth + 1, walk);
    if (masked !== item) {
      entry[1] = masked;
      changed = true;
    }
  }
  if (!changed) return map;
  const copy = new Map<unknown, unknown>(entries);
  Object.setPrototypeOf(copy, Object.getPrototypeOf(map));
  return copy;
}

function maskSet(redactor: Redactor, set: Set<unknown>, at: PathNode | null, depth: number, walk: MaskWalk): unknown {
  const items = Array.from(setValues.call(set) as IterableIterator<unknown>).slice(0, MAX_MASK_ITEMS);
  let changed = false;
  for (let i = 0; i < items.length; i++) {
    const masked = maskValue(redactor, items[i], redactor.enter("*", at), depth + 1, walk);
    if (masked !== items[i]) {
      items[i] = masked;
      changed = true;
    }
  }
  if (!changed) return set;
  const copy = new Set<unknown>(items);
  Object.setPrototypeOf(copy, Object.getPrototypeOf(set));
  return copy;
}

function maskProperties(redactor: Redactor, object: object, at: PathNode | null, depth: number, walk: MaskWalk): unknown {
  let copy: { [key: string]: unknown } | null = null;
  const keys = Object.keys(object);
  // util.inspect shows every key of an object: for text, every key is looked at (the object budget still bounds the walk).
  const count = walk.forText ? keys.length : Math.min(keys.length, MAX_MASK_ITEMS);
  for (let i = 0; i < count; i++) {
    const key = keys[i];
    let masked: unknown;
    let item: unknown;
    if (redactor.hides(key, at)) {
      masked = REDACTED;
      item = undefined;
    } else {
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor === undefined || !("value" in descriptor)) continue;
      item = descriptor.value;
      if (typeof item !== "object" || item === null) continue;
      masked = maskValue(redactor, item, redactor.enter(key, at), depth + 1, walk);
      if (masked === item) continue;
    }
    copy ??= copyOf(object);
    Object.defineProperty(copy, key, { value: masked, enumerable: true, writable: true, configurable: true });
  }
  return copy ?? object;
}

function copyOfArray(array: unknown[]): unknown[] {
  const copy = new Array<unknown>(array.length);
  for (let i = 0; i < array.length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(array, i);
    if (descriptor !== undefined && "value" in descriptor) copy[i] = descriptor.value;
  }
  if (Object.getPrototypeOf(array) !== Array.prototype) Object.setPrototypeOf(copy, Object.getPrototypeOf(array) as object);
  return copy;
}

/** A shallow copy with the same prototype and property descriptors (getters copied, not run). */
function copyOf(object: object): { [key: string]: unknown } {
  const copy = Object.create(Object.getPrototypeOf(object) as object | null) as { [key: string]: unknown };
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(object));
  return copy;
}
