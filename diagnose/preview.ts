import * as util from "node:util";
import { summarizeHttp } from "./http-summary.js";
import { dataProperty } from "./data-property.js";

/**
 * A bounded picture of a value, taken without running any of the program's code: no getter, no
 * Proxy trap, no `toString`, `Symbol.toStringTag` getter or inspect hook. Its cost depends on what
 * it shows, not on the value's size (one exception: listing a plain object's keys, which V8 can only
 * do whole). Taken at the throw for the variables of a capture, so objects show their contents as of
 * the throw; rendered as text at log time.
 */
export type Preview = ScalarPreview | ObjectPreview;

export interface ScalarPreview {
  readonly kind: "scalar";
  /** Strings are kept whole here (they are immutable); cut when rendered. */
  readonly value: unknown;
}

export interface ObjectPreview {
  readonly kind: "object";
  /** Shown when nested too deep or when its entries were not read: `[Object]`, `[Cart]`, `[Array]`. */
  readonly summary: string;
  /** Before the brackets: `Cart `, `Map(50000) `, `` for a plain object or array. */
  readonly prefix: string;
  readonly brackets: "{}" | "[]";
  /** Undefined when the entries were not read (deeper than the preview went). */
  readonly entries: readonly PreviewEntry[] | undefined;
  /** `... 999990 more items`, or "". */
  readonly more: string;
  /** True when `entries` holds every own enumerable string key (so an absent key was absent). */
  readonly complete: boolean;
  /** `length` of arrays and strings, `size` of Maps and Sets: read once, kept with the preview. */
  readonly sizes: Readonly<Record<string, number>>;
  /** The live object, for what the preview did not keep (inherited methods). */
  readonly live: object;
  /** True when the entries were not read (too deep, over budget): the summary is all it has. */
  readonly shallow: boolean;
}

export interface PreviewEntry {
  /** The property key for a member lookup (`order.lines`, `list[2]`); undefined for Map/Set entries. */
  readonly key: string | undefined;
  /** The key as shown: `lines`, `'a-b'`, `[Symbol(x)]`, `0` is not shown for arrays. */
  readonly label: string | undefined;
  /** Map entries: the key's preview, shown as `key => value`. */
  readonly mapKey: Preview | undefined;
  readonly value: Preview;
}

/** Limits of one preview; `nodes` is shared and decreases as objects are read. */
export interface PreviewBudget {
  nodes: number;
  /**
   * Objects found to have more than WIDE_OBJECT_KEYS keys: V8 lists an object's keys only whole,
   * so such an object is listed once and, after that, not at every capture.
   */
  readonly wide?: WeakSet<object>;
}

export const WIDE_OBJECT_KEYS = 1000;

export const MAX_ARRAY_ITEMS = 10;
export const MAX_OBJECT_KEYS = 20;
// With its quotes and the count of what was left out, a cut string still fits in a 128-column value.
export const MAX_STRING_CHARS = 90;

const { getOwnPropertyDescriptor, getPrototypeOf, keys: objectKeys } = Object;
const functionToString = Function.prototype.toString;
const dateGetTime = Date.prototype.getTime;
const dateToISOString = Date.prototype.toISOString;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const mapIteratorNext = getPrototypeOf(new Map().entries()).next as (this: Iterator<unknown>) => IteratorResult<unknown>;
const setIteratorNext = getPrototypeOf(new Set().values()).next as (this: Iterator<unknown>) => IteratorResult<unknown>;
const mapSize = getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setSize = getOwnPropertyDescriptor(Set.prototype, "size")!.get!;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype) as object;
const typedArrayLength = getOwnPropertyDescriptor(typedArrayPrototype, "length")!.get!;
const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!.get!;
const sharedByteLength = getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength")!.get!;
const dataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, "buffer")!.get!;
const dataViewByteLength = getOwnPropertyDescriptor(DataView.prototype, "byteLength")!.get!;
const dataViewByteOffset = getOwnPropertyDescriptor(DataView.prototype, "byteOffset")!.get!;
const symbolValueOf = Symbol.prototype.valueOf;
const regexpSource = getOwnPropertyDescriptor(RegExp.prototype, "source")!.get!;
const regexpFlags = getOwnPropertyDescriptor(RegExp.prototype, "flags")!.get!;
const symbolDescription = getOwnPropertyDescriptor(Symbol.prototype, "description")!.get!;
const numberValueOf = Number.prototype.valueOf;
const stringValueOf = String.prototype.valueOf;
const booleanValueOf = Boolean.prototype.valueOf;
const bigintValueOf = BigInt.prototype.valueOf;

