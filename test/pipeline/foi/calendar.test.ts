import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CensusError } from '../../../schemas/fault.ts';
import {
  CalendarRangeError,
  calendarFromRows,
  dueDate,
  easterSunday,
  isWorkingDay,
  loadCalendar,
  longOverdueDate,
  nonWorkingReasons,
  recheckDueDate,
  workingDaysBetween,
  addDays,
} from '../../../pipeline/foi/calendar.ts';

const cal = loadCalendar();
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
const skippedDates = (received: string) =>
  dueDate(received, cal)
    .explanation.filter((s) => s.reasons.some((r) => r.kind !== 'weekend'))
    .map((s) => s.date);

describe('loading the calendar', () => {
  it('versions the calendar by the sha256 of the file content and covers 2018 to 2028', () => {
    const bytes = readFileSync(new URL('../../../reference/bank_holidays_uk.csv', import.meta.url));
    expect(cal.version).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect([cal.firstYear, cal.lastYear]).toEqual([2018, 2028]);
  });

  it('gives rows passed in a stable version that changes when a row changes', () => {
    const rows = [{ date: '2024-12-25', name: 'Christmas Day', division: 'scotland', status: 'official' }];
    expect(calendarFromRows(rows).version).toBe(calendarFromRows(rows).version);
    expect(calendarFromRows([{ ...rows[0]!, name: 'Xmas' }]).version).not.toBe(calendarFromRows(rows).version);
  });

  it('refuses an unknown division and a year missing in the middle', () => {
    expect(() => calendarFromRows([{ date: '2024-01-01', name: 'x', division: 'wales' }])).toThrow(/division/);
    expect(() =>
      calendarFromRows([
        { date: '2022-01-01', name: 'a', division: 'scotland' },
        { date: '2024-01-01', name: 'b', division: 'scotland' },
      ]),
    ).toThrow(/no rows for 2023/);
  });
});

describe('working days', () => {
  it('treats a bank holiday of any one division as non-working (FOIA s10(6))', () => {
    expect(isWorkingDay('2023-11-30', cal)).toBe(false); // St Andrew's Day, Scotland only
    expect(isWorkingDay('2025-01-02', cal)).toBe(false); // 2nd January, Scotland only
    expect(isWorkingDay('2023-03-17', cal)).toBe(false); // St Patrick's Day, NI only
    expect(isWorkingDay('2024-07-12', cal)).toBe(false); // Battle of the Boyne, NI only
    expect(isWorkingDay('2024-08-05', cal)).toBe(false); // Scotland's summer holiday
    expect(isWorkingDay('2024-03-12', cal)).toBe(true);
  });

  it('names the division of each holiday', () => {
    expect(nonWorkingReasons('2024-04-01', cal)).toEqual([
      {
        kind: 'bank_holiday',
        name: 'Easter Monday',
        divisions: ['england-and-wales', 'northern-ireland'],
        status: 'official',
      },
    ]);
    expect(nonWorkingReasons('2024-03-16', cal)).toEqual([{ kind: 'weekend', name: 'Saturday' }]);
  });

  it('treats Christmas Day and Good Friday as non-working even when the CSV lacks them', () => {
    const bare = calendarFromRows([
      { date: '2024-05-06', name: 'Early May bank holiday', division: 'england-and-wales' },
    ]);
    expect(isWorkingDay('2024-12-25', bare)).toBe(false);
    expect(isWorkingDay('2024-03-29', bare)).toBe(false); // Easter Sunday 2024 is 31 March
    expect(nonWorkingReasons('2024-03-29', bare)).toEqual([{ kind: 'statutory', name: 'Good Friday' }]);
    expect(isWorkingDay('2024-04-01', bare)).toBe(true); // Easter Monday is a bank holiday, not named in s10(6)
  });

  it('computes Easter, and every Good Friday in the CSV is two days before it', () => {
    expect(['2008', '2019', '2024', '2025', '2038'].map((y) => easterSunday(Number(y)))).toEqual([
      '2008-03-23',
      '2019-04-21',
      '2024-03-31',
      '2025-04-20',
      '2038-04-25',
    ]);
    for (const [date, hs] of cal.holidays) {
      if (hs.some((h) => h.name === 'Good Friday'))
        expect(addDays(easterSunday(Number(date.slice(0, 4))), -2)).toBe(date);
    }
  });
});

