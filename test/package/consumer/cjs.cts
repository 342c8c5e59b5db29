import logsight = require("logsight");
import otelModule = require("logsight/otel");
import diagnose = require("logsight/diagnose");
import nest = require("logsight/nest");
import express = require("logsight/express");
import { construct, exercise, integrations, otel } from "./checks.js";

exercise(logsight.logger, diagnose.formatException);
construct(logsight.Logger);
integrations(logsight.logger, nest.NestLogger, express);
otel(otelModule.otelSink);
