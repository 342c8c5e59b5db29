import type { Redactor } from "../redact.js";
import type { CallerFrame } from "../report.js";
import { renderPageHtml } from "./html.js";
import { buildPageModel, type ErrorPageModel } from "./model.js";
import type { PageFormat } from "./negotiate.js";
import { COMMON_HEADERS, statusResponse, type ErrorPageResponse } from "./status.js";

export type { PageFormat } from "./negotiate.js";
export type { ErrorPageResponse } from "./status.js";

export interface PageSettings {
  readonly request: unknown;
  readonly format: PageFormat;
  readonly status: number;
  readonly redactor: Redactor;
  readonly catchStack: readonly CallerFrame[] | undefined;
}

/** The development response for `error`: the page, or its data as JSON, or (asked for neither) the status text. */
export function detailedResponse(error: unknown, settings: PageSettings): ErrorPageResponse {
  const { format, status } = settings;
  if (format === "text") return statusResponse(status, format);
  const model = buildPageModel(error, { request: settings.request, status, redactor: settings.redactor, catchStack: settings.catchStack });
  if (format === "json") {
    return { status, format, detailed: true, headers: { "content-type": "application/json; charset=utf-8", ...COMMON_HEADERS }, body: pageJson(model) };
  }
  return {
    status,
    format,
    detailed: true,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'", ...COMMON_HEADERS },
    body: renderPageHtml(model),
  };
}

/** The model as JSON: fields that do not apply are null (a value thrown without a stack has no frames' files). */
export function pageJson(model: ErrorPageModel): string {
  return JSON.stringify(model, (_key, value: unknown) => (value === undefined ? null : value));
}