/** Takes the preview of `value`, reading entries `depth` levels down (0: only its summary). */
export function previewValue(value: unknown, depth: number, budget: PreviewBudget): Preview {
  // A function shown by itself also shows its own properties (`[Function: f] { retries: 2 }`).
  if (typeof value === "function") return previewObject(value, depth, budget, new Walk());
  return valuePreview(value, depth, budget, new Walk());
}

/** The objects on the path from the previewed value down to the current one, for `[Circular *1]`. */
class Walk {
  readonly path = new Map<object, { ref: number }>();
  nextRef = 1;
}

// Arrays up to this length have their keys listed, to show extra properties (`[ 1, 2, extra: true ]`).
const ARRAY_KEYS_UP_TO = 1000;

function previewObject(object: object, depth: number, budget: PreviewBudget, seen: Walk): Preview {
  if (util.types.isProxy(object)) return objectText(object, typeof object === "function" ? "Proxy [Function]" : "Proxy [Object]");
  const onPath = seen.path.get(object);
  if (onPath !== undefined) {
    if (onPath.ref === 0) onPath.ref = seen.nextRef++;
    return objectText(object, `[Circular *${onPath.ref}]`);
  }
  if (typeof object === "function") {
    const text = functionText(object);
    if (depth <= 0 || budget.nodes <= 0 || ownKeyCount(object) === 0) return objectText(object, text);
    return withSeen(seen, object, () => propertiesPreview(object, `${text} `, text, depth, budget, seen));
  }
  if (util.types.isNativeError(object) || isErrorInstance(object)) return objectText(object, `[${errorLine(object)}]`);
  if (util.types.isDate(object)) return objectText(object, dateText(object));
  if (util.types.isRegExp(object)) return objectText(object, `/${safeCall(regexpSource, object, "")}/${safeCall(regexpFlags, object, "")}`);
  if (util.types.isBoxedPrimitive(object)) return objectText(object, boxedText(object));
  if (util.types.isPromise(object)) return objectText(object, promiseText(object));
  if (util.types.isDataView(object)) return objectText(object, dataViewText(object));
  if (util.types.isWeakMap(object)) return objectText(object, "WeakMap { <items unknown> }");
  if (util.types.isWeakSet(object)) return objectText(object, "WeakSet { <items unknown> }");
  if (util.types.isAnyArrayBuffer(object)) return objectText(object, bufferText(object));
  if (util.types.isModuleNamespaceObject(object)) return objectText(object, "[Module]");
  // Reading an iterator's entries would consume them.
  if (util.types.isMapIterator(object)) return objectText(object, "[Map Iterator] { <items unknown> }");
  if (util.types.isSetIterator(object)) return objectText(object, "[Set Iterator] { <items unknown> }");

  const http = summarizeHttp(object);
  if (http !== undefined) {
    // A request or response as the few fields a reader wants; other members are read from the live object.
    const summary = previewObject(http, depth, budget, seen);
    return summary.kind === "object" ? { ...summary, live: object, complete: false } : summary;
  }

  const name = constructorName(object);
  const tag = toStringTag(object, name);
  const label = (name === "" ? "[Object: null prototype]" : name) + (tag === "" ? "" : ` [${tag}]`);

  if (Array.isArray(object)) {
    const length = arrayLength(object);
    const prefix = name === "Array" && tag === "" ? "" : `${label}(${length}) `;
    if (depth <= 0 || budget.nodes <= 0) return summaryOnly(object, "[Array]", prefix, "[]", { length });
    return withSeen(seen, object, () => listPreview(object, prefix, length, depth, budget, seen, { length }, length <= ARRAY_KEYS_UP_TO));
  }
  if (util.types.isArgumentsObject(object)) {
    const length = arrayLength(object);
    if (depth <= 0 || budget.nodes <= 0) return summaryOnly(object, "[Arguments]", "[Arguments] ", "[]", { length });
    return withSeen(seen, object, () => listPreview(object, "[Arguments] ", length, depth, budget, seen, { length }, false));
  }
  if (util.types.isTypedArray(object)) {
    const length = safeCall(typedArrayLength, object, 0) as number;
    const prefix = `${label}(${length}) `;
    if (depth <= 0 || budget.nodes <= 0) return summaryOnly(object, `[${name}]`, prefix, "[]", { length });
    return listPreview(object, prefix, length, depth, budget, seen, { length }, false);
  }
  if (util.types.isMap(object)) {
    const size = safeCall(mapSize, object, 0) as number;
    const prefix = `${label}(${size}) `;
    if (depth <= 0 || budget.nodes <= 0) return summaryOnly(object, `[${name}]`, prefix, "{}", { size });
    return withSeen(seen, object, () => collectionPreview(object, prefix, size, true, depth, budget, seen));
  }
  if (util.types.isSet(object)) {
    const size = safeCall(setSize, object, 0) as number;
    const prefix = `${label}(${size}) `;
    if (depth <= 0 || budget.nodes <= 0) return summaryOnly(object, `[${name}]`, prefix, "{}", { size });
    return withSeen(seen, object, () => collectionPreview(object, prefix, size, false, depth, budget, seen));
  }
  const prefix = name === "Object" && tag === "" ? "" : `${label} `;
  const summary = name === "Object" && tag === "" ? "[Object]" : `[${label}]`;
  if (depth <= 0 || budget.nodes <= 0 || budget.wide?.has(object) === true) return summaryOnly(object, summary, prefix, "{}", {});
  return withSeen(seen, object, () => propertiesPreview(object, prefix, summary, depth, budget, seen));
}

