import { test } from "node:test";
import assert from "node:assert/strict";
import { logger, type LogRecord } from "logsight";
import { isDefaultSecretName } from "logsight/diagnose";
import { collect, runNode, runScript } from "../helpers";

const CONFIG = () => ({ db: { host: "db.local", password: "pg-s3cr3t" }, retries: 3 });

test("the default names: the usual spellings of secrets match, ordinary names do not", () => {
  const secret = [
    "password", "Password", "PASSWORD", "passwd", "pwd", "passphrase", "db_password", "dbPassword", "userPassword",
    "secret", "clientSecret", "client_secret", "token", "accessToken", "refresh_token", "x-csrf-token", "authToken",
    "apiKey", "api_key", "API_KEY", "x-api-key", "apikey", "ApiKey", "authorization", "Authorization", "proxy-authorization",
    "auth", "cookie", "Cookie", "cookies", "set-cookie", "Set-Cookie", "session", "sessionId", "session_id", "sessionid",
    "privateKey", "private_key", "PRIVATE_KEY", "creditCard", "credit_card", "cardNumber", "card_number", "cvv", "credentials",
  ];
  const ordinary = ["user", "username", "host", "id", "tokens", "maxTokens", "tokenizer", "author", "key", "count", "description", "passage", "email", "url"];
  for (const name of secret) assert.equal(isDefaultSecretName(name), true, name);
  for (const name of ordinary) assert.equal(isDefaultSecretName(name), false, name);
});

test("serialize output: secret keys in extra (kwargs, bind, contextualize) show [redacted], nested ones too; the record stays as it was", () => {
  const lines: string[] = [];
  logger.remove();
  logger.add((line) => void lines.push(line), { serialize: true });
  const records: LogRecord[] = [];
  logger.add((_m, record) => void records.push(record), { format: "{message}" });
  logger
    .bind({ apiKey: "sk_live_ABC123" })
    .contextualize({ session: "s-42" }, () =>
      logger.bind({ apiKey: "sk_live_ABC123" }).info("login", { user: "ada", password: "hunter2", config: CONFIG(), "set-cookie": ["sid=1"] }),
    );
  const extra = JSON.parse(lines[0]).record.extra;
  assert.deepEqual(extra, {
    session: "[redacted]",
    apiKey: "[redacted]",
    user: "ada",
    password: "[redacted]",
    config: { db: { host: "db.local", password: "[redacted]" }, retries: 3 },
    "set-cookie": "[redacted]",
  });
  assert.doesNotMatch(lines[0], /hunter2|pg-s3cr3t|sk_live|s-42|sid=1/);
  assert.equal(records[0].extra.password, "hunter2");
});

test("text output: {extra}, {extra[key]} and message fields show [redacted] with the name visible", () => {
  const { messages } = collect({ format: "{message} | {extra} | {extra[password]} | {extra[config][db]}" });
  logger.info("login {user} with {password}, config {config}", { user: "ada", password: "hunter2", config: CONFIG() });
  assert.deepEqual(messages, [
    "login ada with [redacted], config { db: { host: 'db.local', password: '[redacted]' }, retries: 3 } | " +
      "{ user: 'ada', password: '[redacted]', config: { db: { host: 'db.local', password: '[redacted]' }, retries: 3 } } | " +
      "[redacted] | { host: 'db.local', password: '[redacted]' }\n",
  ]);
});

test("positional arguments, member access and non-string messages are masked inside", () => {
  const { messages } = collect({ format: "{message}" });
  logger.info("config {0} token {0.token} {1[db][password]}", { token: "t0k", n: 1 }, CONFIG());
  logger.info({ user: "ada", authorization: "Bearer abc" });
  logger.info("map {}", new Map([["password", "x"], ["user", "ada"]]));
  logger.info("list {}", [{ secret: "s" }, { ok: true }]);
  assert.deepEqual(messages, [
    "config { token: '[redacted]', n: 1 } token [redacted] [redacted]\n",
    "{ user: 'ada', authorization: '[redacted]' }\n",
    "map Map(2) { 'password' => '[redacted]', 'user' => 'ada' }\n",
    "list [ { secret: '[redacted]' }, { ok: true } ]\n",
  ]);
});