describe('due dates', () => {
  it('counts 20 working days across Easter 2024 and NI St Patrick substitute day', () => {
    // Received Mon 11 Mar (day 0). 12-15 Mar = 1-4; Mon 18 Mar NI St Patrick's (substitute) skipped;
    // 19-22 = 5-8; 25-28 = 9-12; Fri 29 Good Friday and Mon 1 Apr Easter Monday skipped;
    // 2-5 Apr = 13-16; 8-11 Apr = 17-20. Due Thu 11 April 2024.
    const d = dueDate('2024-03-11', cal);
    expect(d.due).toBe('2024-04-11');
    expect(d.workingDaysCounted).toBe(20);
    expect(skippedDates('2024-03-11')).toEqual(['2024-03-18', '2024-03-29', '2024-04-01']);
    expect(d.summary).toContain("2024-03-18 St Patrick's Day (substitute day) (northern-ireland)");
    expect(d.calendarVersion).toBe(cal.version);
  });

  it('starts day 1 on the next working day when received at a weekend', () => {
    // Received Sat 9 Mar: Mon 11 Mar is day 1, so one working day earlier than above: Wed 10 April.
    expect(dueDate('2024-03-09', cal).due).toBe('2024-04-10');
  });

  it("skips Scotland's St Andrew's substitute and 2nd January over Christmas 2024", () => {
    // Received Fri 29 Nov 2024. Mon 2 Dec St Andrew's (substitute, Scotland) skipped; 3-6 Dec = 1-4;
    // 9-13 = 5-9; 16-20 = 10-14; 23, 24 = 15, 16; 25, 26 Dec skipped; 27 = 17; 30, 31 = 18, 19;
    // 1 Jan skipped; Thu 2 Jan 2nd January (Scotland) skipped; Fri 3 Jan = 20.
    expect(dueDate('2024-11-29', cal).due).toBe('2025-01-03');
    expect(skippedDates('2024-11-29')).toEqual(['2024-12-02', '2024-12-25', '2024-12-26', '2025-01-01', '2025-01-02']);
  });

  it('skips NI Battle of the Boyne', () => {
    // Received Wed 14 Jun 2023. 15-16 = 1-2; 19-23 = 3-7; 26-30 = 8-12; 3-7 Jul = 13-17;
    // 10, 11 = 18, 19; Wed 12 Jul skipped; Thu 13 Jul = 20.
    expect(dueDate('2023-06-14', cal).due).toBe('2023-07-13');
  });

  it('skips the 2022 Spring and Platinum Jubilee holidays (2-3 June)', () => {
    // Received Wed 25 May 2022. 26, 27 = 1, 2; 30, 31 May, 1 Jun = 3-5; Thu 2 and Fri 3 Jun skipped;
    // 6-10 = 6-10; 13-17 = 11-15; 20-24 = 16-20. Due Fri 24 June (22 June without the two holidays).
    expect(dueDate('2022-05-25', cal).due).toBe('2022-06-24');
  });

  it('skips the State Funeral bank holiday of 19 September 2022', () => {
    // Received Thu 1 Sep 2022. 2 = 1; 5-9 = 2-6; 12-16 = 7-11; Mon 19 skipped; 20-23 = 12-15;
    // 26-30 = 16-20. Due Fri 30 September.
    expect(dueDate('2022-09-01', cal).due).toBe('2022-09-30');
    expect(skippedDates('2022-09-01')).toEqual(['2022-09-19']);
  });

  it('skips the Coronation bank holiday of 8 May 2023', () => {
    // Received Thu 20 Apr 2023. 21 = 1; 24-28 = 2-6; Mon 1 May skipped; 2-5 = 7-10; Mon 8 May skipped;
    // 9-12 = 11-14; 15-19 = 15-19; Mon 22 May = 20.
    expect(dueDate('2023-04-20', cal).due).toBe('2023-05-22');
  });

  it('says when the count relies on projected (not yet official) holidays', () => {
    expect(cal.projectedYears).toEqual(new Set([2028]));
    expect(dueDate('2024-03-11', cal).projected).toBe(false);
    expect(dueDate('2027-12-20', cal)).toMatchObject({
      projected: true,
      summary: expect.stringContaining('projected'),
    });
  });

  it('puts long overdue 40 working days after receipt', () => {
    // From the 20th (11 Apr 2024): 12 = 21; 15-19 = 22-26; 22-26 = 27-31; 29 Apr-3 May = 32-36;
    // Mon 6 May Early May skipped; 7-10 May = 37-40.
    expect(longOverdueDate('2024-03-11', cal)).toBe('2024-05-10');
  });
});