function ownKeyCount(object: object): number {
  try {
    return objectKeys(object).length;
  } catch {
    return 0;
  }
}

/** Previews `object` with it on the path; an object referring back to it is shown `<ref *1>`. */
function withSeen(seen: Walk, object: object, take: () => Preview): Preview {
  const box = { ref: 0 };
  seen.path.set(object, box);
  let preview: Preview;
  try {
    preview = take();
  } finally {
    seen.path.delete(object);
  }
  if (box.ref === 0 || preview.kind !== "object") return preview;
  return { ...preview, prefix: `<ref *${box.ref}> ${preview.prefix}` };
}

function objectText(live: object, text: string): ObjectPreview {
  return { kind: "object", summary: text, prefix: text, brackets: "{}", entries: undefined, more: "", complete: false, sizes: {}, live, shallow: false };
}

function summaryOnly(live: object, summary: string, prefix: string, brackets: "{}" | "[]", sizes: Record<string, number>): ObjectPreview {
  return { kind: "object", summary, prefix, brackets, entries: undefined, more: "", complete: false, sizes, live, shallow: true };
}

function listPreview(
  list: object,
  prefix: string,
  length: number,
  depth: number,
  budget: PreviewBudget,
  seen: Walk,
  sizes: Record<string, number>,
  extraKeys: boolean,
): ObjectPreview {
  const entries: PreviewEntry[] = [];
  const shown = Math.min(length, MAX_ARRAY_ITEMS);
  let holes = 0;
  const flushHoles = (): void => {
    if (holes > 0) entries.push({ key: undefined, label: undefined, mapKey: undefined, value: { kind: "scalar", value: new EmptyItems(holes) } });
    holes = 0;
  };
  for (let i = 0; i < shown; i++) {
    budget.nodes--;
    const d = ownDescriptor(list, String(i));
    if (d === undefined) {
      holes++;
      continue;
    }
    flushHoles();
    entries.push({ key: String(i), label: undefined, mapKey: undefined, value: descriptorPreview(d, depth - 1, budget, seen) });
  }
  flushHoles();
  const rest = length - shown;
  const more = rest > 0 ? `... ${rest} more item${rest === 1 ? "" : "s"}` : "";
  if (extraKeys) {
    let keys: string[] = [];
    try {
      keys = objectKeys(list);
    } catch {
      keys = [];
    }
    for (const key of keys) {
      if (/^(?:0|[1-9]\d*)$/.test(key) || entries.length >= MAX_ARRAY_ITEMS + MAX_OBJECT_KEYS) continue;
      const d = ownDescriptor(list, key);
      if (d === undefined) continue;
      budget.nodes--;
      entries.push({ key, label: propertyLabel(key), mapKey: undefined, value: descriptorPreview(d, depth - 1, budget, seen) });
    }
  }
  return { kind: "object", summary: prefix === "" ? "[Array]" : `[${prefix.trim()}]`, prefix, brackets: "[]", entries, more, complete: rest === 0, sizes, live: list, shallow: false };
}

