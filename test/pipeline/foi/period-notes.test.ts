import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegisterFile } from '../../../pipeline/foi/register-load.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

/**
 * foi.md "Periods written every way": the dates a year covers, said in a note of the workbook itself
 * ("FY23/24 covers 1 April 2023 to 31 March 2024") or only in the e-mail the workbook came attached to
 * ("the figures for 2023/24 are for 1 April 2023 to 31 January 2024"), decide that year's period (v9
 * corpus: both were cut at the day the request was sent and flagged as part years).
 */
async function workbook(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Response');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const TABLE = [
  ['Financial year', 'Referrals received (0-23 months)', 'Referrals accepted'],
  ['2021/22', 5, 4],
  ['2022/23', 7, 7],
  ['2023/24', 16, 12],
];

function mailWithAttachment(trust: string, body: string[], name: string, bytes: Buffer): string {
  const b = 'BOUNDARY-census-test';
  return [
    `From: FOI Team <foi@trust.example.nhs.uk>`,
    'To: research@pip.example.org',
    'Subject: Your request PIP-FOI-2024-0673',
    'Date: Thu, 28 Mar 2024 10:00:00 +0000',
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear Requester,',
    '',
    ...body,
    '',
    'Kind regards,',
    trust,
    '',
    `--${b}`,
    `Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="${name}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${name}"`,
    '',
    ...(bytes.toString('base64').match(/.{1,76}/g) ?? []),
    `--${b}--`,
    '',
  ].join('\r\n');
}

describe('the dates a year covers, said in a note', () => {
  let t: TestDb;
  const period = async (ods: string) =>
    (
      await t.pool.query(
        `select v.question_id, v.period_end::text as end, v.flags from foi_value v
         join foi_response r on r.id = v.response_id join foi_request q on q.id = r.request_id
         where q.trust_ods = $1 and v.period_start = '2023-04-01' order by v.question_id`,
        [ods],
      )
    ).rows.map((r) => [r.question_id.slice(0, 2), r.end, r.flags.includes('partial_period')]);

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, testCtx(t, { now: '2024-03-11T12:00:00Z' }));
    const name = async (ods: string) =>
      (await t.pool.query('select name from trust where ods_code = $1', [ods])).rows[0].name as string;
    const dir = mkdtempSync(join(tmpdir(), 'period-notes-'));
    writeFileSync(
      join(dir, 'DPT FOI 1553 response.xlsx'),
      await workbook([[await name('RWV')], [], ...TABLE, [], ['Note: FY23/24 covers 1 April 2023 to 31 March 2024.']]),
    );
    writeFileSync(
      join(dir, 'FOI 24-0673 reply.eml'),
      mailWithAttachment(
        await name('RX2'),
        [
          'Please find our response attached.',
          'Please note that the figures for 2023/24 are for 1 April 2023 to 31 January 2024.',
        ],
        'FOI 24-0673 figures.xlsx',
        await workbook(TABLE),
      ),
    );
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' },
      testCtx(t, { now: '2024-04-20T12:00:00Z' }),
    );
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it("takes a workbook's own note that the year is whole", async () => {
    expect(await period('RWV')).toEqual([
      ['q2', '2024-03-31', false],
      ['q3', '2024-03-31', false],
    ]);
  });

  it('gives an attachment the dates its e-mail says the year covers', async () => {
    expect(await period('RX2')).toEqual([
      ['q2', '2024-01-31', true],
      ['q3', '2024-01-31', true],
    ]);
  });
});

