import { describe, expect, it } from 'vitest';
import { exact, range } from '../../schemas/interval.ts';
import {
  capHigh,
  max,
  median,
  min,
  percentOf,
  quantile,
  quartiles,
  ratio,
  scale,
  sum,
} from '../../reports/intervals.ts';

describe('sum', () => {
  it('adds lows and highs of banded answers', () => {
    expect(sum([range(0, 24), range(25, 49), exact(60)])).toEqual({ low: 85, high: 133 });
  });

  it('accepts schema intervals and plain bounds alike, and the empty sum is 0', () => {
    expect(sum([])).toEqual({ low: 0, high: 0 });
    expect(sum([{ low: 1, high: 2 }, exact(3)])).toEqual({ low: 4, high: 5 });
  });

  it('stays open above when an open band is summed without a cap', () => {
    expect(sum([range(301, null), exact(40)])).toEqual({ low: 341, high: null });
  });

  it('replaces an open high with the cap from the build parameters', () => {
    expect(sum([range(301, null), range(200, 300)], { cap: 500 })).toEqual({ low: 501, high: 800 });
  });

  it('refuses a cap below the low end of an open band, naming the parameter to raise', () => {
    expect(() => capHigh({ low: 600, high: null }, 500)).toThrow(/raise the cap/);
  });
});

describe('scale and ratio', () => {
  it('scales both ends and keeps an open high open', () => {
    expect(scale({ low: 2, high: null }, 3)).toEqual({ low: 6, high: null });
    expect(() => scale({ low: 1, high: 1 }, -1)).toThrow(RangeError);
  });

  it('divides a range by a fixed need end by end', () => {
    expect(ratio({ low: 4400, high: 6500 }, 110_000)).toEqual({ low: 0.04, high: 6500 / 110_000 });
  });

  it('divides by a range: low over the high need, high over the low need', () => {
    expect(ratio({ low: 10, high: 20 }, { low: 2, high: 4 })).toEqual({ low: 2.5, high: 10 });
  });

  it('gives an open high when the need may be zero, and refuses a need of exactly zero', () => {
    expect(ratio({ low: 1, high: 2 }, { low: 0, high: 4 })).toEqual({ low: 0.25, high: null });
    expect(() => ratio({ low: 1, high: 2 }, 0)).toThrow(/positive/);
  });

  it('reproduces the published reach figures as ranges of percentages', () => {
    const families = { low: 4400, high: 6500 };
    const uk = percentOf(families, 110_000);
    expect(uk.low).toBeCloseTo(4, 10);
    expect(uk.high).toBeCloseTo(5.909, 3);
    const england2024 = percentOf(families, 34_000);
    expect(england2024.low).toBeCloseTo(12.94, 2);
    expect(england2024.high).toBeCloseTo(19.12, 2);
  });
});

describe('median and quartiles', () => {
  it('ranks lows and highs separately', () => {
    expect(median([range(0, 24), range(100, 199), range(25, 49)])).toEqual({ low: 25, high: 49 });
  });

  it('takes the mean of the two middle values for an even count', () => {
    expect(median([exact(1), exact(2), exact(4), exact(10)])).toEqual({ low: 3, high: 3 });
  });

  it('sorts an open high above every number', () => {
    expect(median([range(1, 2), range(301, null), range(5, 6)])).toEqual({ low: 5, high: 6 });
  });

  it('prints a median that falls on an open high as open', () => {
    expect(median([range(1, 1), range(301, null), range(400, null)])).toEqual({ low: 301, high: null });
    expect(median([exact(1), exact(3), range(5, null), range(7, null)])).toEqual({ low: 4, high: null });
  });

  it('is undefined when no one answered', () => {
    expect(median([])).toBeUndefined();
    expect(quartiles([])).toBeUndefined();
  });

  it('uses the spreadsheet QUARTILE.INC rule (linear between closest ranks)', () => {
    const q = quartiles([1, 2, 3, 4].map(exact));
    expect(q).toEqual({
      q1: { low: 1.75, high: 1.75 },
      median: { low: 2.5, high: 2.5 },
      q3: { low: 3.25, high: 3.25 },
    });
    expect(quantile([1, 2, 3, 4, 5].map(exact), 0.25)).toEqual({ low: 2, high: 2 });
  });

  it('refuses a quantile outside 0..1', () => {
    expect(() => quantile([exact(1)], 1.5)).toThrow(RangeError);
  });
});

describe('min and max', () => {
  it('bounds the smallest and the largest value', () => {
    const items = [range(0, 24), range(301, null), exact(30)];
    expect(min(items)).toEqual({ low: 0, high: 24 });
    expect(max(items)).toEqual({ low: 301, high: null });
    expect(min([])).toBeUndefined();
  });
});
