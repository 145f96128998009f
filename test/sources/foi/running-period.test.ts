import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CodedValue, FoiReadResult } from '../../../schemas/foi.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { readFoiCsv } from '../../../sources/foi/csv.ts';
import { parsePeriod, runningEnd } from '../../../sources/foi/period.ts';
import { readFoiSpreadsheet } from '../../../sources/foi/spreadsheet.ts';
import { sumMonths } from '../../../sources/foi/totals.ts';

/**
 * Issue #15: the request (sent 2024-03-11) asks for "2023/24 (to date)"; a reply sent in April that gives
 * the whole year must not have its period cut to the day the request was sent.
 */
const wave = loadFoiWave(2024);
const SENT = { sentDate: '2024-03-11' };
const ctx = (sentDate = '2024-03-11') => ({ fileHash: 'f00d', originalName: 'reply', wave, sentDate });

/** [question, start, end, type, flags] of the 2023/24 values. */
const fy2324 = (r: FoiReadResult) =>
  r.values
    .filter((v: CodedValue) => v.askedPeriodId === 'fy2023_24')
    .map((v) => [v.questionId.slice(0, 2), v.period!.start, v.period!.end, v.period!.type, v.flags]);

async function xlsx(rows: (string | number | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Data');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('a period the reply states with an end date ends on that date', () => {
  it('reads "2023/24 (to 31/03/2024)" and "2023/24 (to 31 March 2024)" as the whole year, though sent on 11 March', () => {
    for (const t of ['2023/24 (to 31/03/2024)', '2023/24 (to 31 March 2024)']) {
      expect(parsePeriod(t, SENT).value, t).toMatchObject({
        period: { start: '2023-04-01', end: '2024-03-31', type: 'financial_year' },
        flags: [],
      });
    }
  });
  it('ends "1 April 2023 to 17 March 2024" on 17 March, after the sent date', () => {
    expect(parsePeriod('1 April 2023 to 17 March 2024', SENT).value?.period.end).toBe('2024-03-17');
  });
  it("is cut only by the reply's own date when that is earlier (no reply holds data from after it)", () => {
    expect(parsePeriod('2023/24 (to 31/03/2024)', { ...SENT, replyDate: '2024-03-20' }).value?.period).toMatchObject({
      end: '2024-03-20',
      type: 'part_year',
    });
  });
  it('reads the cell "2023/24 (to 31/03/2024)" of a workbook as the whole year', async () => {
    const bytes = await xlsx([
      ['Financial year', 'Referrals received', 'Referrals accepted'],
      ['2022/23', 15, 13],
      ['2023/24 (to 31/03/2024)', 9, 6],
    ]);
    expect(fy2324(await readFoiSpreadsheet(bytes, ctx()))).toEqual([
      ['q2', '2023-04-01', '2024-03-31', 'financial_year', []],
      ['q3', '2023-04-01', '2024-03-31', 'financial_year', []],
    ]);
  });
});

describe('a bare "2023/24"', () => {
  it('is the whole year in a reply dated after 31 March 2024', () => {
    expect(parsePeriod('2023/24', { ...SENT, replyDate: '2024-04-16' }).value).toMatchObject({
      period: { end: '2024-03-31', type: 'financial_year' },
      flags: [],
    });
  });
  it('ends on the reply date before the year ended, or on the sent date with no reply date, flagged partial_period', () => {
    expect(parsePeriod('2023/24', { ...SENT, replyDate: '2024-03-25' }).value).toMatchObject({
      period: { end: '2024-03-25', type: 'part_year' },
      flags: ['partial_period'],
      runsTo: '2024-03-31',
    });
    expect(parsePeriod('2023/24', SENT).value).toMatchObject({
      period: { end: '2024-03-11', type: 'part_year' },
      flags: ['partial_period'],
      runsTo: '2024-03-31',
    });
  });
});