describe('the dates a covering e-mail says, for a file sent alongside it, whichever is loaded first', () => {
  let t: TestDb;
  const ends = async (ods: string) =>
    (
      await t.pool.query(
        `select v.question_id, v.period_end::text as end, v.period_type, v.flags, v.evidence from foi_value v
         join foi_response r on r.id = v.response_id join foi_request q on q.id = r.request_id
         join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave
         where q.trust_ods = $1 and v.period_start = '2023-04-01' and f.original_name like '%.csv' order by v.question_id`,
        [ods],
      )
    ).rows;
  const CSV = ['Financial year,Referrals received,Referrals accepted', '2021/22,10,6', '2022/23,17,11', '2023/24,13,9'];
  const mail = (ref: string) =>
    [
      'From: FOI Team <foi@trust.example.nhs.uk>',
      'To: research@pip.example.org',
      `Subject: Your request ${ref}`,
      'Date: Tue, 16 Apr 2024 09:30:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Please find our response to ${ref} in the csv sent with this e-mail.`,
      'The data covers referrals received between 1 January 2021 and 29 February 2024.',
      '',
    ].join('\r\n');

  beforeAll(async () => {
    t = await freshDatabase();
    const ctx = () => testCtx(t, { now: '2024-04-20T12:00:00Z' });
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const refs = { RXM: 'PIP-FOI-2024-031', RXE: 'PIP-FOI-2024-032' };
    const register = join(mkdtempSync(join(tmpdir(), 'covering-register-')), 'register.csv');
    writeFileSync(
      register,
      ['Our ref,ODS code,Date sent', `${refs.RXM},RXM,11/03/2024`, `${refs.RXE},RXE,11/03/2024`].join('\n'),
    );
    await loadRegisterFile({ path: register, wave: 2024 }, ctx());
    const load = async (files: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'covering-notes-'));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      await ingest({ paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' }, ctx());
    };
    // RXM: the csv first, its e-mail in a later ingest; RXE: the e-mail first.
    await load({ [`${refs.RXM} data.csv`]: CSV.join('\n') });
    await load({
      [`${refs.RXM} covering email.eml`]: mail(refs.RXM),
      [`${refs.RXE} covering email.eml`]: mail(refs.RXE),
    });
    // (other counts: the same bytes would be the same file)
    await load({ [`${refs.RXE} data.csv`]: CSV.join('\n').replace('13,9', '14,8') });
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('gives the same year end, flags and evidence in both orders', async () => {
    const [a, b] = [await ends('RXM'), await ends('RXE')];
    expect(a.map((r) => [r.question_id.slice(0, 2), r.end, r.flags.includes('partial_period')])).toEqual([
      ['q2', '2024-02-29', true],
      ['q3', '2024-02-29', true],
    ]);
    expect(b).toEqual(a);
    expect(a[0].evidence).toContain('dates from the note: The data covers referrals received between 1 January 2021');
  });
});

describe('an e-mail saying every referral its attachment lists was accepted (v14 corpus)', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, testCtx(t, { now: '2024-03-11T12:00:00Z' }));
    const name = (await t.pool.query(`select name from trust where ods_code = 'RWV'`)).rows[0].name as string;
    const dir = mkdtempSync(join(tmpdir(), 'all-accepted-'));
    writeFileSync(
      join(dir, 'DPT FOI 0996 reply.eml'),
      mailWithAttachment(
        name,
        ['1. Yes.', '2. and 3. Please see the attached spreadsheet. All referrals listed were accepted.', '4. No.'],
        'FOI0996 referrals.xlsx',
        await workbook([
          ['Financial year', 'Referrals received (0-23 months)'],
          ['2021/22', 10],
          ['2022/23', 15],
        ]),
      ),
    );
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' },
      testCtx(t, { now: '2024-04-20T12:00:00Z' }),
    );
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it("gives the attachment's received counts as its accepted ones, quoting the e-mail", async () => {
    const rows = (
      await t.pool.query(
        `select v.question_id, v.period_start::text as start, v.low, v.evidence from foi_value v
         join foi_response r on r.id = v.response_id join foi_request q on q.id = r.request_id
         where q.trust_ods = 'RWV' and v.question_id like 'q3%' order by v.period_start`,
      )
    ).rows;
    expect(rows.map((r) => [r.start, Number(r.low)])).toEqual([
      ['2021-04-01', 10],
      ['2022-04-01', 15],
    ]);
    expect(rows[0].evidence).toMatch(/All referrals listed were accepted/);
  });
});
