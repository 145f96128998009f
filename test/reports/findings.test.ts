import { describe, expect, it } from 'vitest';
import { Section, type Env } from '../../reports/model.ts';
import { largestBars, listWords } from '../../reports/statements.ts';
import { defaultParams } from '../../schemas/report-params.ts';

const fmt = (low: number, high: number | null) => (high === low ? String(low) : `${low} to ${high ?? 'open'}`);
const env = (publicBuild: boolean): Env => ({
  wave: 2025,
  publicBuild,
  params: defaultParams(),
  protection: { publicBuild, threshold: 3 },
  source: 'Survey 2025',
});
const chart = {
  title: 'Teams in England by region, wave 2025',
  denominator: 'of 12 teams',
  source: 'Survey 2025',
  xTitle: 'Teams',
  yTitle: 'Region',
  integer: true,
  bars: [
    { label: 'North East', value: 5 },
    { label: 'London', value: null, text: '[c]' },
    { label: 'South West', value: 5 },
    { label: 'Wales', value: 2 },
  ],
};

describe('chart findings', () => {
  it('name the largest shown bars, ties together, never a withheld bar', () => {
    expect(largestBars(chart.bars, fmt)).toEqual({
      labels: ['North East', 'South West'],
      text: '5',
      value: { low: 5, high: 5 },
    });
    expect(largestBars([{ label: 'A', value: null, text: '[c]' }], fmt)).toBeNull();
    expect(
      largestBars(
        [
          { label: 'A', value: { low: 3, high: 9 } },
          { label: 'B', value: { low: 3, high: null } },
        ],
        fmt,
      )?.labels,
    ).toEqual(['B']);
  });

  it('list names as "A, B and C", and "A, B, C and 2 others" beyond three', () => {
    expect(listWords(['A'])).toBe('A');
    expect(listWords(['A', 'B'])).toBe('A and B');
    expect(listWords(['A', 'B', 'C'])).toBe('A, B and C');
    expect(listWords(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 others');
  });

  it('title the chart with the finding, describe it with every value as text, and link its data table', async () => {
    const s = new Section('where', '2. Where', env(true));
    await s.bars(chart, (t) => `${t.names} have the most teams (${t.text} each).`, 'Counts of teams.');
    s.table({
      name: 'teams_by_region',
      title: 'Teams by region',
      columns: [{ key: 'r', header: 'Region', kind: 'text' }],
      rows: [{ r: 'North East' }],
    });
    const html = s.out().body.join('\n');
    expect(html).toContain('<figcaption>North East and South West have the most teams (5 each).</figcaption>');
    expect(html).toContain('aria-describedby="where-chart-1-summary where-chart-1-note"');
    expect(html).toMatch(
      /<p class="visually-hidden" id="where-chart-1-summary">Chart data \(teams, of 12 teams\): North East: 5; London: \[c\]; South West: 5; Wales: 2\.<\/p>/,
    );
    expect(html).toContain('href="#table-teams-by-region"');
  });

  it('say "no data" under the chart title when no bar is shown, naming nothing', async () => {
    const s = new Section('where', '2. Where', env(true));
    await s.bars({ ...chart, bars: [{ label: 'London', value: null, text: '[c]' }] }, () => 'never', 'Counts.');
    const html = s.out().body.join('\n');
    expect(html).toContain('no data to chart');
    expect(html).not.toContain('never');
  });
});
