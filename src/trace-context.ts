import { nodeRequire } from "./node-require";

/**
 * Where every copy of `@opentelemetry/api` (major version 1) registers the global context manager,
 * tracer provider and the rest: present only once an SDK or the application set one up.
 */
const OTEL_GLOBALS = Symbol.for("opentelemetry.js.api.1");

interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

interface TraceApi {
  trace: { getActiveSpan(): { spanContext(): SpanContext } | undefined };
  isSpanContextValid(context: SpanContext): boolean;
}

type Registry = { context?: unknown };
type GlobalWithRegistry = { [OTEL_GLOBALS]?: Registry };

/**
 * The registry object, once some copy of the API created it. Looking a symbol up on `globalThis`
 * costs ~100 ns, too much for every record: when the registry does not exist yet, an accessor takes
 * its place and learns of the first assignment, then gets out of the way as a plain property.
 */
let registry = (globalThis as GlobalWithRegistry)[OTEL_GLOBALS];
if (registry === undefined && Object.getOwnPropertyDescriptor(globalThis, OTEL_GLOBALS) === undefined) {
  Object.defineProperty(globalThis, OTEL_GLOBALS, {
    configurable: true,
    enumerable: false,
    get: () => registry,
    set: (value: Registry | undefined) => {
      registry = value;
      Object.defineProperty(globalThis, OTEL_GLOBALS, { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

/** `undefined` until first needed; `null` when `@opentelemetry/api` cannot be loaded from here. */
let api: TraceApi | null | undefined;

function loadApi(): TraceApi | null {
  try {
    return nodeRequire("@opentelemetry/api") as TraceApi;
  } catch {
    return null;
  }
}

/**
 * Adds the active span's `trace_id`, `span_id` and `trace_flags` to a record's `extra`, keeping
 * values the caller gave under those keys. Until a context manager is registered there can be no
 * active span, so the cost is a variable read and `@opentelemetry/api` is not even loaded.
 */
export function addTraceContext(extra: { [key: string]: unknown }): void {
  if (registry === undefined || registry.context === undefined) return;
  if (api === undefined) api = loadApi();
  if (api === null) return;
  const span = api.trace.getActiveSpan();
  if (span === undefined) return;
  const context = span.spanContext();
  if (!api.isSpanContextValid(context)) return;
  if (!("trace_id" in extra)) extra.trace_id = context.traceId;
  if (!("span_id" in extra)) extra.span_id = context.spanId;
  if (!("trace_flags" in extra)) extra.trace_flags = context.traceFlags;
}
