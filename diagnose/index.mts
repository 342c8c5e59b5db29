/// <reference types="node" preserve="true" />
export { formatException, getCapture, handledException, isCapturing, lastThrown, startCapture, stopCapture, REDACTED, Redactor, isDefaultSecretName } from "./index.js";
export type {
  FormatExceptionOptions,
  Capture,
  CapturedFrame,
  CapturedScope,
  CaptureMode,
  CaptureOptions,
  ScopeType,
  RedactionSpec,
} from "./index.js";
