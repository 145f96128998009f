import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegisterFile } from '../../../pipeline/foi/register-load.ts';
import { requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

/**
 * foi.md: "the attachment arrives inside the .eml or as a separate file sent alongside it (same
 * reference in both names)". A file sent alongside its covering e-mail takes the e-mail's date, also when
 * it is read first and matched on its own (its name carries our reference): it was dated the day census
 * received it, and its request shown long overdue.
 */
const SENT = '2024-03-11';
const at = (day: string) => `${day}T12:00:00Z`;

function mail(ref: string, date: string | null): string {
  return [
    'From: FOI Team <foi@trust.example.nhs.uk>',
    'To: research@pip.example.org',
    `Subject: Your request ${ref}`,
    ...(date === null ? [] : [`Date: ${date}`]),
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear Requester,',
    '',
    `Please find attached our response to your request ${ref}: the figures are in the csv sent with this e-mail.`,
    '',
    'Kind regards,',
    'Information Governance Team',
    '',
  ].join('\r\n');
}
const CSV = ['Financial year,Referrals received,Referrals accepted', '2021/22,10,6', '2022/23,17,11', '2023/24,20,14'];

describe('a file sent alongside its covering e-mail', () => {
  let t: TestDb;
  const replyOf = async (file: string) =>
    (
      await t.pool.query(
        `select r.reply_date::text as date, q.trust_ods as ods,
           (select count(*)::int from data_issue i where i.sha256 = r.sha256 and i.code = 'reply_date_assumed') as assumed
         from foi_response r join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave
         left join foi_request q on q.id = r.request_id where f.original_name = $1`,
        [file],
      )
    ).rows[0] as { date: string; ods: string | null; assumed: number };

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
    const dir = mkdtempSync(join(tmpdir(), 'sibling-date-'));
    const register = join(mkdtempSync(join(tmpdir(), 'sibling-register-')), 'register.csv');
    writeFileSync(
      register,
      [
        'Our ref,ODS code,Date sent,Date of reply',
        'PIP-FOI-2024-002,R1L,11/03/2024,',
        'PIP-FOI-2024-004,RKL,11/03/2024,',
        'PIP-FOI-2024-006,RXT,11/03/2024,09/04/2024',
        'PIP-FOI-2024-008,RV3,11/03/2024,',
      ].join('\n'),
    );
    await loadRegisterFile({ path: register, wave: 2024 }, testCtx(t, { now: at(SENT) }));
    // "data.csv" is read before "response.eml"; both name our reference, so each is matched on its own.
    writeFileSync(join(dir, 'PIP-FOI-2024-002 data.csv'), CSV.join('\n'));
    writeFileSync(
      join(dir, 'PIP-FOI-2024-002 response.eml'),
      mail('PIP-FOI-2024-002', 'Tue, 16 Apr 2024 09:30:00 +0100'),
    );
    // An e-mail with no date of its own gives none: its csv keeps the day census received it, and says so.
    writeFileSync(join(dir, 'PIP-FOI-2024-004 data.csv'), [...CSV, ''].join('\n').replace('10,6', '9,5'));
    writeFileSync(join(dir, 'PIP-FOI-2024-004 response.eml'), mail('PIP-FOI-2024-004', null));
    // v9 corpus: no date in the reply nor its e-mail, but the register says the day it came.
    writeFileSync(join(dir, 'PIP-FOI-2024-006 response.eml'), mail('PIP-FOI-2024-006', null));
    // v11 corpus: the trust's clarification e-mail of the same reference is no covering e-mail of the reply.
    writeFileSync(
      join(dir, 'PIP-FOI-2024-008 clarification.eml'),
      mail('PIP-FOI-2024-008', 'Mon, 18 Mar 2024 15:30:00 +0000').replace(
        /Please find attached[^\r]*/,
        'Could you please clarify whether you are asking about CAMHS only?',
      ),
    );
    writeFileSync(join(dir, 'PIP-FOI-2024-008 data.csv'), [...CSV, ''].join('\n').replace('10,6', '8,4'));
    const s = await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' },
      testCtx(t, { now: at('2024-06-20') }),
    );
    expect(s.files.map((f) => f.status)).toEqual(Array(7).fill('loaded'));
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('takes the date of the e-mail it was sent with, though read and matched before it', async () => {
    const csv = await replyOf('PIP-FOI-2024-002 data.csv');
    expect(csv).toMatchObject({ date: '2024-04-16', assumed: 0 });
    expect(csv.ods).toBe('R1L');
    const [r] = await requestStatuses({ wave: 2024, trust: 'R1L', asOf: '2024-06-28' }, testCtx(t));
    expect(r!.status.firstReply).toBe('2024-04-16');
    expect(r!.status.issues.map((i) => i.code)).not.toContain('reply_date_assumed');
    expect(r!.status.history.map((h) => h.date)).not.toContain('2024-06-20');
  });

  it("takes the register's date of reply when neither the reply nor its e-mail has a date", async () => {
    expect(await replyOf('PIP-FOI-2024-006 response.eml')).toMatchObject({
      date: '2024-04-09',
      assumed: 0,
      ods: 'RXT',
    });
  });

  it("never takes the date of the trust's clarification e-mail of the same reference", async () => {
    expect((await replyOf('PIP-FOI-2024-008 data.csv')).date).not.toBe('2024-03-18');
  });

  it('keeps the day it was received when the e-mail has no date either', async () => {
    expect(await replyOf('PIP-FOI-2024-004 data.csv')).toMatchObject({ date: '2024-06-20', assumed: 1 });
    expect(await replyOf('PIP-FOI-2024-004 response.eml')).toMatchObject({ date: '2024-06-20', assumed: 1 });
  });
});
