import * as fs from "node:fs";
import * as nodePath from "node:path";
import { pipeline } from "node:stream/promises";
import type { CompressionOption } from "../../types";
import { tarEnd, tarHeader, tarPadding } from "./archive";
import { describeValue } from "../../describe";
import { recordTimeAt, rotatedPath } from "./path";
import { nodeRequire } from "../../node-require";

/** Converts a closed log file; resolves once the result is complete and the original is gone. */
export type CompressLogFile = (path: string) => Promise<void>;

export interface LogFileCompression {
  readonly compress: CompressLogFile;
  /**
   * The same, synchronously, for the exit path where nothing asynchronous runs any more; absent
   * where there is no synchronous encoder (bz2, whose encoder runs in a worker, and functions).
   */
  readonly compressNow: ((path: string) => void) | null;
}

export const COMPRESSION_FORMATS = ["gz", "bz2", "xz", "lzma", "tar", "tar.gz", "tar.bz2", "tar.xz", "zip"] as const;
type Format = (typeof COMPRESSION_FORMATS)[number];

/** Bytes in, bytes out; each format's library is loaded when a sink asks for it, not before. */
type Compressor = (input: Buffer) => Promise<Buffer>;

/**
 * Turns the `compression` option into a function, loading the format's library now so that a
 * missing one fails at `add()` rather than at the first rotation.
 */
export function compileCompression(option: CompressionOption | null | undefined): LogFileCompression | null {
  if (option === null || option === undefined) return null;
  if (typeof option === "function") return { compress: async (path) => void (await option(path)), compressNow: null };
  if (typeof option !== "string" || !(COMPRESSION_FORMATS as readonly string[]).includes(option)) {
    throw new Error(
      `Invalid compression ${describeValue(option)}: expected one of ${COMPRESSION_FORMATS.join(", ")}, or a function`,
    );
  }
  const format = option as Format;
  let encode: (path: string) => Promise<Buffer>;
  try {
    encode = encoderFor(format);
  } catch (error) {
    const reason = String((error as Error).message).split("\n")[0];
    const hint = /bz2|xz|lzma/.test(format) ? "; a bundle loads it from node_modules where it runs" : "";
    throw new Error(`Invalid compression "${format}": its library cannot be loaded (${reason})${hint}`);
  }
  const encodeNow = syncEncoderFor(format);
  return {
    compress: (path) => replaceWithArchive(path, `${path}.${format}`, encode),
    compressNow: encodeNow === null ? null : (path) => replaceWithArchiveNow(path, `${path}.${format}`, encodeNow),
  };
}

function syncEncoderFor(format: Format): ((path: string) => Buffer) | null {
  const zlib = (): typeof import("node:zlib") => require("node:zlib") as typeof import("node:zlib");
  const xz = (): typeof import("@napi-rs/lzma").xz => (nodeRequire("@napi-rs/lzma") as typeof import("@napi-rs/lzma")).xz;
  switch (format) {
    case "gz":
      return (path) => zlib().gzipSync(fs.readFileSync(path));
    case "tar":
      return (path) => tarOf(path, fs.readFileSync(path));
    case "tar.gz":
      return (path) => zlib().gzipSync(tarOf(path, fs.readFileSync(path)));
    case "xz":
    case "lzma":
      return (path) => xz().compressSync(fs.readFileSync(path));
    case "tar.xz":
      return (path) => xz().compressSync(tarOf(path, fs.readFileSync(path)));
    case "zip":
      return (path) => {
        const fflate = require("fflate") as typeof import("fflate");
        return Buffer.from(fflate.zipSync({ [nodePath.basename(path)]: [fs.readFileSync(path), { level: 6, mtime: fs.statSync(path).mtimeMs }] }));
      };
    default:
      return null;
  }
}

function encoderFor(format: Format): (path: string) => Promise<Buffer> {
  switch (format) {
    case "gz":
      return (path) => gzipFile(path);
    case "tar":
      return async (path) => tarOf(path, await fs.promises.readFile(path));
    case "tar.gz": {
      const gzip = gzipBuffer();
      return async (path) => gzip(tarOf(path, await fs.promises.readFile(path)));
    }
    case "zip":
      return zipEncoder();
    default: {
      const compress = loadCompressor(format.replace("tar.", "") as "bz2" | "xz" | "lzma");
      const inTar = format.startsWith("tar.");
      return async (path) => {
        const content = await fs.promises.readFile(path);
        return compress(inTar ? tarOf(path, content) : content);
      };
    }
  }
}

function loadCompressor(format: "bz2" | "xz" | "lzma"): Compressor {
  return format === "bz2" ? bzip2Compressor() : xzCompressor();
}

/**
 * xz through `@napi-rs/lzma` (prebuilt per platform, compresses on libuv's thread pool). `.lzma`
 * gets the xz container too, as Python's `lzma` module (and so loguru) writes it; `xz -d` reads both.
 * Required here, so that a platform without a binding fails at `add()`; never bundled (native code).
 */
function xzCompressor(): Compressor {
  const { xz } = nodeRequire("@napi-rs/lzma") as typeof import("@napi-rs/lzma");
  return (input) => xz.compress(input);
}

