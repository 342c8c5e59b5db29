import logger, { Logger } from "logsight";
import { formatException } from "logsight/diagnose";
import { NestLogger } from "logsight/nest";
import { requestLogger, errorLogger } from "logsight/express";
import { construct, exercise, integrations } from "./checks.js";

exercise(logger, formatException);
construct(Logger);
integrations(logger, NestLogger, { requestLogger, errorLogger });
