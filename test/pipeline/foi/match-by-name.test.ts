import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { findReply, listUnmatched, matchByHand } from '../../../pipeline/foi/unmatched.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { CensusError } from '../../../schemas/fault.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/** `census foi match --file`: a reply named by its file name, part of it, a path, or a sha256 prefix. */

describe('naming a reply to match by hand', () => {
  let t: TestDb;
  let dir: string;
  const ctx = () => testCtx(t, { now: '2024-04-20T12:00:00Z' });
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    // Three replies that name no trust: two scans whose names differ only at the end, and a third.
    dir = writeReplies({
      SCAN_20240402_2337: reply({ needsManualCoding: true, replyDate: '2024-04-02' }),
      SCAN_20240402_2338: reply({ needsManualCoding: true, replyDate: '2024-04-03' }),
      'letter from a trust': reply({}),
      // A table whose file name carries the trust's ODS code, the trust named nowhere inside (audit corpus).
      RGD_FOI_table: reply({ replyDate: '2024-04-05' }),
    });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx(),
    );
  });
  afterAll(async () => {
    await t.drop();
  });
  const usage = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CensusError);
    expect((e as CensusError).code).toBe('usage');
    return (e as CensusError).message;
  };

  it('finds a reply by its exact file name, case aside, and by a path to the file', async () => {
    expect((await findReply(2024, 'scan_20240402_2337.TXT', ctx())).original_name).toBe('SCAN_20240402_2337.txt');
    expect((await findReply(2024, join(dir, 'letter from a trust.txt'), ctx())).original_name).toBe(
      'letter from a trust.txt',
    );
  });
  it('finds a reply by part of its name when only one fits, and by a sha256 prefix', async () => {
    const r = await findReply(2024, 'letter from', ctx());
    expect((await findReply(2024, r.sha256.slice(0, 8), ctx())).sha256).toBe(r.sha256);
  });
  it('lists the candidates when a name fits several replies (a usage error, exit 2)', async () => {
    const message = await usage(findReply(2024, 'SCAN_20240402', ctx()));
    expect(message).toContain('2 replies');
    expect(message).toContain('SCAN_20240402_2337.txt');
    expect(message).toContain('SCAN_20240402_2338.txt');
  });
  it('says so when nothing fits', async () => {
    expect(await usage(findReply(2024, 'no such reply.pdf', ctx()))).toContain('no such reply.pdf');
  });
  it('offers, for a reply with no evidence of its trust, the requests still without a reply as candidates', async () => {
    const scan = (await listUnmatched(2024, ctx())).find((u) => u.file === 'SCAN_20240402_2337.txt')!;
    expect(scan.candidates.map((c) => c.ods)).toContain('RYG');
    expect(scan.candidates.every((c) => c.score === 0)).toBe(true);
  });
  it("offers first the trust whose ODS code is a word of the file's name, without matching it", async () => {
    const table = (await listUnmatched(2024, ctx())).find((u) => u.file === 'RGD_FOI_table.txt')!;
    expect(table.candidates[0]).toEqual({ ods: 'RGD', why: "its ODS code RGD is in the file's name", score: 0.6 });
    expect(table.candidates.filter((c) => c.score > 0)).toHaveLength(1);
    // Inside a longer word it is no code: the scans' names hold no asked trust's code.
    const scan = (await listUnmatched(2024, ctx())).find((u) => u.file === 'SCAN_20240402_2338.txt')!;
    expect(scan.candidates.every((c) => c.score === 0)).toBe(true);
  });
  it("puts first the trust the register says replied on the date in the file's name", async () => {
    await t.pool.query(
      `insert into foi_status_event (request_id, event_date, kind, source, detail, recorded_at)
       select id, date '2024-04-02', 'reply', 'register', '{}'::jsonb, now() from foi_request where wave = 2024 and trust_ods = 'RXT'`,
    );
    const scan = (await listUnmatched(2024, ctx())).find((u) => u.file === 'SCAN_20240402_2337.txt')!;
    expect(scan.candidates[0]).toMatchObject({ ods: 'RXT', score: 0.5 });
    expect(scan.candidates[0]!.why).toContain('2024-04-02');
  });
  it("matches the named reply by hand and takes it out of the queue, and out of the others' candidates", async () => {
    const m = await matchByHand(
      { wave: 2024, file: 'SCAN_20240402_2338.txt', trust: 'RYG', by: 'A. Researcher' },
      ctx(),
    );
    expect(m).toMatchObject({ trust: 'RYG', file: 'SCAN_20240402_2338.txt' });
    expect((await listUnmatched(2024, ctx())).map((u) => u.file)).not.toContain('SCAN_20240402_2338.txt');
    const other = (await listUnmatched(2024, ctx())).find((u) => u.file === 'SCAN_20240402_2337.txt')!;
    expect(other.candidates.map((c) => c.ods)).not.toContain('RYG');
  });
});

describe('a reply from a body that was not asked, carrying our reference', () => {
  let t: TestDb;
  const ctx = () => testCtx(t, { now: '2024-04-20T12:00:00Z' });
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
  });
  afterAll(async () => {
    await t.drop();
  });

  it("waits for a person instead of giving a Welsh health board's figures to the trust our reference names (v11 corpus)", async () => {
    // Our references, as a register gives them.
    await t.pool.query(
      "update foi_request set our_ref = case trust_ods when 'RXA' then 'PIP-FOI-2024-901' else 'PIP-FOI-2024-902' end where wave = 2024 and trust_ods in ('RXA', 'RXV')",
    );
    const [ref, own] = ['PIP-FOI-2024-901', 'PIP-FOI-2024-902'];
    const dir = writeReplies({
      'BCUHB FOI 26-114 response': reply({
        trustHint: {
          letterhead: 'Betsi Cadwaladr University Health Board / Bwrdd Iechyd Prifysgol Betsi Cadwaladr',
          name: 'Cheshire and Wirral Partnership NHS Foundation Trust',
          refText: `Cheshire and Wirral Partnership NHS Foundation Trust passed your request (your ref ${ref}) to us`,
        },
      }),
      // The trust's own letterhead with its reference: matched as before.
      'GMMH reply': reply({
        trustHint: {
          letterhead: 'Greater Manchester Mental Health NHS Foundation Trust',
          refText: `Your ref: ${own}`,
        },
      }),
    });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx(),
    );
    const queued = await listUnmatched(2024, ctx());
    const bcuhb = queued.find((u) => u.file === 'BCUHB FOI 26-114 response.txt');
    expect(bcuhb?.candidates[0]?.ods).toBe('RXA');
    expect(queued.some((u) => u.file === 'GMMH reply.txt')).toBe(false);
    const matched = await t.pool.query(
      "select trust_ods, match_method from foi_response r join file_receipt f on f.sha256 = r.sha256 where f.original_name = 'GMMH reply.txt'",
    );
    expect(matched.rows).toEqual([{ trust_ods: 'RXV', match_method: 'our_ref' }]);
  });
});
