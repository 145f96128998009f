import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodingSheet, loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { fillCodingSheet } from '../../support/coding-sheet.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

describe('the confidence gate', () => {
  let t: TestDb;
  const ctx = (now = '2024-05-01T09:00:00Z') => testCtx(t, { now });
  const figure = async (ods: string, q: string, p: string) =>
    (
      await t.pool.query(
        'select low, high from report_foi_value where trust_ods = $1 and question_id = $2 and period_id = $3',
        [ods, q, p],
      )
    ).rows.map((r) => [Number(r.low), r.high === null ? null : Number(r.high)]);

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const r = fullReply();
    // A weak rule (a crowded flattened line) read 2021/22; two readings of 2022/23 disagree.
    r.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      rule: 'prose',
      evidence: 'FY22 4,092 25 22 5 64 14',
      suggestion: 'the line holds 6 numbers for 1 period',
      quote: 'FY22 4,092 25 22 5 64 14',
    });
    r.values[2] = count('q2_referrals_under2', 'fy2022_23', 16, { rule: 'table_header', quote: '2022/23 16' });
    r.values.push(count('q2_referrals_under2', 'fy2022_23', 11626, { rule: 'table_header', quote: '2022/23 11,626' }));
    await ingest(
      {
        paths: [writeReplies({ weak: reply({ ...r, trustHint: { ods: 'RWX' } }) })],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      ctx('2024-04-05T09:00:00Z'),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('stores a weak-rule value and readings that disagree as suggestions, with their rule, that feed no figure', async () => {
    const stored = (
      await t.pool.query(
        "select period_id, low::int, rule, evidence, suggestion from foi_value where question_id = 'q2_referrals_under2' and period_id in ('fy2021_22', 'fy2022_23') order by period_id, low",
      )
    ).rows;
    expect(stored).toEqual([
      {
        period_id: 'fy2021_22',
        low: 25,
        rule: 'prose',
        evidence: 'FY22 4,092 25 22 5 64 14',
        suggestion: 'the line holds 6 numbers for 1 period',
      },
      expect.objectContaining({ period_id: 'fy2022_23', low: 16, rule: 'table_header' }),
      expect.objectContaining({ period_id: 'fy2022_23', low: 11626, rule: 'table_header' }),
    ]);
    expect(stored[1].suggestion).toMatch(/reads 16 and 11626/);
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2021_22')).toEqual([]);
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2022_23')).toEqual([]);
    // A value read by a strong rule still feeds its figure.
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2023_24')).toEqual([[5, 5]]);
  });

  it('puts each suggestion on the coding sheet beside the blank answer cells', async () => {
    const { rows } = await buildCodingSheet(2024, ctx());
    const sugg = rows.filter((r) => r.reason === 'suggestion');
    expect(sugg.map((r) => [r.trustOds, r.questionId, r.periodId, r.suggestion])).toEqual([
      ['RWX', 'q2_referrals_under2', 'fy2021_22', '25'],
      ['RWX', 'q2_referrals_under2', 'fy2022_23', '16 or 11626'],
    ]);
    expect(sugg[0]!.extracted).toContain('why in doubt: the line holds 6 numbers');
  });

  it('feeds the figure once a person confirms the suggestion or types the answer, and asks no more', async () => {
    const { bytes } = await buildCodingSheet(2024, ctx());
    // Two readings disagree: "yes" alone cannot say which; it is refused and nothing recorded for that row.
    const first = await loadCodingSheet(
      {
        path: await fillCodingSheet(bytes, {
          'RWX|q2_referrals_under2|2021/22': { 'Confirm suggestion': 'yes' },
          'RWX|q2_referrals_under2|2022/23': { 'Confirm suggestion': 'yes' },
        }),
        wave: 2024,
        by: 'Ada Lovelace',
      },
      ctx(),
    );
    expect(first.recorded).toBe(1);
    expect(first.issues.map((i) => i.code)).toContain('coding_row_stale');
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2021_22')).toEqual([[25, 25]]);
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2022_23')).toEqual([]);
    const coded = (
      await t.pool.query("select coded_by, method, suggestion from foi_value where method = 'coded' order by id")
    ).rows;
    expect(coded).toEqual([{ coded_by: 'Ada Lovelace', method: 'coded', suggestion: null }]);

    const again = await buildCodingSheet(2024, ctx());
    expect(again.rows.filter((r) => r.reason === 'suggestion').map((r) => r.periodId)).toEqual(['fy2022_23']);
    const second = await loadCodingSheet(
      {
        path: await fillCodingSheet(again.bytes, { 'RWX|q2_referrals_under2|2022/23': { Low: 16 } }),
        wave: 2024,
        by: 'Ada Lovelace',
      },
      ctx(),
    );
    expect(second.recorded).toBe(1);
    expect(await figure('RWX', 'q2_referrals_under2', 'fy2022_23')).toEqual([[16, 16]]);
    expect((await buildCodingSheet(2024, ctx())).rows.filter((r) => r.reason === 'suggestion')).toEqual([]);
  });
});
