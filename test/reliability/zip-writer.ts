import { crc32, deflateRawSync } from 'node:zlib';
import { entryData, readCentralDirectory } from '../../sources/shared/zip-guard.ts';

/**
 * A small zip writer for hostile fixtures made from code: it can lie about sizes, point two
 * directory entries at one piece of data, or hold thousands of entries. Only what the tests need.
 */
export interface ZipPart {
  name: string;
  data: Buffer;
  /** Size written in the headers instead of the real one (a lying directory). */
  declaredSize?: number;
  /** Point this directory entry at the data of an earlier part (overlapping entries). */
  sameDataAs?: string;
  stored?: boolean;
}

export function writeZip(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets = new Map<string, { offset: number; method: number; crc: number; csize: number; usize: number }>();
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    let rec = p.sameDataAs ? offsets.get(p.sameDataAs) : undefined;
    if (!rec) {
      const body = p.stored ? p.data : deflateRawSync(p.data);
      rec = {
        offset,
        method: p.stored ? 0 : 8,
        crc: crc32(p.data),
        csize: body.length,
        usize: p.declaredSize ?? p.data.length,
      };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(rec.method, 8);
      local.writeUInt32LE(rec.crc, 14);
      local.writeUInt32LE(rec.csize, 18);
      local.writeUInt32LE(rec.usize, 22);
      local.writeUInt16LE(name.length, 26);
      locals.push(local, name, body);
      offsets.set(p.name, rec);
      offset += 30 + name.length + body.length;
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(rec.method, 10);
    c.writeUInt32LE(rec.crc, 16);
    c.writeUInt32LE(rec.csize, 20);
    c.writeUInt32LE(rec.usize, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(rec.offset, 42);
    central.push(c, name);
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(parts.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(parts.length, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** The parts of an existing zip (an exceljs workbook), to rebuild it with changes. */
export function readZipParts(zip: Buffer): ZipPart[] {
  const dir = readCentralDirectory(zip);
  if (!dir.ok) throw new Error(dir.detail);
  return dir.entries.map((e) => ({ name: e.name, data: entryData(zip, e) }));
}