/** Marks `<3 empty items>` in a sparse array. */
export class EmptyItems {
  constructor(readonly count: number) {}
}

function collectionPreview(
  collection: object,
  prefix: string,
  size: number,
  isMap: boolean,
  depth: number,
  budget: PreviewBudget,
  seen: Walk,
): ObjectPreview {
  const entries: PreviewEntry[] = [];
  try {
    const iterator = (isMap ? mapEntries : setValues).call(collection as Map<unknown, unknown>) as Iterator<unknown>;
    const next = isMap ? mapIteratorNext : setIteratorNext;
    for (let i = 0; i < MAX_ARRAY_ITEMS; i++) {
      const step = next.call(iterator);
      if (step.done === true) break;
      budget.nodes--;
      if (isMap) {
        const [key, value] = step.value as [unknown, unknown];
        entries.push({ key: undefined, label: undefined, mapKey: valuePreview(key, depth - 1, budget, seen), value: valuePreview(value, depth - 1, budget, seen) });
      } else {
        entries.push({ key: undefined, label: undefined, mapKey: undefined, value: valuePreview(step.value, depth - 1, budget, seen) });
      }
    }
  } catch {
    // A collection from another realm: shown by its size alone.
  }
  const rest = size - entries.length;
  const more = rest > 0 ? `... ${rest} more item${rest === 1 ? "" : "s"}` : "";
  return { kind: "object", summary: `[${prefix.trim().replace(/\(\d+\)$/, "")}]`, prefix, brackets: "{}", entries, more, complete: false, sizes: { size }, live: collection, shallow: false };
}

function propertiesPreview(object: object, prefix: string, summary: string, depth: number, budget: PreviewBudget, seen: Walk): ObjectPreview {
  let keys: string[];
  try {
    keys = objectKeys(object);
  } catch {
    keys = [];
  }
  if (keys.length > WIDE_OBJECT_KEYS) budget.wide?.add(object);
  const entries: PreviewEntry[] = [];
  const shown = Math.min(keys.length, MAX_OBJECT_KEYS);
  for (let i = 0; i < shown; i++) {
    const key = keys[i]!;
    budget.nodes--;
    const d = ownDescriptor(object, key);
    if (d === undefined) continue;
    entries.push({ key, label: propertyLabel(key), mapKey: undefined, value: descriptorPreview(d, depth - 1, budget, seen) });
  }
  for (const symbol of enumerableSymbols(object)) {
    if (entries.length >= MAX_OBJECT_KEYS) break;
    const d = ownDescriptor(object, symbol);
    if (d === undefined) continue;
    budget.nodes--;
    entries.push({ key: undefined, label: `[${symbolText(symbol)}]`, mapKey: undefined, value: descriptorPreview(d, depth - 1, budget, seen) });
  }
  const rest = keys.length - shown;
  const more = rest > 0 ? `... ${rest} more propert${rest === 1 ? "y" : "ies"}` : "";
  return { kind: "object", summary, prefix, brackets: "{}", entries, more, complete: rest === 0, sizes: {}, live: object, shallow: false };
}

