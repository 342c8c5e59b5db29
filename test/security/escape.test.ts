import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { logger } from "logsight";
import { collect, tempDir } from "../helpers";

const FORGED = "ada\n2026-11-27 10:00:00.000 | INFO     | app:login:12 - User admin logged in";
const TERMINAL = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m";
const OTHERS = "nul\x00 cr\r del\x7f c1\x9b bidi\u202eevil\u202c iso\u2066x\u2069 ls\u2028 tab\tkept";

function shown(options: object, call: () => void): string[] {
  const { messages } = collect(options);
  call();
  logger.remove();
  return messages;
}

test("text from arguments cannot start a forged line or send control sequences: each is escaped visibly", () => {
  const messages = shown({ format: "{message}" }, () => {
    logger.info("login failed for {}", FORGED);
    logger.info("title {user}", { user: TERMINAL });
    logger.info("others {}", OTHERS);
  });
  assert.deepEqual(messages, [
    "login failed for ada\\n2026-11-27 10:00:00.000 | INFO     | app:login:12 - User admin logged in\n",
    "title \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\x1b[0m\n",
    "others nul\\x00 cr\\r del\\x7f c1\\x9b bidi\\u202eevil\\u202c iso\\u2066x\\u2069 ls\\u2028 tab\tkept\n",
  ]);
});

test("the developer's own template is not touched; appended, printf and non-string messages are escaped", () => {
  const messages = shown({ format: "{message}" }, () => {
    logger.info("two\nlines {}", "x\ny");
    logger.info("user %s", "a\nb");
    logger.info("count:", "1\n2");
    logger.info(["a\u202eb"]);
    logger.info("no arguments\n\x1b[1mbold\x1b[0m");
  });
  assert.deepEqual(messages, [
    "two\nlines x\\ny\n",
    "user a\\nb\n",
    "count: 1\\n2\n",
    "[ 'a\\u202eb' ]\n",
    "no arguments\n\x1b[1mbold\x1b[0m\n",
  ]);
});

test("extra fields in a format are escaped: {extra[key]} and {extra}", () => {
  const messages = shown({ format: "{message} user={extra[user]} {extra}" }, () => {
    logger.bind({ user: "ada\r\nINFO fake" }).info("hi");
  });
  assert.deepEqual(messages, ["hi user=ada\\r\\nINFO fake { user: 'ada\\r\\nINFO fake' }\n"]);
});

test("a text file and a colored terminal get one escaped line per call", () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, "app.log");
    const written: string[] = [];
    logger.remove();
    logger.add(file, { format: "{level} | {message}" });
    logger.add({ write: (text: string) => void written.push(text) }, { format: "<red>{level}</red> {message}", colorize: true });
    logger.info("login failed for {}", FORGED);
    logger.info("title {}", TERMINAL);
    logger.remove();
    const lines = fs.readFileSync(file, "utf8").split("\n");
    assert.deepEqual(lines, [
      "INFO | login failed for ada\\n2026-11-27 10:00:00.000 | INFO     | app:login:12 - User admin logged in",
      "INFO | title \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\x1b[0m",
      "",
    ]);
    // The handler's own colors are the only escape sequences written to the terminal.
    assert.deepEqual(written, [
      "\x1b[31mINFO\x1b[0m login failed for ada\\n2026-11-27 10:00:00.000 | INFO     | app:login:12 - User admin logged in\n",
      "\x1b[31mINFO\x1b[0m title \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\x1b[0m\n",
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("escape: false writes the raw text; serialize stays exact JSON; the record keeps the raw message", () => {
  logger.remove();
  const raw: string[] = [];
  const json: string[] = [];
  const messages: string[] = [];
  logger.add((m) => void raw.push(m), { format: "{message} {extra[user]}", escape: false });
  logger.add((m) => void json.push(m), { format: "{message}", serialize: true });
  logger.add((_m, record) => void messages.push(record.message), { format: "{message}" });
  logger.info("login failed for {}", FORGED, { user: TERMINAL });
  logger.remove();
  assert.deepEqual(raw, [`login failed for ${FORGED} ${TERMINAL}\n`]);
  const parsed = JSON.parse(json[0]);
  assert.equal(parsed.text, `login failed for ${FORGED}\n`);
  assert.equal(parsed.record.message, `login failed for ${FORGED}`);
  assert.equal(parsed.record.extra.user, TERMINAL);
  assert.equal(json[0].split("\n").length, 2);
  assert.deepEqual(messages, [`login failed for ${FORGED}`]);
});

test("an invalid escape option is refused, naming the option and the value", () => {
  assert.throws(() => logger.add(() => {}, { escape: "no" as unknown as boolean }), /Invalid escape "no": it should be a boolean/);
});
