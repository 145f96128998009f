import { describe, expect, it } from 'vitest';
import { prose } from '../../../pipeline/cli/format.ts';

describe('sentences on a terminal', () => {
  it('wrap at spaces to the width, every line of the text, no word lost; unlimited (piped) leaves them whole', () => {
    const summary =
      '1 file(s): 1 return(s) would load, 0 would be kept out; issues: 4 error, 1 warning, 0 info.\nThe issues: census check returns --wave 2025';
    const wrapped = prose(summary, 60);
    for (const line of wrapped.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect(wrapped.split(/\s+/)).toEqual(summary.split(/\s+/));
    expect(wrapped.split('\n').length).toBeGreaterThan(2);
    expect(prose(summary, Infinity)).toBe(summary);
  });
});
