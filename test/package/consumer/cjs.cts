import logsight = require("logsight");
import diagnose = require("logsight/diagnose");
import { construct, exercise } from "./checks.js";

exercise(logsight.logger, diagnose.formatException);
construct(logsight.Logger);
