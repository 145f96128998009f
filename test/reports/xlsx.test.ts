import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataTable } from '../../reports/csv.ts';
import { CREATOR, MARKER_NOTES, sheetName, writeWorkbook, type WorkbookInput } from '../../reports/xlsx.ts';

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

const input: WorkbookInput = {
  tables: [families],
  notes: ['Built from the 2023 returns.'],
  date: DATA_DATE,
  cover: {
    title: 'Parent-infant relationship teams: the annual report, wave 2025',
    about: 'The tables of the report, one per sheet.',
    dataPeriod: 'Survey wave 2025',
    releaseDate: '2025-03-31',
    source: 'Parent-infant team survey 2025',
    contact: 'The census team',
  },
};

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

  it('opens with Cover, Contents and Notes sheets, then one table per sheet with a readable name', async () => {
    const wb = await load(await writeWorkbook(input));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Cover', 'Contents', 'Notes', 'Families']);
    expect(sheetName('missing_answers')).toBe('Missing answers');
    expect(wb.title).toBe('Parent-infant relationship teams: the annual report, wave 2025');
    const cover = wb.getWorksheet('Cover')!.getColumn(1).values.slice(1);
    expect(cover[0]).toBe(input.cover!.title);
    for (const [label, value] of [
      ['Data period', 'Survey wave 2025'],
      ['Release date', '2025-03-31'],
      ['Source', 'Parent-infant team survey 2025'],
      ['Contact', 'The census team'],
    ])
      expect(cover[cover.indexOf(label) + 1]).toBe(value);
    for (const m of MARKER_NOTES) expect(cover).toContain(m);
    const contents = wb.getWorksheet('Contents')!;
    expect(contents.getCell('A1').value).toBe('Contents');
    expect((contents.getRow(3).values as unknown[]).slice(1)).toEqual(['Sheet name', 'Table title']);
    expect(contents.getCell('A4').value).toEqual({ text: 'Families', hyperlink: "#'Families'!A1" });
    expect(contents.getCell('B4').value).toBe('Families supported directly, by band');
  });

  it('numbers the notes and refers to them from the table title', async () => {
    const wb = await load(await writeWorkbook(input));
    const notes = wb.getWorksheet('Notes')!;
    const row = (n: number) => (notes.getRow(n).values as unknown[]).slice(1);
    expect(row(3)).toEqual(['Note number', 'Note text']);
    expect(row(4)).toEqual(['note 1', 'Built from the 2023 returns.']);
    expect(row(5)).toEqual(['note 2', 'The top band is open; the national total uses a cap of 500.']);
    expect(wb.getWorksheet('Families')!.getCell('A1').value).toBe('Families supported directly, by band [note 2]');
  });

  it('puts title, source and units above the table, sets widths and thousands separators, merges no cell', async () => {
    const sheet = (await load(await writeWorkbook(input))).getWorksheet('Families')!;
    expect(String(sheet.getCell('A3').value)).toBe('Source: Parent-infant team survey 2025');
    expect(String(sheet.getCell('A4').value)).toMatch(/^Units: /);
    expect(sheet.getColumn(3).numFmt).toBe('#,##0');
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual('Fewer than 25'.length);
    const merges = (sheet as unknown as { _merges: Record<string, unknown> })._merges;
    expect(Object.keys(merges)).toEqual([]);
  });

  it('writes numbers as numbers, ranges as low and high columns, and markers as text', async () => {
    const sheet = (await load(await writeWorkbook(input))).getWorksheet('Families');
    const row = (n: number) => (sheet?.getRow(n).values as unknown[]).slice(1);
    expect(row(5)).toEqual(['Band', 'Teams', 'Families (low)', 'Families (high)']);
    expect(row(6)).toEqual(['Fewer than 25', '[c]', '[c]', '[c]']);
    expect(row(7)).toEqual(['More than 300', 4, 1204, '[x]']);
    expect(typeof sheet?.getCell('B7').value).toBe('number');
  });

  it('neutralises text that would run as a formula', async () => {
    const sheet = (await load(await writeWorkbook(input))).getWorksheet('Families');
    expect(sheet?.getCell('A8').value).toBe("'=cmd|calc");
    expect(sheet?.getCell('A8').formula).toBeUndefined();
  });

  it('refuses sheet names Excel would reject or that repeat', async () => {
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'a/b' }] })).rejects.toThrow(/sheet name/);
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'x'.repeat(32) }] })).rejects.toThrow(/1-31/);
    await expect(writeWorkbook({ ...input, tables: [{ ...families, name: 'notes' }] })).rejects.toThrow(/used twice/);
  });
});
