/// <reference types="node" preserve="true" />
import { getCapture } from "./capture/index.js";
import { formatThrown, type FormatExceptionOptions } from "./format.js";

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
