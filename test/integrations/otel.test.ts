import { test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { context, trace } from "@opentelemetry/api";
import { logs } from "@opentelemetry/api-logs";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { BatchLogRecordProcessor, LoggerProvider } from "@opentelemetry/sdk-logs";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { logger } from "logsight";
import { otelSink } from "logsight/otel";
import { runNode } from "../helpers";

logger.remove();

/** OTLP/JSON's AnyValue, decoded. */
type AnyValue = { stringValue?: string; intValue?: number | string; doubleValue?: number; boolValue?: boolean; kvlistValue?: { values: KeyValue[] }; arrayValue?: { values: AnyValue[] } };
type KeyValue = { key: string; value: AnyValue };
interface OtlpLogRecord {
  timeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
  traceId?: string;
  spanId?: string;
}

function decode(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.kvlistValue !== undefined) return attributes(value.kvlistValue.values);
  if (value.arrayValue !== undefined) return value.arrayValue.values.map(decode);
  return undefined;
}

function attributes(list: KeyValue[]): { [key: string]: unknown } {
  return Object.fromEntries(list.map(({ key, value }) => [key, decode(value)]));
}

/** A collector's OTLP/HTTP logs endpoint, on a free port, keeping every request it receives. */
async function startReceiver(): Promise<{ url: string; requests: { path: string; type: string; body: any }[]; close(): Promise<void> }> {
  const requests: { path: string; type: string; body: any }[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      requests.push({ path: request.url ?? "", type: request.headers["content-type"] ?? "", body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/logs`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function checkout(cart: { total: number }, coupon: string, token: string): number {
  const discount = coupon.length * 10;
  if (discount > cart.total && token) throw new RangeError(`coupon ${coupon} is worth more than the cart`);
  return cart.total - discount;
}

test("records reach an OTLP/HTTP collector through the SDK: severity, body, attributes, trace ids and the annotated exception", async () => {
  const receiver = await startReceiver();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider();
  trace.setGlobalTracerProvider(tracerProvider);
  const loggerProvider = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: receiver.url }) })] });
  logs.setGlobalLoggerProvider(loggerProvider);
  const serialized: string[] = [];
  try {
    logger.add(otelSink(), { level: "DEBUG", diagnose: true });
    logger.add((message) => void serialized.push(message), { serialize: true });

    let ids = { traceId: "", spanId: "" };
    await trace.getTracer("shop").startActiveSpan("checkout", async (span) => {
      ids = span.spanContext();
      logger.info("Checkout for {user}", { user: "ada", items: 3, cart: { total: 5, currency: "EUR" }, password: "hunter2" });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const token = ["sk", "live", "4242"].join("-");
      try {
        checkout({ total: 5 }, "SPRING", token);
      } catch (error) {
        logger.error("Payment failed", error);
      }
      span.end();
    });
    logger.warning("outside any span");
    await loggerProvider.forceFlush();

    const records: OtlpLogRecord[] = receiver.requests.flatMap(
      (request) => request.body.resourceLogs.flatMap((resource: any) => resource.scopeLogs.flatMap((scope: any) => {
        assert.equal(scope.scope.name, "logsight");
        return scope.logRecords;
      })),
    );
    assert.ok(receiver.requests.every((request) => request.path === "/v1/logs" && request.type.startsWith("application/json")));
    assert.deepEqual(records.map((record) => [record.severityNumber, record.severityText, decode(record.body)]), [
      [9, "INFO", "Checkout for ada"],
      [17, "ERROR", "Payment failed"],
      [13, "WARNING", "outside any span"],
    ]);

    const [info, error, warning] = records.map((record) => attributes(record.attributes));
    assert.equal(info!.user, "ada");
    assert.equal(info!.items, 3);
    assert.deepEqual(info!.cart, { total: 5, currency: "EUR" });
    assert.equal(info!.password, "[redacted]");
    assert.equal(info!.trace_id, ids.traceId);
    assert.equal(info!.span_id, ids.spanId);
    assert.equal(info!.trace_flags, 1);
    assert.equal(info!["code.function.name"], "<anonymous>");
    assert.match(String(info!["code.file.path"]), /otel\.test\.ts$/);
    assert.equal(typeof info!["code.line.number"], "number");
    assert.equal(records[0]!.traceId, ids.traceId, "the SDK correlates the record with the active span");
    assert.equal(records[0]!.spanId, ids.spanId);
    assert.ok(/^\d+$/.test(records[0]!.timeUnixNano) && BigInt(records[0]!.timeUnixNano) > 1_600_000_000_000_000_000n);

    // After an await, still inside the span.
    assert.equal(error!.trace_id, ids.traceId);
    assert.equal(error!["exception.type"], "RangeError");
    assert.equal(error!["exception.message"], "coupon SPRING is worth more than the cart");
    const stack = String(error!["exception.stacktrace"]);
    if (process.env.SHOW_STACK) console.log(stack);
    assert.match(stack, /^Traceback \(most recent call last\):/);
    assert.match(stack, /in checkout\n    if \(discount > cart\.total && token\) throw new RangeError/);
    assert.match(stack, /\[redacted\]/);
    assert.doesNotMatch(stack, /sk-live-4242/);
    assert.match(stack, /│ +└ \{ total: 5 \}/, "the captured values annotate the line");
    assert.match(stack, /└ 60/);
    assert.match(stack, /RangeError: coupon SPRING is worth more than the cart$/);
    assert.doesNotMatch(stack, /\x1b\[/, "no color codes");

    assert.equal(warning!.trace_id, undefined);
    assert.equal(records[2]!.traceId ?? "", "");

    // The serialized record carries the trace ids in extra, like any other key.
    const first = JSON.parse(serialized[0]!) as { record: { extra: { [key: string]: unknown } } };
    assert.deepEqual(first.record.extra, { user: "ada", items: 3, cart: { total: 5, currency: "EUR" }, password: "[redacted]", trace_id: ids.traceId, span_id: ids.spanId, trace_flags: 1 });
  } finally {
    logger.remove();
    await Promise.allSettled([loggerProvider.shutdown(), tracerProvider.shutdown(), receiver.close()]);
  }
});

test("without a registered context manager nothing of OpenTelemetry is loaded and records carry no trace ids", () => {
  const result = runNode(`
    const { logger } = require("logsight");
    logger.remove();
    const seen = [];
    logger.add((message, record) => seen.push(record.extra), { format: "{message}" });
    logger.info("before", { a: 1 });
    const loadedBefore = Object.keys(require.cache).filter((file) => file.includes("@opentelemetry")).length;
    const { context, trace } = require("@opentelemetry/api");
    const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const span = trace.wrapSpanContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 0 });
    context.with(trace.setSpan(context.active(), span), () => logger.info("inside", { trace_id: "given by the caller" }));
    logger.info("after");
    console.log(JSON.stringify({ loadedBefore, seen }));
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), {
    loadedBefore: 0,
    seen: [{ a: 1 }, { trace_id: "given by the caller", span_id: "b7ad6b7169203331", trace_flags: 0 }, {}],
  });
});

