import { describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { codes, interval, parse, UNREADABLE } from './helpers.ts';

const Q = 'families_supported';

describe('band answers (2025 bands)', () => {
  it.each([
    ['Fewer than 25', 0, 24, '0_24'],
    ['fewer than 25', 0, 24, '0_24'],
    ['Under 25', 0, 24, '0_24'],
    ['<25', 0, 24, '0_24'],
    ['25-49', 25, 49, '25_49'],
    ['25 - 49', 25, 49, '25_49'],
    ['25–49', 25, 49, '25_49'],
    ['25 to 49', 25, 49, '25_49'],
    ['50-99', 50, 99, '50_99'],
    ['100-199', 100, 199, '100_199'],
    ['200-300', 200, 300, '200_300'],
    ['25_49', 25, 49, '25_49'],
  ])('reads the listed band "%s" as [%i, %i] in band %s', (raw, low, high, band) => {
    expect(parse(Q, raw)).toEqual({ value: interval(low, high, false, band), issues: [] });
  });

  it.each(['More than 300', 'more than 300', 'Over 300', '>300', '301+'])(
    'reads "%s" as the open top band [301, open]',
    (raw) => {
      expect(parse(Q, raw)).toEqual({ value: interval(301, null, false, '301_plus'), issues: [] });
    },
  );

  it.each([
    [60, '50_99'],
    ['60', '50_99'],
    [24, '0_24'],
    [0, '0_24'],
    [1000, '301_plus'],
  ])('keeps the exact number %j typed instead of a band as [n, n] in band %s, with an info note', (raw, band) => {
    const n = Number(raw);
    const p = parse(Q, raw);
    expect(p.value).toEqual(interval(n, n, false, band));
    expect(codes(p)).toEqual(['info:band_typed_as_number']);
  });

  it('reads "about 60" as 60, flagged approximate, in band 50_99', () => {
    const p = parse(Q, 'about 60');
    expect(p.value).toEqual(interval(60, 60, true, '50_99'));
    expect(codes(p)).toEqual(['info:band_typed_as_number']);
  });

  it('keeps a range inside one band with that band, noted', () => {
    const p = parse(Q, '60-80');
    expect(p.value).toEqual(interval(60, 80, false, '50_99'));
    expect(codes(p)).toEqual(['info:band_typed_as_range']);
  });

  it('keeps a range spanning bands as typed, in no band, with a warning', () => {
    const p = parse(Q, '150-250');
    expect(p.value).toEqual(interval(150, 250));
    expect(codes(p)).toEqual(['warning:band_spans_bands']);
  });

  it.each(['loads', 'several', '-5', '2.5', true])('rejects %j as an unknown band', (raw) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual(['error:band_unknown']);
    expect(p.issues[0]!.message).toContain('"Fewer than 25"');
  });
});

describe('band answers of earlier waves', () => {
  const list2023 = loadQuestionList(2023);
  const list2019 = loadQuestionList(2019);
  const fam = (l: typeof list2023) => l.questions.find((x) => x.id === Q)!;

  it.each([
    ['0-24', 0, 24, '0_24'],
    ['25-50', 25, 50, '25_50'],
    ['51-100', 51, 100, '51_100'],
    ['301+', 301, null, '301_plus'],
  ])('reads the 2023 band "%s" with its own bounds', (raw, low, high, band) => {
    expect(parse(fam(list2023), raw, 2023).value).toEqual(interval(low, high, false, band));
  });

  it.each([
    ['Under 20', 0, 19, '0_19'],
    ['20-49', 20, 49, '20_49'],
    ['200 or more', 200, null, '200_plus'],
  ])('reads the 2019 band "%s" with its own bounds', (raw, low, high, band) => {
    expect(parse(fam(list2019), raw, 2019).value).toEqual(interval(low, high, false, band));
  });
});
