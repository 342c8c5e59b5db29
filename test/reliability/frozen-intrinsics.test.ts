import { test } from "node:test";
import assert from "node:assert/strict";
import { runScript } from "../helpers";

// SES's lockdown() and hardened runtimes freeze the intrinsics; Error's stack settings cannot be set.
const program = `const { logger } = require("logsight");
logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{name}:{function}:{line} | {message}", colorize: false, diagnose: true });
Object.freeze(Error);
function charge(card) {
  if (!card.valid) throw new TypeError("card declined");
}
function checkout() {
  logger.info("checking out");
  try {
    charge({ valid: false });
  } catch (error) {
    logger.exception("payment failed");
    logger.error("again", error);
  }
}
checkout();
function audit() {
  logger.opt({ depth: 1 }).info("from the caller's caller");
}
function refund() {
  audit();
}
refund();
const { errorPage } = require("logsight/diagnose");
const page = errorPage(new Error("page"), { accept: "application/json", diagnose: true });
process.stdout.write("page: " + page.status + " " + page.format + " " + JSON.parse(page.body).exception.frames.length + "\\n");
`;

test("Object.freeze(Error): logging calls still write every line, with their caller, and tracebacks", () => {
  const result = runScript(program, { name: "frozen-error", env: { LOGSIGHT_CAPTURE: "off" } });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, "");
  const lines = result.stdout.split("\n");
  assert.match(lines[0]!, /frozen-error[^:]*:checkout:9 \| checking out$/);
  assert.match(result.stdout, /:checkout:13 \| payment failed\n/);
  assert.match(result.stdout, /:checkout:14 \| again\nTraceback \(most recent call last\):/);
  assert.match(result.stdout, /in charge\n\s+if \(!card\.valid\) throw new TypeError\("card declined"\);/);
  assert.match(result.stdout, /TypeError: card declined\n/);
  assert.match(result.stdout, /frozen-error[^:]*:refund:22 \| from the caller's caller\n/);
  assert.match(result.stdout, /^page: 500 json [1-9]\d*$/m, "the error page is made too");
});
