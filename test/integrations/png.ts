import * as zlib from "node:zlib";

/** An 8-bit, non-interlaced PNG (RGB or RGBA, as Chromium writes screenshots) as RGB pixels. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** 0xRRGGBB per pixel, row by row. */
  readonly colors: Uint32Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): Pixels {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG");
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.toString("latin1", at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colorType = body[9];
      if (depth !== 8 || body[12] !== 0 || (colorType !== 2 && colorType !== 6)) throw new Error(`unsupported PNG: depth ${depth}, color type ${colorType}, interlace ${body[12]}`);
      channels = colorType === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
    at += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const current = Buffer.alloc(stride);
  const previous = Buffer.alloc(stride);
  const colors = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1);
    const filter = raw[row]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[row + 1 + x]!;
      const left = x >= channels ? current[x - channels]! : 0;
      const up = previous[x]!;
      const upLeft = x >= channels ? previous[x - channels]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, upLeft);
      current[x] = (value + predicted) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const p = x * channels;
      colors[y * width + x] = (current[p]! << 16) | (current[p + 1]! << 8) | current[p + 2]!;
    }
    current.copy(previous);
  }
  return { width, height, colors };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** How many distinct colors, and the share of pixels that are not the most common color. */
export function colorStats(pixels: Pixels): { distinct: number; notBackground: number } {
  const counts = new Map<number, number>();
  for (const color of pixels.colors) counts.set(color, (counts.get(color) ?? 0) + 1);
  let most = 0;
  for (const count of counts.values()) most = Math.max(most, count);
  return { distinct: counts.size, notBackground: 1 - most / pixels.colors.length };
}
