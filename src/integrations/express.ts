/// <reference types="node" preserve="true" />
/**
 * `logsight/express`: `requestLogger()` gives each request an id, runs the rest of the request inside
 * `contextualize({ requestId })` so every record logged while handling it carries the id, and logs one
 * access line when the response is done; `errorLogger()` logs an error with its annotated traceback
 * and the request that triggered it (method, url, route, params, query, id), and answers it: in
 * development with the error page (`errorPage()` of `logsight/diagnose`), else with the status alone.
 */
import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { logger as defaultLogger, type Logger } from "../index";
import { inspectValue } from "../template/stringify";
import { ROUTE_PARAMS } from "../../diagnose/http-summary";

type Next = (error?: unknown) => void;
/** The request as these middlewares read it: Node's, with what Express adds when present. */
type Request = IncomingMessage & { originalUrl?: string; params?: unknown; query?: unknown; route?: { path?: unknown }; id?: unknown };

export interface RequestLoggerOptions {
  /** The logger to write to (default: the global one). */
  logger?: Logger;
  /** The header an incoming id is read from and the response's id is written to; `false` for neither. Default `"x-request-id"`. */
  header?: string | false;
  /** Makes the id of a request that brings none (default `crypto.randomUUID()`). */
  generateId?: (req: IncomingMessage) => string;
  /** The `extra` key of the id (default `"requestId"`). */
  key?: string;
}

export interface ErrorLoggerOptions {
  logger?: Logger;
  /** The `extra` key the request id is read from and written to (default `"requestId"`). */
  key?: string;
  /**
   * Answer the request (status from the error's `status`/`statusCode` when 4xx/5xx, else 500) — the
   * default — or, with `false`, pass the error on with `next(error)`.
   */
  respond?: boolean;
  /**
   * In development, answer a client that asks for HTML with the error page (the error, its causes,
   * every frame with source and values, the request) and one that asks for JSON with the same data.
   * Default `true`. Never in production: with `NODE_ENV=production`, or when no handler of the logger
   * has `diagnose` on, the answer is the status text alone, as plain text.
   */
  page?: boolean;
}

/** An incoming id is used only when it is short and plain (it ends up in every record of the request). */
const USABLE_ID = /^[\w.:@-]{1,128}$/;
/** Where the route's params are kept for errorLogger() and for tracebacks (logsight/diagnose reads this registered symbol). */

/** The request-logging middleware: `app.use(requestLogger())` before the routes. */
export function requestLogger(options: RequestLoggerOptions = {}): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  checkOptions("requestLogger", options, ["logger", "header", "generateId", "key"]);
  const log = options.logger ?? defaultLogger;
  const header = options.header === undefined ? "x-request-id" : options.header;
  if (header !== false && (typeof header !== "string" || header === "")) {
    throw new TypeError(`Invalid requestLogger() header ${inspectValue(header)}: it should be a header name or false`);
  }
  const generateId = options.generateId ?? (() => randomUUID());
  if (typeof generateId !== "function") throw new TypeError(`Invalid requestLogger() generateId ${inspectValue(generateId)}: it should be a function`);
  const key = idKey("requestLogger", options.key);

  return function logsightRequestLogger(req: Request, res: ServerResponse, next: Next): void {
    const started = process.hrtime.bigint();
    const incoming = header === false ? undefined : req.headers[header];
    const id = typeof incoming === "string" && USABLE_ID.test(incoming) ? incoming : String(generateId(req));
    req.id = id;
    if (header !== false && !res.headersSent) res.setHeader(header, id);
    rememberRouteParams(req);
    let logged = false;
    const access = (): void => {
      if (logged) return;
      logged = true;
      const status = res.statusCode;
      const fields = {
        [key]: id,
        method: req.method,
        url: req.originalUrl ?? req.url,
        status,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
      };
      const level = status >= 500 ? "ERROR" : status >= 400 ? "WARNING" : "INFO";
      const outcome = res.writableFinished ? "" : " (connection closed before the response was complete)";
      log.log(level, `{method} {url} {status} {durationMs} ms${outcome}`, fields);
    };
    res.once("finish", access);
    res.once("close", access);
    log.contextualize({ [key]: id }, () => next());
  };
}

