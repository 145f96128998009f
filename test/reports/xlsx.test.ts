import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataTable } from '../../reports/csv.ts';
import { CREATOR, MARKER_NOTES, writeWorkbook, type WorkbookInput } from '../../reports/xlsx.ts';

const DATA_DATE = new Date('2025-03-31T00:00:00Z');

const families: DataTable = {
  name: 'Families',
  title: 'Families supported directly, by band',
  columns: [
    { key: 'band', header: 'Band', kind: 'text' },
    { key: 'teams', header: 'Teams', kind: 'number' },
    { key: 'families', header: 'Families', kind: 'range' },
  ],
  rows: [
    { band: 'Fewer than 25', teams: { value: null, status: 'c' }, families: { value: null, status: 'c' } },
    { band: 'More than 300', teams: 4, families: { low: 1204, high: null } },
    { band: '=cmd|calc', teams: 12, families: { low: 300, high: 599 } },
  ],
  notes: ['The top band is open; the national total uses a cap of 500.'],
};

const input: WorkbookInput = { tables: [families], notes: ['Built from the 2023 returns.'], date: DATA_DATE };

async function load(buf: Buffer) {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('writeWorkbook', () => {
  it('gives byte-identical files when written at different times', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-05T10:00:01Z'));
    const a = await writeWorkbook(input);
    vi.setSystemTime(new Date('2027-06-30T23:59:58Z'));
    const b = await writeWorkbook(input);
    expect(a.equals(b)).toBe(true);
  });

  it('fixes the workbook properties to the data date and sets no print date', async () => {
    const wb = await load(await writeWorkbook(input));
    expect(wb.creator).toBe(CREATOR);
    expect(wb.lastModifiedBy).toBe(CREATOR);
    expect(wb.created?.toISOString()).toBe(DATA_DATE.toISOString());
    expect(wb.modified?.toISOString()).toBe(DATA_DATE.toISOString());
    expect(wb.lastPrinted).toBeUndefined();
  });

  it('puts the Notes sheet first, then one sheet per table', async () => {
    const wb = await load(await writeWorkbook(input));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Notes', 'Families']);
    const notes = wb.getWorksheet('Notes')?.getColumn(1).values.slice(1);
    expect(notes).toEqual([
      'Note',
      'Built from the 2023 returns.',
      ...MARKER_NOTES,
      'Families supported directly, by band: The top band is open; the national total uses a cap of 500.',
    ]);
  });

  it('writes numbers as numbers, ranges as low and high columns, and markers as text', async () => {
    const sheet = (await load(await writeWorkbook(input))).getWorksheet('Families');
    const row = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(['Families supported directly, by band']);
    expect(row(2)).toEqual(['Band', 'Teams', 'Families (low)', 'Families (high)']);
    expect(row(3)).toEqual(['Fewer than 25', '[c]', '[c]', '[c]']);
    expect(row(4)).toEqual(['More than 300', 4, 1204, '[x]']);
    expect(typeof sheet?.getCell('B4').value).toBe('number');
  });

  it('neutralises text that would run as a formula', async () => {
    const sheet = (await load(await writeWorkbook(input))).getWorksheet('Families');
    expect(sheet?.getCell('A5').value).toBe("'=cmd|calc");
    expect(sheet?.getCell('A5').formula).toBeUndefined();
  });

  it('refuses sheet names Excel would reject or that repeat', async () => {
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'a/b' }] })).rejects.toThrow(/sheet name/);
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'x'.repeat(32) }] })).rejects.toThrow(/1-31/);
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'notes' }] })).rejects.toThrow(/used twice/);
  });
});