function enumerableSymbols(object: object): symbol[] {
  try {
    return Object.getOwnPropertySymbols(object).filter((s) => Object.prototype.propertyIsEnumerable.call(object, s));
  } catch {
    return [];
  }
}

function descriptorPreview(d: PropertyDescriptor, depth: number, budget: PreviewBudget, seen: Walk): Preview {
  if ("value" in d) return valuePreview(d.value, depth, budget, seen);
  const text = d.get !== undefined && d.set !== undefined ? "[Getter/Setter]" : d.get !== undefined ? "[Getter]" : "[Setter]";
  return { kind: "scalar", value: new Special(text) };
}

function valuePreview(value: unknown, depth: number, budget: PreviewBudget, seen: Walk): Preview {
  // A function is kept as it is (its name and kind do not change) and described when shown; so is
  // a promise, whose state is read through the inspector, which is not done inside a pause.
  if (typeof value !== "object" || value === null || util.types.isPromise(value)) return { kind: "scalar", value };
  return previewObject(value as object, depth, budget, seen);
}

/** A scalar shown as its text, unquoted: `[Getter]`. */
export class Special {
  constructor(readonly text: string) {}
}

function ownDescriptor(object: object, key: PropertyKey): PropertyDescriptor | undefined {
  try {
    return getOwnPropertyDescriptor(object, key);
  } catch {
    return undefined;
  }
}

function arrayLength(array: object): number {
  const d = ownDescriptor(array, "length");
  return d !== undefined && typeof d.value === "number" ? d.value : 0;
}

function safeCall(fn: (this: unknown) => unknown, receiver: object, fallback: unknown): unknown {
  try {
    return Reflect.apply(fn, receiver, []);
  } catch {
    return fallback;
  }
}

/** The name of the nearest constructor on the prototype chain ("" for a null prototype). */
export function constructorName(object: object): string {
  let proto: object | null = object;
  for (let hops = 0; proto !== null && hops < 100; hops++) {
    if (util.types.isProxy(proto)) return "Object";
    const d = ownDescriptor(proto, "constructor");
    if (d !== undefined && "value" in d && typeof d.value === "function" && !util.types.isProxy(d.value)) {
      const n = ownDescriptor(d.value as object, "name");
      if (n !== undefined && "value" in n && typeof n.value === "string" && n.value !== "") return n.value;
    }
    proto = safePrototype(proto);
  }
  return "";
}

function safePrototype(object: object): object | null {
  try {
    return getPrototypeOf(object) as object | null;
  } catch {
    return null;
  }
}

/** `Symbol.toStringTag` when it is a data property and says more than the constructor's name. */
function toStringTag(object: object, name: string): string {
  let proto: object | null = object;
  for (let hops = 0; proto !== null && hops < 100; hops++) {
    if (util.types.isProxy(proto)) return "";
    const d = ownDescriptor(proto, Symbol.toStringTag);
    if (d !== undefined) return "value" in d && typeof d.value === "string" && d.value !== name && d.value !== "" ? d.value : "";
    proto = safePrototype(proto);
  }
  return "";
}