test("configure({ redact }) adds names and pino-style paths, case-insensitively", () => {
  try {
    logger.configure({ redact: ["ssn", "req.headers.x-tenant", "users[*].email"] });
    const { messages } = collect({ format: "{message} | {extra}" });
    logger.info("{SSN}", {
      SSN: "123-45-6789",
      req: { headers: { "X-Tenant": "acme", host: "h", Authorization: "Bearer z" } },
      users: [{ email: "a@b.c", name: "ada" }],
      email: "top-level stays",
    });
    assert.deepEqual(messages, [
      "[redacted] | { SSN: '[redacted]', req: { headers: { 'X-Tenant': '[redacted]', host: 'h', Authorization: '[redacted]' } }, " +
        "users: [ { email: '[redacted]', name: 'ada' } ], email: 'top-level stays' }\n",
    ]);
  } finally {
    logger.configure({ redact: [] });
  }
});

test("a handler's redact adds to the logger's for that handler only, message included; redact: false masks nothing", () => {
  logger.remove();
  const own: string[] = [];
  const plain: string[] = [];
  const raw: string[] = [];
  logger.add((m) => void own.push(m), { format: "{message} {extra}", redact: ["ssn"] });
  logger.add((m) => void plain.push(m), { format: "{message} {extra}" });
  logger.add((m) => void raw.push(m), { format: "{message} {extra}", redact: false });
  logger.info("ssn {ssn}", { ssn: "123", password: "pw" });
  assert.deepEqual(own, ["ssn [redacted] { ssn: '[redacted]', password: '[redacted]' }\n"]);
  assert.deepEqual(plain, ["ssn 123 { ssn: '123', password: '[redacted]' }\n"]);
  assert.deepEqual(raw, ["ssn 123 { ssn: '123', password: 'pw' }\n"]);
});

test("configure({ redact: false }) turns the default names off", () => {
  try {
    logger.configure({ redact: false });
    const { messages } = collect({ format: "{message} {extra}" });
    logger.info("{password}", { password: "pw" });
    assert.deepEqual(messages, ["pw { password: 'pw' }\n"]);
  } finally {
    logger.configure({ redact: [] });
  }
});

test("invalid redact values are refused, naming the option and the value", () => {
  assert.throws(() => logger.add(() => {}, { redact: "password" as unknown as string[] }), /Invalid redact "password" for add\(\): it should be an array/);
  assert.throws(() => logger.configure({ redact: [1 as unknown as string] }), /Invalid redact entry 1 for configure\(\): it should be a name or a path/);
  assert.throws(() => logger.configure({ redact: ["a[b"] }), /Invalid redact entry "a\[b" for configure\(\): unclosed '\['/);
});

test("LOGSIGHT_REDACT adds names and paths; LOGSIGHT_REDACT=false turns masking off", () => {
  const code = `const { logger } = require("logsight"); logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{message} {extra}" });
logger.info("x", { ssn: "1", req: { body: { card: "4111" } }, token: "t" });`;
  const added = runNode(code, { env: { LOGSIGHT_REDACT: "ssn, req.body.card" } });
  assert.equal(added.stdout, "x { ssn: '[redacted]', req: { body: { card: '[redacted]' } }, token: '[redacted]' }\n", added.stderr);
  const off = runNode(code, { env: { LOGSIGHT_REDACT: "false" } });
  assert.equal(off.stdout, "x { ssn: '1', req: { body: { card: '4111' } }, token: 't' }\n", off.stderr);
  const bad = runNode(code, { env: { LOGSIGHT_REDACT: "a[b" } });
  assert.match(bad.stderr, /Invalid environment variable LOGSIGHT_REDACT="a\[b": unclosed '\['/);
});

test("a sink error report shows the record's extra redacted", () => {
  const result = runNode(`const { logger } = require("logsight"); logger.remove();
logger.add(() => { throw new Error("sink down"); }, { format: "{message}" });
logger.info("x", { password: "hunter2", user: "ada" });`);
  assert.match(result.stderr, /extra: \{ password: '\[redacted\]', user: 'ada' \}/);
  assert.doesNotMatch(result.stderr, /hunter2/);
});

