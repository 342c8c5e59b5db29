import logger, { logger as named, Logger } from "logsight";
import { formatException } from "logsight/diagnose";
import { construct, exercise } from "./checks.js";

const same: typeof named = logger;
exercise(same, formatException);
construct(Logger);
