// Type checks every resolution mode runs: what must compile, and (@ts-expect-error) what must not.
import type { CustomLevelName, FunctionSink, HandlerOptions, LevelName, Logger, LogRecord } from "logsight";
import type { OtelSinkOptions } from "logsight/otel";

declare module "logsight" {
  interface CustomLevels {
    AUDIT: true;
  }
}

type IsAny<T> = 0 extends 1 & T ? true : false;

export function exercise(logger: Logger, formatException: (error: unknown, options?: { colorize?: boolean }) => string): void {
  const notAny: IsAny<typeof logger> = false;
  void notAny;

  const options: HandlerOptions = { level: "INFO", format: "{time} {message}", encoding: "utf8" };
  const id: number = logger.add((message: string, record: LogRecord) => void [message, record.level.no], options);
  logger.bind({ a: 1 }).opt({ colors: true }).info("x {}", 1);
  logger.log("warning", "lower case is accepted");
  logger.log(25, "by number");
  // @ts-expect-error "WARN" is not a level name
  logger.log("WARN", "x");
  // @ts-expect-error "WARN" is not a level name
  logger.add(process.stderr, { level: "WARN" });
  logger.add(process.stderr, { filter: { "": "INFO", "noisy-lib": false } });

  const notice = logger.level("NOTICE", { no: 25 });
  logger.log(notice.name, "a custom level through the name level() returns");
  logger.log("NOTICE" as CustomLevelName, "a custom level named by the caller");
  logger.log("AUDIT", "a custom level registered by augmentation");
  logger.add(process.stderr, { level: "AUDIT" });
  const name: LevelName = "CRITICAL";
  void name;

  const parsed: number = logger.catch({ default: 0 })((text: string) => Number.parseInt(text, 10))("12");
  const fetched: Promise<string> = logger.catch({ default: "none" })(async () => "body")();
  const plain: number = logger.catch()(() => 1)();
  const ran: number = logger.catch({ default: -1 }).run(() => 7);
  // @ts-expect-error a string default for a function that returns a number
  logger.catch({ default: "zero" })((text: string) => Number.parseInt(text, 10));
  // @ts-expect-error the same mismatch in run()
  logger.catch({ default: "zero" }).run(() => 7);
  void [parsed, fetched, plain, ran];

  const text: string = formatException(new Error("x"), { colorize: false });
  const buffer: Buffer = Buffer.from(text);
  void buffer;
  logger.remove(id);
}

/** logsight/nest and logsight/express, as each resolution mode imports them. */
export function integrations(
  logger: Logger,
  NestLogger: typeof import("logsight/nest").NestLogger,
  express: { requestLogger: typeof import("logsight/express").requestLogger; errorLogger: typeof import("logsight/express").errorLogger },
): void {
  const nest = new NestLogger(logger.child({ app: "api" }, { level: "warn" }));
  nest.setLogLevels(["log", "error"]);
  nest.error(new Error("x"), "Bootstrap");
  // @ts-expect-error not one of Nest's levels
  nest.setLogLevels(["info"]);
  const middleware: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, next: (error?: unknown) => void) => void =
    express.requestLogger({ header: "x-correlation-id", key: "correlationId" });
  void middleware;
  void express.errorLogger({ respond: false });
  // @ts-expect-error unknown option
  express.requestLogger({ headers: "x" });
  const restore: () => void = logger.captureConsole();
  restore();
  logger.add(process.stdout, { serialize: "pino" });
}

export function construct(LoggerClass: typeof Logger): void {
  // @ts-expect-error the logger comes from the import, it is not constructed
  new LoggerClass();
}

export function otel(otelSink: (options?: OtelSinkOptions) => FunctionSink): void {
  const sink: FunctionSink = otelSink({ scope: "shop", loggerProvider: { getLogger: () => ({ emit: (record) => void record.severityNumber }) } });
  void sink;
  // @ts-expect-error scope is a string
  otelSink({ scope: 1 });
}
