import { test } from "node:test";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { describeValue } from "../../diagnose/values";

/** One request to a plain Node server; `inspect` runs inside the handler with the live objects. */
async function duringRequest<T>(inspect: (req: IncomingMessage, res: ServerResponse) => T): Promise<T> {
  let result: T | undefined;
  const server = createServer((req, res) => {
    result = inspect(req, res);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await fetch(`http://127.0.0.1:${port}/items/7?full=1`, { method: "PUT", body: "x" });
  await new Promise((resolve) => server.close(resolve));
  return result as T;
}

test("a request and a response show as one-line summaries, not their sockets", async () => {
  const [req, res] = await duringRequest((req, res) => {
    res.statusCode = 201;
    return [describeValue(req), describeValue(res)];
  });
  assert.equal(req, "IncomingMessage { method: 'PUT', url: '/items/7?full=1' }");
  assert.equal(res, "ServerResponse { statusCode: 201 }");
});

test("a response keeps Node's default status; route params and wrappers (request.raw) are summarised too", async () => {
  const shown = await duringRequest((req, res) => {
    Object.assign(req, { params: { id: "7" }, originalUrl: "/api/items/7?full=1" });
    return [describeValue(res), describeValue({ raw: req, params: { id: "7" } } as object), describeValue({ raw: res })];
  });
  assert.deepEqual(shown, [
    "ServerResponse { statusCode: 200 }",
    "IncomingMessage { method: 'PUT', url: '/api/items/7?full=1', params: { id: '7' } }",
    "ServerResponse { statusCode: 200 }",
  ]);
});

test("summaries read data properties only: no getter runs", async () => {
  let reads = 0;
  const shown = await duringRequest((req) => {
    Object.defineProperty(req, "url", { get: () => (reads++, "/secret"), configurable: true });
    return describeValue(req);
  });
  assert.equal(shown, "IncomingMessage { method: 'PUT', url: undefined }");
  assert.equal(reads, 0);
});

test("a value that is no request or response is shown without loading node:http (a capture previews values while the program waits)", () => {
  const script = [
    'const { describeValue } = require("./diagnose/values");',
    "class IncomingMessage { constructor() { this.method = 'GET'; this.socket = 1; } }",
    "const plain = [describeValue({ a: 1 }), describeValue([1, 2]), describeValue({ raw: { b: 2 } }), describeValue(new Map([[1, {}]]))];",
    'const loadedForPlain = process.moduleLoadList.includes("NativeModule http");',
    "const named = describeValue(new IncomingMessage());",
    "process.stdout.write(JSON.stringify({ plain, loadedForPlain, named }));",
  ].join("\n");
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: path.resolve(__dirname, "..", ".."), encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  const { plain, loadedForPlain, named } = JSON.parse(result.stdout) as { plain: string[]; loadedForPlain: boolean; named: string };
  assert.deepEqual(plain, ["{ a: 1 }", "[ 1, 2 ]", "{ raw: { b: 2 } }", "Map(1) { 1 => {} }"]);
  assert.equal(loadedForPlain, false);
  // A class that is only named like node's is checked against node:http and shown as itself.
  assert.equal(named, "IncomingMessage { method: 'GET', socket: 1 }");
});

test("query values under secret-looking names are masked in a request's url", async () => {
  const shown = await duringRequest((req) => {
    Object.assign(req, { originalUrl: "/login?user=ada&access_token=abc%20d&page=2&api-key=k1#top" });
    return describeValue(req);
  });
  assert.equal(shown, "IncomingMessage { method: 'PUT', url: '/login?user=ada&access_token=[redacted]&page=2&api-key=[redacted]#top' }");
});
