import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countRecordLoad,
  copyRecordCsv,
  MAX_ROW_ISSUES,
  readRecordCsvByCopy,
} from '../../../../pipeline/ingest/foi/record-copy.ts';
import { sha256 } from '../../../../pipeline/runtime/store.ts';
import type { FoiReaderContext } from '../../../../schemas/foi.ts';
import { loadFoiWave } from '../../../../schemas/foi/index.ts';
import { readFoiCsv } from '../../../../sources/foi/csv.ts';
import { makePerReferralCsv } from '../../../fixtures/foi/make-files.ts';
import { freshDatabase, type TestDb } from '../../../support/db.ts';

/**
 * The streaming record path (COPY into foi_referral_row, counted in SQL) against the in-memory
 * reader on the same bytes: same values, issues and exclusions, counted exactly.
 */
const wave = loadFoiWave(2024);
const NOW = new Date('2024-04-02T09:00:00Z');

// Row numbers as papaparse counts them; the comment says where each row goes (2024: FY 2021/22 to 2023/24).
const LINES = [
  'FOI 2024/0312: referrals of children under two', // 1: title, before the header
  '', // 2
  'Referral date,Age at referral,Team,Outcome', // 3: header; the age column names no unit
  '03/05/2021,0,CAMHS,Accepted', // 4: 2021/22, accepted
  '2021-11-20,1.5, Perinatal ,Not accepted', // 5: 2021/22, not accepted
  '1 Jun 2022,6 months,CAMHS,Y', // 6: 2022/23, accepted
  '15-Sept-2022,1 year 6 months,"CAMHS, North",pending', // 7: 2022/23, outcome unreadable
  '28.02.23,23m,,Signposted', // 8: 2022/23, not accepted, no team
  '29/02/2024,1,"Team\twith tab",accepted', // 9: 2023/24, accepted
  '10/10/2023,0,A\\B,', // 10: 2023/24, no outcome
  '2020-12-01,0,CAMHS,Accepted', // 11: out, before 2021/22
  '01/05/2024,0,CAMHS,Accepted', // 12: out, after 2023/24
  '31/13/2023,0,CAMHS,Accepted', // 13: out, no 13th month
  'unknown,1,CAMHS,', // 14: out, unreadable date
  '', // 15: blank, not a row
  '12/12/2022,2,CAMHS,Accepted', // 16: out, 2 with no unit
  '12/12/2022,?,CAMHS,Accepted', // 17: out, unreadable age
  '12/12/2022,2 years,CAMHS,n', // 18: out, 24 months
  '12/12/2022,30 mths,Perinatal', // 19: out, 30 months (short row)
  '05/01/2022', // 20: out, no age at all
  '3/4/22,0.5,Perinatal,Accepted', // 21: 2022/23, accepted
];

