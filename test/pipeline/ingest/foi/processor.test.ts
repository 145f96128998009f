import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foiProcessorFor } from '../../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../../pipeline/foi/send.ts';
import { listUnmatched, matchByHand } from '../../../../pipeline/foi/unmatched.ts';
import { ingest, type IngestSummary } from '../../../../pipeline/ingest/job.ts';
import { sha256 } from '../../../../pipeline/runtime/store.ts';
import * as files from '../../../fixtures/foi/make-files.ts';
import * as pdfs from '../../../fixtures/foi/make-pdf.ts';
import { freshDatabase, type TestDb } from '../../../support/db.ts';
import { testCtx } from '../../../support/ctx.ts';

/** The fixture replies, re-addressed from fictional trusts to real ones where a match is wanted. */
async function inbox(): Promise<{ dir: string; hashes: Record<string, string>; attachment: Buffer }> {
  const dir = mkdtempSync(join(tmpdir(), 'foi-inbox-'));
  const { eml, attachment } = await files.makeEml();
  const out: Record<string, Buffer> = {
    'letter.pdf': await pdfs.renderPdf([['Oxleas NHS Foundation Trust (RPG)', ...pdfs.LETTER.slice(1)]]),
    'by-team.pdf': await pdfs.renderPdf([
      ['Barnet, Enfield and Haringey Mental Health NHS Trust', ...pdfs.BY_TEAM.slice(1)],
    ]),
    'reply.eml': Buffer.from(eml.toString('latin1').replace('foi@northshire.nhs.uk', 'foi@slam.nhs.uk'), 'latin1'),
    'reply.txt': Buffer.from(
      files
        .makeTextReply()
        .toString('utf8')
        .replace('Southmere Partnership NHS Foundation Trust', 'Devon Partnership NHS Trust'),
    ),
    'referrals.csv': files.makePerReferralCsv(),
    'scan.pdf': await pdfs.makeScannedPdf(),
  };
  for (const [name, bytes] of Object.entries(out)) writeFileSync(join(dir, name), bytes);
  return { dir, hashes: Object.fromEntries(Object.entries(out).map(([n, b]) => [n, sha256(b)])), attachment };
}

const COUNTED = ['raw_file', 'file_receipt', 'foi_response', 'foi_value', 'foi_status_event', 'data_issue'];

