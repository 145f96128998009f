import { describe, expect, it } from 'vitest';
import {
  cellAt,
  contributors,
  dependent,
  protectCounts,
  protectFigure,
  protectGrid,
  shareCell,
} from '../../reports/protect.ts';

const pub = { publicBuild: true, threshold: 3 };
const internal = { publicBuild: false, threshold: 3 };

describe('protectCounts', () => {
  it('withholds nothing in an internal build', () => {
    const t = protectCounts(['a', 'b', 'c'], [1, 2, 9], true, internal);
    expect(t.suppressed).toEqual([]);
    expect(cellAt(t, 3).value).toEqual({ low: 12, high: 12 });
  });

  it('withholds a count below the threshold and a complement the total would reveal, in a public build', () => {
    const t = protectCounts(['a', 'b', 'c'], [1, 5, 9], true, pub);
    expect(t.cells.map((r) => r[0]!.status ?? 'shown')).toEqual(['c', 'c', 'shown', 'shown']);
    expect(t.suppressed.map((s) => s.reason)).toEqual(['primary', 'secondary']);
  });

  it('withholds one more count when the withheld ones together make a small group the total gives away', () => {
    // Seventh questionnaire corpus: NI 1 and Not answered 1 withheld, but 38 - 29 - 4 - 3 = 2 is a group of two.
    const t = protectCounts(
      ['England', 'Scotland', 'Wales', 'Northern Ireland', 'Not answered'],
      [29, 4, 3, 1, 1],
      true,
      pub,
    );
    expect(t.cells.map((r) => r[0]!.status ?? 'shown')).toEqual(['shown', 'shown', 'c', 'c', 'c', 'shown']);
    expect(t.suppressed.map((s) => [s.row, s.reason])).toEqual([
      ['Wales', 'secondary'],
      ['Northern Ireland', 'primary'],
      ['Not answered', 'primary'],
    ]);
    // Withheld counts that together reach the threshold stay as they are.
    const enough = protectCounts(['a', 'b', 'c', 'd'], [2, 1, 5, 9], true, pub);
    expect(enough.cells.map((r) => r[0]!.status ?? 'shown')).toEqual(['c', 'c', 'shown', 'shown', 'shown']);
  });

  it('does the same down a column of row totals (the Total column of nation by status)', () => {
    const g = protectGrid(
      {
        rows: ['England', 'Scotland', 'Wales', 'Northern Ireland', 'Not answered'],
        cols: ['Established', 'In development'],
        counts: [
          [25, 4],
          [3, 1],
          [2, 1],
          [1, 0],
          [1, 0],
        ],
        totals: { rows: true, cols: true },
        wholeNationRows: ['England', 'Scotland', 'Wales', 'Northern Ireland'],
      },
      pub,
    );
    const hidden = g.rows.filter((_, i) => cellAt(g, i, 2).status === 'c');
    const sum = hidden.reduce((n, r) => n + [29, 4, 3, 1, 1][g.rows.indexOf(r)]!, 0);
    expect(hidden.length === 0 || sum >= 3).toBe(true);
    expect(hidden).toContain('Not answered');
  });

  it('shows true zeros, and counts of whole nations however small', () => {
    expect(cellAt(protectCounts(['a', 'b'], [0, 7], false, pub), 0).value).toEqual({ low: 0, high: 0 });
    expect(cellAt(protectCounts(['Wales'], [1], false, pub, true), 0).status).toBeUndefined();
  });

  it('exempts each nation row total of a nation x status grid, not its cells', () => {
    const g = protectGrid(
      {
        rows: ['England', 'Wales'],
        cols: ['Established', 'In development'],
        counts: [
          [30, 5],
          [1, 1],
        ],
        totals: { rows: true, cols: false },
        wholeNationRows: ['England', 'Wales'],
      },
      pub,
    );
    expect(cellAt(g, 1, 2).value).toEqual({ low: 2, high: 2 });
    expect([cellAt(g, 1, 0).status, cellAt(g, 1, 1).status]).toEqual(['c', 'c']);
  });
});

describe('derived cells', () => {
  it('give a share of a shown count, rounded, and take the status of a withheld one', () => {
    expect(shareCell({ value: { low: 15, high: 15 } }, 45, 0)).toEqual({ value: { low: 33, high: 33 } });
    expect(shareCell({ value: null, status: 'c' }, 45, 0)).toEqual({ value: null, status: 'c' });
    expect(shareCell({ value: { low: 0, high: 0 } }, 0, 0)).toEqual({ value: null, status: 'z' });
    expect(dependent({ value: null, status: 'c' }, { low: 100, high: 199 })).toEqual({ value: null, status: 'c' });
  });
});

describe('protectFigure: the gate every public figure passes', () => {
  const f = {
    id: 'x.y',
    section: 'x',
    label: 'Babies under two seen',
    value: { low: 120, high: 120 },
    text: '120',
    unit: 'babies',
    definition: 'x.y',
    records: ['answer:7/babies_under_2'],
  };
  it('withholds a figure resting on one team in a public build, keeping no value or text', () => {
    expect(protectFigure(f, pub)).toMatchObject({ value: null, status: 'c', text: '[c]' });
    expect(protectFigure(f, internal)).toEqual(f);
  });
  it('counts contributors by return, not by record, and lets a whole-nation figure through', () => {
    const two = { ...f, records: ['answer:7/a', 'answer:7/b', 'return:7', 'answer:8/a'] };
    expect(contributors(two.records)).toBe(2);
    expect(protectFigure(two, pub).status).toBe('c');
    expect(protectFigure({ ...two, records: [...two.records, 'return:9'] }, pub)).toMatchObject({ text: '120' });
    expect(protectFigure({ ...f, wholeNation: true }, pub)).toMatchObject({ text: '120' });
  });
  it('empties a figure a section already marked [c]', () => {
    const many = { ...f, status: 'c' as const, records: ['return:1', 'return:2', 'return:3'] };
    expect(protectFigure(many, pub)).toMatchObject({ value: null, text: '[c]' });
  });
});
