import { describe, expect, it } from 'vitest';
import {
  applyDisclosure,
  formatCell,
  neutraliseFormula,
  type Cell,
  type CountTable,
  type PublicTable,
} from '../../reports/disclosure.ts';
import { compareWithPrevious } from '../../reports/disclosure-compare.ts';

const n = (v: number, extra: Partial<Cell> = {}): Cell => ({ value: { low: v, high: v }, ...extra });

function shown(t: PublicTable): string[][] {
  return t.cells.map((r) => r.map((c) => formatCell(c)));
}

const regionsByHost: CountTable = {
  rows: ['North', 'South', 'East'],
  cols: ['NHS', 'Charity'],
  cells: [
    [n(5), n(1)],
    [n(4), n(6)],
    [n(7), n(8)],
  ],
  totals: { rows: true, cols: true },
};

describe('primary suppression', () => {
  it('withholds counts of 1 and 2 at the default threshold of 3, and shows 0 and 3', () => {
    const t = applyDisclosure({
      rows: ['a', 'b', 'c', 'd'],
      cols: ['Teams'],
      cells: [[n(0)], [n(1)], [n(2)], [n(3)]],
      totals: { rows: false, cols: false },
    });
    expect(shown(t)).toEqual([['0'], ['[c]'], ['[c]'], ['3']]);
  });

  it('takes the threshold as a parameter', () => {
    const t = applyDisclosure(
      { rows: ['a', 'b'], cols: ['Teams'], cells: [[n(4)], [n(5)]], totals: { rows: false, cols: false } },
      { threshold: 5 },
    );
    expect(shown(t)).toEqual([['[c]'], ['5']]);
  });

  it('shows a small group that is a whole nation', () => {
    const t = applyDisclosure({
      rows: ['England', 'Scotland', 'Wales', 'Northern Ireland'],
      cols: ['Teams'],
      cells: [[n(40)], [n(4)], [n(2, { wholeNation: true })], [n(1, { wholeNation: true })]],
      totals: { rows: false, cols: true },
    });
    expect(shown(t)).toEqual([['40'], ['4'], ['2'], ['1'], ['47']]);
    expect(t.rows).toEqual(['England', 'Scotland', 'Wales', 'Northern Ireland', 'Total']);
  });
});

describe('secondary suppression', () => {
  it('withholds the next-smallest cell so a total cannot reveal a withheld one', () => {
    const t = applyDisclosure({
      rows: ['North East', 'North West', 'London'],
      cols: ['Teams'],
      cells: [[n(2)], [n(5)], [n(7)]],
      totals: { rows: false, cols: true },
    });
    expect(shown(t)).toEqual([['[c]'], ['[c]'], ['7'], ['14']]);
    expect(t.suppressed).toEqual([
      { row: 'North East', col: 'Teams', reason: 'primary' },
      { row: 'North West', col: 'Teams', reason: 'secondary' },
    ]);
  });

  it('repeats across rows and columns until every line with a total has none or at least two withheld', () => {
    const t = applyDisclosure(regionsByHost);
    expect(shown(t)).toEqual([
      ['[c]', '[c]', '6'],
      ['[c]', '[c]', '10'],
      ['7', '8', '15'],
      ['16', '15', '31'],
    ]);
  });

  it('breaks ties by position and prefers a non-zero cell to a zero', () => {
    const t = applyDisclosure({
      rows: ['r'],
      cols: ['a', 'b', 'c', 'd'],
      cells: [[n(1), n(0), n(4), n(4)]],
      totals: { rows: true, cols: false },
    });
    expect(shown(t)).toEqual([['[c]', '0', '[c]', '4', '9']]);
  });

  it('withholds a small row total and protects it in the column of totals', () => {
    const t = applyDisclosure({
      rows: ['A', 'B', 'C'],
      cols: ['x', 'y'],
      cells: [
        [n(1), n(1)],
        [n(5), n(6)],
        [n(7), n(9)],
      ],
      totals: { rows: true, cols: true },
    });
    const totalColumn = t.cells.map((r) => formatCell(r[2] ?? { value: null }));
    expect(totalColumn.filter((c) => c === '[c]')).toHaveLength(2);
    expect(totalColumn[3]).toBe('29');
  });

  it('leaves [x] and [z] cells out of totals and never uses them as complements', () => {
    const t = applyDisclosure({
      rows: ['r'],
      cols: ['a', 'b', 'c'],
      cells: [[n(2), { value: null, status: 'z' }, n(9)]],
      totals: { rows: true, cols: false },
    });
    expect(shown(t)).toEqual([['[c]', '[z]', '[c]', '11']]);
  });
});

