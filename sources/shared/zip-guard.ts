import { inflateRawSync } from 'node:zlib';

/**
 * Reads a zip's central directory ourselves, before exceljs (JSZip) sees the file. JSZip trusts the
 * directory and inflates whole entries into memory, checking their sizes only afterwards, so a zip
 * bomb would exhaust memory before any error. Here entry count and declared sizes are checked
 * against the workspace limits, entries must not overlap (the "overlapping files" bomb), and each
 * entry is inflated with a hard output cap of its declared size, so a directory that lies is
 * caught after at most that many bytes.
 */
export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local header. */
  offset: number;
}

type ZipProblem = 'corrupt' | 'bomb' | 'encrypted' | 'unsupported';
export type ZipDirectory = { ok: true; entries: ZipEntry[] } | { ok: false; problem: ZipProblem; detail: string };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const FFFF = 0xffffffff;

const bad = (problem: ZipProblem, detail: string): ZipDirectory => ({ ok: false, problem, detail });

function findEocd(b: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end of the file.
  const stop = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= stop; i--) if (b.readUInt32LE(i) === EOCD) return i;
  return -1;
}

/** Entry count, directory size and offset, from the ZIP64 record when the classic one is saturated. */
function directoryBounds(b: Buffer, eocd: number): { count: number; size: number; offset: number } | string {
  let count = b.readUInt16LE(eocd + 10);
  let size = b.readUInt32LE(eocd + 12);
  let offset = b.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === FFFF || offset === FFFF) {
    const loc = eocd - 20;
    if (loc < 0 || b.readUInt32LE(loc) !== ZIP64_LOCATOR)
      return 'a ZIP64 field is saturated but the ZIP64 locator is missing';
    const rec = Number(b.readBigUInt64LE(loc + 8));
    if (rec + 56 > b.length || b.readUInt32LE(rec) !== ZIP64_EOCD) return 'the ZIP64 end record is missing';
    count = Number(b.readBigUInt64LE(rec + 32));
    size = Number(b.readBigUInt64LE(rec + 40));
    offset = Number(b.readBigUInt64LE(rec + 48));
  }
  return { count, size, offset };
}

/** ZIP64 extra field (id 1): 64-bit values for exactly those fields saturated in the header, in this order. */
function applyZip64(extra: Buffer, e: ZipEntry): void {
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const len = extra.readUInt16LE(p + 2);
    if (id === 1) {
      let q = p + 4;
      const next = (): number => {
        const v = q + 8 <= p + 4 + len && q + 8 <= extra.length ? Number(extra.readBigUInt64LE(q)) : -1;
        q += 8;
        return v;
      };
      if (e.uncompressedSize === FFFF) e.uncompressedSize = next();
      if (e.compressedSize === FFFF) e.compressedSize = next();
      if (e.offset === FFFF) e.offset = next();
      return;
    }
    p += 4 + len;
  }
}

/** The entries of a zip from its central directory; never inflates anything. */
export function readCentralDirectory(b: Buffer, maxEntries = Number.MAX_SAFE_INTEGER): ZipDirectory {
  if (b.length < 22) return bad('corrupt', 'the file is too short to be a zip');
  const eocd = findEocd(b);
  if (eocd < 0)
    return bad(
      'corrupt',
      'the zip directory at the end of the file is missing (the file was cut short or is not a zip)',
    );
  const bounds = directoryBounds(b, eocd);
  if (typeof bounds === 'string') return bad('corrupt', bounds);
  if (bounds.count > maxEntries)
    return bad('bomb', `the zip declares ${bounds.count} entries, over the limit of ${maxEntries}`);
  if (bounds.offset + bounds.size > b.length)
    return bad('corrupt', 'the zip directory points past the end of the file (the file was cut short)');
  const entries: ZipEntry[] = [];
  let p = bounds.offset;
  for (let i = 0; i < bounds.count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== CENTRAL)
      return bad('corrupt', `entry ${i + 1} of the zip directory is damaged`);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    if (p + 46 + nameLen + extraLen > b.length)
      return bad('corrupt', `entry ${i + 1} of the zip directory runs past the end of the file`);
    const e: ZipEntry = {
      name: b.toString('utf8', p + 46, p + 46 + nameLen),
      method: b.readUInt16LE(p + 10),
      encrypted: (b.readUInt16LE(p + 8) & 1) === 1,
      compressedSize: b.readUInt32LE(p + 20),
      uncompressedSize: b.readUInt32LE(p + 24),
      offset: b.readUInt32LE(p + 42),
    };
    applyZip64(b.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen), e);
    if (e.compressedSize < 0 || e.uncompressedSize < 0 || e.offset < 0)
      return bad('corrupt', `the ZIP64 sizes of "${e.name}" are missing`);
    entries.push(e);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { ok: true, entries };
}

