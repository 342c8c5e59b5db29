import { test } from "node:test";
import assert from "node:assert/strict";
import { errorPage } from "logsight/diagnose";
import { preferredFormat } from "../../diagnose/page/negotiate";
import { escapeHtml } from "../../diagnose/page/escape";
import { runNode } from "../helpers";

test("Accept: HTML or JSON when named, the higher quality first; anything else gets the status text", () => {
  const table: [string | undefined, string][] = [
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"],
    ["application/json, text/plain, */*", "json"],
    ["application/problem+json", "json"],
    ["text/html;q=0.5, application/json", "json"],
    ["application/json;q=0.5, text/html;q=0.9", "html"],
    ["text/html, application/json", "html"],
    ["text/html;q=0", "text"],
    ["*/*", "text"],
    ["text/plain", "text"],
    ["", "text"],
    [undefined, "text"],
  ];
  for (const [accept, format] of table) assert.equal(preferredFormat(accept), format, String(accept));
});

test("escaping: markup characters become entities, invisible controls visible escapes", () => {
  assert.equal(escapeHtml(`<img src=x onerror="a('b')">&</script>`), "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;&lt;/script&gt;");
  assert.equal(escapeHtml("a\u202eb\x1b[31m\tc\nd"), "a\\u202eb\\x1b[31m\tc\nd");
});

test("errorPage() reads the error and the request without running a getter or a proxy trap", () => {
  let runs = 0;
  const count = (value: unknown) => () => {
    runs++;
    return value;
  };
  const error = new TypeError("declined");
  Object.defineProperty(error, "status", { get: count(402), enumerable: true });
  Object.defineProperty(error, "detail", { get: count("x"), enumerable: true });
  const request = {
    method: "POST",
    url: "/pay?session=s1",
    rawHeaders: ["Accept", "application/json", "Cookie", "sid=1", "X-Trace", "t-9"],
    params: { id: "3" },
  };
  Object.defineProperty(request, "body", { get: count({ card: "4111" }), enumerable: true });
  Object.defineProperty(request, "query", { get: count({ session: "s1" }), enumerable: true });
  Object.defineProperty(request.params, "lazy", { get: count("p"), enumerable: true });
  const trap = new Proxy({}, { get: count(1), ownKeys: count([]), getOwnPropertyDescriptor: count(undefined) });
  Object.assign(error, { trap });

  const page = errorPage(error, { request, diagnose: true });
  assert.equal(runs, 0, "no getter or trap ran");
  assert.equal(page.status, 500, "a status behind a getter is not read");
  assert.equal(page.format, "json");
  assert.equal(page.detailed, true);
  const model = JSON.parse(page.body) as {
    exception: { type: string; message: string; details: string; frames: { function: string; source: unknown; variables: unknown[] }[] };
    request: { url: string; params: unknown; query: unknown; headers: unknown; body: unknown };
  };
  assert.equal(model.exception.type, "TypeError");
  assert.equal(model.exception.message, "declined");
  assert.equal(model.exception.details, "{ trap: Proxy [Object] }", "accessors are left out of the details, a Proxy shown unopened");
  assert.ok(model.exception.frames.length > 0 && model.exception.frames[0]!.source !== null, "without a capture, the frames and source come from the stack");
  assert.deepEqual(model.exception.frames[0]!.variables, [], "no capture, no values");
  assert.equal(model.request.url, "/pay?session=[redacted]");
  assert.deepEqual(model.request.params, [{ name: "id", value: "3" }, { name: "lazy", value: "[Getter]" }]);
  assert.deepEqual(model.request.query, [{ name: "session", value: "[redacted]" }], "the query is read from the url, not the getter");
  assert.deepEqual(model.request.headers, [
    { name: "accept", value: "application/json" },
    { name: "cookie", value: "[redacted]" },
    { name: "x-trace", value: "t-9" },
  ]);
  assert.equal(model.request.body, null);
});

test("errorPage(): redact adds names; a value that is not an Error; an explicit status and Accept", () => {
  const page = errorPage("plain <b>text</b>", {
    request: { method: "GET", url: "/x?tenant=acme", headers: { "x-tenant": "acme" } },
    accept: "text/html",
    status: 418,
    redact: ["tenant", "request.headers.x-tenant"],
    diagnose: true,
  });
  assert.equal(page.status, 418);
  assert.equal(page.headers["content-type"], "text/html; charset=utf-8");
  assert.match(page.body, /<h1 id="error-type">Thrown string<\/h1>/);
  assert.match(page.body, /&#39;plain &lt;b&gt;text&lt;\/b&gt;&#39;/);
  assert.match(page.body, /<span class="status">418 I&#39;m a Teapot<\/span>/);
  assert.doesNotMatch(page.body, /acme/);
  assert.match(page.body, /x-tenant<\/td><td class="value">\[redacted\]/);
});

test("errorPage() with diagnose off shows the status alone, as JSON to a JSON client", () => {
  const error = new RangeError("secret detail");
  assert.deepEqual(errorPage(error, { accept: "application/json", diagnose: false }), {
    status: 500,
    format: "json",
    detailed: false,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
    body: '{"error":{"status":500,"message":"Internal Server Error"}}',
  });
  assert.equal(errorPage(error, { accept: "text/html", diagnose: false }).body, "Internal Server Error");
});

test("NODE_ENV=production wins over diagnose: true", () => {
  const result = runNode(
    `const { errorPage } = require("logsight/diagnose");
     const page = errorPage(new Error("secret detail"), { accept: "text/html", diagnose: true });
     console.log(JSON.stringify(page));`,
    { env: { NODE_ENV: "production" } },
  );
  assert.equal(result.status, 0, result.stderr);
  const page = JSON.parse(result.stdout) as { body: string; detailed: boolean; format: string };
  assert.equal(page.detailed, false);
  assert.equal(page.body, "Internal Server Error");
});

test("the page's code loads only when a page is made: not with logsight, logsight/express, or a production answer", () => {
  const result = runNode(`
    const pageModules = () => Object.keys(require.cache).filter((file) => /[\\\\/]diagnose[\\\\/]page[\\\\/]/.test(file)).map((file) => file.replace(/.*[\\\\/]page[\\\\/]/, "")).sort();
    require("logsight");
    require("logsight/express");
    const diagnose = require("logsight/diagnose");
    const atImport = pageModules();
    diagnose.errorPage(new Error("x"), { accept: "text/html", diagnose: false });
    const production = pageModules();
    diagnose.errorPage(new Error("x"), { accept: "text/html", diagnose: true });
    console.log(JSON.stringify({ atImport, production, development: pageModules() }));
  `);
  assert.equal(result.status, 0, result.stderr);
  const loaded = JSON.parse(result.stdout) as { atImport: string[]; production: string[]; development: string[] };
  assert.deepEqual(loaded.atImport, []);
  assert.ok(!loaded.production.includes("html.js") && !loaded.production.includes("model.js"), `production loads no page code: ${loaded.production}`);
  assert.ok(loaded.development.includes("html.js") && loaded.development.includes("model.js"));
});
