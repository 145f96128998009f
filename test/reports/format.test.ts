import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDenominator,
  formatNumber,
  formatPercent,
  formatRange,
  roundHalfAwayFromZero,
  TRUSTS,
} from '../../reports/format.ts';
import { percentOf } from '../../reports/intervals.ts';

describe('numbers', () => {
  it('groups thousands with commas, en-GB style', () => {
    expect(formatCount(4400)).toBe('4,400');
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-40_000)).toBe('-40,000');
  });

  it('prints a fixed number of decimals when asked', () => {
    expect(formatNumber(2.5, 1)).toBe('2.5');
    expect(formatNumber(1234.5, 2)).toBe('1,234.50');
  });

  it('rounds half away from zero', () => {
    expect(formatCount(2.5)).toBe('3');
    expect(formatCount(-2.5)).toBe('-3');
    expect(formatCount(2.4999)).toBe('2');
    expect(formatCount(-0.4)).toBe('0');
  });

  it('rounds a decimal half stored just below it in binary as a half', () => {
    expect(0.145 * 100).toBeLessThan(14.5);
    expect(formatCount(0.145 * 100)).toBe('15');
    expect(formatNumber(1.005, 2)).toBe('1.01');
    expect(roundHalfAwayFromZero(1.005, 2)).toBe(1.01);
  });

  it('prints [x] for a value that is not a finite number', () => {
    expect(formatCount(Number.NaN)).toBe('[x]');
    expect(formatCount(Infinity)).toBe('[x]');
  });
});

describe('ranges', () => {
  it('prints "low to high"', () => {
    expect(formatRange({ low: 4400, high: 6500 })).toBe('4,400 to 6,500');
  });

  it('prints one number when low equals high', () => {
    expect(formatRange({ low: 45, high: 45 })).toBe('45');
  });

  it('prints one number when both ends round to the same figure', () => {
    expect(formatRange({ low: 2.4, high: 2.45 })).toBe('2');
  });

  it('prints an open range as "over" its sum of lows', () => {
    expect(formatRange({ low: 2000, high: null })).toBe('over 2,000');
    expect(formatRange({ low: 40_000, high: Infinity })).toBe('over 40,000');
  });
});

describe('percentages', () => {
  it('reproduces the published reach figures "4-6%" and "13-19%", one decimal below 10%', () => {
    const families = { low: 4400, high: 6500 };
    expect(formatPercent(percentOf(families, 110_000))).toBe('4.0% to 5.9%');
    expect(formatPercent(percentOf(families, 34_000))).toBe('13% to 19%');
  });

  it('keeps a small range a range: 0.32-0.57% prints "0.3% to 0.6%", never "0 to 1"', () => {
    expect(formatPercent({ low: 0.32, high: 0.57 })).toBe('0.3% to 0.6%');
    expect(formatPercent(9.96)).toBe('10.0%');
    expect(formatPercent({ low: 8.04, high: 12.6 })).toBe('8.0% to 13%');
  });

  it('prints a single percentage and one whose ends round together', () => {
    expect(formatPercent(50)).toBe('50%');
    expect(formatPercent({ low: 33.2, high: 33.4 })).toBe('33%');
  });

  it('keeps decimals when the parameters ask for them', () => {
    expect(formatPercent({ low: 4, high: 5.909 }, 1)).toBe('4.0% to 5.9%');
    expect(formatPercent({ low: 40, high: 59.09 }, 2)).toBe('40.00% to 59.09%');
  });

  it('prints an open percentage as "over" and negative ends with "to"', () => {
    expect(formatPercent({ low: 4, high: null })).toBe('over 4.0%');
    expect(formatPercent({ low: 40, high: null })).toBe('over 40%');
    expect(formatPercent({ low: -20, high: 50 })).toBe('-20% to 50%');
  });
});

describe('denominators', () => {
  it('states who answered and how many did not', () => {
    expect(formatDenominator(45, 4)).toBe('of 45 teams that answered (4 did not answer)');
  });

  it('shows a zero non-answer count and uses the singular for one', () => {
    expect(formatDenominator(1, 0)).toBe('of 1 team that answered (0 did not answer)');
    expect(formatDenominator(1045, 5, TRUSTS)).toBe('of 1,045 trusts that answered (5 did not answer)');
  });
});
