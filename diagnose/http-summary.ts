import * as util from "node:util";
import { dataProperty, ownDataProperty as ownData } from "./data-property";

type Http = typeof import("node:http");
/** node:http is loaded on the first value shown, not with the traceback code. */
let http: Http | undefined;

// Named like Node's classes so that a summary reads as `IncomingMessage { method: 'GET', url: '/users/42' }`.
class IncomingMessage {}
class ServerResponse {}

/** Where `logsight/express` keeps a request's route params (Express resets `req.params` in each later layer). */
/** Where logsight/express keeps a request's route params (a registry symbol: any copy of logsight finds them). */
export const ROUTE_PARAMS = Symbol.for("logsight.routeParams");

/**
 * An HTTP request or response (Node's, Express's, and the ones Fastify wraps as `request.raw`)
 * as the few fields a reader wants — method, url, route params; status — on one line instead of the hundreds of
 * lines `util.inspect` gives for a socket-holding object. Read as own data properties only, so no
 * user code runs. `undefined` for any other value.
 */
export function summarizeHttp(value: unknown): object | undefined {
  if (typeof value !== "object" || value === null || util.types.isProxy(value)) return undefined;
  const raw = ownData(value, "raw");
  // Loading node:http takes milliseconds, and a capture previews values while the program is paused.
  if (!mayBeHttp(value) && !mayBeHttp(raw)) return undefined;
  http ??= require("node:http") as Http;
  if (value instanceof http.IncomingMessage) return requestSummary(value);
  if (value instanceof http.ServerResponse) return responseSummary(value);
  if (raw instanceof http.IncomingMessage) return requestSummary(raw, value);
  if (raw instanceof http.ServerResponse) return responseSummary(raw);
  return undefined;
}

const HTTP_CLASS_NAMES = new Set<unknown>(["IncomingMessage", "ServerResponse"]);

/** Whether a prototype of `value` is that of a class named like node:http's request or response (checked by instanceof after). */
function mayBeHttp(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  for (let current: object | null = value, hops = 0; current !== null && hops < 20; hops++) {
    if (util.types.isProxy(current)) return false;
    const constructor = ownData(current, "constructor");
    if (typeof constructor === "function" && HTTP_CLASS_NAMES.has(ownData(constructor, "name"))) return true;
    try {
      current = Object.getPrototypeOf(current) as object | null;
    } catch {
      return false;
    }
  }
  return false;
}

function requestSummary(req: object, wrapper?: object): object {
  const summary = new IncomingMessage() as { [field: string]: unknown };
  summary.method = ownData(req, "method");
  const url = ownData(req, "originalUrl") ?? ownData(req, "url");
  summary.url = typeof url === "string" ? withoutSecretQuery(url) : url;
  const params = ownData(req, ROUTE_PARAMS) ?? ownData(wrapper ?? req, "params");
  if (params !== null && typeof params === "object" && Object.keys(params).length > 0) summary.params = { ...params };
  return summary;
}

let redact: typeof import("./redact") | undefined;

/** `/login?token=abc&page=2` -> `/login?token=[redacted]&page=2`: the url's query values under secret-looking names. */
function withoutSecretQuery(url: string): string {
  const q = url.indexOf("?");
  if (q === -1) return url;
  // Loaded here, not with the capture engine, which previews values before the program runs.
  redact ??= require("./redact") as typeof import("./redact");
  const { isDefaultSecretName, REDACTED } = redact;
  return url.slice(0, q + 1) + url.slice(q + 1).replace(/([^&#=]+)=([^&#]*)/g, (whole, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, " "));
    } catch {
      // an undecodable name is judged as written
    }
    return isDefaultSecretName(decoded) ? `${name}=${REDACTED}` : whole;
  });
}

function responseSummary(res: object): object {
  const summary = new ServerResponse() as { [field: string]: unknown };
  summary.statusCode = dataProperty(res, "statusCode");
  return summary;
}
