/**
 * A sink may carry handler options under this key (a sink made by `logsight/otel` asks for an
 * uncolored `{message}`); the options given to `add()` win over them.
 */
export const SINK_OPTIONS = Symbol.for("logsight.sinkOptions");
