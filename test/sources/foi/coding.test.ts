import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { FoiPeriod } from '../../../schemas/foi.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import {
  aggregateRecords,
  checkTotal,
  codeCount,
  combineBands,
  matchAskedPeriod,
  parseAgeBand,
  parsePeriod,
  sumMonths,
  type MonthCount,
  type RecordRow,
} from '../../../sources/foi/coding.ts';
import { codeTable } from '../../../sources/foi/table.ts';

const wave = loadFoiWave(2024);
const sent = { sentDate: '2024-03-11' };
const count = (text: string, notes?: string[]) => codeCount(text, notes ? { notes } : {}).value;
const FY2223 = { start: '2022-04-01', end: '2023-03-31' };

describe('codeCount', () => {
  it('codes "12" as [12, 12]', () => {
    expect(count('12')).toEqual({ interval: { low: 12, high: 12 }, flags: [], exemptions: [] });
  });
  it('codes number words ("twelve", "twenty-three", "one hundred and five") as exact numbers', () => {
    expect(count('twelve')?.interval).toEqual({ low: 12, high: 12 });
    expect(count('twenty-three')?.interval).toEqual({ low: 23, high: 23 });
    expect(count('one hundred and five')?.interval).toEqual({ low: 105, high: 105 });
  });
  it('codes "<5" as [0, 4], flagged suppressed', () => {
    expect(count('<5')).toEqual({ interval: { low: 0, high: 4 }, flags: ['suppressed'], exemptions: [] });
  });
  it('codes "fewer than 5" and "fewer than five" as [0, 4], flagged suppressed', () => {
    for (const t of ['fewer than 5', 'Fewer than five'])
      expect(count(t)).toMatchObject({ interval: { low: 0, high: 4 }, flags: ['suppressed'] });
  });
  it('codes "fewer than 5 but more than zero" as [1, 4]: the text says non-zero', () => {
    expect(count('fewer than 5 but more than zero')).toMatchObject({
      interval: { low: 1, high: 4 },
      flags: ['suppressed'],
    });
    expect(count('<5 (non-zero)')?.interval).toEqual({ low: 1, high: 4 });
  });
  it('codes "1-4" as [1, 4], flagged suppressed', () => {
    expect(count('1-4')).toMatchObject({ interval: { low: 1, high: 4 }, flags: ['suppressed'] });
  });
  it('codes "*" as the note says when a note says * means 1-4', () => {
    expect(count('*', ['* denotes a number between 1 and 4'])).toMatchObject({
      interval: { low: 1, high: 4 },
      flags: ['suppressed'],
    });
    expect(count('*', ['Values of fewer than 5 are shown as *'])?.interval).toEqual({ low: 0, high: 4 });
  });
  it('codes "*" with no note as [0, open], suppressed, with a suppression_mark_without_note warning', () => {
    const r = codeCount('*');
    expect(r.value).toMatchObject({ interval: { low: 0, high: null }, flags: ['suppressed'] });
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['suppression_mark_without_note', 'warning']]);
  });
  it('codes "<10" and "less than ten" as [0, 9], flagged suppressed', () => {
    for (const t of ['<10', 'less than ten'])
      expect(count(t)).toMatchObject({ interval: { low: 0, high: 9 }, flags: ['suppressed'] });
  });
  it('codes "nil", "none", "0" and "zero" as [0, 0]', () => {
    for (const t of ['nil', 'None', '0', 'zero', 'There were no referrals'])
      expect(count(t)?.interval).toEqual({ low: 0, high: 0 });
  });
  it('codes withheld under s40(2) with no bound as [0, open], suppressed, exemption recorded', () => {
    expect(count('Withheld under section 40(2) of the Act')).toEqual({
      interval: { low: 0, high: null },
      flags: ['suppressed'],
      exemptions: ['s40(2)'],
    });
  });
  it('keeps the bound of a figure withheld under s40(2): "<5 (s40(2))" is [0, 4] with the exemption', () => {
    expect(count('<5 (s40(2))')).toEqual({
      interval: { low: 0, high: 4 },
      flags: ['suppressed'],
      exemptions: ['s40(2)'],
    });
  });
  it('codes "not held" and "not recorded" as missing, reason not_held', () => {
    for (const t of ['Not held', 'This information is not recorded'])
      expect(count(t)).toMatchObject({ interval: null, missingReason: 'not_held' });
  });
  it('codes a refusal under the s12 cost limit as missing, reason refused, exemption s12', () => {
    expect(count('Refused: answering would exceed the cost limit (section 12)')).toMatchObject({
      interval: null,
      missingReason: 'refused',
      exemptions: ['s12'],
    });
  });
  it('codes "approx 40" as [40, 40], flagged approximate', () => {
    expect(count('approx 40')).toMatchObject({ interval: { low: 40, high: 40 }, flags: ['approximate'] });
  });
  it('reads the count of a sentence, not its period or its age band', () => {
    expect(count('We received 12 referrals for children under two in 2022/23.')?.interval).toEqual({
      low: 12,
      high: 12,
    });
  });
  it('answers an issue, never a guess, for two counts in one text', () => {
    const r = codeCount('12 in 2021/22 and 5 in 2022/23');
    expect(r.value).toBeNull();
    expect(r.issues[0]?.code).toBe('count_ambiguous');
  });
  it('answers an issue for text that holds no count ("n/a", "12%", blank)', () => {
    expect(codeCount('n/a').issues[0]?.code).toBe('count_unreadable');
    expect(codeCount('12%').issues[0]?.code).toBe('count_unreadable');
    expect(codeCount('  ').issues[0]).toMatchObject({ code: 'count_blank', severity: 'info' });
  });
});

