import * as querystring from "node:querystring";
import { types } from "node:util";
import { dataProperty, ownDataProperty } from "../data-property.js";
import { REDACTED, type PathNode, type Redactor } from "../redact.js";
import { describeValue } from "../values.js";
import { ROUTE_PARAMS } from "../http-summary.js";

/** The request an error page shows, every value already described as text and masked. */
export interface RequestModel {
  readonly method: string;
  /** The url as requested, values of secret query parameters masked. */
  readonly url: string;
  /** The route pattern that matched (`/orders/:orderId/charge`), when the framework says. */
  readonly route: string | undefined;
  readonly params: readonly NamedValue[];
  readonly query: readonly NamedValue[];
  /** In the order received; repeated headers appear once per occurrence. */
  readonly headers: readonly NamedValue[];
  /** The parsed body as the framework left it, or what is known of one not read. */
  readonly body: string | undefined;
}

export interface NamedValue {
  readonly name: string;
  readonly value: string;
}

const MAX_ENTRIES = 100;

/** Where `logsight/express` keeps a request's route params (Express resets `req.params` in each later layer). */

/**
 * What the page shows of a request: Node's `IncomingMessage` (Express's request is one), or an
 * object wrapping one as `raw` (Fastify's request). Read from own data properties only (`rawHeaders`
 * rather than Node's lazy `headers` getter, the query from the url rather than Express's `query`
 * getter), so no getter or framework code runs. Secret names are masked below the path root `request`,
 * as `logsight/express` logs `extra.request`. Undefined when `request` is not a request.
 */
export function describeRequest(request: unknown, redactor: Redactor): RequestModel | undefined {
  if (typeof request !== "object" || request === null || types.isProxy(request)) return undefined;
  const rawValue = ownDataProperty(request, "raw");
  const raw = typeof rawValue === "object" && rawValue !== null && !types.isProxy(rawValue) ? rawValue : request;
  const method = dataProperty(raw, "method");
  const rawUrl = ownDataProperty(raw, "originalUrl") ?? ownDataProperty(raw, "url");
  if (typeof method !== "string" || typeof rawUrl !== "string") return undefined;

  const at = redactor.enter("request", redactor.root);
  const queryAt = redactor.enter("query", at);
  const query = ownDataProperty(request, "query") ?? parseQuery(rawUrl);
  const params = ownDataProperty(raw, ROUTE_PARAMS) ?? ownDataProperty(request, "params") ?? ownDataProperty(raw, "params");
  const route = routeOf(request, raw);
  const headers = readHeaders(raw);
  return {
    method,
    url: maskUrl(rawUrl, redactor, queryAt),
    route,
    params: entriesOf(params, redactor, redactor.enter("params", at)),
    query: entriesOf(query, redactor, queryAt),
    headers: headers.map(([name, value]) => ({ name, value: redactor.hides(name, redactor.enter("headers", at)) ? REDACTED : value })),
    body: bodyOf(request, raw, headers, redactor, redactor.enter("body", at)),
  };
}

function routeOf(request: object, raw: object): string | undefined {
  // Express: `req.route.path`; Fastify: `request.routeOptions.url` is a getter, so its `routerPath` is not read.
  const route = ownDataProperty(raw, "route") ?? ownDataProperty(request, "route");
  if (typeof route === "object" && route !== null && !types.isProxy(route)) {
    const path = ownDataProperty(route, "path");
    if (typeof path === "string") return path;
  }
  return undefined;
}

function parseQuery(url: string): object {
  const at = url.indexOf("?");
  return at === -1 ? {} : querystring.parse(url.slice(at + 1));
}

/** `?token=abc&page=2` -> `?token=[redacted]&page=2` for the names the logs mask. */
function maskUrl(url: string, redactor: Redactor, at: PathNode | null): string {
  const q = url.indexOf("?");
  if (q === -1 || redactor.off) return url;
  const hash = url.indexOf("#", q);
  const search = url.slice(q + 1, hash === -1 ? undefined : hash);
  const parts = search.split("&").map((part) => {
    const eq = part.indexOf("=");
    if (eq === -1) return part;
    let name: string;
    try {
      name = decodeURIComponent(part.slice(0, eq).replace(/\+/g, " "));
    } catch {
      name = part.slice(0, eq);
    }
    return redactor.hides(name, at) ? `${part.slice(0, eq)}=${REDACTED}` : part;
  });
  return url.slice(0, q + 1) + parts.join("&") + (hash === -1 ? "" : url.slice(hash));
}

function entriesOf(object: unknown, redactor: Redactor, at: PathNode | null): NamedValue[] {
  if (typeof object !== "object" || object === null || types.isProxy(object)) return [];
  const entries: NamedValue[] = [];
  for (const name of Object.keys(object)) {
    if (entries.length >= MAX_ENTRIES) break;
    const d = Object.getOwnPropertyDescriptor(object, name);
    let value: string;
    if (redactor.hides(name, at)) value = REDACTED;
    else if (d === undefined || !("value" in d)) value = "[Getter]";
    else value = typeof d.value === "string" ? d.value : describeValue(redactor.mask(d.value, redactor.enter(name, at)));
    entries.push({ name, value });
  }
  return entries;
}

/** The request's headers, lowercased, from Node's `rawHeaders` (or a plain `headers` object of data properties). */
export function requestHeaders(request: unknown): [string, string][] {
  if (typeof request !== "object" || request === null || types.isProxy(request)) return [];
  const rawValue = ownDataProperty(request, "raw");
  return readHeaders(typeof rawValue === "object" && rawValue !== null && !types.isProxy(rawValue) ? rawValue : request);
}

function readHeaders(raw: object): [string, string][] {
  const headers: [string, string][] = [];
  const list = ownDataProperty(raw, "rawHeaders");
  if (Array.isArray(list) && !types.isProxy(list)) {
    for (let i = 0; i + 1 < list.length && headers.length < MAX_ENTRIES; i += 2) {
      const name: unknown = list[i];
      const value: unknown = list[i + 1];
      if (typeof name === "string" && typeof value === "string") headers.push([name.toLowerCase(), value]);
    }
    return headers;
  }
  const object = ownDataProperty(raw, "headers");
  if (typeof object !== "object" || object === null || types.isProxy(object)) return headers;
  for (const name of Object.keys(object)) {
    if (headers.length >= MAX_ENTRIES) break;
    const value = ownDataProperty(object, name);
    if (typeof value === "string") headers.push([name.toLowerCase(), value]);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === "string") headers.push([name.toLowerCase(), item]);
  }
  return headers;
}

function bodyOf(request: object, raw: object, headers: readonly [string, string][], redactor: Redactor, at: PathNode | null): string | undefined {
  const found = bodyValue(request) ?? bodyValue(raw);
  const header = (name: string): string | undefined => headers.find(([n]) => n === name)?.[1];
  if (found !== undefined) {
    const { value } = found;
    if (typeof value === "string") return describeValue(value);
    if (Buffer.isBuffer(value)) return `<Buffer, ${value.length} bytes>`;
    return describeValue(redactor.mask(value, at));
  }
  const length = header("content-length");
  const chunked = header("transfer-encoding");
  if (length === undefined && chunked === undefined) return undefined;
  const type = header("content-type");
  const size = length !== undefined ? `${length} bytes` : "chunked";
  return `(not parsed: ${size}${type === undefined ? "" : `, ${type}`})`;
}

function bodyValue(holder: object): { value: unknown } | undefined {
  const value = ownDataProperty(holder, "body");
  return value === undefined ? undefined : { value };
}
