import { afterEach, describe, expect, it, vi } from 'vitest';
import { dosDateTime, stabiliseZip, ZipFormatError } from '../../reports/zip-stable.ts';

const FIXED = new Date('2025-03-31T12:34:56Z');
const FIXED_DOS = { time: (12 << 11) | (34 << 5) | 28, date: (45 << 9) | (3 << 5) | 31 };

/** Every (time, date) pair in the central directory and in the local headers it points to. */
function headerDates(zip: Buffer): { time: number; date: number }[] {
  let eocd = zip.length - 22;
  while (zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const out: { time: number; date: number }[] = [];
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    out.push({ time: zip.readUInt16LE(p + 12), date: zip.readUInt16LE(p + 14) });
    const local = zip.readUInt32LE(p + 42);
    out.push({ time: zip.readUInt16LE(local + 10), date: zip.readUInt16LE(local + 12) });
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return out;
}

async function exceljsZipAt(clock: string): Promise<Buffer> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(clock));
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.created = FIXED;
  wb.modified = FIXED;
  wb.addWorksheet('a').addRow(['x', 1]);
  const buf = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
  vi.useRealTimers();
  return buf;
}

/** A one-entry stored zip with an extended timestamp ("UT") extra field in both headers. */
function handMadeZip(): Buffer {
  const name = Buffer.from('a.txt');
  const data = Buffer.from('hi');
  const ut = Buffer.alloc(9);
  ut.writeUInt16LE(0x5455, 0);
  ut.writeUInt16LE(5, 2);
  ut.writeUInt8(1, 4);
  ut.writeUInt32LE(1_700_000_000, 5);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(0x1234, 10);
  local.writeUInt16LE(0x5678, 12);
  local.writeUInt32LE(2, 18);
  local.writeUInt32LE(2, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(ut.length, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x1234, 12);
  central.writeUInt16LE(0x5678, 14);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(ut.length, 30);
  central.writeUInt32LE(0, 42);
  const localPart = Buffer.concat([local, name, ut, data]);
  const centralPart = Buffer.concat([central, name, ut]);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(centralPart.length, 12);
  eocd.writeUInt32LE(localPart.length, 16);
  return Buffer.concat([localPart, centralPart, eocd]);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dosDateTime', () => {
  it('packs a UTC date into MS-DOS fields with two-second resolution', () => {
    expect(dosDateTime(FIXED)).toEqual(FIXED_DOS);
  });

  it('refuses a date a zip cannot hold', () => {
    expect(() => dosDateTime(new Date('1979-12-31T00:00:00Z'))).toThrow(/1980 to 2107/);
  });
});

describe('stabiliseZip', () => {
  it('makes two exceljs writes a second apart byte-identical', async () => {
    const a = await exceljsZipAt('2026-01-05T10:00:01Z');
    const b = await exceljsZipAt('2026-01-05T10:00:02Z');
    expect(a.equals(b)).toBe(false);
    expect(stabiliseZip(a, FIXED).equals(stabiliseZip(b, FIXED))).toBe(true);
  });

  it('dates every local and central header, and the archive still opens', async () => {
    const zip = stabiliseZip(await exceljsZipAt('2030-07-01T08:00:00Z'), FIXED);
    const dates = headerDates(zip);
    expect(dates.length).toBeGreaterThan(10);
    expect(dates.every((d) => d.time === FIXED_DOS.time && d.date === FIXED_DOS.date)).toBe(true);
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(zip as unknown as ArrayBuffer);
    expect(wb.getWorksheet('a')?.getCell('B1').value).toBe(1);
  });

  it('rewrites extended timestamp fields as well as the DOS fields, leaving the input untouched', () => {
    const input = handMadeZip();
    const before = Buffer.from(input);
    const out = stabiliseZip(input, FIXED);
    expect(input.equals(before)).toBe(true);
    expect(headerDates(out)).toEqual([FIXED_DOS, FIXED_DOS]);
    const seconds = FIXED.getTime() / 1000;
    expect(out.readUInt32LE(30 + 5 + 5)).toBe(seconds);
    const centralUt = out.length - 22 - 9 + 5;
    expect(out.readUInt32LE(centralUt)).toBe(seconds);
  });

  it('refuses bytes that are not a zip, with a code', () => {
    expect(() => stabiliseZip(Buffer.from('not a zip at all, just some text here'), FIXED)).toThrow(ZipFormatError);
    const fault = (() => {
      try {
        stabiliseZip(Buffer.alloc(40), FIXED);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(fault).toBeInstanceOf(ZipFormatError);
    expect((fault as ZipFormatError).code).toBe('zip_format');
  });
});