describe('parsePeriod', () => {
  const dates = (t: string, ctx: { sentDate: string; replyDate?: string } = sent) => {
    const p = parsePeriod(t, ctx).value;
    return p && [p.period.start, p.period.end, p.period.type, p.flags];
  };
  it('codes a financial year "2022/23", "2022-23", "FY23", "FY 2022/23", "financial year 2022 to 2023" as 2022-04-01 to 2023-03-31', () => {
    for (const t of ['2022/23', '2022-23', 'FY23', 'FY 2022/23', 'financial year 2022 to 2023', '2022/2023']) {
      expect(dates(t), t).toEqual(['2022-04-01', '2023-03-31', 'financial_year', []]);
    }
  });
  it('codes a calendar year "2023" as 2023-01-01 to 2023-12-31, flagged partial_period', () => {
    expect(dates('2023')).toEqual(['2023-01-01', '2023-12-31', 'calendar_year', ['partial_period']]);
  });
  it('codes "2024 to date" as 1 January to the reply date (else the date sent), flagged partial_period', () => {
    expect(dates('2024 to date')).toEqual(['2024-01-01', '2024-03-11', 'part_year', ['partial_period']]);
    expect(dates('2024 to date', { sentDate: '2024-03-11', replyDate: '2024-03-25' })?.[1]).toBe('2024-03-25');
  });
  it('codes "April to February" as the latest such months before the request: 2023-04-01 to 2024-02-29', () => {
    expect(dates('April to February')).toEqual(['2023-04-01', '2024-02-29', 'part_year', ['partial_period']]);
  });
  it('codes "2023/24 (to date)" as a part year ending on the reply date', () => {
    expect(dates('2023/24 (to date)', { sentDate: '2024-03-11', replyDate: '2024-03-25' })).toEqual([
      '2023-04-01',
      '2024-03-25',
      'part_year',
      ['partial_period'],
    ]);
  });
  it('codes the months "April 2022", "Apr-22" and "2022-04" as 2022-04-01 to 2022-04-30', () => {
    for (const t of ['April 2022', 'Apr-22', '2022-04'])
      expect(dates(t), t).toEqual(['2022-04-01', '2022-04-30', 'month', []]);
  });
  it('answers an issue for "12-13" (a count range, not a year) and for text without a period', () => {
    expect(parsePeriod('12-13', sent).issues[0]?.code).toBe('period_unreadable');
    expect(parsePeriod('last year', sent).value).toBeNull();
  });
  it('matches a to-date part year to the asked period, never a single month', () => {
    const part: FoiPeriod = { start: '2023-04-01', end: '2024-03-25', label: '2023/24', type: 'part_year' };
    expect(matchAskedPeriod(part, wave.periods)?.id).toBe('fy2023_24');
    expect(matchAskedPeriod({ ...part, end: '2023-04-30', type: 'month' }, wave.periods)).toBeUndefined();
  });
});

