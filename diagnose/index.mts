/// <reference types="node" preserve="true" />
export { formatException, getCapture, isCapturing, lastThrown, startCapture, stopCapture } from "./index.js";
export type {
  FormatExceptionOptions,
  Capture,
  CapturedFrame,
  CapturedScope,
  CaptureMode,
  CaptureOptions,
  ScopeType,
} from "./index.js";