describe('runningEnd', () => {
  const FY = { start: '2023-04-01', end: '2024-03-31' };
  it('runs a period still running on the cut date to the last data month, at most to its own end', () => {
    expect(runningEnd(FY, '2024-01-15', '2024-02-10')).toBe('2024-02-29');
    expect(runningEnd(FY, '2024-03-11', '2024-03-16')).toBe('2024-03-31');
    expect(runningEnd(FY, '2024-03-11', '2024-05-02')).toBe('2024-03-31');
  });
  it('keeps the cut date without later data, and a period that had ended whole', () => {
    expect(runningEnd(FY, '2024-03-11', '2024-03-07')).toBe('2024-03-11');
    expect(runningEnd(FY, '2024-03-11', null)).toBe('2024-03-11');
    expect(runningEnd({ start: '2022-04-01', end: '2023-03-31' }, '2024-03-11', null)).toBe('2023-03-31');
  });
});

describe('record-level rows dated after the sent date', () => {
  const csv = (...rows: string[]) =>
    Buffer.from(`Referral date,Age at referral (months),Team,Outcome\n${rows.join('\n')}\n`);
  it('make 2023/24 the whole year when the last row is in its last month (16 March, request sent 11 March)', async () => {
    const r = await readFoiCsv(csv('02/05/2023,3,CAMHS,Accepted', '16/03/2024,18,CAMHS,Not accepted'), ctx());
    expect(fy2324(r)).toEqual([
      ['q2', '2023-04-01', '2024-03-31', 'financial_year', []],
      ['q3', '2023-04-01', '2024-03-31', 'financial_year', []],
    ]);
  });
  it("run the period to the end of the last row's month when that is before the year ends", async () => {
    const r = await readFoiCsv(csv('02/05/2023,3,CAMHS,Accepted', '10/02/2024,4,CAMHS,Accepted'), ctx('2024-01-15'));
    expect(fy2324(r)[0]).toEqual(['q2', '2023-04-01', '2024-02-29', 'part_year', ['partial_period']]);
  });
  it('leave the period cut at the sent date when no row is later', async () => {
    const r = await readFoiCsv(csv('02/05/2023,3,CAMHS,Accepted', '07/03/2024,10,CAMHS,Accepted'), ctx());
    expect(fy2324(r)[0]).toEqual(['q2', '2023-04-01', '2024-03-11', 'part_year', ['partial_period']]);
  });
});

describe('a "2023/24" column broken down by month names', () => {
  const months = ['Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan', 'Feb', 'Mar'];
  const sheet = (upTo: number) => [
    ['Referrals received, children aged 0-23 months, by month'],
    ['Month', '2022/23', '2023/24'],
    ...months.slice(0, upTo).map((m, i) => [m, 5, i + 1]),
    ['Total', 5 * upTo, (upTo * (upTo + 1)) / 2],
  ];
  it('is the whole year when March has a count (all twelve months and a Total row)', async () => {
    const r = await readFoiSpreadsheet(await xlsx(sheet(12)), ctx());
    expect(fy2324(r)).toEqual([['q2', '2023-04-01', '2024-03-31', 'financial_year', []]]);
    expect(r.values.find((v) => v.askedPeriodId === 'fy2023_24')!.interval).toEqual({ low: 78, high: 78 });
  });
  it('stays cut at the sent date when its months end in February', async () => {
    const r = await readFoiSpreadsheet(await xlsx(sheet(11)), ctx());
    expect(fy2324(r)).toEqual([['q2', '2023-04-01', '2024-03-11', 'part_year', ['partial_period']]]);
  });
});

describe('sumMonths', () => {
  it('does not flag partial_period a sum with a count for every month to the end of the year', () => {
    const month = (m: string) => ({
      period: { start: `${m}-01`, end: `${m}-28`, label: m, type: 'month' as const },
      interval: { low: 1, high: 1 },
      flags: [],
      location: {},
      quote: '1',
    });
    const all = ['2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11', '2023-12'];
    const s = sumMonths(
      [...all, '2024-01', '2024-02', '2024-03'].map(month),
      { start: '2023-04-01', end: '2024-03-31', label: '2023/24' },
      '2024-03-11',
      '2024-03-11',
    )!;
    expect(s).toMatchObject({ interval: { low: 12, high: 12 }, flags: [], period: { type: 'financial_year' } });
  });
});