describe('values the source already withheld', () => {
  const referrals: CountTable = {
    rows: ['Trust A', 'Trust B'],
    cols: ['2022-23', '2023-24'],
    cells: [
      [n(10), { value: { low: 1, high: 4 }, sourceSuppressed: true }],
      [n(7), n(3)],
    ],
    totals: { rows: true, cols: true },
  };

  it('stay [c], and a total including them prints as a range, so subtraction only gives back "<5"', () => {
    const t = applyDisclosure(referrals, { threshold: 0 });
    expect(shown(t)).toEqual([
      ['10', '[c]', '11 to 14'],
      ['7', '3', '10'],
      ['17', '4 to 7', '21 to 24'],
    ]);
    const rowTotal = t.cells[0]?.[2]?.value;
    expect(rowTotal && { low: rowTotal.low - 10, high: (rowTotal.high ?? NaN) - 10 }).toEqual({ low: 1, high: 4 });
    expect(t.suppressed).toEqual([{ row: 'Trust A', col: '2023-24', reason: 'source' }]);
  });

  it('get a complement when the source withheld an exact value, since the total would be exact', () => {
    const t = applyDisclosure(
      {
        rows: ['r'],
        cols: ['a', 'b', 'c'],
        cells: [[n(10), n(3, { status: 'c' }), n(8)]],
        totals: { rows: true, cols: false },
      },
      { threshold: 0 },
    );
    expect(shown(t)).toEqual([['10', '[c]', '[c]', '21']]);
  });
});

describe('printing', () => {
  it('prints statuses in square brackets, never a bare asterisk', () => {
    expect(formatCell({ value: null, status: 'c' })).toBe('[c]');
    expect(formatCell({ value: null, status: 'x' })).toBe('[x]');
    expect(formatCell({ value: null, status: 'z' })).toBe('[z]');
    expect(formatCell({ value: { low: 12, high: 12 }, status: 'u' })).toBe('12 [u]');
    expect(formatCell({ value: { low: 4400, high: 6500 } })).toBe('4,400 to 6,500');
  });

  it('refuses a table whose rows do not match its labels', () => {
    expect(() =>
      applyDisclosure({ rows: ['a'], cols: ['x', 'y'], cells: [[n(1)]], totals: { rows: true, cols: true } }),
    ).toThrow(/1 rows of 2 cells/);
  });
});

describe('neutraliseFormula', () => {
  it.each(['=SUM(A1:A9)', '+44 20', '-1', '@cmd', '\tx', '\rx'])('prefixes %j with an apostrophe', (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
  });

  it.each(['Team A', '', ' =x', '4,400 to 6,500', '[c]', '\u2212 1'])('leaves %j unchanged', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
});

describe('compareWithPrevious', () => {
  const regions: CountTable = {
    rows: ['North East', 'North West', 'London'],
    cols: ['Teams'],
    cells: [[n(2)], [n(5)], [n(7)]],
    totals: { rows: false, cols: true },
  };

  it('finds nothing when a rebuild gives the same public table', () => {
    expect(compareWithPrevious(applyDisclosure(regions), applyDisclosure(regions))).toEqual([]);
  });

  it('reports cells a changed rule un-suppresses', () => {
    const findings = compareWithPrevious(applyDisclosure(regions), applyDisclosure(regions, { threshold: 2 }));
    expect(findings.map((f) => [f.code, f.row])).toEqual([
      ['unsuppressed', 'North East'],
      ['unsuppressed', 'North West'],
    ]);
  });

  it('reports a withheld cell that subtraction across the two builds reveals', () => {
    const previous = applyDisclosure(regions);
    const c = { value: null, status: 'c' } as const;
    const current: PublicTable = {
      ...previous,
      cells: [[c], [{ value: { low: 5, high: 5 } }], [c], [{ value: { low: 14, high: 14 } }]],
    };
    const findings = compareWithPrevious(previous, current);
    expect(findings).toContainEqual(expect.objectContaining({ code: 'unsuppressed', row: 'North West' }));
    expect(findings).toContainEqual(expect.objectContaining({ code: 'newly_suppressed', row: 'London' }));
    expect(findings).toContainEqual({ code: 'revealed_by_subtraction', row: 'North East', col: 'Teams', value: 2 });
  });

  it('reports changed figures and cells that appear or disappear', () => {
    const previous = applyDisclosure(regions);
    const current = applyDisclosure({
      ...regions,
      rows: ['North East', 'North West', 'Wales'],
      cells: [[n(2)], [n(5)], [n(8)]],
    });
    const codes = compareWithPrevious(previous, current).map((f) => `${f.code}:${f.row}`);
    expect(codes).toEqual(['cell_removed:London', 'value_changed:Total', 'cell_added:Wales']);
  });
});
