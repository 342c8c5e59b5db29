/// <reference types="node" preserve="true" />
import { getCapture } from "./capture/index.js";
import { dataProperty } from "./data-property.js";
import { formatThrown, normalizeCatchStack, redactorOf, type FormatExceptionOptions } from "./format.js";
import type { Redactor } from "./redact.js";
import type { ErrorPageResponse, PageFormat } from "./page/status.js";

export { getCapture, handledException, isCapturing, lastThrown, startCapture, stopCapture } from "./capture/index.js";
export type { CaptureMode, CaptureOptions, HandledException } from "./capture/index.js";
export type { Capture, CapturedFrame, CapturedScope, ScopeType } from "./capture/types.js";
export { REDACTED, Redactor, isDefaultSecretName } from "./redact.js";
export type { RedactionSpec } from "./redact.js";
export type { FormatExceptionOptions } from "./format.js";

/**
 * Renders a thrown value as an annotated traceback (loguru's layout): frames outermost first,
 * source lines (source-mapped for TypeScript), variable values under each line when the capture
 * engine recorded them, then `Type: message`. Cause chains, AggregateError members and values
 * that are not Errors are rendered too. Never throws; returns text ending with "\n".
 */
export function formatException(error: unknown, options?: FormatExceptionOptions): string {
  return formatThrown(error, options, getCapture);
}

export interface ErrorPageOptions {
  /**
   * The request that failed: Node's `IncomingMessage` (Express's `req`, Nest's), or Fastify's
   * `request`. Its method, url, route params, query, headers and body are shown, secrets masked;
   * its `Accept` header chooses the format.
   */
  request?: unknown;
  /** An `Accept` header to use instead of the request's. */
  accept?: string;
  /** The response status. Default: the error's `status` or `statusCode` when 4xx or 5xx, else 500. */
  status?: number;
  /**
   * Whether the response may show the error (stack, source, values, request). Default: on unless
   * `NODE_ENV=production` or `LOGSIGHT_DIAGNOSE` is false. With `NODE_ENV=production` it is off
   * whatever this says.
   */
  diagnose?: boolean;
  /** As for formatException: names and paths masked besides the default secret names, or `false`. */
  redact?: readonly string[] | false | Redactor;
  /** As for formatException; by default the stack that called errorPage(), so the frame that caught the error is marked. */
  catchStack?: FormatExceptionOptions["catchStack"];
}

export type { ErrorPageResponse, PageFormat } from "./page/status.js";

type PageModule = typeof import("./page/index.js");
type StatusModule = typeof import("./page/status.js");
let pageModule: PageModule | undefined;
let statusModule: StatusModule | undefined;

/**
 * The response to send for an error, for any framework (Fastify's setErrorHandler, a Nest
 * exception filter, a plain node:http server): in development, to a client that asks for HTML,
 * a self-contained page with the error, its cause chain, every frame with its source, values and
 * variables, and the request; to one that asks for JSON, the same as JSON; to others the status
 * text. In production, or with diagnose off, only the status: no stack, source or value.
 * Never throws.
 */
export function errorPage(error: unknown, options: ErrorPageOptions = {}): ErrorPageResponse {
  const statuses = (statusModule ??= require("./page/status.js") as StatusModule);
  const status = validStatus(options.status) ?? statusOf(error);
  let format: PageFormat = "text";
  try {
    format = statuses.requestedFormat(options.request, typeof options.accept === "string" ? options.accept : undefined);
    const detailed = process.env.NODE_ENV !== "production" && (options.diagnose ?? diagnoseFromEnv());
    if (!detailed || format === "text") return statuses.statusResponse(status, format);
    const page = (pageModule ??= require("./page/index.js") as PageModule);
    return page.detailedResponse(error, {
      request: options.request,
      format,
      status,
      redactor: redactorOf(options.redact),
      catchStack: normalizeCatchStack(options.catchStack) ?? (require("./call-stack.js") as typeof import("./call-stack.js")).callStack(errorPage),
    });
  } catch {
    // The page could not be made: the status alone is still a correct answer.
    return statuses.statusResponse(status, format);
  }
}

/** The status an error asks for (`status` or `statusCode`, 4xx or 5xx, own or inherited data), else 500. */
function statusOf(error: unknown): number {
  if (error === null || typeof error !== "object") return 500;
  for (const field of ["status", "statusCode"]) {
    const value = dataProperty(error, field);
    if (typeof value === "number" && Number.isInteger(value) && value >= 400 && value <= 599) return value;
  }
  return 500;
}

function diagnoseFromEnv(): boolean {
  const spelled = (process.env.LOGSIGHT_DIAGNOSE ?? "").trim().toLowerCase();
  return !["false", "0", "no", "n", "off"].includes(spelled);
}

function validStatus(status: unknown): number | undefined {
  return typeof status === "number" && Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}
