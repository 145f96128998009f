import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodingSheet, loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { requestStatuses } from '../../../pipeline/foi/register-status.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { matchByHand } from '../../../pipeline/foi/unmatched.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { fillCodingSheet } from '../../support/coding-sheet.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, jsonReaders, reply, text, writeReplies } from '../../support/foi.ts';

/**
 * A shared FOI office answering for two trusts (foi.md "Who replied"): the reply answers both requests,
 * each trust gets its own row of a table split by trust, and a figure that names neither trust waits for
 * a person on both trusts' coding sheet rows. Found on the seventh and eighth spec-only corpora, where a
 * joint letter waited unmatched and its suggestion added both trusts' rows together.
 */
describe('a joint reply for two trusts', () => {
  let t: TestDb;
  const ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
  const ctx = () => testCtx(t, { now: '2024-04-20T12:00:00Z', dir: ws });
  const refs: Record<string, string> = {};
  const values = async (ods: string) =>
    (
      await t.pool.query(
        `select v.question_id, v.period_id, v.low::int, v.suggestion is not null as doubt, v.yes_no
         from foi_value v join foi_response r on r.id = v.response_id join foi_request q on q.id = r.request_id
         where q.trust_ods = $1 order by v.question_id, v.period_id`,
        [ods],
      )
    ).rows;

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    for (const r of (await t.pool.query("select trust_ods, our_ref from foi_request where trust_ods in ('RXT', 'RPG')"))
      .rows)
      refs[r.trust_ods] = r.our_ref;
    const part = (service: string, n: number, line: number) => ({
      location: { page: 1, line },
      quote: `${service} ${n}`,
      interval: { low: n, high: n },
      service,
    });
    const dir = writeReplies({
      'Joint response': reply({
        trustHint: {
          name: 'Birmingham and Solihull Mental Health NHS Foundation Trust',
          names: ['Birmingham and Solihull Mental Health NHS Foundation Trust', 'Oxleas NHS Foundation Trust'],
          refText: `This joint response answers the requests you sent to both Trusts (${refs.RXT} and ${refs.RPG}).`,
        },
        replyDate: '2024-04-08',
        values: [
          count('q2_referrals_under2', 'fy2022_23', 13, {
            quote: 'Birmingham 8',
            derivedFrom: [part('Birmingham and Solihull', 8, 11), part('Oxleas', 5, 12)],
          }),
          count('q3_accepted_under2', 'fy2022_23', 9, { quote: 'Across both Trusts 9 were accepted.' }),
        ],
        textAnswers: [text('q1_accepts_under2', true, 'Both Trusts accept referrals for children aged under two.')],
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

  it("answers both trusts' requests on the reply's date", async () => {
    const st = await requestStatuses({ wave: 2024, asOf: '2024-04-20' }, ctx());
    for (const ods of ['RXT', 'RPG'])
      expect(st.find((l) => l.request.ods === ods)).toMatchObject({ replies: 1, status: { firstReply: '2024-04-08' } });
    expect((await t.pool.query('select count(*)::int as n from foi_unmatched')).rows[0].n).toBe(0);
  });

  it('gives each trust its own row of the split table, and sends the figure that names neither to a person', async () => {
    expect(await values('RXT')).toEqual([
      { question_id: 'q1_accepts_under2', period_id: null, low: null, doubt: false, yes_no: true },
      { question_id: 'q2_referrals_under2', period_id: 'fy2022_23', low: 8, doubt: false, yes_no: null },
      { question_id: 'q3_accepted_under2', period_id: 'fy2022_23', low: 9, doubt: true, yes_no: null },
    ]);
    expect((await values('RPG')).map((v) => [v.question_id, v.low, v.doubt])).toEqual([
      ['q1_accepts_under2', null, false],
      ['q2_referrals_under2', 5, false],
      ['q3_accepted_under2', 9, true],
    ]);
  });

  it("puts the doubtful figure on each trust's coding sheet row, keyed to that trust's part of the file", async () => {
    const { rows } = await buildCodingSheet(2024, ctx());
    const confirm = rows.filter((r) => r.reason === 'suggestion' && r.questionId === 'q3_accepted_under2');
    expect(confirm.map((r) => r.trustOds).sort()).toEqual(['RPG', 'RXT']);
    // RPG sorts first: the file's own row answers it; RXT's part is keyed "<sha256>@RXT".
    expect(confirm.find((r) => r.trustOds === 'RPG')!.key).toMatch(/^confirm\|[0-9a-f]{64}\|q3/);
    expect(confirm.find((r) => r.trustOds === 'RXT')!.key).toMatch(/^confirm\|[0-9a-f]{64}@RXT\|q3/);
  });

  it("records a person's answer on a part's row against that trust only", async () => {
    const { bytes } = await buildCodingSheet(2024, ctx());
    const path = await fillCodingSheet(bytes, { 'RXT|q3_accepted_under2|2022/23': { Low: 6 } });
    expect(await loadCodingSheet({ path, wave: 2024, by: 'A. Researcher' }, ctx())).toMatchObject({ recorded: 1 });
    const coded = async (ods: string) =>
      (
        await t.pool.query(
          `select v.low::int from foi_value_current v join foi_response r on r.id = v.response_id
           join foi_request q on q.id = r.request_id where q.trust_ods = $1 and v.method = 'coded'`,
          [ods],
        )
      ).rows;
    expect(await coded('RXT')).toEqual([{ low: 6 }]);
    expect(await coded('RPG')).toEqual([]);
  });

  it("is one trust's alone once a person matches it to that trust by hand", async () => {
    await matchByHand({ wave: 2024, file: 'Joint response.txt', trust: 'RXT', by: 'A. Researcher' }, ctx());
    expect(await values('RPG')).toEqual([]);
    const st = await requestStatuses({ wave: 2024, asOf: '2024-04-20' }, ctx());
    expect(st.find((l) => l.request.ods === 'RPG')).toMatchObject({ replies: 0, status: { firstReply: null } });
  });
});

/**
 * A joint reply no word says is joint: its table's rows name two trusts. Read as the first trust's, the
 * rows' sum is only a suggestion; a person matches it to both (`census foi match --trust RXT,RPG`) and it
 * is read again, each trust with its own row.
 */
describe('a joint reply matched to two trusts by hand', () => {
  let t: TestDb;
  const ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
  const ctx = () => testCtx(t, { now: '2024-04-20T12:00:00Z', dir: ws });
  const read = async (ods: string) =>
    (
      await t.pool.query(
        `select v.period_id, v.low::int, v.suggestion is not null as doubt from foi_value v
         join foi_response r on r.id = v.response_id join foi_request q on q.id = r.request_id
         where q.trust_ods = $1 and v.question_id = 'q2_referrals_under2' order by v.period_id`,
        [ods],
      )
    ).rows.map((r) => [r.period_id, r.low, r.doubt]);

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const dir = mkdtempSync(join(tmpdir(), 'joint-by-hand-'));
    writeFileSync(
      join(dir, 'shared office reply.txt'),
      [
        'Birmingham and Solihull Mental Health NHS Foundation Trust',
        'Oxleas NHS Foundation Trust',
        '',
        '8 April 2024',
        '',
        '1. Yes.',
        '',
        '2. Referrals received (0-23 months)',
        '\t2021/22\t2022/23\t2023/24',
        'Birmingham and Solihull\t7\t8\t10',
        'Oxleas\t3\t5\t6',
        '',
      ].join('\n'),
    );
    await ingest({ paths: [dir], wave: 2024, processor: foiProcessorFor(2024), command: 'test' }, ctx());
  }, 120_000);
  afterAll(async () => {
    await t.drop();
  });

  it("keeps the rows' sum for the first trust named as a suggestion only", async () => {
    expect(await read('RXT')).toEqual([
      ['fy2021_22', 10, true],
      ['fy2022_23', 13, true],
      ['fy2023_24', 16, true],
    ]);
  });

  it('gives each trust its own row once matched to both by hand', async () => {
    const m = await matchByHand(
      { wave: 2024, file: 'shared office reply', trust: 'RXT,RPG', by: 'A. Researcher' },
      ctx(),
    );
    expect(m.trust).toBe('RXT,RPG');
    expect(await read('RXT')).toEqual([
      ['fy2021_22', 7, false],
      ['fy2022_23', 8, false],
      ['fy2023_24', 10, false],
    ]);
    expect(await read('RPG')).toEqual([
      ['fy2021_22', 3, false],
      ['fy2022_23', 5, false],
      ['fy2023_24', 6, false],
    ]);
    const st = await requestStatuses({ wave: 2024, asOf: '2024-04-20' }, ctx());
    expect(st.find((l) => l.request.ods === 'RPG')).toMatchObject({ replies: 1, status: { firstReply: '2024-04-08' } });
  });
});
