import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

const Q = 'areas_covered';

describe('text_list answers', () => {
  it.each([
    ['Leeds; Bradford', ['Leeds', 'Bradford']],
    ['Leeds, Bradford', ['Leeds', 'Bradford']],
    ['Leeds\nBradford\r\nWakefield', ['Leeds', 'Bradford', 'Wakefield']],
    ['E08000035; E08000032', ['E08000035', 'E08000032']],
    ['Leeds', ['Leeds']],
    [' Leeds ;; Bradford; ', ['Leeds', 'Bradford']],
  ])('reads "%s" as %j', (raw, items) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'text_list', items }, issues: [] });
  });

  it('does not split on commas when the cell uses ";" or line breaks, so names with commas stay whole', () => {
    expect(parse(Q, 'Bournemouth, Christchurch and Poole; Dorset').value).toEqual({
      kind: 'text_list',
      items: ['Bournemouth, Christchurch and Poole', 'Dorset'],
    });
  });

  it('reads a cell of separators only as blank', () => {
    expect(parse(Q, ' ; ; ').value).toEqual({ kind: 'missing', reason: 'blank' });
  });
});
