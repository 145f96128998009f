/**
 * Makes a zip archive byte-stable by rewriting every entry's modification time to a fixed date.
 * exceljs packs xlsx files with jszip, whose `file(name, data)` stamps each entry with `new Date()`
 * (jszip/lib/object.js) and exposes no option to override it through exceljs; so the time is
 * rewritten afterwards in the local and central headers. Dates are not covered by the CRCs, so the
 * archive stays valid. Zip64 archives are refused (an xlsx of report tables never needs one).
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const EXTENDED_TIMESTAMP = 0x5455; // "UT": unix times that some zip writers add

export class ZipFormatError extends Error {
  readonly code = 'zip_format';
  constructor(message: string) {
    super(`cannot stabilise zip: ${message}; was the file written by exceljs?`);
    this.name = 'ZipFormatError';
  }
}

/** MS-DOS date and time fields, read in UTC as jszip writes them; two-second resolution. */
export function dosDateTime(date: Date): { time: number; date: number } {
  const year = date.getUTCFullYear();
  if (!(year >= 1980 && year <= 2107))
    throw new RangeError(`zip dates run from 1980 to 2107, got ${date.toISOString()}`);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, so it sits near the end.
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === END_OF_CENTRAL_DIRECTORY) return p;
  }
  throw new ZipFormatError('no end of central directory record');
}

function rewriteExtendedTimestamps(buf: Buffer, start: number, length: number, unixSeconds: number): void {
  for (let p = start; p + 4 <= start + length;) {
    const id = buf.readUInt16LE(p);
    const size = buf.readUInt16LE(p + 2);
    if (id === EXTENDED_TIMESTAMP) {
      // One flags byte, then up to three 32-bit unix times.
      for (let q = p + 5; q + 4 <= p + 4 + size; q += 4) buf.writeUInt32LE(unixSeconds, q);
    }
    p += 4 + size;
  }
}

/** A copy of `zip` with every local and central header dated `date` (UTC). */
export function stabiliseZip(zip: Uint8Array, date: Date): Buffer {
  const buf = Buffer.from(zip);
  const dos = dosDateTime(date);
  const unixSeconds = Math.floor(date.getTime() / 1000);
  const eocd = findEndOfCentralDirectory(buf);
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || p === 0xffffffff) throw new ZipFormatError('zip64 archives are not supported');
  for (let i = 0; i < entries; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL_HEADER) {
      throw new ZipFormatError(`central directory entry ${i} not found at offset ${p}`);
    }
    buf.writeUInt16LE(dos.time, p + 12);
    buf.writeUInt16LE(dos.date, p + 14);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    rewriteExtendedTimestamps(buf, p + 46 + nameLength, extraLength, unixSeconds);

    const local = buf.readUInt32LE(p + 42);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL_HEADER) {
      throw new ZipFormatError(`local header of entry ${i} not found at offset ${local}`);
    }
    buf.writeUInt16LE(dos.time, local + 10);
    buf.writeUInt16LE(dos.date, local + 12);
    const localName = buf.readUInt16LE(local + 26);
    const localExtra = buf.readUInt16LE(local + 28);
    rewriteExtendedTimestamps(buf, local + 30 + localName, localExtra, unixSeconds);

    p += 46 + nameLength + extraLength + commentLength;
  }
  return buf;
}
