import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodingSheet, loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { loadFoi } from '../../../pipeline/report/foi-data.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/** Issue 15: the report says how many FOI values were read automatically and how many a person coded. */

describe('FOI values read automatically or coded by a person, for the report', () => {
  let t: TestDb;
  const ctx = () => testCtx(t, { now: '2024-05-01T09:00:00Z' });
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const dir = writeReplies({
      read: reply({ ...fullReply(4), trustHint: { ods: 'RWX' } }),
      scan: reply({ needsManualCoding: true, trustHint: { ods: 'RPG' } }),
      // A count of the band "0-2 yrs": read, not a suggestion, but a person must say what it is.
      band: reply({
        values: [
          count('q2_referrals_under2', 'fy2021_22', 11, {
            ageBand: { label: '0-2 yrs', months: [0, 35], exact: false },
            flags: ['band_mismatch'],
          }),
        ],
        trustHint: { ods: 'RXT' },
      }),
    });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx(),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('marks the values a person coded on the coding sheet, and only those', async () => {
    const before = await loadFoi(ctx(), 2024, '2024-05-01', 2025);
    expect(before.values.length).toBeGreaterThan(0);
    expect(before.values.filter((v) => v.byPerson).length).toBe(0);
    expect(before.awaitingPerson).toBe(0);

    const { bytes } = await buildCodingSheet(2024, ctx());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Coding')!;
    const headers = (ws.getRow(1).values as string[]).slice(1);
    const cell = (n: number, h: string) => ws.getRow(n).getCell(headers.indexOf(h) + 1);
    for (let n = 2; n <= ws.rowCount; n++) {
      const id = ['Trust', 'Question', 'Period'].map((h) => String(cell(n, h).value ?? '')).join('|');
      if (id === 'RPG|q2_referrals_under2|2022/23') cell(n, 'Low').value = 7;
      if (id === 'RPG|q1_accepts_under2|') cell(n, 'Yes/No').value = 'yes';
      if (id === 'RXT|q2_referrals_under2|2021/22') cell(n, 'Low').value = 6;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'coding-')), 'coding-2024.xlsx');
    writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(await loadCodingSheet({ path: file, wave: 2024, by: 'A. Researcher' }, ctx())).toMatchObject({
      recorded: 3,
    });

    const after = await loadFoi(ctx(), 2024, '2024-05-01', 2025);
    expect(after.values.filter((v) => v.byPerson).map((v) => [v.ods, v.questionId, v.periodId])).toEqual([
      ['RPG', 'q1_accepts_under2', null],
      ['RPG', 'q2_referrals_under2', 'fy2022_23'],
      ['RXT', 'q2_referrals_under2', 'fy2021_22'],
    ]);
    // The person's value replaces the band-mismatch reading of that reply: the report uses 6, not 11.
    expect(after.values.filter((v) => v.ods === 'RXT').map((v) => [v.value, v.byPerson])).toEqual([
      [{ low: 6, high: 6 }, true],
    ]);
    expect(after.values.filter((v) => !v.byPerson).length).toBe(before.values.length - 1);
  });
});
