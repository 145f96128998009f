import { describe, expect, it } from 'vitest';
import type { FoiValue } from '../../reports/input.ts';
import { Section } from '../../reports/model.ts';
import { distributionTable } from '../../reports/sections/foi-distribution.ts';
import { defaultParams } from '../../schemas/report-params.ts';

const value = (id: string, low: number, high: number, suppressed = false): FoiValue => ({
  id,
  requestId: id,
  ods: id,
  questionId: 'q',
  periodId: 'p',
  flags: [],
  ageExact: true,
  bandAccepted: null,
  basis: null,
  yesNo: null,
  missing: null,
  value: { low, high },
  quote: suppressed ? '<5' : String(low),
  fromMonths: false,
  suppressed,
  totalDiffers: false,
  ageLabel: 'under 2',
});

function run(values: FoiValue[], publicBuild = false) {
  const s = new Section('foi', 'FOI', {
    wave: 2024,
    publicBuild,
    params: defaultParams(),
    protection: { publicBuild, threshold: 3 },
    source: 'test',
  });
  const out = distributionTable(s, { name: 't', title: 't', values, notes: [], figurePrefix: 'foi.r', def: 'd' });
  return { out, section: s.out() };
}

describe('FOI distribution: a "<5" the trust wrote', () => {
  it('is its own category "fewer than 5", not "spans bands", so the chart agrees with "most received 0-10"', () => {
    const { out, section } = run([
      value('a', 0, 4, true),
      value('b', 0, 4, true),
      value('c', 3, 3),
      value('d', 20, 20),
    ]);
    expect(out.bars.map((b) => b.label)).toEqual([
      '0',
      '1-10',
      '11-50',
      '51-100',
      'Over 100',
      'Fewer than 5 (withheld by the trust)',
      'Spans bands',
    ]);
    expect(out.bars.find((b) => b.label.startsWith('Fewer'))!.value).toBe(2);
    expect(out.bars.find((b) => b.label === 'Spans bands')!.value).toBe(0);
    expect(section.tables[0]!.rows).toHaveLength(8);
  });
  it('adds no category when no trust withheld a figure across bands', () => {
    const { out } = run([value('a', 1, 4, true), value('c', 3, 3), value('d', 5, 20)]);
    expect(out.bars.map((b) => b.label)).not.toContain('Fewer than 5 (withheld by the trust)');
    expect(out.bars.find((b) => b.label === 'Spans bands')!.value).toBe(1);
  });
  it('draws a withheld count as "[c]" with no bar value in a public build', () => {
    const { out } = run([value('a', 0, 0), value('c', 3, 3), value('d', 4, 4), value('e', 5, 5)], true);
    expect(out.bars.find((b) => b.label === '0')).toEqual({ label: '0', value: null, text: '[c]' });
  });
});
