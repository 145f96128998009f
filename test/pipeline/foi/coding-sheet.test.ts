import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodingSheet, loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { issue } from '../../../schemas/issue.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { fillCodingSheet } from '../../support/coding-sheet.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

describe('the coding sheet round trip', () => {
  let t: TestDb;
  const ctx = (now = '2024-05-01T09:00:00Z') => testCtx(t, { now });
  const coded = async () => (await t.pool.query("select * from foi_value where method = 'coded' order by id")).rows;

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const band = fullReply(4);
    band.values[2] = count('q2_referrals_under2', 'fy2022_23', 4, {
      ageBand: { label: '0-4 years', months: [0, 59], exact: false },
      flags: ['band_mismatch'],
      quote: '2022/23 (ages 0-4): 4',
    });
    const noQ5 = fullReply();
    noQ5.textAnswers = noQ5.textAnswers.filter((a) => a.questionId !== 'q5_receiving_service');
    // q1 kept as text whose yes or no could not be read: a person is asked for it (v6 corpus: "see notes").
    const q1Unread = fullReply();
    q1Unread.textAnswers = q1Unread.textAnswers.map((a) =>
      a.questionId === 'q1_accepts_under2' ? { ...a, yesNo: null, text: 'Please see the notes below.' } : a,
    );
    const dir = writeReplies({
      'q1-unread': reply({ ...q1Unread, trustHint: { ods: 'RXT' } }),
      scan: reply({
        needsManualCoding: true,
        trustHint: { ods: 'RPG' },
        issues: [
          issue(
            'needs_manual_coding',
            'warning',
            'Page 1 has no text layer (a scan or an image); a person must read it.',
            { page: 1 },
          ),
        ],
      }),
      band: reply({ ...band, trustHint: { ods: 'RWX' } }),
      'no-q5': reply({ ...noQ5, trustHint: { ods: 'RV5' } }),
    });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx('2024-04-05T09:00:00Z'),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('writes one row per trust x question x period needing a person, the text found beside blank cells', async () => {
    const { rows, bytes } = await buildCodingSheet(2024, ctx());
    expect(rows.map((r) => [r.trustOds, r.questionId, r.periodId, r.reason])).toEqual([
      ['RPG', 'q1_accepts_under2', null, 'manual_coding'],
      ...['fy2021_22', 'fy2022_23', 'fy2023_24'].map((p) => ['RPG', 'q2_referrals_under2', p, 'manual_coding']),
      ...['fy2021_22', 'fy2022_23', 'fy2023_24'].map((p) => ['RPG', 'q3_accepted_under2', p, 'manual_coding']),
      ['RPG', 'q4_parent_infant_service', null, 'manual_coding'],
      ['RPG', 'q5_receiving_service', null, 'manual_coding'],
      ['RV5', 'q5_receiving_service', null, 'uncoded'],
      ['RWX', 'q2_referrals_under2', 'fy2022_23', 'band_mismatch'],
      ['RXT', 'q1_accepts_under2', null, 'uncoded'],
    ]);
    expect(rows[0]).toMatchObject({
      extracted: 'Page 1 has no text layer (a scan or an image); a person must read it.',
      location: 'p1',
    });
    expect(rows.at(-2)).toMatchObject({
      extracted: '[4, 4] for ages "0-4 years": 2022/23 (ages 0-4): 4',
      location: 'p1:10',
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Coding')!;
    expect(ws.getColumn(1).hidden).toBe(true);
    const headers = (ws.getRow(1).values as string[]).slice(1);
    const dv = (h: string) => ws.getRow(2).getCell(headers.indexOf(h) + 1).dataValidation;
    expect(dv('Flags')).toMatchObject({
      type: 'list',
      formulae: ['"suppressed,partial_period,band_mismatch,incomplete,total_mismatch,approximate"'],
    });
    expect(dv('Accept band mismatch')).toMatchObject({ type: 'list', formulae: ['"yes,no"'] });
    expect(ws.getRow(2).getCell(headers.indexOf('Low') + 1).value).toBeNull();
  });

  it('records filled rows as coded values once, a second load changing nothing, and shows a conflict', async () => {
    const { bytes } = await buildCodingSheet(2024, ctx());
    const file = await fillCodingSheet(bytes, {
      'RPG|q1_accepts_under2|': {
        'Yes/No': 'yes',
        'Text answer': 'Yes, via perinatal',
        Page: 1,
        'Quote as read': 'Yes, we accept referrals',
      },
      'RPG|q2_referrals_under2|2021/22': { Low: 5, Page: 2 },
      'RPG|q2_referrals_under2|2022/23': {
        Low: 0,
        'High (blank = low, "open")': 4,
        Flags: 'suppressed',
        Exemptions: 'section 40(2)',
      },
      'RPG|q2_referrals_under2|2023/24 (to date)': { 'Missing reason': 'not_held' },
      'RV5|q5_receiving_service|': { 'Text answer': 'CAMHS and perinatal' },
      'RWX|q2_referrals_under2|2022/23': { 'Accept band mismatch': 'yes', Low: 6 },
    });
    const first = await loadCodingSheet({ path: file, wave: 2024, by: 'A. Researcher' }, ctx());
    expect(first).toMatchObject({ filled: 6, recorded: 6, corrected: 0, unchanged: 0 });
    expect(first.issues.map((i) => [i.code, i.location.row])).toEqual([['coding_conflict', 12]]);
    expect(first.issues[0]!.message).toMatch(
      /A\. Researcher coded q2_referrals_under2 fy2022_23 as \[6, 6\] but the reply was read automatically as \[4, 4\] at p1:10/,
    );
    const rows = await coded();
    expect(
      rows.find((r) => r.question_id === 'q2_referrals_under2' && r.period_id === 'fy2022_23' && r.low === '0'),
    ).toMatchObject({
      high: '4',
      flags: ['suppressed'],
      exemptions: ['s40(2)'],
      age_band_exact: true,
      basis: 'received',
      method: 'coded',
      coded_by: 'A. Researcher',
      quote: '(coded by hand; no quote typed)',
    });
    expect(rows.find((r) => r.band_accepted === true)).toMatchObject({
      low: '6',
      age_band_label: '0-4 years',
      flags: ['band_mismatch'],
      page: 1,
      line: 10,
      quote: '2022/23 (ages 0-4): 4',
    });
    expect(rows.every((r) => r.coded_at.toISOString() === '2024-05-01T09:00:00.000Z')).toBe(true);

    const second = await loadCodingSheet({ path: file, wave: 2024, by: 'Someone Else' }, ctx('2024-05-02T09:00:00Z'));
    expect(second).toMatchObject({ recorded: 0, corrected: 0, unchanged: 6 });
    expect(await coded()).toEqual(rows);
    expect(
      (await t.pool.query("select count(*)::int as n from data_issue where code = 'coding_conflict'")).rows[0].n,
    ).toBe(1);
  });

  it('asks only for what is still missing next time, and the coded answers count for the status', async () => {
    const { rows } = await buildCodingSheet(2024, ctx());
    expect(rows.map((r) => [r.trustOds, r.questionId, r.periodId])).toEqual([
      ...['fy2021_22', 'fy2022_23', 'fy2023_24'].map((p) => ['RPG', 'q3_accepted_under2', p]),
      ['RPG', 'q4_parent_infant_service', null],
      ['RPG', 'q5_receiving_service', null],
      ['RXT', 'q1_accepts_under2', null],
    ]);
    const lines = await requestStatuses({ wave: 2024, asOf: '2024-05-01' }, ctx());
    expect(lines.find((l) => l.request.ods === 'RV5')!.status.status).toBe('answered');
    // Until a person says yes or no, the reply answers q1 for nobody.
    expect(lines.find((l) => l.request.ods === 'RXT')!.status.status).toBe('partial');
    expect(lines.find((l) => l.request.ods === 'RPG')!.status).toMatchObject({
      status: 'partial',
      questions: { q1_accepts_under2: 'answered', q2_referrals_under2: 'not_held', q3_accepted_under2: 'missing' },
    });
  });

  it('keeps a changed answer as a correction of the earlier one, and refuses an unreadable cell with an error', async () => {
    const { bytes } = await buildCodingSheet(2024, ctx());
    const file = await fillCodingSheet(bytes, {
      'RPG|q3_accepted_under2|2021/22': { Low: 'lots' },
      'RPG|q4_parent_infant_service|': { 'Yes/No': 'no' },
    });
    const r = await loadCodingSheet({ path: file, wave: 2024, by: 'A. Researcher' }, ctx());
    expect(r).toMatchObject({ filled: 2, recorded: 1 });
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'coding_value_unreadable',
        severity: 'error',
        raw: 'lots',
        location: expect.objectContaining({ sheet: 'Coding', row: 2 }),
      }),
    ]);
    // RV5's coded row again with another answer (a sheet keeps working with only the key and answer columns).
    const key = (await t.pool.query("select coding_key from foi_value where text_value = 'CAMHS and perinatal'"))
      .rows[0].coding_key as string;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Coding');
    ws.addRow([
      'key',
      'Low',
      'High (blank = low, "open")',
      'Yes/No',
      'Text answer',
      'Missing reason',
      'Flags',
      'Exemptions',
      'Age band as given',
      'Page',
      'Quote as read',
      'Accept band mismatch',
      'Note / reason',
    ]);
    ws.addRow([
      key,
      null,
      null,
      null,
      'CAMHS only',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'trust corrected its reply',
    ]);
    const file2 = join(mkdtempSync(join(tmpdir(), 'coding-')), 'fix.xlsx');
    writeFileSync(file2, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(await loadCodingSheet({ path: file2, wave: 2024, by: 'B. Checker' }, ctx())).toMatchObject({
      corrected: 1,
      recorded: 0,
    });
    const chain = (
      await t.pool.query(
        'select v.text_value, v.correction_reason, c.text_value as corrects from foi_value_current v join foi_value c on c.id = v.correction_of',
      )
    ).rows;
    expect(chain).toEqual([
      { text_value: 'CAMHS only', correction_reason: 'trust corrected its reply', corrects: 'CAMHS and perinatal' },
    ]);
  });
});
