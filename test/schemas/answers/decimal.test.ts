import { describe, expect, it } from 'vitest';
import { codes, parse, UNREADABLE } from './helpers.ts';

const Q = 'wte_total';

describe('decimal answers', () => {
  it.each([
    ['1.5', 1.5],
    ['1,5', 1.5],
    ['0', 0],
    ['12', 12],
    ['.5', 0.5],
    ['0.25', 0.25],
    ['1.5 WTE', 1.5],
    ['2 fte', 2],
    ['1,234.5', 1234.5],
    [1.5, 1.5],
    [0, 0],
    [-0, 0],
  ])('reads %j as %d', (raw, value) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'number', value }, issues: [] });
  });

  it('reads "approx 2.5" as 2.5 with a warning that the team marked it approximate', () => {
    const p = parse(Q, 'approx 2.5');
    expect(p.value).toEqual({ kind: 'number', value: 2.5 });
    expect(codes(p)).toEqual(['warning:decimal_approximate']);
  });

  it.each([
    ['-1', 'error:decimal_negative'],
    [-0.5, 'error:decimal_negative'],
    ['1,500', 'error:decimal_ambiguous'],
    ['one and a half', 'error:decimal_unreadable'],
    ['1.5.2', 'error:decimal_unreadable'],
    [true, 'error:decimal_unreadable'],
    [Number.POSITIVE_INFINITY, 'error:decimal_unreadable'],
  ])('rejects %j with %s', (raw, code) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual([code]);
  });
});
