import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { issue } from '../../../schemas/issue.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';

/**
 * What the coding sheet shows beside a blank cell ("Found in the reply"): a count the reader could not
 * read, tied to no question (a csv row "2022/23,lots,9"), belongs beside the count cells, not beside
 * the yes/no and text questions the reply never answered (found in the #19 audit: "lots" beside q1).
 */
describe('the coding sheet beside a count that could not be read', () => {
  let t: TestDb;
  const ctx = (now = '2024-05-01T09:00:00Z') => testCtx(t, { now });
  beforeAll(async () => {
    t = await freshDatabase();
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx());
    const counts = fullReply();
    const dir = writeReplies({
      'counts-only': reply({
        trustHint: { ods: 'RXT' },
        // The counts of every period but one received count; q1 (yes/no) not answered at all.
        values: counts.values.filter(
          (v) => !(v.questionId === 'q2_referrals_under2' && v.askedPeriodId === 'fy2022_23'),
        ),
        textAnswers: counts.textAnswers.filter((a) => a.questionId !== 'q1_accepts_under2'),
        issues: [issue('count_unreadable', 'warning', 'No count could be read.', { row: 5 }, { raw: 'lots' })],
      }),
    });
    await ingest(
      { paths: [dir], wave: 2024, processor: foiProcessorFor(2024, { readers: jsonReaders }), command: 'test' },
      ctx('2024-04-05T09:00:00Z'),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('shows it beside the blank count cells only', async () => {
    const { rows } = await buildCodingSheet(2024, ctx());
    // The one reply of the wave.
    const mine = rows.filter((r) => r.file === 'counts-only.txt');
    expect(mine.map((r) => [r.questionId, r.periodId])).toEqual([
      ['q1_accepts_under2', null],
      ['q2_referrals_under2', 'fy2022_23'],
    ]);
    expect(mine[1]).toMatchObject({ extracted: 'lots', location: 'row 5' });
    expect(mine[0]!.extracted).not.toContain('lots');
    expect(mine[0]!.location).toBe('');
  });
});