/** Where an entry's compressed bytes start, from its local header; -1 when the header is not there. */
function dataStart(b: Buffer, e: ZipEntry): number {
  if (e.offset + 30 > b.length || b.readUInt32LE(e.offset) !== LOCAL) return -1;
  return e.offset + 30 + b.readUInt16LE(e.offset + 26) + b.readUInt16LE(e.offset + 28);
}

/** An entry's bytes, inflated with an output cap of its declared size (a larger entry throws). */
export function entryData(b: Buffer, e: ZipEntry): Buffer {
  const start = dataStart(b, e);
  if (start < 0 || start + e.compressedSize > b.length) throw new Error(`the data of "${e.name}" is missing`);
  const raw = b.subarray(start, start + e.compressedSize);
  if (e.method === 0) return raw;
  // maxOutputLength makes zlib stop with ERR_BUFFER_TOO_LARGE instead of growing without bound.
  return inflateRawSync(raw, { maxOutputLength: Math.max(1, e.uncompressedSize) });
}

export interface ZipLimits {
  maxUnzippedBytes: number;
  maxZipEntries: number;
}

/**
 * Checks a zip against the limits before any library opens it. `inspect` sees each entry's
 * inflated bytes (to count a sheet's rows, say); nothing is kept after it returns.
 */
export function guardZip(b: Buffer, limits: ZipLimits, inspect?: (name: string, data: Buffer) => void): ZipDirectory {
  const dir = readCentralDirectory(b, limits.maxZipEntries);
  if (!dir.ok) return dir;
  const { entries } = dir;
  const declared = entries.reduce((s, e) => s + e.uncompressedSize, 0);
  if (declared > limits.maxUnzippedBytes)
    return bad('bomb', `its entries unpack to ${declared} bytes, over the limit of ${limits.maxUnzippedBytes}`);
  if (entries.some((e) => e.encrypted)) return bad('encrypted', 'its entries are encrypted with a password');
  const spans = entries.map((e) => ({ e, start: dataStart(b, e) })).sort((x, y) => x.start - y.start);
  for (const [i, s] of spans.entries()) {
    if (s.start < 0 || s.start + s.e.compressedSize > b.length)
      return bad('corrupt', `the data of "${s.e.name}" is missing (the file was cut short)`);
    const next = spans[i + 1];
    if (next && s.start + s.e.compressedSize > next.e.offset)
      return bad('bomb', `the entries "${s.e.name}" and "${next.e.name}" share bytes, a trick used by zip bombs`);
  }
  for (const e of entries) {
    if (e.method !== 0 && e.method !== 8)
      return bad(
        'unsupported',
        `"${e.name}" uses compression method ${e.method}, which spreadsheet programs do not write`,
      );
    let data: Buffer;
    try {
      data = entryData(b, e);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE')
        return bad('bomb', `"${e.name}" unpacks to more than the ${e.uncompressedSize} bytes its directory declares`);
      return bad('corrupt', `"${e.name}" cannot be unpacked (${(err as Error).message})`);
    }
    if (data.length !== e.uncompressedSize)
      return bad('corrupt', `"${e.name}" unpacks to ${data.length} bytes, not the ${e.uncompressedSize} declared`);
    inspect?.(e.name, data);
  }
  return dir;
}
