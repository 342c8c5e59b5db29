/// <reference types="node" preserve="true" />
import { Core } from "./core";
import { readCaptureSettings } from "./capture-settings";
import { readEnvDefaults } from "./env";
import { Logger } from "./logger";

export { Logger } from "./logger";
export type { ConfigureOptions, OptOptions } from "./logger";
export type { Catcher, CatchOptions, DefaultFits } from "./catch";
export type { ParseOptions } from "./parse";
export type {
  BuiltinLevelName,
  CompressionOption,
  CustomLevelName,
  CustomLevels,
  FilterOption,
  FormatOption,
  FunctionSink,
  HandlerOptions,
  LevelInfo,
  LevelName,
  LevelOption,
  LogRecord,
  RecordElapsed,
  RecordException,
  RecordFile,
  RecordLevel,
  RecordProcess,
  RecordThread,
  RecordTime,
  RetentionOption,
  RotationOption,
  Sink,
  WritableSink,
} from "./types";

const defaults = readEnvDefaults();
const captureSettings = readCaptureSettings();

/** The one logger: ready on import with a handler on `process.stderr` (unless `LOGSIGHT_AUTOINIT=false`). */
export const logger: Logger = Logger.over(new Core(defaults, () => captureSettings, defaults.levels));

if (defaults.autoinit) logger.add(process.stderr);

export default logger;
