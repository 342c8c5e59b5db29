import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot, tempDir } from "../helpers";
import { colorStats, decodePng } from "./png";

// The error page of logsight/express, loaded from a running Express app by headless Chromium.
const app = `
const { logger } = require("logsight");
const { requestLogger, errorLogger } = require("logsight/express");
const express = require("express");
logger.remove();
logger.add(() => {}, { diagnose: true }); // a handler that shows values: the page is served

const PAYLOAD = "<img src=x onerror=\\"document.title='pwned';document.body.dataset.pwned='yes'\\">";

function priceOf(order, coupon) {
  const apiKey = process.env.SHOP_API_KEY;
  const subtotal = order.items.reduce((sum, item) => sum + item.price * item.qty, 0);
  const rule = new Error("rule " + PAYLOAD + "</script>");
  if (coupon.percent > 100) throw new RangeError("coupon " + coupon.code + " takes off more than the price " + PAYLOAD, { cause: rule });
  return subtotal * (1 - coupon.percent / 100);
}

function checkout(order, coupon) {
  const total = priceOf(order, coupon);
  return { id: order.id, total };
}

const app = express();
app.use(requestLogger());
app.get("/orders/:orderId/charge", (req, res) => {
  const order = { id: req.params.orderId, items: [{ sku: "tea", price: 4, qty: 2 }], note: PAYLOAD + "</script>" };
  const coupon = { code: req.query.coupon, percent: 120 };
  res.json(checkout(order, coupon));
});
app.use(errorLogger());

const server = app.listen(0, "127.0.0.1", () => process.stdout.write(server.address().port + "\\n"));
process.stdin.resume();
process.stdin.on("end", () => server.close());
`;

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

function findChromium(): string {
  const candidates = process.env.CHROMIUM !== undefined ? [process.env.CHROMIUM] : CHROMIUM_CANDIDATES;
  const found = candidates.find((file) => fs.existsSync(file));
  if (found === undefined) {
    assert.fail(`Chromium was not found (${candidates.join(", ")}): install Debian's chromium package (apt-get install -y chromium), as .ci/run does, or set CHROMIUM to its path`);
  }
  return found;
}

function chromium(binary: string, args: string[]): Promise<string> {
  const profile = tempDir("logsight-chromium-");
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    `--user-data-dir=${profile}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(binary, [...flags, ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      fs.rmSync(profile, { recursive: true, force: true });
      if (error) reject(new Error(`${binary} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

async function startApp(): Promise<{ base: string; stop: () => void }> {
  const dir = path.join(repoRoot, "test", ".tmp");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `error-page-browser-${process.pid}.js`);
  fs.writeFileSync(file, app);
  const child = spawn(process.execPath, [file], { cwd: repoRoot, env: { ...process.env, NODE_ENV: "development", SHOP_API_KEY: "k-live-9f8e" }, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`the app exited (${code}): ${stderr}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => {
      child.stdin.end();
      child.kill();
      fs.rmSync(file, { force: true });
    },
  };
}

test("headless Chromium shows the error page: frames, values, redaction, no injected markup, not blank", async () => {
  const binary = findChromium();
  assert.equal(spawnSync(binary, ["--version"], { encoding: "utf8" }).status, 0, `${binary} --version failed`);
  const { base, stop } = await startApp();
  const out = tempDir("logsight-page-shot-");
  try {
    const url = `${base}/orders/9/charge?coupon=SPRING&token=t0k3n`;
    const dom = await chromium(binary, ["--dump-dom", url]);

    // What the browser built from the page, after anything on it could have run.
    assert.match(dom, /<title>RangeError: coupon SPRING takes off more than the price &lt;img src=x onerror=.*<\/title>/, "the title is the error's, not the payload's");
    assert.doesNotMatch(dom, /<body[^>]*data-pwned/, "the payload did not run");
    assert.doesNotMatch(dom, /<title>pwned<\/title>/, "the payload did not run");
    assert.doesNotMatch(dom, /<img/i, "the payload is no element");
    assert.doesNotMatch(dom, /<script/i, "the page has no script, and </script> in a value closed nothing");
    assert.ok(dom.includes("&lt;img src=x onerror=\"document.title='pwned';document.body.dataset.pwned='yes'\"&gt;&lt;/script&gt;"), "the payload is shown as text");

    assert.match(dom, /<h1 id="error-type">RangeError<\/h1>/);
    const appFrames = [...dom.matchAll(/<details class="frame app"( open(?:="")?)?>\s*<summary><span class="fn">([^<]+)<\/span>/g)].map((m) => `${m[2]}${m[1] === undefined ? "" : " open"}`);
    assert.deepEqual(appFrames.slice(0, 3), ["priceOf open", "checkout", "&lt;anonymous&gt;"], "app frames innermost first, the first open");
    assert.match(dom, /<details class="dependencies"><summary>\d+ frames in router, [^<]*express<\/summary>/, "Express's frames folded");
    assert.match(dom, /<span class="row hl"><span class="n">\s*\d+<\/span>\s*<span class="t-keyword">if<\/span>/, "the line that threw, highlighted");
    assert.match(dom, /<span class="arrows">[ │]*└ <\/span><span class="val">120<\/span>/, "coupon.percent annotated");
    assert.match(dom, /<td class="name">subtotal<\/td><td class="scope">local<\/td><td class="value">8<\/td>/, "a variable's value at the throw");
    assert.match(dom, /<td class="name">apiKey<\/td><td class="scope">local<\/td><td class="value">\[redacted\]<\/td>/, "a secret variable masked");
    assert.ok(!dom.includes("k-live-9f8e") && !dom.includes("t0k3n"), "no secret in the page");
    assert.match(dom, /url<\/td><td class="value">\/orders\/9\/charge\?coupon=SPRING&amp;token=\[redacted\]<\/td>/);
    assert.match(dom, /Caused by: <span class="type">Error<\/span>/);
    assert.match(dom, /<td class="name">user-agent<\/td><td class="value">[^<]*HeadlessChrome/, "the request's headers, as the browser sent them");

    const shot = path.join(out, "page.png");
    await chromium(binary, ["--window-size=1200,1500", `--screenshot=${shot}`, url]);
    const pixels = decodePng(fs.readFileSync(shot));
    assert.equal(pixels.width, 1200);
    const { distinct, notBackground } = colorStats(pixels);
    assert.ok(distinct >= 50, `the screenshot has ${distinct} colors: blank or nearly`);
    assert.ok(notBackground >= 0.05, `only ${(notBackground * 100).toFixed(1)}% of the screenshot differs from its background`);
    if (process.env.ERROR_PAGE_SCREENSHOT !== undefined) fs.copyFileSync(shot, process.env.ERROR_PAGE_SCREENSHOT);
  } finally {
    stop();
    fs.rmSync(out, { recursive: true, force: true });
  }
});
