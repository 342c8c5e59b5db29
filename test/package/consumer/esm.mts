import logger, { logger as named, Logger } from "logsight";
import { otelSink } from "logsight/otel";
import { formatException } from "logsight/diagnose";
import { NestLogger } from "logsight/nest";
import { requestLogger, errorLogger } from "logsight/express";
import { construct, exercise, integrations, otel } from "./checks.js";

const same: typeof named = logger;
exercise(same, formatException);
construct(Logger);
integrations(logger, NestLogger, { requestLogger, errorLogger });
otel(otelSink);