function functionText(fn: object): string {
  let source = "";
  try {
    source = functionToString.call(fn);
  } catch {
    source = "";
  }
  const d = ownDescriptor(fn, "name");
  const name = d !== undefined && "value" in d && typeof d.value === "string" ? d.value : "";
  if (source.startsWith("class") && /^class\b/.test(source)) {
    const parent = safePrototype(fn);
    const parentName = parent !== null && parent !== Function.prototype ? constructorNameOfFunction(parent) : "";
    return `[class ${name || "(anonymous)"}${parentName ? ` extends ${parentName}` : ""}]`;
  }
  let kind = "Function";
  if (util.types.isAsyncFunction(fn)) kind = util.types.isGeneratorFunction(fn) ? "AsyncGeneratorFunction" : "AsyncFunction";
  else if (util.types.isGeneratorFunction(fn)) kind = "GeneratorFunction";
  return name === "" ? `[${kind} (anonymous)]` : `[${kind}: ${name}]`;
}

function constructorNameOfFunction(fn: object): string {
  const d = ownDescriptor(fn, "name");
  return d !== undefined && "value" in d && typeof d.value === "string" ? d.value : "";
}

function isErrorInstance(object: object): boolean {
  let proto: object | null = object;
  for (let hops = 0; proto !== null && hops < 100; hops++) {
    if (util.types.isProxy(proto)) return false;
    if (proto === Error.prototype) return true;
    proto = safePrototype(proto);
  }
  return false;
}

/**
 * `TypeError: message` for an error shown as a value, from data properties only: the stack is not
 * read, since formatting it the first time may run the program's code (`Error.prepareStackTrace`,
 * a `message` getter).
 */
export function errorLine(error: object): string {
  const name = dataProperty(error, "name");
  const constructor = constructorName(error);
  let typeName = typeof name === "string" && name !== "" ? name : constructor || "Error";
  if (typeName === "Error" && constructor !== "" && !Object.prototype.hasOwnProperty.call(error, "name")) typeName = constructor;
  const d = findDescriptor(error, "message");
  const message = d !== undefined && "value" in d && typeof d.value === "string" ? d.value : "";
  return message === "" ? typeName : `${typeName}: ${message}`;
}

/**
 * An error's message without running a getter: the `message` data property, else (a lazy
 * `message` accessor, as zod's) the text before the first frame of the stack V8 formatted.
 * For a traceback the stack is read anyway (for its frames); a captured error's stack was
 * formatted by the engine when it paused on the throw.
 */
export function errorMessage(error: object): string {
  const d = findDescriptor(error, "message");
  if (d !== undefined && "value" in d) return typeof d.value === "string" ? d.value : "";
  const header = stackHeader(error);
  if (header === undefined) return "";
  const name = dataProperty(error, "name");
  for (const prefix of [typeof name === "string" ? name : "", constructorName(error), "Error"]) {
    if (prefix !== "" && header.startsWith(`${prefix}: `)) return header.slice(prefix.length + 2);
  }
  return "";
}

/** The error's stack text when it is a data property (V8's own is one); a user getter is never run. */
export function safeStack(error: object): string | undefined {
  const d = findDescriptor(error, "stack");
  if (d === undefined || !("value" in d)) return undefined;
  return typeof d.value === "string" ? d.value : undefined;
}

/** The text of the stack before its first frame line: `ZodError: [...]` (may span lines). */
function stackHeader(error: object): string | undefined {
  const stack = safeStack(error);
  if (stack === undefined) return undefined;
  const frame = stack.search(/\n\s+at /);
  return frame === -1 ? stack : stack.slice(0, frame);
}

function findDescriptor(object: object, key: PropertyKey): PropertyDescriptor | undefined {
  let holder: object | null = object;
  for (let hops = 0; holder !== null && hops < 100; hops++) {
    if (util.types.isProxy(holder)) return undefined;
    const d = ownDescriptor(holder, key);
    if (d !== undefined) return d;
    holder = safePrototype(holder);
  }
  return undefined;
}

function dateText(date: object): string {
  const time = safeCall(dateGetTime, date, NaN) as number;
  if (Number.isNaN(time)) return "Invalid Date";
  return safeCall(dateToISOString, date, "Invalid Date") as string;
}

