import { describe, expect, it } from 'vitest';
import { atMost, bandOf, distribute, SPANS } from '../../reports/bands.ts';
import { mostStatement, shareWords } from '../../reports/statements.ts';
import { groupLabel, groupYears } from '../../reports/year-groups.ts';

const BANDS = [
  { label: '0', low: 0, high: 0 },
  { label: '1-10', low: 1, high: 10 },
  { label: '11-50', low: 11, high: 50 },
  { label: 'Over 50', low: 51, high: null },
];

describe('bands', () => {
  it('counts an interval wholly inside one band there, and any other in "spans bands"', () => {
    expect(bandOf({ low: 1, high: 4 }, BANDS)).toBe(1);
    expect(bandOf({ low: 0, high: 0 }, BANDS)).toBe(0);
    expect(bandOf({ low: 5, high: 15 }, BANDS)).toBe(SPANS);
    expect(bandOf({ low: 0, high: 4 }, BANDS)).toBe(SPANS);
    expect(bandOf({ low: 60, high: null }, BANDS)).toBe(3);
    expect(bandOf({ low: 40, high: null }, BANDS)).toBe(SPANS);
  });

  it('distributes items by id, keeping input order within a band', () => {
    const d = distribute(
      [
        { id: 'a', value: { low: 3, high: 3 } },
        { id: 'b', value: { low: 5, high: 15 } },
        { id: 'c', value: { low: 2, high: 2 } },
      ],
      BANDS,
    );
    expect(d.members).toEqual([[], ['a', 'c'], [], []]);
    expect(d.spans).toEqual(['b']);
  });

  it('reads "receives 0-10" as a high end of 10 or less, never an open one', () => {
    expect(atMost({ low: 1, high: 4 }, 10)).toBe(true);
    expect(atMost({ low: 5, high: 15 }, 10)).toBe(false);
    expect(atMost({ low: 0, high: null }, 10)).toBe(false);
  });
});

describe('mostStatement', () => {
  const base = { subject: 'trusts', predicate: 'received 0-10' };
  it('says "Most" only for more than half, with the count', () => {
    expect(mostStatement({ ...base, matching: 28, total: 42 })).toEqual({
      holds: true,
      text: 'Most trusts (28 of 42) received 0-10.',
    });
  });
  it('says "Half of" at exactly half and "Fewer than half of" below it: the false case', () => {
    expect(mostStatement({ ...base, matching: 21, total: 42 })).toEqual({
      holds: false,
      text: 'Half of the trusts (21 of 42) received 0-10.',
    });
    expect(mostStatement({ ...base, matching: 3, total: 42 })).toEqual({
      holds: false,
      text: 'Fewer than half of the trusts (3 of 42) received 0-10.',
    });
  });
  it('claims nothing about an empty group', () => {
    expect(mostStatement({ ...base, matching: 0, total: 0 }).holds).toBe(false);
  });
});

describe('shareWords', () => {
  it.each([
    [15, 45, 'a third'],
    [22, 44, 'around half'],
    [24, 46, 'around half'],
    [30, 45, 'two thirds'],
    [11, 44, 'a quarter'],
    [40, 44, 'almost all'],
    [27, 45, 'most'],
    [9, 45, 'fewer than half'],
    [2, 45, 'few'],
    [0, 45, 'none'],
    [45, 45, 'all'],
  ])('%i of %i is "%s"', (n, total, words) => {
    expect(shareWords(n, total)).toBe(words);
  });
  it('gives no words when nobody answered', () => {
    expect(shareWords(0, 0)).toBeNull();
  });
});

describe('groupYears', () => {
  const rows = [
    { year: 2010, teams: 1 },
    { year: 2012, teams: 1 },
    { year: 2013, teams: 2 },
    { year: 2015, teams: 5 },
    { year: 2018, teams: 1 },
  ];
  it('groups years until each step adds at least the minimum, a short last group joining the one before', () => {
    const g = groupYears(rows, 3);
    expect(g.map(groupLabel)).toEqual(['2010-2013', '2015-2018']);
    expect(g.map((x) => [x.teams, x.cumulative])).toEqual([
      [4, 4],
      [6, 10],
    ]);
  });
  it('keeps every year apart when the minimum is 1 (internal builds)', () => {
    expect(groupYears(rows, 1).map((x) => x.cumulative)).toEqual([1, 2, 4, 9, 10]);
  });
  it('keeps a lone short group rather than dropping teams', () => {
    expect(groupYears([{ year: 2020, teams: 2 }], 3)).toEqual([{ from: 2020, to: 2020, teams: 2, cumulative: 2 }]);
  });
});
