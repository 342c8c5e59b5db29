/// <reference types="node" preserve="true" />
export { errorPage, formatException, getCapture, handledException, isCapturing, lastThrown, startCapture, stopCapture, REDACTED, Redactor, isDefaultSecretName } from "./index.js";
export type {
  FormatExceptionOptions,
  ErrorPageOptions,
  ErrorPageResponse,
  PageFormat,
  Capture,
  CapturedFrame,
  CapturedScope,
  CaptureMode,
  CaptureOptions,
  ScopeType,
  RedactionSpec,
} from "./index.js";
