import { describe, expect, it } from 'vitest';
import { matchKey, normaliseText } from '../../../schemas/answers/normalise-text.ts';

describe('normaliseText', () => {
  it.each([
    ['  Yes. ', 'yes'],
    ['N/A;', 'n/a'],
    ['20 – 30', '20 - 30'],
    ['don’t know', "don't know"],
    ['“quoted”', '"quoted"'],
    ['a\u00a0\u00a0b', 'a b'],
    ['zero\u200bwidth', 'zerowidth'],
    ['Name of your team *', 'name of your team'],
    ['１００', '100'],
    ['100+', '100+'],
  ])('normalises %j to %j', (raw, out) => {
    expect(normaliseText(raw)).toBe(out);
  });
});

describe('matchKey', () => {
  it.each([
    ["Children's social care", 'childrens social care'],
    ['Watch, Wait and Wonder', 'watch wait and wonder'],
    ['Yorkshire & Humber', 'yorkshire and humber'],
    ['local_authority', 'local authority'],
    ['PHQ-9 or GAD-7', 'phq 9 or gad 7'],
  ])('keys %j as %j', (raw, out) => {
    expect(matchKey(raw)).toBe(out);
  });
});
