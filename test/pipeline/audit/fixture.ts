import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import type { CodedValue } from '../../../schemas/foi.ts';
import { testCtx } from '../../support/ctx.ts';
import type { TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, text, writeReplies } from '../../support/foi.ts';

/**
 * FOI wave 2024 with replies chosen so that each review flag fires once (read by the JSON readers of
 * test/support/foi.ts, so the values, places and quotes are exactly these):
 * RPG plain, sent twice (same values: a duplicate); RWX 2 -> 40 (x20); RV5 10 -> 35 (x3.5);
 * RXT says it does not accept under-twos but reports 5; RRP's under-two 30 above its under-five 20.
 */

const q2 = (periodId: string, n: number, extra: Partial<CodedValue> = {}) =>
  count('q2_referrals_under2', periodId, n, extra);

function withReferrals(
  n: [number, number, number],
  extra: Partial<ReturnType<typeof fullReply>> = {},
): ReturnType<typeof fullReply> {
  const r = fullReply();
  const periods = ['fy2021_22', 'fy2022_23', 'fy2023_24'];
  r.values = r.values.map((v) =>
    v.questionId === 'q2_referrals_under2'
      ? q2(v.askedPeriodId!, n[periods.indexOf(v.askedPeriodId!)]!, {
          location: { page: 2, line: 10 + periods.indexOf(v.askedPeriodId!) },
          quote: `In ${v.period!.label} the trust received ${n[periods.indexOf(v.askedPeriodId!)]} referrals`,
        })
      : v,
  );
  return { ...r, ...extra };
}

export async function loadFlagFixture(t: TestDb): Promise<void> {
  const ctx = testCtx(t, { now: '2024-04-20T09:00:00Z' });
  await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
  const rxt = withReferrals([5, 5, 5]);
  rxt.textAnswers = rxt.textAnswers.map((a) =>
    a.questionId === 'q1_accepts_under2'
      ? text('q1_accepts_under2', false, 'No, the trust does not accept referrals for under-twos')
      : a,
  );
  const rrp = withReferrals([30, 30, 30]);
  rrp.values.push(
    q2('fy2022_23', 20, {
      ageBand: { label: 'under 5 (0-59 months)', months: [0, 59], exact: false },
      flags: ['band_mismatch'],
      location: { page: 3, line: 4 },
      quote: 'Under fives 2022/23: 20',
    }),
  );
  const dir = writeReplies({
    'oxleas-letter': reply({ ...withReferrals([3, 4, 5]), trustHint: { ods: 'RPG' }, replyDate: '2024-03-25' }),
    'oxleas-again': reply({ ...withReferrals([3, 4, 5]), trustHint: { ods: 'RPG' }, replyDate: '2024-03-28' }),
    rwx: reply({ ...withReferrals([2, 40, 41]), trustHint: { ods: 'RWX' }, replyDate: '2024-03-26' }),
    rv5: reply({ ...withReferrals([10, 35, 36]), trustHint: { ods: 'RV5' }, replyDate: '2024-03-27' }),
    rxt: reply({ ...rxt, trustHint: { ods: 'RXT' }, replyDate: '2024-03-27' }),
    rrp: reply({ ...rrp, trustHint: { ods: 'RRP' }, replyDate: '2024-03-27' }),
  });
  await ingest(
    { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
    ctx,
  );
}

/** The id of the value of a trust x question x period (the report's pick), for tests. */
export async function valueId(
  t: TestDb,
  ods: string,
  periodId: string,
  question = 'q2_referrals_under2',
): Promise<string> {
  const r = await t.pool.query(
    `select value_id from report_foi_value where trust_ods = $1 and question_id = $2 and period_id = $3 and age_band_exact`,
    [ods, question, periodId],
  );
  return String(r.rows[0].value_id);
}