describe('ingest of FOI replies', () => {
  let t: TestDb;
  let box: Awaited<ReturnType<typeof inbox>>;
  let first: IngestSummary;
  const ctx = () => testCtx(t, { now: '2024-04-02T10:00:00Z' });
  const run = () => ingest({ paths: [box.dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' }, ctx());
  const response = async (name: string) =>
    (
      await t.pool.query(
        'select r.*, q.trust_ods as request_trust from foi_response r left join foi_request q on q.id = r.request_id where r.sha256 = $1',
        [box.hashes[name] ?? name],
      )
    ).rows[0];
  const values = async (name: string) =>
    (
      await t.pool.query(
        `select question_id, period_id, low::int, high::int, flags, page, line, sheet, cell, row_no, quote, method from foi_value v join foi_response r on r.id = v.response_id
     where r.sha256 = $1 order by question_id, period_start nulls first, v.id`,
        [box.hashes[name] ?? name],
      )
    ).rows;
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        COUNTED.map(async (x) => [x, (await t.pool.query(`select count(*)::int as n from ${x}`)).rows[0].n]),
      ),
    );

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    box = await inbox();
    first = await run();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('reads every format, the e-mail attachment as a file of its own right after its e-mail', () => {
    expect(first.files.map((f) => [f.name, f.kind, f.status])).toEqual([
      ['by-team.pdf', 'foi_pdf', 'loaded'],
      ['letter.pdf', 'foi_pdf', 'loaded'],
      ['referrals.csv', 'foi_csv', 'loaded'],
      ['reply.eml', 'foi_mail', 'loaded'],
      ['referrals.xlsx', 'foi_spreadsheet', 'loaded'],
      ['reply.txt', 'foi_text', 'loaded'],
      ['scan.pdf', 'foi_pdf', 'loaded'],
    ]);
    expect(first.files[4]!.parent).toBe(box.hashes['reply.eml']);
  });

  it("stores a PDF letter's values with page, line and the quoted line, matched by ODS code", async () => {
    expect(await response('letter.pdf')).toMatchObject({
      trust_ods: 'RPG',
      request_trust: 'RPG',
      match_method: 'ods',
      state: 'matched',
      reply_date: '2024-03-25',
      needs_manual_coding: false,
    });
    const v = await values('letter.pdf');
    expect(
      v
        .filter((x) => x.question_id === 'q2_referrals_under2')
        .map((x) => [x.period_id, x.low, x.high, x.flags, x.page, x.line, x.quote]),
    ).toEqual([
      ['fy2021_22', 12, 12, [], 1, 12, 'Response: In 2021/22 the trust received 12 referrals, in 2022/23 fewer than 5'],
      [
        'fy2022_23',
        0,
        4,
        ['suppressed'],
        1,
        12,
        'Response: In 2021/22 the trust received 12 referrals, in 2022/23 fewer than 5',
      ],
      ['fy2023_24', 7, 7, ['partial_period'], 1, 13, 'and in 2023/24 (to date) seven.'],
    ]);
    expect(v.filter((x) => x.question_id === 'q4_parent_infant_service')).toEqual([
      expect.objectContaining({ page: 1, line: 23, method: 'automatic' }),
    ]);
  });

  it("attributes a merged trust's reply to its successor and records how, against the request sent then", async () => {
    expect(await response('by-team.pdf')).toMatchObject({
      trust_ods: 'G6V2S',
      matched_ods: 'RRP',
      request_trust: 'RRP',
      match_method: 'successor',
    });
    expect((await values('by-team.pdf')).map((x) => [x.period_id, x.low, x.line])).toEqual([
      ['fy2021_22', 8, 6],
      ['fy2022_23', 10, 6],
      ['fy2023_24', 9, 6],
    ]);
  });

  it("queues an e-mail known only by its sender's domain, with that trust first among its candidates, and its attachment with it", async () => {
    const mail = await response('reply.eml');
    expect(mail).toMatchObject({ state: 'unmatched', match_method: null, reply_date: '2024-03-26' });
    expect(mail.trust_hint.candidates[0]).toMatchObject({ ods: 'RV5' });
    const child = sha256(box.attachment);
    expect(
      (
        await t.pool.query('select original_name, parent_sha256, source_kind from file_receipt where sha256 = $1', [
          child,
        ])
      ).rows,
    ).toEqual([
      { original_name: 'referrals.xlsx', parent_sha256: box.hashes['reply.eml'], source_kind: 'foi_spreadsheet' },
    ]);
    expect(await response(child)).toMatchObject({
      state: 'unmatched',
      parent_sha256: box.hashes['reply.eml'],
      reply_date: '2024-03-26',
    });
    expect(
      (await values(child)).slice(0, 2).map((x) => [x.question_id, x.period_id, x.low, x.sheet, x.cell, x.quote]),
    ).toEqual([
      ['q2_referrals_under2', 'fy2021_22', 14, 'FOI response', 'B4', '14'],
      ['q2_referrals_under2', 'fy2022_23', 0, 'FOI response', 'B5', '<5'],
    ]);
    expect(
      (
        await t.pool.query(
          "select count(*)::int as n from foi_status_event e join foi_request q on q.id = e.request_id where q.trust_ods = 'RV5' and kind = 'reply'",
        )
      ).rows[0].n,
    ).toBe(0);
  });

  it('matches a plain-text reply by name, values by line', async () => {
    expect(await response('reply.txt')).toMatchObject({ trust_ods: 'RWV', match_method: 'name' });
    expect(
      (await values('reply.txt'))
        .filter((x) => x.question_id === 'q2_referrals_under2')
        .map((x) => [x.low, x.high, x.line]),
    ).toEqual([
      [0, 0, 5],
      [0, 9, 6],
      [0, 0, 7],
    ]);
  });

  it('queues a reply naming no trust, and a scanned PDF for coding by hand with nothing guessed', async () => {
    expect((await listUnmatched(2024, ctx())).map((u) => [u.file, u.needsManualCoding])).toEqual([
      ['referrals.csv', false],
      ['referrals.xlsx', false],
      ['reply.eml', false],
      ['scan.pdf', true],
    ]);
    expect(await response('scan.pdf')).toMatchObject({ needs_manual_coding: true, state: 'unmatched' });
    expect(await values('scan.pdf')).toEqual([]);
    expect((await values('referrals.csv')).map((x) => [x.period_id, x.low, x.row_no])).toEqual([
      ['fy2021_22', 1, 1],
      ['fy2022_23', 1, 1],
      ['fy2023_24', 2, 1],
    ]);
  });

  it('matches a queued reply by hand, and keeps that match through a rerun', async () => {
    const m = await matchByHand(
      { wave: 2024, file: box.hashes['referrals.csv']!.slice(0, 10), trust: 'RXT', by: 'A. Researcher' },
      ctx(),
    );
    expect(m).toMatchObject({ trust: 'RXT', file: 'referrals.csv' });
    expect(await response('referrals.csv')).toMatchObject({
      request_trust: 'RXT',
      match_method: 'manual',
      matched_by: 'A. Researcher',
      state: 'matched',
    });
    expect((await listUnmatched(2024, ctx())).map((u) => u.file)).toEqual(['referrals.xlsx', 'reply.eml', 'scan.pdf']);
  });

  it('reruns idempotently: unchanged files are skipped, and reprocessing every file gives the same rows', async () => {
    const before = await counts();
    const again = await run();
    expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(await counts()).toEqual(before);
    await t.pool.query('update file_receipt set processed_rule_version = null');
    const forced = await run();
    expect(forced.files.map((f) => f.status)).toEqual(first.files.map(() => 'loaded'));
    expect(await counts()).toEqual(before);
    expect(await response('referrals.csv')).toMatchObject({ match_method: 'manual', request_trust: 'RXT' });
  });

  it('streams a large record-level csv into the database by COPY and stores the same values as the in-memory reader', async () => {
    // The size threshold lowered so the fixture counts as large; a clean database so nothing is shared.
    const other = await freshDatabase();
    try {
      const c = testCtx(other, { now: '2024-04-02T10:00:00Z' });
      await sendRequests({ wave: 2024, sent: '2024-03-11' }, c);
      const dir = mkdtempSync(join(tmpdir(), 'foi-records-'));
      writeFileSync(join(dir, 'referrals.csv'), files.makePerReferralCsv());
      const summary = await ingest(
        { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { recordCopyMinBytes: 0 }), command: 'test' },
        c,
      );
      expect(summary.files.map((f) => f.status)).toEqual(['loaded']);
      const loads = (await other.pool.query('select sha256, rows_copied from foi_referral_load')).rows;
      expect(loads).toEqual([{ sha256: box.hashes['referrals.csv'], rows_copied: expect.any(Number) }]);
      expect(loads[0].rows_copied).toBeGreaterThan(0);
      const streamed = (
        await other.pool.query(
          `select question_id, period_id, low::int, high::int, row_no, method from foi_value v join foi_response r on r.id = v.response_id
         order by question_id, period_start nulls first, v.id`,
        )
      ).rows;
      const inMemory = (await values('referrals.csv')).map(({ question_id, period_id, low, high, row_no, method }) => ({
        question_id,
        period_id,
        low,
        high,
        row_no,
        method,
      }));
      expect(streamed).toEqual(inMemory);
      expect(streamed.length).toBeGreaterThan(0);
      // The in-memory copy was matched by hand above; matching is not what is compared here.
      const issues = async (db: TestDb) =>
        (
          await db.pool.query(
            `select code, row_no from data_issue where sha256 = $1 and code <> 'foi_reply_unmatched' order by code, row_no`,
            [box.hashes['referrals.csv']],
          )
        ).rows;
      expect(await issues(other)).toEqual(await issues(t));
    } finally {
      await other.drop();
    }
  });
});
