import logsight = require("logsight");
import diagnose = require("logsight/diagnose");
import nest = require("logsight/nest");
import express = require("logsight/express");
import { construct, exercise, integrations } from "./checks.js";

exercise(logsight.logger, diagnose.formatException);
construct(logsight.Logger);
integrations(logsight.logger, nest.NestLogger, express);
