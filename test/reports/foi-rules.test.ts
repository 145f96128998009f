import { describe, expect, it } from 'vitest';
import type { FoiData, FoiValue } from '../../reports/input.ts';
import { classifyReferrals, headlinePeriod } from '../../reports/foi-measures.ts';
import { loadFoiWave } from '../../schemas/foi/index.ts';

const list = loadFoiWave(2024);
const Q = { accepts: 'q1_accepts_under2', referrals: 'q2_referrals_under2' };
let next = 0;
function value(requestId: string, over: Partial<FoiValue>): FoiValue {
  next += 1;
  return {
    id: String(next),
    requestId,
    ods: `T${requestId}`,
    questionId: Q.referrals,
    periodId: 'fy2022_23',
    flags: [],
    ageExact: true,
    bandAccepted: null,
    basis: 'received',
    yesNo: null,
    missing: null,
    value: { low: 3, high: 3 },
    quote: '3',
    fromMonths: false,
    suppressed: false,
    totalDiffers: false,
    ageLabel: 'under 2',
    ...over,
  };
}
const accepts = (requestId: string, yes: boolean) =>
  value(requestId, { questionId: Q.accepts, yesNo: yes, value: null, periodId: null });

function data(values: FoiValue[]): FoiData {
  return { wave: 2024, list, referenceDate: '2024-06-30', requests: [], values, status: new Map(), hosted: new Map() };
}

describe('FOI headline year and distribution rules', () => {
  it('takes the latest financial year that was complete when the request was sent, never the "to date" year', () => {
    expect(headlinePeriod(list)?.id).toBe('fy2022_23');
  });

  it('keeps one exact-band value per accepting trust and gives every other value its reason', () => {
    const c = classifyReferrals(
      data([
        accepts('1', true),
        value('1', {}),
        accepts('2', false),
        value('2', { value: { low: 3, high: 3 } }),
        accepts('3', true),
        value('3', { flags: ['partial_period'] }),
        accepts('4', true),
        value('4', { flags: ['incomplete'], value: { low: 5, high: null } }),
        accepts('5', true),
        value('5', { ageExact: false, flags: ['band_mismatch'] }),
        accepts('6', true),
        value('6', { ageExact: false, flags: ['band_mismatch'], bandAccepted: true }),
        accepts('7', true),
        value('7', { value: null, missing: 'not_held' }),
        accepts('8', true),
        value('8', { periodId: 'fy2023_24' }),
        value('8', { basis: 'accepted' }),
      ]),
      Q,
    );
    expect(c.included.map((v) => v.requestId)).toEqual(['1']);
    expect(c.sensitivity.map((v) => v.requestId)).toEqual(['1', '6']);
    expect(c.excluded.map((e) => [e.value.requestId, e.reason])).toEqual([
      ['2', 'does_not_accept'],
      ['3', 'partial_period'],
      ['4', 'incomplete'],
      ['5', 'band_mismatch'],
      ['7', 'not_given'],
    ]);
  });

  it("prefers a trust's exact under-two value to a wider band it also gave", () => {
    const c = classifyReferrals(
      data([
        accepts('1', true),
        value('1', { ageExact: false, flags: ['band_mismatch'], value: { low: 9, high: 9 } }),
        value('1', { value: { low: 2, high: 2 } }),
      ]),
      Q,
    );
    expect(c.included.map((v) => v.value)).toEqual([{ low: 2, high: 2 }]);
    expect(c.excluded.map((e) => e.reason)).toEqual(['band_mismatch']);
  });
});

describe('FOI per-trust table: a figure for another period than the year asked', () => {
  it('is shown as written with the period the trust gave, never in the column of the year asked', async () => {
    const { foiSection } = await import('../../reports/sections/foi.ts');
    const { defaultParams } = await import('../../schemas/report-params.ts');
    const params = defaultParams();
    const d = data([
      accepts('1', true),
      value('1', { value: { low: 12, high: 12 }, quote: '12' }),
      accepts('2', true),
      // "Calendar year 2022: 19", attached to 2022/23 (the financial year it overlaps most), flagged
      value('2', { value: { low: 19, high: 19 }, quote: '19', flags: ['partial_period'], periodLabel: '2022' }),
    ]);
    d.requests = ['1', '2'].map((id) => ({
      requestId: id,
      ods: `T${id}`,
      name: `Trust ${id}`,
      sent: '2024-03-11',
      replies: 1,
    }));
    const out = await foiSection(
      { wave: 2025, publicBuild: false, params, protection: { publicBuild: false, threshold: 3 }, source: 'test' },
      d,
    );
    const table = out.tables.find((t) => t.name === 'foi_trusts')!;
    const row = (ods: string) => table.rows.find((r) => r.ods === ods)!;
    expect(row('T1').referrals).toEqual({ low: 12, high: 12 });
    expect(row('T2').referrals).toBeNull();
    expect(row('T2').written).toBe('19, for 2022 (not the year asked)');
  });
});
