import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustHistory } from '../../../pipeline/audit/trust.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';
import { trailText } from '../../../pipeline/audit/render.ts';

/**
 * Two replies of one request: the later one (a corrected response that "supersedes our letter dated
 * 2 April 2024") gives the figure, by the replies' dates, whichever file was loaded last (v9 corpus: the
 * earlier letter's count still fed the figure).
 */
describe('a corrected reply loaded before the letter it corrects', () => {
  let t: TestDb;
  const ctx = () => testCtx(t, { now: '2024-05-01T12:00:00Z' });
  const load = (name: string, r: ReturnType<typeof reply>) =>
    ingest(
      {
        paths: [writeReplies({ [name]: r })],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      ctx(),
    );

  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    await load('corrected', reply({ ...fullReply(6), trustHint: { ods: 'RHA' }, replyDate: '2024-04-23' }));
    // The first letter labels the asked band another way ("0-23 months"): still the same slot.
    const first = fullReply(15);
    first.values = first.values.map((v) => ({ ...v, ageBand: { ...v.ageBand, label: '0-23 months' } }));
    await load('first letter', reply({ ...first, trustHint: { ods: 'RHA' }, replyDate: '2024-04-02' }));
    // Another trust repeats last year's figures, one of them for a year the wave did not ask (2020/21).
    const { askedPeriodId: _, ...unasked } = count('q2_referrals_under2', 'fy2021_22', 6, {
      period: { start: '2020-04-01', end: '2021-03-31', label: '2020/21', type: 'financial_year' },
      quote: '2020/21 6',
    });
    await load(
      'repeat',
      reply({ values: [unasked, count('q2_referrals_under2', 'fy2021_22', 9)], trustHint: { ods: 'RWX' } }),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it("uses the later reply's counts for every period", async () => {
    const rows = (
      await t.pool.query(
        `select question_id, period_id, low::int from report_foi_value
         where trust_ods = 'RHA' and low is not null order by question_id, period_id`,
      )
    ).rows.map((r) => [r.question_id.slice(0, 2), r.period_id, r.low]);
    expect(rows).toEqual([
      ['q2', 'fy2021_22', 6],
      ['q2', 'fy2022_23', 7],
      ['q2', 'fy2023_24', 8],
      ['q3', 'fy2021_22', 5],
      ['q3', 'fy2022_23', 6],
      ['q3', 'fy2023_24', 7],
    ]);
  });

  it("says in the trust's audit which values the report uses: the first letter's are listed but not in the report", async () => {
    const trail = (await trustHistory('RHA', ctx())).values.filter((v) => v.interval !== null);
    const used = (file: string) =>
      trail.filter((v) => v.file.name === file).map((v) => [v.questionId.slice(0, 2), v.interval!.low, v.inReport]);
    expect(used('corrected.txt').every(([, , inReport]) => inReport === true)).toBe(true);
    expect(used('first letter.txt').length).toBeGreaterThan(0);
    expect(used('first letter.txt').every(([, , inReport]) => inReport === false)).toBe(true);
  });

  it('lists a count for a period the wave did not ask as not in the report, and says why', async () => {
    const history = await trustHistory('RWX', ctx());
    const shown = history.values.map((v) => [v.period, v.interval?.low, v.inReport, v.periodAsked]);
    expect(shown).toEqual(
      expect.arrayContaining([
        ['2020/21', 6, false, false],
        ['2021/22', 9, true, true],
      ]),
    );
    expect(history.values.map(trailText).join('\n')).toContain(
      'not in the report: the wave did not ask for this period',
    );
  });
});
