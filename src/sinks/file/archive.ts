/** Writers of the container formats (tar, zip) around one log file. */

const BLOCK = 512;

/** The ustar header for one regular file, preceded by a pax header when the name is too long. */
export function tarHeader(name: string, size: number, mtime: number): Buffer {
  const nameBytes = Buffer.from(name, "utf8");
  if (nameBytes.length <= 100) return ustarHeader(nameBytes, size, mtime, "0");
  const record = paxRecord("path", name);
  const paxHeader = ustarHeader(Buffer.from("PaxHeader/long-name", "utf8"), record.length, mtime, "x");
  const fileHeader = ustarHeader(nameBytes.subarray(0, 100), size, mtime, "0");
  return Buffer.concat([paxHeader, record, Buffer.alloc(tarPadding(record.length)), fileHeader]);
}

/** Zero bytes after a member's data up to the next block. */
export function tarPadding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The two zero blocks that end an archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

function ustarHeader(name: Buffer, size: number, mtime: number, type: string): Buffer {
  const header = Buffer.alloc(BLOCK);
  name.copy(header, 0, 0, 100);
  header.write("0000644\0", 100, "ascii");
  header.write("0000000\0", 108, "ascii");
  header.write("0000000\0", 116, "ascii");
  header.write(octal(size, 11), 124, "ascii");
  header.write(octal(Math.floor(mtime / 1000), 11), 136, "ascii");
  header.write("        ", 148, "ascii");
  header.write(type, 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return header;
}

function octal(value: number, digits: number): string {
  return `${value.toString(8).padStart(digits, "0")}\0`;
}

/** `"<length> key=value\n"`, where the length counts itself. */
function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body, "utf8");
  let length = bodyLength + 1;
  while (String(length).length + bodyLength !== length) length = String(length).length + bodyLength;
  return Buffer.from(`${length}${body}`, "utf8");
}
