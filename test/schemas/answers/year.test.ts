import { describe, expect, it } from 'vitest';
import { codes, parse, UNREADABLE } from './helpers.ts';

const Q = 'year_established';

describe('year answers', () => {
  it.each([
    ['2016', 2016],
    [2016, 2016],
    ['1990', 1990],
    [2025, 2025],
    [' 2016. ', 2016],
  ])('reads %j as %i', (raw, value) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'integer', value }, issues: [] });
  });

  it('reads a date object as its year, with a warning', () => {
    const p = parse(Q, new Date(Date.UTC(2015, 8, 1)));
    expect(p.value).toEqual({ kind: 'integer', value: 2015 });
    expect(codes(p)).toEqual(['warning:year_from_date']);
  });

  it('reads a typed full date "01/09/2015" as 2015, with a warning', () => {
    expect(codes(parse(Q, '01/09/2015'))).toEqual(['warning:year_from_date']);
    expect(parse(Q, '01/09/2015').value).toEqual({ kind: 'integer', value: 2015 });
  });

  // questionnaire.md: a year is a 4-digit year; approximate forms are read for counts only.
  it.each(['c. 2010', 'around 2018', 'about 2009', 'approx 2015', '~2012'])(
    'stores the approximate year "%s" as unreadable (missing, raw text kept), not as the year',
    (raw) => {
      const p = parse(Q, raw);
      expect(p.value).toEqual({ kind: 'missing', reason: 'unreadable' });
      expect(codes(p)).toEqual(['error:year_approximate']);
      expect(p.issues[0]!.message).toContain(raw);
    },
  );

  it('accepts the wave year itself and rejects the year after it', () => {
    expect(parse(Q, 2019, 2019).value).toEqual({ kind: 'integer', value: 2019 });
    expect(codes(parse(Q, 2020, 2019))).toEqual(['error:year_out_of_range']);
  });

  it.each([
    ['1989', 'error:year_out_of_range'],
    [2026, 'error:year_out_of_range'],
    ['2026', 'error:year_out_of_range'],
    ['16', 'error:year_unreadable'],
    ['2015/16', 'error:year_unreadable'],
    [2015.5, 'error:year_unreadable'],
    ['last year', 'error:year_unreadable'],
    [true, 'error:year_unreadable'],
  ])('rejects %j with %s', (raw, code) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual([code]);
  });

  it('names the accepted range in the message', () => {
    expect(parse(Q, '1989').issues[0]!.message).toContain('from 1990 to 2025');
  });
});