/** Runs in a worker: the bzip2 encoder is WebAssembly and would hold the event loop for seconds. */
const BZIP2_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
require(workerData.modulePath)().then((bzip2) => {
  delete bzip2.then;
  const result = bzip2.compressBZ2(new Uint8Array(workerData.input), 9, 30);
  if (result.error !== 0) throw new Error("bzip2 compression failed with code " + result.error);
  const output = new Uint8Array(result.output);
  parentPort.postMessage(output, [output.buffer]);
});
`;

function bzip2Compressor(): Compressor {
  // The worker loads the encoder by path, so it comes from node_modules, never from a bundle.
  const modulePath = nodeRequire.resolve("libbzip2-wasm");
  nodeRequire(modulePath);
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  return (input) =>
    new Promise((resolve, reject) => {
      const copy = new Uint8Array(input.length);
      copy.set(input);
      const worker = new Worker(BZIP2_WORKER, {
        eval: true,
        workerData: { modulePath, input: copy.buffer },
        transferList: [copy.buffer],
      });
      worker.once("message", (output: Uint8Array) => {
        resolve(Buffer.from(output.buffer, output.byteOffset, output.length));
        void worker.terminate();
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`bzip2 worker exited with code ${code}`)));
    });
}

function gzipBuffer(): Compressor {
  const zlib = require("node:zlib") as typeof import("node:zlib");
  return (input) =>
    new Promise((resolve, reject) => zlib.gzip(input, (error, output) => (error ? reject(error) : resolve(output))));
}

async function gzipFile(path: string): Promise<Buffer> {
  const zlib = require("node:zlib") as typeof import("node:zlib");
  const chunks: Buffer[] = [];
  await pipeline(fs.createReadStream(path), zlib.createGzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

function tarOf(path: string, content: Buffer): Buffer {
  const mtime = fs.statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
  return Buffer.concat([
    tarHeader(nodePath.basename(path), content.length, mtime),
    content,
    Buffer.alloc(tarPadding(content.length)),
    tarEnd(),
  ]);
}

function zipEncoder(): (path: string) => Promise<Buffer> {
  const fflate = require("fflate") as typeof import("fflate");
  return async (path) => {
    const chunks: Uint8Array[] = [];
    let failure: Error | null = null;
    const zip = new fflate.Zip((error, data) => {
      if (error) failure = error;
      else chunks.push(data);
    });
    const entry = new fflate.ZipDeflate(nodePath.basename(path), { level: 6 });
    entry.mtime = fs.statSync(path).mtimeMs;
    zip.add(entry);
    for await (const chunk of fs.createReadStream(path)) entry.push(chunk as Buffer);
    entry.push(new Uint8Array(0), true);
    zip.end();
    if (failure) throw failure;
    return Buffer.concat(chunks);
  };
}

/** Archives that are being written, removed if the process exits before they are complete. */
const partialArchives = new Set<string>();
let exitCleanupInstalled = false;

/**
 * Writes the archive under a temporary name, then moves it into place and removes the log file,
 * so that at every moment the data is whole in one of the two. An archive already at the target
 * is renamed with its creation time first, never overwritten.
 */
async function replaceWithArchive(path: string, target: string, encode: (path: string) => Promise<Buffer>): Promise<void> {
  // Another process logging to the same path may have compressed or removed it already.
  const original = fs.statSync(path, { throwIfNoEntry: false });
  if (original === undefined) return;
  const partial = `${target}.partial-${process.pid}`;
  if (!exitCleanupInstalled) {
    exitCleanupInstalled = true;
    process.on("exit", () => {
      for (const file of partialArchives) fs.rmSync(file, { force: true });
    });
  }
  partialArchives.add(partial);
  try {
    // A process that had not yet seen the rotation may still append: archive again if it grew.
    for (let attempt = 0; ; attempt++) {
      const sizeBefore = fs.statSync(path).size;
      const archived = await encode(path);
      await fs.promises.writeFile(partial, archived);
      if (fs.statSync(path).size === sizeBefore || attempt >= 3) break;
    }
    moveIntoPlace(partial, target, path, original);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !fs.existsSync(path)) return;
    throw error;
  } finally {
    partialArchives.delete(partial);
    fs.rmSync(partial, { force: true });
  }
}

/** At exit: the same steps, synchronously, under a name of its own (an unfinished asynchronous run is removed at exit). */
function replaceWithArchiveNow(path: string, target: string, encode: (path: string) => Buffer): void {
  const original = fs.statSync(path, { throwIfNoEntry: false });
  if (original === undefined) return;
  const partial = `${target}.partial-${process.pid}-exit`;
  try {
    fs.writeFileSync(partial, encode(path));
    moveIntoPlace(partial, target, path, original);
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/**
 * The archive takes the log file's modification time: compressing it is not writing to it, and
 * retention by age must see how old the log is.
 */
function moveIntoPlace(partial: string, target: string, path: string, original: fs.Stats): void {
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing !== undefined) {
    const created = existing.birthtimeMs > 0 ? existing.birthtimeMs : existing.mtimeMs;
    const ext = `${nodePath.extname(path)}${target.slice(path.length)}`;
    fs.renameSync(target, rotatedPath(target, recordTimeAt(created), ext));
  }
  const modified = fs.statSync(path, { throwIfNoEntry: false })?.mtime ?? original.mtime;
  fs.utimesSync(partial, modified, modified);
  fs.renameSync(partial, target);
  fs.rmSync(path, { force: true });
}
