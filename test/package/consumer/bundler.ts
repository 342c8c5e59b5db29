import logger, { Logger } from "logsight";
import { formatException } from "logsight/diagnose";
import { construct, exercise } from "./checks.js";

exercise(logger, formatException);
construct(Logger);