function boxedText(object: object): string {
  if (util.types.isNumberObject(object)) return `[Number: ${formatNumber(safeCall(numberValueOf, object, NaN) as number)}]`;
  if (util.types.isStringObject(object)) return `[String: ${quote(safeCall(stringValueOf, object, "") as string)}]`;
  if (util.types.isBooleanObject(object)) return `[Boolean: ${String(safeCall(booleanValueOf, object, false))}]`;
  if (util.types.isBigIntObject(object)) return `[BigInt: ${String(safeCall(bigintValueOf, object, 0n))}n]`;
  const symbol = safeCall(symbolValueOf, object, undefined);
  return typeof symbol === "symbol" ? `[Symbol: ${symbolText(symbol)}]` : "[Symbol]";
}

/** `Promise { 1 }`, `Promise { <pending> }`, `Promise { <rejected> 'no' }` (the result on one short line). */
function promiseText(promise: object): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { promiseState } = require("./promise-state.js") as typeof import("./promise-state.js");
  const state = promiseState(promise);
  if (state === undefined) return "Promise { <state unknown> }";
  if (state.state === "pending") return "Promise { <pending> }";
  const result = renderPreview(previewValue(state.result, 1, { nodes: 20 }), 1);
  return `Promise { ${state.state === "rejected" ? "<rejected> " : ""}${result} }`;
}

const MAX_BUFFER_BYTES = 50;

/** `ArrayBuffer { [Uint8Contents]: <00 01>, byteLength: 2 }`: the bytes read through an engine view. */
function bufferText(buffer: object): string {
  const name = constructorName(buffer) || "ArrayBuffer";
  const isShared = util.types.isSharedArrayBuffer(buffer);
  const length = safeCall(isShared ? sharedByteLength : arrayBufferByteLength, buffer, 0) as number;
  let bytes = "";
  try {
    const view = new Uint8Array(buffer as ArrayBuffer, 0, Math.min(length, MAX_BUFFER_BYTES));
    bytes = Array.from(view, (b) => b.toString(16).padStart(2, "0")).join(" ");
  } catch {
    bytes = "";
  }
  const more = length > MAX_BUFFER_BYTES ? ` ... ${length - MAX_BUFFER_BYTES} more byte${length - MAX_BUFFER_BYTES === 1 ? "" : "s"}` : "";
  return `${name} { [Uint8Contents]: <${bytes}${more}>, byteLength: ${length} }`;
}

function dataViewText(view: object): string {
  const buffer = safeCall(dataViewBuffer, view, undefined) as object | undefined;
  const byteLength = safeCall(dataViewByteLength, view, 0) as number;
  const byteOffset = safeCall(dataViewByteOffset, view, 0) as number;
  return `DataView { byteLength: ${byteLength}, byteOffset: ${byteOffset}, buffer: ${buffer === undefined ? "undefined" : bufferText(buffer)} }`;
}