describe('parseAgeBand', () => {
  const band = (t: string) => parseAgeBand(t).value;
  it('codes "under 2", "under two", "under 2s", "0-23 months" and "under 24 months" as the asked band, exact', () => {
    for (const t of ['under 2', 'Under two', 'under 2s', '0-23 months', 'under 24 months'])
      expect(band(t), t).toMatchObject({ band: { months: [0, 23], exact: true }, flags: [] });
  });
  it('keeps a wider band ("0-4", "under 5", "0-3") as given, flagged band_mismatch', () => {
    expect(band('under 5')).toMatchObject({
      band: { label: 'under 5', months: [0, 59], exact: false },
      flags: ['band_mismatch'],
    });
    expect(band('0-4')?.band.months).toEqual([0, 47]);
    expect(band('0-3')?.flags).toEqual(['band_mismatch']);
  });
  it('keeps a narrower band ("under 1") as given, flagged band_mismatch', () => {
    expect(band('under 1')).toMatchObject({ band: { months: [0, 11], exact: false }, flags: ['band_mismatch'] });
  });
  it('reads "0-1" and "1-2" as the first and second year of life, which together make under two', () => {
    const [a, b] = [band('0-1')!.band, band('1-2')!.band];
    expect([a.months, b.months]).toEqual([
      [0, 11],
      [12, 23],
    ]);
    expect(combineBands([b, a])).toEqual([0, 23]);
    expect(combineBands([a, band('2-3')!.band])).toBeNull();
  });
  it('codes "0-2 years" as not exact with an age_band_ambiguous warning: it may mean under three', () => {
    const r = parseAgeBand('0-2 years');
    expect(r.value).toMatchObject({ band: { months: [0, 23], exact: false }, flags: ['band_mismatch'] });
    expect(r.issues.map((i) => i.code)).toEqual(['age_band_ambiguous']);
  });
  it('answers an issue for a band it cannot read ("babies")', () => {
    expect(parseAgeBand('babies').issues[0]?.code).toBe('age_band_unreadable');
  });
});

