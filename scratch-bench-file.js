const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { logger } = require("logsight");
const pino = require("pino");
const N = 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
logger.remove();
function runLogsight(opts) {
  const file = path.join(dir, "ls.log");
  const id = logger.add(file, { format: "{time} {level} {message}", ...opts });
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.info("hello world");
  logger.remove(id);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  fs.rmSync(file, { force: true });
  return N / s;
}
function runPino() {
  const file = path.join(dir, "pino.log");
  const log = pino(pino.destination({ dest: file, sync: true }));
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) log.info("hello world");
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  fs.rmSync(file, { force: true });
  return N / s;
}
const mode = process.argv[2] || "plain";
const opts = mode === "rotation" ? { rotation: "1 GB" } : mode === "buffered" ? { buffering: 65536 } : {};
for (let round = 0; round < 3; round++) {
  const a = runLogsight(opts), b = runPino();
  console.log(`round ${round} ${mode}: logsight ${Math.round(a)} lines/s, pino sync ${Math.round(b)} lines/s, ratio ${(a / b).toFixed(2)}`);
}
fs.rmSync(dir, { recursive: true, force: true });
