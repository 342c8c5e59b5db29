import { test } from "node:test";
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
