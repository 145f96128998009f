import { describe, expect, it } from 'vitest';
import { toCsv, toCsvBytes, type Column } from '../../reports/csv.ts';

const columns: Column[] = [
  { key: 'region', header: 'Region', kind: 'text' },
  { key: 'teams', header: 'Teams', kind: 'number' },
  { key: 'families', header: 'Families supported', kind: 'range' },
];

describe('toCsv', () => {
  it('writes a header and one record per row, each ending in LF', () => {
    const csv = toCsv({ columns, rows: [{ region: 'London', teams: 7, families: { low: 175, high: 349 } }] });
    expect(csv).toBe('Region,Teams,Families supported (low),Families supported (high)\nLondon,7,175,349\n');
  });

  it('keeps the column order of the column list, whatever the order of the row keys', () => {
    const csv = toCsv({ columns, rows: [{ families: 3, teams: 1, region: 'Wales' }] });
    expect(csv.split('\n')[1]).toBe('Wales,1,3,3');
  });

  it('quotes fields holding commas, quotes or line breaks and doubles the quotes', () => {
    const csv = toCsv({
      columns: [columns[0] as Column],
      rows: [{ region: 'York, "North"\nEast' }, { region: 'a\rb' }],
    });
    expect(csv).toBe('Region\n"York, ""North""\nEast"\n"a\rb"\n');
  });

  it('neutralises text that a spreadsheet would run as a formula', () => {
    const csv = toCsv({
      columns: [columns[0] as Column],
      rows: [{ region: '=HYPERLINK("http://x")' }, { region: '@SUM(1)' }],
    });
    expect(csv).toBe('Region\n"\'=HYPERLINK(""http://x"")"\n\'@SUM(1)\n');
  });

  it('prints numbers without a locale: no grouping, full stop decimal', () => {
    const csv = toCsv({ columns: [columns[1] as Column], rows: [{ teams: 1234567.5 }, { teams: -0 }] });
    expect(csv).toBe('Teams\n1234567.5\n0\n');
  });

  it('writes status markers in every field of a column, and [x] for an open high or a missing value', () => {
    const csv = toCsv({
      columns,
      rows: [
        { region: 'North East', teams: { value: null, status: 'c' }, families: { value: null, status: 'c' } },
        { region: 'All', teams: null, families: { low: 2000, high: null } },
        {
          region: 'South',
          teams: { value: { low: 12, high: 12 }, status: 'u' },
          families: { value: { low: 5, high: 9 } },
        },
      ],
    });
    expect(csv.split('\n').slice(1, 4)).toEqual(['North East,[c],[c],[c]', 'All,[x],2000,[x]', 'South,12 [u],5,9']);
  });

  it('is UTF-8 without a byte order mark', () => {
    const bytes = toCsvBytes({ columns: [columns[0] as Column], rows: [{ region: 'Ynys Môn – “Anglesey”' }] });
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe('Region\nYnys Môn – “Anglesey”\n');
  });

  it('refuses a range in a number column and a number that is not finite', () => {
    expect(() => toCsv({ columns: [columns[1] as Column], rows: [{ teams: { low: 1, high: 2 } }] })).toThrow(
      /declare it kind "range"/,
    );
    expect(() => toCsv({ columns: [columns[1] as Column], rows: [{ teams: NaN }] })).toThrow(/finite/);
  });
});

describe('generated text', () => {
  it('is neutralised as well, so a negative range cannot start a formula', () => {
    const csv = toCsv({
      columns: [{ key: 'change', header: 'Change', kind: 'text' }],
      rows: [{ change: { low: -5, high: 3 } }],
    });
    expect(csv).toBe("Change\n'-5 to 3\n");
  });
});
