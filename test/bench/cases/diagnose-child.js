"use strict";
// Case 7, run in a fresh process: the cost of a captured throw 5 app frames deep, and the time to
// render its annotated traceback, either plain or colored (one per process, so that the first
// render is cold: it includes loading the parser and the highlighter). Prints one JSON line.
// node test/bench/cases/diagnose-child.js <throws> <plain|colored>

const { startCapture, stopCapture, getCapture, formatException } = require("logsight/diagnose");

// The app stack at each throw is exactly 5 frames: measureInCallback > timeThrows > placeOrder >
// priceOrder > checkTotal (it runs from setImmediate, below which there are only node: frames).
function checkTotal(order) {
  const total = order.quantity * (order.unitPrice - order.off);
  if (total > 0) throw new RangeError(`total ${total} is over the limit`);
  return total;
}

function priceOrder(order) {
  const coupon = { code: "SPRING", off: 1 };
  return checkTotal({ ...order, off: coupon.off });
}

function placeOrder(quantity) {
  const order = { sku: "A-1", quantity, unitPrice: 3 };
  return priceOrder({ ...order, lines: [order.sku] });
}

function timeThrows(count) {
  const errors = new Array(count);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    try {
      placeOrder(i + 1);
    } catch (error) {
      errors[i] = error;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (errors.some((error) => error === undefined)) throw new Error("placeOrder did not throw");
  return { errors, usPerThrow: ns / count / 1e3 };
}

function timeRenders(errors, colorize) {
  const options = { colorize, diagnose: true, backtrace: true };
  const firstStart = process.hrtime.bigint();
  const first = formatException(errors[0], options);
  const firstMs = Number(process.hrtime.bigint() - firstStart) / 1e6;
  const start = process.hrtime.bigint();
  for (let i = 1; i < errors.length; i++) formatException(errors[i], options);
  const msPerRender = Number(process.hrtime.bigint() - start) / 1e6 / (errors.length - 1);
  return { firstMs, msPerRender, text: first };
}

function measureInCallback() {
  const throws = Number(process.argv[2] || 200);
  timeThrows(20);
  const uncaptured = timeThrows(throws);

  startCapture({ mode: "all", rate: 1e9 });
  timeThrows(20);
  const captured = timeThrows(throws);
  const capturedCount = captured.errors.filter((error) => getCapture(error) !== undefined).length;
  stopCapture();

  const colorize = process.argv[3] === "colored";
  const rendered = timeRenders(captured.errors, colorize);
  const plainText = colorize ? rendered.text.replace(/\x1b\[[0-9;]*m/g, "") : rendered.text;
  const appFrames = plainText.split("\n").filter((line) => /^[ >] File "(?!node:)/.test(line)).length;
  const annotated = plainText.includes("└");

  process.stdout.write(JSON.stringify({
    throws,
    usPerThrowUncaptured: uncaptured.usPerThrow,
    usPerThrowCaptured: captured.usPerThrow,
    captured: capturedCount,
    frames: appFrames,
    annotated,
    colorize,
    firstRenderMs: rendered.firstMs,
    msPerRender: rendered.msPerRender,
    sample: plainText,
  }) + "\n");
}

setImmediate(measureInCallback);
