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

  it('reads "c. 2010" as 2010, with a warning that it is approximate', () => {
    const p = parse(Q, 'c. 2010');
    expect(p.value).toEqual({ kind: 'integer', value: 2010 });
    expect(codes(p)).toEqual(['warning:year_approximate']);
  });

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
