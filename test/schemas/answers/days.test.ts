import { describe, expect, it } from 'vitest';
import { codes, parse, UNREADABLE } from './helpers.ts';

const Q = 'wait_assessment_days';

describe('days answers', () => {
  it.each([
    ['21', 21],
    [21, 21],
    ['0', 0],
    ['3 days', 3],
    ['1 day', 1],
    ['10d', 10],
    ['2 weeks', 14],
    ['1 week', 7],
    ['6 wks', 42],
    ['1,000', 1000],
  ])('reads %j as %i days', (raw, value) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'integer', value }, issues: [] });
  });

  it('reads "about 30 days" as 30 with an info note', () => {
    const p = parse(Q, 'about 30 days');
    expect(p.value).toEqual({ kind: 'integer', value: 30 });
    expect(codes(p)).toEqual(['info:days_approximate']);
  });

  it.each(['3 months', '1 month', '2 years', '10 working days', '10-14 days', '2-3 weeks', '6 to 8'])(
    'keeps "%s" unread as ambiguous (a warning that keeps the raw text)',
    (raw) => {
      const p = parse(Q, raw);
      expect(p.value).toEqual(UNREADABLE);
      expect(codes(p)).toEqual(['warning:days_ambiguous']);
      expect(p.issues[0]!.raw).toBe(raw);
    },
  );

  it.each([
    ['2.5', 'error:days_not_whole'],
    [2.5, 'error:days_not_whole'],
    ['1.5 weeks', 'error:days_not_whole'],
    ['-3', 'error:days_negative'],
    [-3, 'error:days_negative'],
    ['soon', 'error:days_unreadable'],
    [true, 'error:days_unreadable'],
    [new Date(0), 'error:days_unreadable'],
  ])('rejects %j with %s', (raw, code) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual([code]);
  });
});