test("a context manager registered before logsight is loaded is found too", () => {
  const result = runNode(`
    const { context, trace } = require("@opentelemetry/api");
    const { AsyncLocalStorageContextManager } = require("@opentelemetry/context-async-hooks");
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    const { logger } = require("logsight");
    logger.remove();
    const seen = [];
    logger.add((message, record) => seen.push(record.extra), { format: "{message}" });
    const span = trace.wrapSpanContext({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1 });
    context.with(trace.setSpan(context.active(), span), () => logger.info("inside"));
    console.log(JSON.stringify(seen));
  `);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), [{ trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: "b7ad6b7169203331", trace_flags: 1 }]);
});

test("otelSink() names the option and the value it rejects", () => {
  assert.throws(() => otelSink(null as never), /Invalid otelSink\(\) options null: they should be an object/);
  assert.throws(() => otelSink("scope" as never), /Invalid otelSink\(\) options scope/);
  assert.throws(() => otelSink({ scope: "" }), /Invalid scope '': it should be a non-empty string/);
  assert.throws(() => otelSink({ scope: 42 as never }), /Invalid scope 42/);
  assert.throws(() => otelSink({ loggerProvider: {} as never }), /Invalid loggerProvider \{\}: it should have a getLogger\(\) method/);
  assert.throws(() => otelSink({ loggerProvider: null as never }), /Invalid loggerProvider null/);
});

test("a sink added before the SDK registers its provider reaches that provider; a getter on the error's message is not run", () => {
  const result = runNode(`
    const { logger } = require("logsight");
    const { otelSink } = require("logsight/otel");
    const { logs } = require("@opentelemetry/api-logs");
    const { LoggerProvider, SimpleLogRecordProcessor, InMemoryLogRecordExporter } = require("@opentelemetry/sdk-logs");
    logger.remove();
    logger.add(otelSink({ scope: "shop" }), { level: "DEBUG" });
    logger.info("before any provider");
    const exporter = new InMemoryLogRecordExporter();
    logs.setGlobalLoggerProvider(new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] }));
    logger.info("after the provider", { order: 7 });
    let getterRuns = 0;
    const error = new TypeError("plain");
    void error.stack; // V8 formats the stack (its header calls the message getter) once, on first read.
    Object.defineProperty(error, "message", { get() { getterRuns++; return "from a getter"; } });
    logger.error("failed", error);
    const records = exporter.getFinishedLogRecords().map((r) => ({
      scope: r.instrumentationScope.name, body: r.body, severity: r.severityText,
      order: r.attributes.order, type: r.attributes["exception.type"], message: r.attributes["exception.message"],
    }));
    console.log(JSON.stringify({ records, getterRuns }));
  `);
  assert.equal(result.status, 0, result.stderr);
  const { records, getterRuns } = JSON.parse(result.stdout) as { records: { [key: string]: unknown }[]; getterRuns: number };
  assert.deepEqual(records, [
    { scope: "shop", body: "after the provider", severity: "INFO", order: 7 },
    { scope: "shop", body: "failed", severity: "ERROR", type: "TypeError", message: "plain" },
  ]);
  assert.equal(getterRuns, 0, "the sink never calls a getter on the logged error");
});
