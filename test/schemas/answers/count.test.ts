import { describe, expect, it } from 'vitest';
import { codes, interval, LOCATION, parse, UNREADABLE } from './helpers.ts';

const Q = 'referrals_received';

describe('count answers', () => {
  it.each([
    ['40', 40],
    ['0', 0],
    ['2,150', 2150],
    ['2150', 2150],
    ['1,000,000', 1_000_000],
    [' 40 ', 40],
    ['40 families', 40],
    ['24 months', 24],
    ['none', 0],
  ])('reads "%s" as exactly %i, never widened', (raw, n) => {
    expect(parse(Q, raw)).toEqual({ value: interval(n, n), issues: [] });
  });

  it.each([
    [40, 40],
    [0, 0],
    [2150, 2150],
  ])('reads the number %d as exactly %d', (raw, n) => {
    expect(parse(Q, raw).value).toEqual(interval(n, n));
  });

  it.each([
    'approx 40',
    'approx. 40',
    'approximately 40',
    'c.40',
    'c. 40',
    'c40',
    'circa 40',
    '~40',
    'about 40',
    'around 40',
    'roughly 40',
    '40ish',
    '40 (approx)',
    'Approx 40.',
  ])('reads "%s" as 40, flagged approximate', (raw) => {
    expect(parse(Q, raw)).toEqual({ value: interval(40, 40, true), issues: [] });
  });

  it.each(['over 100', '>100', '> 100', 'more than 100', 'More than 100', 'greater than 100', 'above 100'])(
    'reads "%s" as [101, open]',
    (raw) => {
      expect(parse(Q, raw).value).toEqual(interval(101, null));
    },
  );

  it.each(['100+', '100 +', '100 or more', '>=100', 'at least 100', '100 and over'])(
    'reads "%s" as [100, open]',
    (raw) => {
      expect(parse(Q, raw).value).toEqual(interval(100, null));
    },
  );

  it.each(['fewer than 25', '<25', '< 25', 'less than 25', 'under 25', 'Under 25', 'below 25'])(
    'reads "%s" as [0, 24]',
    (raw) => {
      expect(parse(Q, raw).value).toEqual(interval(0, 24));
    },
  );

  it.each(['up to 25', '<=25', '25 or fewer', 'no more than 25'])('reads "%s" as [0, 25]', (raw) => {
    expect(parse(Q, raw).value).toEqual(interval(0, 25));
  });

  it.each(['20-30', '20 - 30', '20 to 30', '20–30', '20—30', 'between 20 and 30', 'between 20-30'])(
    'reads "%s" as [20, 30]',
    (raw) => {
      expect(parse(Q, raw).value).toEqual(interval(20, 30));
    },
  );

  it('reads "1,000-2,000" as [1000, 2000]', () => {
    expect(parse(Q, '1,000-2,000').value).toEqual(interval(1000, 2000));
  });

  it('reads "approx 20-30" as [20, 30], flagged approximate', () => {
    expect(parse(Q, 'approx 20-30').value).toEqual(interval(20, 30, true));
  });

  it.each([
    ['-3', 'error:count_negative'],
    [-3, 'error:count_negative'],
    ['−3', 'error:count_negative'],
    ['2.5', 'error:count_not_whole'],
    [2.5, 'error:count_not_whole'],
    ['1,5', 'error:count_not_whole'],
    ['30-20', 'error:count_range_reversed'],
    ['lots', 'error:count_unreadable'],
    ['forty', 'error:count_unreadable'],
    ['fewer than 0', 'error:count_unreadable'],
    ['-', 'error:count_unreadable'],
    ['?', 'error:count_unreadable'],
    [true, 'error:count_unreadable'],
    [Number.NaN, 'error:count_unreadable'],
    [Infinity, 'error:count_unreadable'],
    ['2 years', 'error:count_unreadable'],
    ['12,34', 'error:count_not_whole'],
  ])('rejects %j as unreadable with %s', (raw, code) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual([code]);
  });

  it('keeps the raw text, location and question id on the issue, and says what to do', () => {
    const [i] = parse(Q, 'lots').issues;
    expect(i).toMatchObject({ raw: 'lots', location: LOCATION, questionId: Q });
    expect(i!.message).toContain('found "lots"');
    expect(i!.message).toContain('expected a whole number');
    expect(i!.message).toMatch(/Correct the answer|record a correction/);
  });

  it('explains that Excel may have turned a typed range into a date', () => {
    const p = parse(Q, new Date(Date.UTC(2025, 1, 1)));
    expect(p.value).toEqual(UNREADABLE);
    expect(p.issues[0]!.message).toContain('"1-2"');
  });
});