/** The error-logging middleware: `app.use(errorLogger())` after the routes. */
export function errorLogger(options: ErrorLoggerOptions = {}): (error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => void {
  checkOptions("errorLogger", options, ["logger", "key", "respond", "page"]);
  const log = options.logger ?? defaultLogger;
  const key = idKey("errorLogger", options.key);
  const respond = options.respond ?? true;
  if (typeof respond !== "boolean") throw new TypeError(`Invalid errorLogger() respond ${inspectValue(respond)}: it should be a boolean`);
  const page = options.page ?? true;
  if (typeof page !== "boolean") throw new TypeError(`Invalid errorLogger() page ${inspectValue(page)}: it should be a boolean`);

  return function logsightErrorLogger(error: unknown, req: Request, res: ServerResponse, next: Next): void {
    const request = describeRequest(req, key);
    const status = statusOf(error);
    const level = status < 500 ? "WARNING" : "ERROR";
    const details = [`params ${inspectValue(request.params)}`, `query ${inspectValue(request.query)}`];
    if (request[key] !== undefined) details.push(`${key} ${String(request[key])}`);
    log
      .opt({ exception: error })
      .log(level, "{} {} failed ({}): {}", request.method, request.url, status, details.join(", "), { [key]: request[key], request });
    if (!respond || res.headersSent) return next(error);
    const settings = page && process.env.NODE_ENV !== "production" ? log.errorPageSettings() : undefined;
    if (settings === undefined || !settings.diagnose) {
      res.statusCode = status;
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(STATUS_CODES[status] ?? "Error");
      return;
    }
    const response = log.diagnoseModule().errorPage(error, { request: req, status, diagnose: true, redact: settings.redactor });
    res.statusCode = response.status;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.end(response.body);
  };
}

function describeRequest(req: Request, key: string): { [field: string]: unknown } {
  const routePath = req.route?.path;
  return {
    method: req.method,
    url: req.originalUrl ?? req.url,
    route: typeof routePath === "string" ? routePath : undefined,
    params: plainCopy((req as { [ROUTE_PARAMS]?: unknown })[ROUTE_PARAMS] ?? req.params),
    query: plainCopy(readQuery(req)),
    [key]: req.id,
  };
}

/** Express's params and query are null-prototype objects: shown and serialized as plain ones. */
function plainCopy(value: unknown): unknown {
  if (value === null || value === undefined) return {};
  return typeof value === "object" && !Array.isArray(value) ? { ...value } : value;
}

function readQuery(req: Request): unknown {
  try {
    return req.query ?? {};
  } catch {
    return {};
  }
}

/**
 * Express gives each middleware layer its own `req.params`, so an error handler sees `{}` where the
 * route saw `{ id: "42" }`: the last non-empty params the request was given are kept aside.
 */
function rememberRouteParams(req: Request): void {
  let current: unknown = req.params;
  try {
    Object.defineProperty(req, "params", {
      configurable: true,
      enumerable: true,
      get: () => current,
      set(value: unknown) {
        current = value;
        if (value !== null && typeof value === "object" && Object.keys(value).length > 0) {
          (req as { [ROUTE_PARAMS]?: unknown })[ROUTE_PARAMS] = value;
        }
      },
    });
  } catch {
    // A frozen or exotic request keeps Express's own behaviour.
  }
}

function statusOf(error: unknown): number {
  if (error !== null && typeof error === "object") {
    for (const field of ["status", "statusCode"]) {
      const value = (error as { [key: string]: unknown })[field];
      if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) return value;
    }
  }
  return 500;
}

function idKey(middleware: string, key: unknown): string {
  if (key === undefined) return "requestId";
  if (typeof key !== "string" || key === "") throw new TypeError(`Invalid ${middleware}() key ${inspectValue(key)}: it should be a non-empty string`);
  return key;
}

function checkOptions(middleware: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== "object") throw new TypeError(`Invalid ${middleware}() options ${inspectValue(options)}: they should be an object`);
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new TypeError(`Unknown ${middleware}() option '${name}'; options: ${known.join(", ")}`);
  }
}
