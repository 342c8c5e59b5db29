"use strict";
// One measurement of the app-tax case in this (fresh) process; prints one JSON line:
// node test/bench/cases/app-tax-child.js <workload> <with-logsight: 0|1> [size]
// The capture mode comes from the environment the parent sets (LOGSIGHT_CAPTURE, ...).

const { workloads } = require("./app-tax-workloads");

async function main() {
  const [name, withLogsight, sizeText] = process.argv.slice(2);
  const workload = workloads.find((w) => w.name === name);
  if (workload === undefined) throw new Error(`unknown workload ${JSON.stringify(name)}; workloads: ${workloads.map((w) => w.name).join(", ")}`);
  const size = sizeText === undefined ? workload.size : Number(sizeText);
  let importNs = 0;
  let importCpuNs = 0;
  let capturing = false;
  if (withLogsight === "1") {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    require("logsight");
    importNs = Number(process.hrtime.bigint() - start);
    const cpu = process.cpuUsage(cpuStart);
    importCpuNs = (cpu.user + cpu.system) * 1000;
    capturing = require("logsight/diagnose").isCapturing();
  }
  await workload.run(Math.max(1, Math.floor(size / 10))); // warm-up: the JIT settles
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  await workload.run(size);
  const ns = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpuStart);
  const cpuNs = (cpu.user + cpu.system) * 1000;
  process.stdout.write(JSON.stringify({ workload: name, ns, cpuNs, importNs, importCpuNs, capturing }) + "\n");
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack || error}\n`);
  process.exitCode = 1;
});