function propertyLabel(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

function symbolText(symbol: symbol): string {
  const description = safeCall(symbolDescription, Object(symbol) as object, undefined);
  return typeof description === "string" ? `Symbol(${description})` : "Symbol()";
}

function formatNumber(n: number): string {
  return Object.is(n, -0) ? "-0" : String(n);
}

const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f", "\v": "\\v", "\\": "\\\\" };

/** A string in single quotes the way util.inspect quotes it (double quotes when it holds `'`). */
export function quote(text: string): string {
  const q = text.includes("'") ? (text.includes('"') ? (text.includes("`") ? "'" : "`") : '"') : "'";
  let out = "";
  for (const ch of text) {
    if (ch === q) out += `\\${ch}`;
    else if (ESCAPES[ch] !== undefined) out += ESCAPES[ch];
    else if (ch < " " || ch === "\x7f") out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`;
    else out += ch;
  }
  return q + out + q;
}

/** A scalar as text: strings quoted and cut at MAX_STRING_CHARS with the count of what was left out. */
export function scalarText(value: unknown): string {
  switch (typeof value) {
    case "string": {
      if (value.length <= MAX_STRING_CHARS) return quote(value);
      return `${quote(value.slice(0, MAX_STRING_CHARS))}... ${value.length - MAX_STRING_CHARS} more characters`;
    }
    case "number":
      return formatNumber(value);
    case "bigint":
      return `${String(value)}n`;
    case "symbol":
      return symbolText(value);
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
    default:
      if (value === null) return "null";
      if (value instanceof Special) return value.text;
      if (value instanceof EmptyItems) return `<${value.count} empty item${value.count === 1 ? "" : "s"}>`;
      if (typeof value === "function") return util.types.isProxy(value) ? "Proxy [Function]" : functionText(value);
      if (typeof value === "object" && util.types.isPromise(value)) return promiseText(value);
      return "?";
  }
}

/** The preview as one line: entries two levels down, deeper objects by their summary. */
export function renderPreview(preview: Preview, level = 0): string {
  if (preview.kind === "scalar") return scalarText(preview.value);
  if (preview.entries === undefined) return level === 0 ? preview.prefix.trimEnd() || preview.summary : preview.summary;
  if (level >= 2) return preview.summary;
  const parts = preview.entries.map((entry) => renderEntry(entry, level + 1));
  if (preview.more !== "") parts.push(preview.more);
  const [open, close] = preview.brackets === "{}" ? ["{", "}"] : ["[", "]"];
  return parts.length === 0 ? `${preview.prefix}${open}${close}` : `${preview.prefix}${open} ${parts.join(", ")} ${close}`;
}

/**
 * The preview spread over at most `maxLines` lines: one top-level entry a line (each on one line),
 * then how many entries were left out, counted from the value's true size.
 */
export function renderPreviewLines(preview: Preview, maxLines: number): string[] {
  if (preview.kind === "scalar" || preview.entries === undefined || preview.entries.length === 0) return [renderPreview(preview)];
  const [open, close] = preview.brackets === "{}" ? ["{", "}"] : ["[", "]"];
  const lines = [`${preview.prefix}${open}`];
  const entries = preview.entries;
  const fits = entries.length + (preview.more === "" ? 0 : 1) + 2 <= maxLines;
  const kept = fits ? entries.length : Math.max(1, maxLines - 3);
  for (let i = 0; i < kept; i++) {
    const last = i === entries.length - 1 && preview.more === "";
    lines.push(`  ${renderEntry(entries[i]!, 1)}${last ? "" : ","}`);
  }
  if (kept < entries.length) lines.push(`  ${moreText(preview, entries.length - kept)}`);
  else if (preview.more !== "") lines.push(`  ${preview.more}`);
  lines.push(close);
  return lines;
}

function moreText(preview: ObjectPreview, leftOut: number): string {
  const rest = /^\.\.\. (\d+) more (items?|propert(?:y|ies))$/.exec(preview.more);
  const count = leftOut + (rest === null ? 0 : Number(rest[1]));
  const isList = preview.brackets === "[]" || preview.sizes.size !== undefined;
  const noun = isList ? (count === 1 ? "item" : "items") : count === 1 ? "property" : "properties";
  return `... ${count} more ${noun}`;
}

function renderEntry(entry: PreviewEntry, level: number): string {
  const value = renderPreview(entry.value, level);
  if (entry.mapKey !== undefined) return `${renderPreview(entry.mapKey, level)} => ${value}`;
  return entry.label === undefined ? value : `${entry.label}: ${value}`;
}

/** The preview of member `key` kept in `preview`, if it was read. */
export function previewMember(preview: Preview, key: string): Preview | undefined {
  if (preview.kind !== "object") return undefined;
  const size = preview.sizes[key];
  if (size !== undefined) return { kind: "scalar", value: size };
  if (preview.entries === undefined) return undefined;
  for (const entry of preview.entries) if (entry.key === key) return entry.value;
  return undefined;
}
