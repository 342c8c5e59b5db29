import { STATUS_CODES } from "node:http";
import { preferredFormat, type PageFormat } from "./negotiate.js";

export type { PageFormat } from "./negotiate.js";
import { requestHeaders } from "./request.js";

/** What to send: write `status`, `headers` and `body` as they are. */
export interface ErrorPageResponse {
  readonly status: number;
  readonly headers: { readonly [name: string]: string };
  readonly body: string;
  /** `html` (the page), `json` (its data), or `text` (the status text alone). */
  readonly format: PageFormat;
  /** Whether the response shows the error (development) or only its status. */
  readonly detailed: boolean;
}

export const COMMON_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/**
 * The answer that shows nothing of the error (production): its status text, as JSON to a client
 * that asks for JSON. Small on purpose: production never loads the page's code.
 */
export function statusResponse(status: number, format: PageFormat): ErrorPageResponse {
  const message = STATUS_CODES[status] ?? "Error";
  if (format === "json") {
    return { status, format, detailed: false, headers: { "content-type": "application/json; charset=utf-8", ...COMMON_HEADERS }, body: JSON.stringify({ error: { status, message } }) };
  }
  return { status, format: "text", detailed: false, headers: { "content-type": "text/plain; charset=utf-8", ...COMMON_HEADERS }, body: message };
}

/** The format the request (or an explicit `Accept` value) asks for. */
export function requestedFormat(request: unknown, accept: string | undefined): PageFormat {
  if (accept !== undefined) return preferredFormat(accept);
  const values = requestHeaders(request).filter(([name]) => name === "accept").map(([, value]) => value);
  return preferredFormat(values.length === 0 ? undefined : values.join(", "));
}
