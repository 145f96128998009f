import { describe, expect, it } from 'vitest';
import { codes, parse, UNREADABLE } from './helpers.ts';

const Q = 'funding_secure_until';
const iso = (value: ReturnType<typeof parse>['value']) => (value.kind === 'date' ? value.iso : value);

describe('date answers', () => {
  it.each([
    '31/03/2025',
    '31-03-2025',
    '31.3.2025',
    '31.03.2025',
    '2025-03-31',
    '2025/03/31',
    '31/3/25',
    '31 March 2025',
    '31st March 2025',
    '31 Mar 2025',
    '31-Mar-2025',
    'March 31, 2025',
    '2025-03-31T00:00:00Z',
    '31 march 2025.',
  ])('reads "%s" as 2025-03-31 (day first)', (raw) => {
    expect(parse(Q, raw)).toEqual({ value: { kind: 'date', iso: '2025-03-31' }, issues: [] });
  });

  it('reads a date object by its UTC day (how exceljs hands over a date cell)', () => {
    expect(iso(parse(Q, new Date(Date.UTC(2025, 2, 31))).value)).toBe('2025-03-31');
  });

  it.each([
    [45747, '2025-03-31'],
    [45747.75, '2025-03-31'],
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [36526, '2000-01-01'],
  ])('reads the Excel serial %d as %s (1900 system)', (serial, expected) => {
    expect(iso(parse(Q, serial).value)).toBe(expected);
  });

  it("rejects serial 60, Excel's 29 February 1900 that never existed", () => {
    expect(codes(parse(Q, 60))).toEqual(['error:date_invalid']);
  });

  it.each([
    ['31/02/2025', 'error:date_invalid'],
    ['29/02/2023', 'error:date_invalid'],
    ['03/31/2025', 'error:date_invalid'],
    ['0/1/2025', 'error:date_invalid'],
    [0, 'error:date_invalid'],
    [-5, 'error:date_invalid'],
    [new Date(Number.NaN), 'error:date_invalid'],
    ['March 2025', 'error:date_ambiguous'],
    ['03/2025', 'error:date_ambiguous'],
    ['2026', 'error:date_ambiguous'],
    [2026, 'error:date_ambiguous'],
    ['ongoing', 'error:date_unreadable'],
    [true, 'error:date_unreadable'],
  ])('rejects %j with %s', (raw, code) => {
    const p = parse(Q, raw);
    expect(p.value).toEqual(UNREADABLE);
    expect(codes(p)).toEqual([code]);
  });

  it('accepts 29 February in a leap year', () => {
    expect(iso(parse(Q, '29/02/2024').value)).toBe('2024-02-29');
  });

  it('says that dates are read day first when the month is impossible', () => {
    expect(parse(Q, '03/31/2025').issues[0]!.message).toContain('day first');
  });

  it('reads "not known" as missing, not as an error', () => {
    expect(parse(Q, 'not known')).toEqual({ value: { kind: 'missing', reason: 'not_known' }, issues: [] });
  });
});