const month = (m: string, n: number | null, flags: MonthCount['flags'] = []): MonthCount => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const end = `${m}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
  return {
    period: { start: `${m}-01`, end, label: m, type: 'month' },
    interval: n === null ? null : { low: n, high: n },
    flags,
    location: { row: mo },
    quote: `${m}: ${n}`,
  };
};
const MONTHS_2223 = [
  '2022-04',
  '2022-05',
  '2022-06',
  '2022-07',
  '2022-08',
  '2022-09',
  '2022-10',
  '2022-11',
  '2022-12',
  '2023-01',
  '2023-02',
  '2023-03',
];

describe('sumMonths', () => {
  it('sums months to the asked period when every month is there', () => {
    const s = sumMonths(
      MONTHS_2223.map((m) => month(m, 2)),
      { ...FY2223, label: '2022/23' },
      '2024-03-11',
    )!;
    expect(s).toMatchObject({
      interval: { low: 24, high: 24 },
      flags: [],
      missing: [],
      period: { ...FY2223, type: 'financial_year' },
    });
  });
  it('gives [sum, open] flagged incomplete when a month is missing, and says which', () => {
    const s = sumMonths(
      MONTHS_2223.filter((m) => m !== '2022-12').map((m) => month(m, 2)),
      { ...FY2223, label: '2022/23' },
      '2024-03-11',
    )!;
    expect(s).toMatchObject({ interval: { low: 22, high: null }, flags: ['incomplete'], missing: ['2022-12'] });
  });
  it('needs only the months ended by the reply date for a to-date period, flagged partial_period', () => {
    const months = [
      '2023-04',
      '2023-05',
      '2023-06',
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
    ];
    const s = sumMonths(
      months.map((m) => month(m, 1, ['suppressed'])),
      { start: '2023-04-01', end: '2024-03-31', label: '2023/24' },
      '2024-03-11',
    )!;
    expect(s).toMatchObject({
      interval: { low: 11, high: 11 },
      flags: ['partial_period', 'suppressed'],
      period: { end: '2024-02-29', type: 'part_year' },
    });
  });
});

describe('sumMonths for a period still running when the request was made', () => {
  const to = (last: string) =>
    [
      '2023-04',
      '2023-05',
      '2023-06',
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
    ].filter((m) => m <= last);
  const FY2324 = { start: '2023-04-01', end: '2024-03-31', label: '2023/24' };
  it('ends at the last month the table has a row for, even when the reply came after the year ended', () => {
    const s = sumMonths(
      to('2024-02').map((m) => month(m, 1)),
      FY2324,
      '2024-04-04',
      '2024-03-11',
    )!;
    expect(s).toMatchObject({
      interval: { low: 11, high: 11 },
      flags: ['partial_period'],
      missing: [],
      period: { end: '2024-02-29', type: 'part_year' },
    });
  });
  it('still needs a month whose row is there but blank', () => {
    const months = to('2024-02').map((m) => (m === '2023-10' ? month(m, null) : month(m, 1)));
    const s = sumMonths(months, FY2324, '2024-04-04', '2024-03-11')!;
    expect(s).toMatchObject({ interval: { low: 10, high: null }, missing: ['2023-10'] });
    expect(s.flags).toContain('incomplete');
  });
  it('needs every month of a year that had ended when the request was made', () => {
    const s = sumMonths(
      MONTHS_2223.filter((m) => m <= '2023-01').map((m) => month(m, 1)),
      { ...FY2223, label: '2022/23' },
      '2024-04-04',
      '2024-03-11',
    )!;
    expect(s).toMatchObject({ interval: { low: 10, high: null }, missing: ['2023-02', '2023-03'] });
  });
});

describe('a month table with a month left blank', () => {
  const table = (blankLast: boolean) => {
    const at = { page: 1, line: 1 };
    const labels = [
      'Apr 23',
      'May-23',
      'June 2023',
      'Jul 23',
      'Aug23',
      'Sep 23',
      'Oct 23',
      'Nov 23',
      'Dec 23',
      'Jan 24',
      'Feb 24',
    ];
    const rows = [
      ['Month', 'Referrals received', 'Referrals accepted'],
      ...labels.map((l, i) => (blankLast && i === labels.length - 1 ? [l] : [l, '2', '1'])),
      ['Total 2023/24', '-', 'n/a'],
    ];
    return codeTable(
      rows.map((r) => r.map((text) => ({ text, location: at }))),
      { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-04' }, notes: [] },
    ).values.filter((v) => v.askedPeriodId === 'fy2023_24' && v.rule === 'month_sum');
  };
  it('reads a to-date year that ends at its last listed month as a part year, though the reply came later', () => {
    const [received, accepted] = table(false);
    expect([received!.interval, received!.period?.end, received!.suggestion]).toEqual([
      { low: 22, high: 22 },
      '2024-02-29',
      undefined,
    ]);
    expect(accepted!.interval).toEqual({ low: 11, high: 11 });
  });
  it('sends the year to a person when a listed month is blank, saying which, and still reads the months given', () => {
    const [received] = table(true);
    expect(received!.interval).toEqual({ low: 20, high: null });
    expect(received!.flags).toContain('incomplete');
    expect(received!.suggestion).toMatch(/2024-02/);
    expect(received!.derivedFrom).toHaveLength(10);
  });
});

describe('checkTotal', () => {
  const total = (n: number) => ({ interval: { low: n, high: n }, location: { page: 1, line: 9 }, quote: `Total ${n}` });
  it('finds no issue when the total equals the sum of its parts', () => {
    expect(checkTotal([{ interval: { low: 3, high: 3 } }, { interval: { low: 5, high: 5 } }], total(8)).issues).toEqual(
      [],
    );
  });
  it('keeps both and raises total_mismatch when a total disagrees with its parts', () => {
    const r = checkTotal(
      [{ interval: { low: 3, high: 3 } }, { interval: { low: 5, high: 5 } }],
      total(9),
      'q2_referrals_under2',
    );
    expect(r.consistent).toBe(false);
    expect(r.issues[0]).toMatchObject({
      code: 'total_mismatch',
      location: { page: 1, line: 9 },
      raw: 'Total 9',
      questionId: 'q2_referrals_under2',
    });
  });
  it('accepts a total that suppressed parts could add up to', () => {
    expect(
      checkTotal([{ interval: { low: 1, high: 4 } }, { interval: { low: 5, high: 5 } }], total(8)).consistent,
    ).toBe(true);
  });
});

describe('aggregateRecords', () => {
  const row = (
    date: string,
    age: string | number,
    unit: RecordRow['ageUnit'],
    r: number,
    outcome?: string,
  ): RecordRow => ({
    referralDate: date,
    age,
    ageUnit: unit,
    team: 'CAMHS',
    location: { row: r },
    ...(outcome === undefined ? {} : { outcome }),
  });
  it('counts rows per asked period and counts every excluded row by reason', () => {
    const agg = aggregateRecords(
      [
        row('2021-05-03', 5, 'months', 2),
        row('15/12/2022', 23, 'months', 3),
        row('2022-12-16', 24, 'months', 4),
        row('2020-01-01', 1, 'months', 5),
        row('not a date', 1, 'months', 6),
        row('2023-05-01', 'baby', 'months', 7),
      ],
      wave.periods,
    );
    expect(agg.tallies.map((t) => t.received)).toEqual([1, 1, 0]);
    expect(agg.excluded).toEqual({
      outside_period: 1,
      age_24_months_or_more: 1,
      unreadable_date: 1,
      unreadable_age: 1,
    });
    expect(agg.issues.find((i) => i.code === 'referral_date_unreadable')?.location).toEqual({ row: 6 });
  });
  it('counts ages under 2 without a unit (under two either way) and leaves out larger ones with age_unit_unknown', () => {
    const agg = aggregateRecords([row('2022-05-01', 1, null, 2), row('2022-05-02', 7, null, 3)], wave.periods);
    expect(agg.tallies[1]!.received).toBe(1);
    expect(agg.issues.map((i) => i.code)).toEqual(['age_unit_unknown']);
  });
  it('gives accepted referrals as an interval that counts unreadable outcomes at its high end', () => {
    const agg = aggregateRecords(
      [
        row('2022-05-01', 1, 'years', 2, 'Accepted'),
        row('2022-05-02', 1, 'years', 3, ''),
        row('2022-05-03', 1, 'years', 4, 'Rejected'),
      ],
      wave.periods,
    );
    expect(agg.tallies[1]!.accepted).toEqual({ low: 1, high: 2 });
  });
});

describe('no coding rule throws', () => {
  const runs = Number(process.env.FUZZ_RUNS ?? 200);
  const tokens = fc.constantFrom(
    '<',
    '5',
    'fewer than',
    'five',
    '2022/23',
    '-',
    'FY',
    'under',
    'two',
    '*',
    'nil',
    ' ',
    'months',
    '0',
    'to date',
    'April',
    'to',
    '(',
    ')',
    's40(2)',
    'not held',
    '1-4',
    '99/00',
    'Feb-24',
    '\u2013',
    '2023',
  );
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.array(tokens, { maxLength: 8 }).map((a) => a.join(' ')),
  );
  const answers = (r: { value: unknown; issues: unknown[] }) => r.value !== null || r.issues.length > 0;
  test.prop([text], { numRuns: runs })('codeCount answers a value or an issue for any text', (s) =>
    answers(codeCount(s, { notes: [s] })),
  );
  test.prop([text], { numRuns: runs })('parsePeriod answers a value or an issue for any text', (s) =>
    answers(parsePeriod(s, sent)),
  );
  test.prop([text], { numRuns: runs })('parseAgeBand answers a value or an issue for any text', (s) =>
    answers(parseAgeBand(s)),
  );
});