describe('record-level csv by COPY (pipeline/foi/record-copy.ts)', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await freshDatabase();
    dir = mkdtempSync(join(tmpdir(), 'census-records-'));
  });
  afterAll(async () => {
    await t.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the bytes where the store would, and records them as received (foi_referral_load needs raw_file). */
  async function stored(name: string, bytes: Buffer): Promise<{ path: string; ctx: FoiReaderContext }> {
    const hash = sha256(bytes);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    await t.db
      .insertInto('raw_file')
      .values({
        sha256: hash,
        size_bytes: bytes.length,
        media_type: 'text/csv',
        first_name: name,
        first_received_at: NOW,
      })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    return { path, ctx: { fileHash: hash, originalName: name, wave, sentDate: wave.sentDate } };
  }
  const deps = () => ({ pool: t.pool, now: NOW });
  const stagedRows = async (hash: string) =>
    Number(
      (
        await t.pool.query(
          'select count(*) as n from foi_referral_row r join foi_referral_load l on l.id = r.load_id where l.sha256 = $1',
          [hash],
        )
      ).rows[0].n,
    );

  it('counts rows per asked period and every exclusion by reason, exactly', async () => {
    const { path, ctx } = await stored('records.csv', Buffer.from(`${LINES.join('\r\n')}\r\n`));
    const read = (await readRecordCsvByCopy(path, ctx, deps()))!;
    expect(read.records).toEqual({
      rowsRead: 17,
      included: 8,
      excluded: { outside_period: 2, age_24_months_or_more: 2, unreadable_date: 2, unreadable_age: 3 },
    });
    const received = read.values.filter((v) => v.basis === 'received');
    expect(received.map((v) => [v.askedPeriodId, v.interval])).toEqual([
      ['fy2021_22', { low: 2, high: 2 }],
      ['fy2022_23', { low: 4, high: 4 }],
      ['fy2023_24', { low: 2, high: 2 }],
    ]);
    // Unreadable outcomes count only towards the high end of accepted.
    expect(read.values.filter((v) => v.basis === 'accepted').map((v) => v.interval)).toEqual([
      { low: 1, high: 1 },
      { low: 2, high: 3 },
      { low: 1, high: 2 },
    ]);
    expect(received[1]!.derivedFrom!.map((p) => [p.service, p.interval.low])).toEqual([
      ['CAMHS', 1],
      ['CAMHS, North', 1],
      ['Perinatal', 1],
    ]);
    expect(received[2]!.derivedFrom!.map((p) => p.service)).toEqual(['A\\B', 'Team\twith tab']);
    expect(read.issues.map((i) => [i.code, i.location.row, i.raw])).toEqual([
      ['referral_date_unreadable', 13, '31/13/2023'],
      ['referral_date_unreadable', 14, 'unknown'],
      ['age_unreadable', 17, '?'],
      ['age_unreadable', 20, ''],
      ['age_unit_unknown', 16, undefined],
      ['records_excluded', 11, 'outside_period'],
      ['records_excluded', 18, 'age_24_months_or_more'],
    ]);
  });

  it('gives what readFoiCsv gives for the same bytes (values, issues, basis, summary)', async () => {
    const bytes = Buffer.from(`${LINES.join('\n')}\n`);
    const { path, ctx } = await stored('same.csv', bytes);
    expect(await readRecordCsvByCopy(path, ctx, deps())).toEqual(await readFoiCsv(bytes, ctx));
  });

  it('reads odd cells as records.ts does: Unicode dashes and spaces, upper case, impossible dates, units', async () => {
    const dates = [
      '03\u201305\u20132021',
      '\u00a012/12/2022\u2003',
      '1.5.2023',
      '12/12/22 10:30',
      '2024-02-30',
      '0099-05-01',
      '2023-06-01T10:00:00Z',
      '7 AUG. 2023',
      'Dec 2022',
      '3/4/2022x',
    ];
    const ages = ['1 YEAR, 2 MONTHS', '2.5y', '12 m', '1500', '1501', '0.5', '1 yr 13 mths', 'two', '23', '-1'];
    const outcomes = [
      'ACCEPTED',
      'Not Accepted',
      '\u00e9accepted',
      'accepted?',
      'no',
      'TRUE',
      'Referral declined',
      'accept',
      '1',
      'x',
    ];
    const rows = dates.flatMap((d, i) =>
      ages.map((a, j) => `"${d}","${a}",T${(i + j) % 3},"${outcomes[(i * 3 + j) % outcomes.length]}"`),
    );
    // The last row has a malformed quote: papaparse's error becomes a csv_malformed issue on both paths.
    const bytes = Buffer.from(
      `Date of referral,Age,Service,Outcome\n${rows.join('\n')}\n01/01/2022,1,"bad"x,Accepted\n`,
    );
    const { path, ctx } = await stored('odd.csv', bytes);
    const read = await readRecordCsvByCopy(path, ctx, deps());
    expect(read).toEqual(await readFoiCsv(bytes, ctx));
    expect(read!.records!.included).toBeGreaterThan(0);
    expect(read!.issues.filter((i) => i.code === 'csv_malformed').length).toBeGreaterThan(0);
  });

  it('reads a windows-1252, semicolon-separated csv with ages in years as readFoiCsv does', async () => {
    const bytes = makePerReferralCsv();
    const { path, ctx } = await stored('cp1252.csv', bytes);
    const read = await readRecordCsvByCopy(path, ctx, deps());
    expect(read).toEqual(await readFoiCsv(bytes, ctx));
    expect(read!.records!.excluded).toMatchObject({ age_24_months_or_more: 1, unreadable_date: 1 });
    expect(read!.values[0]!.derivedFrom![0]!.service).toBe('Children’s CAMHS');
  });

  it('runs 2023/24 to the year end for a row dated after the sent date, as readFoiCsv does (issue #15)', async () => {
    const bytes = Buffer.from('Referral date,Age (months)\n02/05/2023,3\n16/03/2024,18\n2024-03-20,30\n');
    const { path, ctx } = await stored('after-sent.csv', bytes);
    const read = (await readRecordCsvByCopy(path, ctx, deps()))!;
    expect(read).toEqual(await readFoiCsv(bytes, ctx));
    expect(read.values.find((v) => v.askedPeriodId === 'fy2023_24')).toMatchObject({
      period: { start: '2023-04-01', end: '2024-03-31', type: 'financial_year' },
      flags: [],
    });
  });

  it('replaces an earlier load of the same file instead of adding to it', async () => {
    const bytes = Buffer.from(`${LINES.join('\n')}\n`);
    const { path, ctx } = await stored('again.csv', bytes);
    await readRecordCsvByCopy(path, ctx, deps());
    const again = await readRecordCsvByCopy(path, ctx, deps());
    expect(again!.records!.rowsRead).toBe(17);
    expect(await stagedRows(ctx.fileHash)).toBe(17);
  });

  it('returns null and stages nothing for a csv of counts by period', async () => {
    const bytes = Buffer.from('Financial year,Referrals received\n2021/22,14\n2022/23,<5\n');
    const { path, ctx } = await stored('per-period.csv', bytes);
    expect(await copyRecordCsv(path, { sha256: ctx.fileHash, wave: 2024 }, deps())).toBeNull();
    expect(await stagedRows(ctx.fileHash)).toBe(0);
  });

  it('rolls back a load that fails part way and leaves the database usable', async () => {
    // A trailing blank line: bytes of their own, so no earlier test's load shares the hash.
    const { path, ctx } = await stored('fails.csv', Buffer.from(`${LINES.join('\n')}\n\n`));
    // A wave outside integer range: the load row cannot be written once the header is found.
    await expect(copyRecordCsv(path, { sha256: ctx.fileHash, wave: 1e10 }, deps())).rejects.toThrow(/out of range/);
    expect(await stagedRows(ctx.fileHash)).toBe(0);
    expect((await readRecordCsvByCopy(path, ctx, deps()))!.records!.rowsRead).toBe(17);
  });

  it(`lists at most ${MAX_ROW_ISSUES} unreadable rows one by one, then says how many more`, async () => {
    const rows = Array.from({ length: MAX_ROW_ISSUES + 5 }, (_, i) => `not a date ${i},0`);
    const { path, ctx } = await stored(
      'broken.csv',
      Buffer.from(`Referral date,Age (months)\n${rows.join('\n')}\n03/05/2021,3\n`),
    );
    const load = (await copyRecordCsv(path, { sha256: ctx.fileHash, wave: 2024 }, deps()))!;
    const agg = await countRecordLoad(load, ctx, t.pool);
    expect(agg.excluded.unreadable_date).toBe(MAX_ROW_ISSUES + 5);
    expect(agg.issues.filter((i) => i.code === 'referral_date_unreadable')).toHaveLength(MAX_ROW_ISSUES);
    expect(agg.issues.find((i) => i.code === 'records_issues_truncated')).toMatchObject({
      location: { row: MAX_ROW_ISSUES + 2 },
    });
    expect(agg.issues.find((i) => i.code === 'records_issues_truncated')!.message).toMatch(/^5 more rows/);
    expect(agg.tallies[0]!.received).toBe(1);
  });
});
