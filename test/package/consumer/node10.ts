import { logger, Logger } from "logsight";
import { formatException } from "logsight/diagnose";
import { construct, exercise } from "./checks";

exercise(logger, formatException);
construct(Logger);
