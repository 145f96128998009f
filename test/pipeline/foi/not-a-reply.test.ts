import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

/**
 * foi.md "The request register": a trust's e-mail asking us to clarify the request, or saying the
 * reply will be late, is an event of the request, never its reply (sources/foi/reply-kind.ts).
 */
const SENT = '2024-03-11';
const at = (day: string) => `${day}T12:00:00Z`;

function mail(trust: string, subject: string, body: string[]): string {
  return [
    'From: FOI Team <foi@trust.example.nhs.uk>',
    'To: research@pip.example.org',
    `Subject: ${subject}`,
    'Date: Tue, 26 Mar 2024 10:12:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear Requester,',
    '',
    ...body,
    '',
    'Kind regards,',
    'Information Governance Team',
    trust,
    '',
  ].join('\r\n');
}

describe('mail from a trust that is not its reply', () => {
  let t: TestDb;
  /** The trust's name, signed at the foot of its e-mail (how it is matched here). */
  const nameOf = async (ods: string): Promise<string> =>
    (await t.pool.query('select name from trust where ods_code = $1', [ods])).rows[0].name as string;

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
    const dir = mkdtempSync(join(tmpdir(), 'not-a-reply-'));
    writeFileSync(
      join(dir, 'clarify.eml'),
      mail(await nameOf('RT1'), 'Clarification required - FOI 2024/117', [
        'Thank you for your request for information, our reference FOI 2024/117.',
        'Could you please clarify whether you are asking about referrals to the perinatal service or to CAMHS?',
        'Once we receive your clarification the 20 working days will start again.',
      ]),
    );
    writeFileSync(
      join(dir, 'holding.eml'),
      mail(await nameOf('RXV'), 'Your request FOI-3321', [
        'We write about your request FOI-3321.',
        'We apologise for the delay in responding: we need more time to gather the information and aim to respond by 30 April 2024.',
      ]),
    );
    // v9 corpus: a delay said without "delay" or "more time".
    writeFileSync(
      join(dir, 'update.eml'),
      mail(await nameOf('RT2'), 'FOI-PCFT-2403-77 update', [
        'We are writing to let you know that we have not yet been able to complete our response to your request, for which we apologise.',
        'The information is being collated by our CAMHS teams and we hope to send you a full response by 30 April 2024.',
      ]),
    );
    // v10 corpus: "not yet been able to respond".
    writeFileSync(
      join(dir, 'sorry.eml'),
      mail(await nameOf('RXY'), 'Your request PIP-FOI-2024-029', [
        'We are sorry that we have not yet been able to respond to your request. We are gathering the information from our clinical systems and aim to respond as soon as possible.',
      ]),
    );
    // v11 corpus: "not been able to complete your request ... within 20 working days", a reply hoped for "within".
    writeFileSync(
      join(dir, 'late.eml'),
      mail(await nameOf('RWK'), 'FOI 26/512 - update on your request', [
        'We are sorry that we have not been able to complete your request FOI 26/512 within 20 working days. The',
        'information is being collated by our CAMHS data team and we hope to send a full response within the next',
        '10 working days.',
      ]),
    );
    const s = await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' },
      testCtx(t, { now: at('2024-03-27') }),
    );
    for (const f of s.files) {
      expect(f.issues.map((i) => i.code)).toContain('reply_not_an_answer');
      expect(f.issues.map((i) => i.code)).not.toContain('foi_reply_unmatched');
    }
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it('a clarification e-mail makes the status clarification, not a reply', async () => {
    const [r] = await requestStatuses({ wave: 2024, trust: 'RT1', asOf: '2024-04-02' }, testCtx(t));
    expect(r!.status.status).toBe('clarification');
    expect(r!.status.firstReply ?? null).toBeNull();
    expect(r!.status.issues.map((i) => i.code)).toContain('reply_not_an_answer');
  });

  it('a holding e-mail is no reply: the request is overdue once its due date passes', async () => {
    const [r] = await requestStatuses({ wave: 2024, trust: 'RXV', asOf: '2024-05-01' }, testCtx(t));
    expect(r!.status.status).toBe('overdue');
    expect(r!.status.firstReply ?? null).toBeNull();
    const view = await t.pool.query(
      "select replies from report_foi_request where wave = 2024 and trust_ods in ('RT1', 'RXV') order by trust_ods",
    );
    expect(view.rows.map((x) => x.replies ?? 0)).toEqual([0, 0]);
  });
});

describe('the register as of a date before some requests were sent', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });
  it('leaves out the requests not sent yet (the whole listing no longer fails); one asked for by trust is an error', async () => {
    expect(await requestStatuses({ wave: 2024, asOf: '2024-03-01' }, testCtx(t))).toEqual([]);
    expect((await requestStatuses({ wave: 2024, asOf: '2024-03-11' }, testCtx(t))).length).toBeGreaterThan(40);
    await expect(requestStatuses({ wave: 2024, trust: 'RT1', asOf: '2024-03-01' }, testCtx(t))).rejects.toThrow(
      /before the request was sent/,
    );
  });
});

describe('a reply from the trust a requested trust merged into', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: SENT }, testCtx(t, { now: at(SENT) }));
    dir = mkdtempSync(join(tmpdir(), 'merged-'));
    const body = (about: string) =>
      [
        'From: Information Rights <foi@example.nhs.uk>',
        'To: research@example.org',
        'Subject: Your FOI request about referrals of children under two',
        'Date: Thu, 14 Nov 2024 10:00:00 +0000',
        '',
        about,
        '',
        'Q1. Yes.',
        'Q4. No.',
        '',
        'Information Rights, North London NHS Foundation Trust',
        '',
      ].join('\r\n');
    writeFileSync(
      join(dir, 'named.eml'),
      body(
        'We write about your request to Camden and Islington NHS Foundation Trust, which became part of North London NHS Foundation Trust on 1 November 2024.',
      ),
    );
    writeFileSync(join(dir, 'unnamed.eml'), body('We write about your request of March 2024.'));
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' },
      testCtx(t, { now: at('2024-11-20') }),
    );
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });
  it('answers the request of the former trust it names; naming none, it waits for a person with the former trusts as candidates', async () => {
    const rows = (
      await t.pool.query(
        `select f.original_name as file, q.trust_ods as asked, r.match_method as method
         from foi_response r join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave
         left join foi_request q on q.id = r.request_id order by 1`,
      )
    ).rows;
    expect(rows).toEqual([
      { file: 'named.eml', asked: 'TAF', method: 'successor' },
      { file: 'unnamed.eml', asked: null, method: null },
    ]);
  });
});
