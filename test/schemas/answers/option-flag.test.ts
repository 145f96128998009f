import { describe, expect, it } from 'vitest';
import { parseOptionFlag } from '../../../schemas/answers/index.ts';

describe('per-option Yes/blank flags', () => {
  it.each(['Yes', 'yes', 'Y', 'x', 'X', '✓', '✔', 'true', '1', 'Ticked', true, 1])('reads %j as ticked', (raw) => {
    expect(parseOptionFlag(raw)).toBe('yes');
  });

  it("reads the option's own text (survey export) as ticked, case and punctuation tolerated", () => {
    expect(parseOptionFlag('Circle of Security', 'Circle of Security')).toBe('yes');
    expect(parseOptionFlag('watch wait and wonder', 'Watch, Wait and Wonder')).toBe('yes');
  });

  it.each(['No', 'n', '0', 'false', false, 0])('reads %j as not ticked', (raw) => {
    expect(parseOptionFlag(raw)).toBe('no');
  });

  it.each([null, '', '   ', 'n/a'])('reads %j as blank', (raw) => {
    expect(parseOptionFlag(raw)).toBe('blank');
  });

  it.each(['maybe', 'Group work', 2, new Date(0)])(
    "reads %j as unreadable (another option's text is not a tick)",
    (raw) => {
      expect(parseOptionFlag(raw, 'Circle of Security')).toBe('unreadable');
    },
  );
});
