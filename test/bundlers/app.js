// A program as a user would bundle it: each feature that loads files or native code at run time.
const { logger } = require("logsight");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "logsight-bundle-"));
logger.remove();
const results = {};

function attempt(name, add) {
  try {
    add();
    results[name] = "added";
  } catch (error) {
    results[name] = `refused: ${error.message}`;
  }
}

attempt("enqueue", () => logger.add(path.join(dir, "queued.log"), { enqueue: true, format: "{message}" }));
for (const format of ["gz", "zip", "xz", "tar.bz2"]) {
  attempt(format, () => logger.add(path.join(dir, `${format.replace(".", "-")}.log`), { compression: format, format: "{message}" }));
}
const seen = [];
logger.add((message) => void seen.push(message), { format: "{message}", diagnose: true });

function priceOf(cart, coupon) {
  const percent = coupon.percent;
  if (percent > 100) throw new RangeError(`bad coupon ${coupon.code}`);
  return cart.total * (1 - percent / 100);
}

logger.info("hello from the bundle");
try {
  priceOf({ total: 30 }, { code: "SPRING", percent: 120 });
} catch (error) {
  logger.exception("Payment failed");
}

logger.complete().then(() => {
  logger.remove();
  // Compression runs after a handler stops: wait until every compressed file has replaced its log.
  const started = Date.now();
  const report = () => {
    const files = fs.readdirSync(dir).sort();
    const pending = files.some((name) => name.endsWith(".log") && name !== "queued.log");
    if (pending && Date.now() - started < 30_000) return void setTimeout(report, 20);
    process.stdout.write(JSON.stringify({ dir, results, files, seen }) + "\n");
  };
  report();
});
