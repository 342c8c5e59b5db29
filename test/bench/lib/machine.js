"use strict";

const os = require("node:os");

function describeMachine() {
  const cpus = os.cpus();
  const model = cpus.length > 0 ? cpus[0].model.trim() : "unknown cpu";
  const versions = ["logsight", "pino", "pino-caller", "winston", "log4js", "tslog", "bunyan"].map((name) => `${name} ${packageVersion(name)}`).join(", ");
  return [
    `machine: ${model}, ${cpus.length} cores (available parallelism ${os.availableParallelism()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
    `node ${process.version} (v8 ${process.versions.v8}); ${versions}`,
    describeLoad(),
  ];
}

/** Other work on the machine skews every number: say how busy it was. */
function describeLoad() {
  const [one, five] = os.loadavg();
  return `load average: ${one.toFixed(2)} (1 min), ${five.toFixed(2)} (5 min) on ${os.cpus().length} cores`;
}

function packageVersion(name) {
  try {
    return require(`${name}/package.json`).version;
  } catch {
    return "not installed";
  }
}

module.exports = { describeMachine, describeLoad };