test("traceback annotations: secret variables, members and nested keys show [redacted]", () => {
  const result = runScript(`const { logger } = require("logsight"); logger.remove();
logger.add((m) => process.stdout.write(m), { format: "{message}", colorize: false, diagnose: true, redact: ["card"] });
function charge(apiKey, config, card, amount) {
  if (amount > 100 && apiKey && card.number) throw new RangeError("over limit at " + config.db.host + ", " + config.db.password.length);
}
const input = JSON.parse(process.env.INPUT);
try {
  charge(input.apiKey, input.config, input.card, 500);
} catch (error) {
  logger.exception("charge failed", error);
}`, { env: { INPUT: JSON.stringify({ apiKey: "sk_live_ABC123", config: { db: { host: "db.local", password: "pg-s3cr3t" } }, card: { number: "4111111111111111" } }) } });
  assert.equal(result.status, 0, result.stderr);
  const out = result.stdout;
  assert.doesNotMatch(out, /sk_live_ABC123|pg-s3cr3t|4111111111111111/);
  assert.match(out, /\{ db: \{ host: 'db\.local', password: '\[redacted\]' \} \}/);
  assert.match(out, /└ \[redacted\]/);
  assert.match(out, /└ \{ apiKey: '\[redacted\]', config: \{ db: \[Object\] \}, card: '\[redacted\]' \}\n/);
  assert.match(out, /└ 'db\.local'/);
  assert.match(out, /└ 500/);
  assert.match(out, /RangeError: over limit at db\.local, 9\n$/);
});

test('serialize: "pino" lines carry extra with secret keys redacted', () => {
  const lines: string[] = [];
  logger.remove();
  logger.add((line) => void lines.push(line), { serialize: "pino" });
  logger.info("login", { user: "ada", password: "hunter2", config: CONFIG() });
  logger.remove();
  const line = JSON.parse(lines[0]);
  assert.equal(line.user, "ada");
  assert.equal(line.password, "[redacted]");
  assert.deepEqual(line.config, { db: { host: "db.local", password: "[redacted]" }, retries: 3 });
  assert.doesNotMatch(lines[0], /hunter2|pg-s3cr3t/);
});

test("text output: no secret is shown past the mask's budget; util.inspect shows every key, so every key is looked at", () => {
  const { messages } = collect({ format: "{message} | {extra}" });
  const wide: { [key: string]: unknown } = {};
  for (let i = 0; i < 300; i++) wide["k" + i] = i;
  wide.password = "hunter2";
  const nested: { [key: string]: unknown } = {};
  for (let i = 0; i < 300; i++) nested["k" + i] = { password: "hunter2" };
  // 90 items of 25 objects each: past the walk's budget of objects.
  const many = Array.from({ length: 90 }, () => {
    const item: { [key: string]: unknown } = { pw: { password: "hunter2" } };
    for (let i = 0; i < 24; i++) item["o" + i] = { n: i };
    return item;
  });
  logger.info("wide {}", wide);
  logger.info("wide", { cfg: wide });
  logger.info("nested {}", nested);
  logger.info("many {}", many);
  logger.info("deep %o", { a: { b: { c: { d: { password: "hunter2" } } } } });
  assert.equal(messages.length, 5);
  for (const message of messages) assert.doesNotMatch(message, /hunter2/);
  assert.match(messages[0], /k299: 299, password: '\[redacted\]' \}/);
  assert.equal(messages[2].match(/password: '\[redacted\]'/g)?.length, 300);
  assert.match(messages[3], /\[too large to mask\]/);
  assert.match(messages[4], /^deep \{ a: \{ b: \{ c: \{ d: \{ password: '\[redacted\]' \} \} \} \} \}/);
});

test("text output: a Proxy is shown as Proxy [Object], never its target, which cannot be masked without running its traps; redact: false shows the target", () => {
  logger.remove();
  const masked: string[] = [];
  const raw: string[] = [];
  logger.add((m) => void masked.push(m), { format: "{message} | {extra}" });
  logger.add((m) => void raw.push(m), { format: "{message} | {extra}", redact: false });
  const secret = () => new Proxy({ password: "hunter2" }, {});
  logger.info("field {}", secret());
  logger.info("kwargs", { p: secret(), list: new Proxy([1], {}) });
  logger.info(secret());
  logger.info("appended", 1, secret());
  logger.info("printf %o", secret());
  assert.deepEqual(masked, [
    "field Proxy [Object] | {}\n",
    "kwargs | { p: Proxy [Object], list: Proxy [Array] }\n",
    "Proxy [Object] | {}\n",
    "appended 1 Proxy [Object] | {}\n",
    "printf Proxy [Object] | {}\n",
  ]);
  assert.equal(raw[0], "field { password: 'hunter2' } | {}\n");
});
