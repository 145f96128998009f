import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { FoiReader } from '../../../schemas/foi.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiCsv } from '../../../sources/foi/csv.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';

/**
 * foi.md "What real replies do": a reply sent as a workbook or csv carries its date in a labelled cell
 * above the table ("Response date | 05/04/2024"); without it the reply was dated the day census
 * received it and shown long overdue. Only a labelled cell near the top counts, never a date of the table.
 */

const wave = loadFoiWave(2024);
const ctx = (name: string) => ({ fileHash: 'f00d', originalName: name, wave, sentDate: '2024-03-11' });
const dateOf = async (reader: FoiReader, name: string, bytes: Buffer) => (await reader(bytes, ctx(name))).replyDate;

type Cell = string | number | Date | null;
async function xlsx(sheets: Record<string, Cell[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const TABLE: Cell[][] = [
  ['Referrals of children aged 0-23 months'],
  ['Financial year', 'Referrals received', 'Referrals accepted'],
  ['2021/22', 44, 37],
  ['2022/23', 52, 41],
  ['2023/24', 49, 40],
];
const HEAD = 'Example NHS Foundation Trust - FOI response 24/0487 (PIP-FOI-2024-023)';

describe('the date of a reply sent as a spreadsheet', () => {
  it('reads "Response date | 05/04/2024", a label and date in two cells above the table', async () => {
    const bytes = await xlsx({ Response: [[HEAD], ['Response date', '05/04/2024'], ...TABLE] });
    expect(await dateOf(readFoiSpreadsheet, 'a.xlsx', bytes)).toBe('2024-04-05');
  });

  it('reads "Date of response: | 12/04/2024" on row 3, and a date typed as an Excel date', async () => {
    const text = await xlsx({
      Monthly: [['Example NHS Foundation Trust'], ['FOI 24-0412'], ['Date of response:', '12/04/2024'], ...TABLE],
      Responses: [
        ['Question', 'Response'],
        ['1. Does the Trust accept referrals for children aged under two?', 'Yes'],
      ],
    });
    expect(await dateOf(readFoiSpreadsheet, 'b.xlsx', text)).toBe('2024-04-12');
    const typed = await xlsx({ Response: [[HEAD], ['Dated', new Date(Date.UTC(2024, 3, 9))], ...TABLE] });
    expect(await dateOf(readFoiSpreadsheet, 'c.xlsx', typed)).toBe('2024-04-09');
  });

  it('reads label and date in one cell: "FOI 24/0522 - response date 08/04/2024 - requester ref ..."', async () => {
    const bytes = await xlsx({
      Sheet1: [
        ['Example NHS Foundation Trust'],
        ['FOI reference FOI 24/0522 - response date 08/04/2024 - requester ref PIP-FOI-2024-029'],
        ...TABLE,
      ],
    });
    expect(await dateOf(readFoiSpreadsheet, 'd.xlsx', bytes)).toBe('2024-04-08');
  });

  it('never takes a date of the table, our request date in a sentence, or a date before the request', async () => {
    // A record-level sheet: "Date of referral" heads a column of dates.
    const records = await xlsx({
      Extract: [
        ['Date of referral', 'Age (months)', 'Outcome'],
        [new Date(Date.UTC(2024, 3, 2)), 5, 'Accepted'],
        ['05/04/2024', 11, 'Not accepted'],
      ],
    });
    expect(await dateOf(readFoiSpreadsheet, 'e.xlsx', records)).toBeUndefined();
    // A label below the first row of figures is part of the table, not the heading.
    const below = await xlsx({ Response: [[HEAD], ...TABLE, ['Date', '05/04/2024']] });
    expect(await dateOf(readFoiSpreadsheet, 'f.xlsx', below)).toBeUndefined();
    const sentence = await xlsx({ Response: [[HEAD], ['Your request sent 11/03/2024 asked for referrals'], ...TABLE] });
    expect(await dateOf(readFoiSpreadsheet, 'g.xlsx', sentence)).toBeUndefined();
    const early = await xlsx({ Response: [[HEAD], ['Response date', '05/02/2024'], ...TABLE] });
    expect(await dateOf(readFoiSpreadsheet, 'h.xlsx', early)).toBeUndefined();
  });
});

describe('the date of a reply sent as a csv', () => {
  it('reads "Date of response,05/04/2024" above the table; a record-level csv has none', async () => {
    const csv = ['Date of response,05/04/2024', 'Financial year,Referrals received', '2021/22,44', '2022/23,52'];
    expect(await dateOf(readFoiCsv, 'a.csv', Buffer.from(csv.join('\n')))).toBe('2024-04-05');
    const records = ['Date of referral;Date of birth;Outcome', '08/04/2024;06/02/2023;Accepted'];
    expect(await dateOf(readFoiCsv, 'b.csv', Buffer.from(records.join('\n')))).toBeUndefined();
  });
});

describe('a reply date in a note below the table', () => {
  it('is read when the note names the response date, never from "dated" or a bare date', async () => {
    const rows = (note: string): Cell[][] => [...TABLE, [], [note]];
    expect(
      await dateOf(
        readFoiSpreadsheet,
        'r.xlsx',
        await xlsx({ Data: rows('Response date: 12 April 2024. Q1 yes; Q4 no.') }),
      ),
    ).toBe('2024-04-12');
    expect(
      await dateOf(readFoiSpreadsheet, 'r.xlsx', await xlsx({ Data: rows('Figures dated 31 March 2024.') })),
    ).toBeUndefined();
  });
});