describe('recomputing when the calendar changes', () => {
  it('marks a due date computed under another version stale, and moved when a new holiday shifts it', () => {
    // A calendar without the State Funeral: due Thu 29 Sep 2022 instead of Fri 30 Sep.
    const rows = [...cal.holidays].flatMap(([date, hs]) =>
      hs.map((h) => ({ date, name: h.name, division: h.division, status: h.status })),
    );
    const older = calendarFromRows(rows.filter((r) => r.date !== '2022-09-19'));
    const stored = dueDate('2022-09-01', older);
    expect(stored.due).toBe('2022-09-29');
    expect(recheckDueDate(stored, cal)).toMatchObject({ stale: true, moved: true, current: { due: '2022-09-30' } });
    expect(recheckDueDate(dueDate('2024-03-11', older), cal)).toMatchObject({ stale: true, moved: false });
  });
});

describe('working days between two dates', () => {
  it('counts days after the first up to and including the second', () => {
    expect(workingDaysBetween('2024-03-11', '2024-04-11', cal)).toBe(20);
    expect(workingDaysBetween('2024-03-11', '2024-03-11', cal)).toBe(0);
    expect(workingDaysBetween('2024-04-11', '2024-03-11', cal)).toBe(-20);
    expect(workingDaysBetween('2024-03-28', '2024-04-02', cal)).toBe(1); // only Tue 2 Apr
  });

  fcTest.prop([fc.integer({ min: 0, max: 3650 })])(
    'the due date is a working day exactly 20 working days on',
    (offset) => {
      const received = addDays('2018-01-01', offset);
      const { due } = dueDate(received, cal);
      expect(isWorkingDay(due, cal)).toBe(true);
      expect(workingDaysBetween(received, due, cal)).toBe(20);
    },
  );
});

describe('outside the calendar', () => {
  it('throws a CalendarRangeError for a receipt date before the first year', () => {
    expect(() => dueDate('2017-12-20', cal)).toThrow(CalendarRangeError);
    expect(() => dueDate('2017-12-20', cal)).toThrow(
      /2017-12-20 is outside the bank-holiday calendar \(covers 2018-2028/,
    );
    expect(thrown(() => dueDate('2017-12-20', cal))).toMatchObject({
      code: 'calendar_range',
      hint: expect.stringContaining('reference/bank_holidays_uk.csv'),
    });
  });

  it('throws when the counting runs past the last year, never guessing 2029', () => {
    expect(() => dueDate('2028-12-15', cal)).toThrow(/runs past the calendar: 2029-01-01/);
    expect(() => workingDaysBetween('2028-12-01', '2029-02-01', cal)).toThrow(CalendarRangeError);
    expect(() => isWorkingDay('2030-06-03', cal)).toThrow(CalendarRangeError);
  });

  it('rejects a date that is not a real ISO date', () => {
    expect(() => dueDate('2024-02-30', cal)).toThrow(CensusError);
    expect(() => dueDate('11/03/2024', cal)).toThrow(/YYYY-MM-DD/);
  });
});
