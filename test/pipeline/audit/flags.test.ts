import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCorrection } from '../../../pipeline/audit/corrections.ts';
import { jumpFactor, reviewFlags } from '../../../pipeline/audit/flags.ts';
import { reviewFlag } from '../../../pipeline/audit/review.ts';
import { lockWave } from '../../../pipeline/db/audit-log.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { loadFlagFixture, valueId } from './fixture.ts';

describe('review flags of under-two referral counts', () => {
  let t: TestDb;
  const ctx = () => testCtx(t, { now: '2024-05-01T09:00:00Z' });
  beforeAll(async () => {
    t = await freshDatabase();
    await loadFlagFixture(t);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('reads a jump as the certain factor between intervals, a zero counting as one', () => {
    expect(jumpFactor({ low: 2, high: 2 }, { low: 40, high: 40 })).toBe(20);
    expect(jumpFactor({ low: 40, high: 40 }, { low: 2, high: 2 })).toBe(20);
    expect(jumpFactor({ low: 0, high: 4 }, { low: 12, high: 12 })).toBe(3);
    expect(jumpFactor({ low: 0, high: 0 }, { low: 1, high: 1 })).toBe(1);
    expect(jumpFactor({ low: 5, high: null }, { low: 100, high: 100 })).toBe(0.05);
  });

  it('flags each kind once on the ingested replies: 10x and 3x jumps, under-two above under-five, "does not accept" with referrals, a reply sent twice', async () => {
    const flags = await reviewFlags({ wave: 2024 }, ctx());
    expect(flags.map((f) => [f.trustOds, f.kind, f.status])).toEqual([
      ['RPG', 'duplicate_response', 'open'],
      ['RRP', 'under2_above_wider_band', 'open'],
      ['RV5', 'jump_3', 'open'],
      ['RWX', 'jump_10', 'open'],
      ['RXT', 'not_accepted_but_reported', 'open'],
    ]);
    expect(flags.find((f) => f.kind === 'jump_10')!.id).toBe(
      'jump_10:2024:RWX:q2_referrals_under2:received:under-2-0-23-months:fy2021_22>fy2022_23',
    );
    expect(flags.find((f) => f.kind === 'jump_3')!.message).toMatch(
      /from 10 in 2021\/22 to 35 in 2022\/23: a factor of at least 3\.5 \(more than 3\)/,
    );
    expect(flags.find((f) => f.kind === 'under2_above_wider_band')!.message).toMatch(
      /Under-two count 30 .* larger than the same reply's "under 5 \(0-59 months\)" count 20/,
    );
  });

  it('closes a jump flag by a correction of one of its values, and a fixed typo removes the flag', async () => {
    const rv5 = await valueId(t, 'RV5', 'fy2022_23');
    await recordCorrection(
      { wave: 2024, valueId: rv5, low: 35, high: 35, by: 'A. Researcher', reason: 'trust confirmed 35 by phone' },
      ctx(),
    );
    expect((await reviewFlags({ wave: 2024, trust: 'RV5' }, ctx())).map((f) => [f.kind, f.status])).toEqual([
      ['jump_3', 'corrected'],
    ]);
    const rwx = await valueId(t, 'RWX', 'fy2021_22');
    await recordCorrection(
      { wave: 2024, valueId: rwx, low: 20, high: 20, by: 'A. Researcher', reason: 'typo: the letter says 20' },
      ctx(),
    );
    expect(await reviewFlags({ wave: 2024, trust: 'RWX' }, ctx())).toEqual([]);
  });

  it('closes a flag by a recorded review, written to the audit log; a locked wave refuses the review', async () => {
    const id = 'not_accepted_but_reported:2024:RXT';
    const r = await reviewFlag(
      { flagId: id, by: 'B. Checker', reason: 'reviewed, no change: referrals are signposted' },
      ctx(),
    );
    expect((await reviewFlags({ wave: 2024, trust: 'RXT' }, ctx()))[0]).toMatchObject({
      status: 'reviewed',
      closedBy: `review ${r.reviewId} by B. Checker: reviewed, no change: referrals are signposted`,
    });
    const log = (await t.pool.query("select actor, action, wave, detail from audit_log where action = 'flag_review'"))
      .rows;
    expect(log).toEqual([
      {
        actor: 'B. Checker',
        action: 'flag_review',
        wave: 2024,
        detail: expect.objectContaining({ flag_id: id, review_id: r.reviewId, kind: 'not_accepted_but_reported' }),
      },
    ]);
    await expect(reviewFlag({ flagId: 'no-such:2024:X', by: 'B', reason: 'x' }, ctx())).rejects.toMatchObject({
      code: 'usage',
    });
    await lockWave(t.db, { wave: 2024, by: 'Lead', reason: 'published', at: new Date('2024-05-02T00:00:00Z') });
    await expect(
      reviewFlag({ flagId: 'duplicate_response:2024:RPG', by: 'B', reason: 'x' }, ctx()),
    ).rejects.toMatchObject({ code: 'wave_locked' });
  });
});
