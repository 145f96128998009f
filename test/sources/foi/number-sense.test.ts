import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { aggregateRecords, detectRecordHeader, type RecordRow } from '../../../sources/foi/records.ts';
import { findPeriods, parsePeriod } from '../../../sources/foi/period.ts';
import { codeLetter } from '../../../sources/foi/letter.ts';
import { codeTable } from '../../../sources/foi/table.ts';
import { codeCount, nonzeroNote } from '../../../sources/foi/count.ts';

const wave = loadFoiWave(2024);
const sent = { sentDate: '2024-03-11' };

describe('period labels that carry a date', () => {
  it('reads "2023/24 (to 29 February 2024)" as one part-year period, leaving no 29 to count', () => {
    const spans = findPeriods('2023/24 (to 29 february 2024): 5');
    expect(spans).toEqual([{ index: 0, text: '2023/24 (to 29 february 2024)' }]);
    expect(parsePeriod(spans[0]!.text, sent).value).toMatchObject({
      period: { start: '2023-04-01', end: '2024-02-29', type: 'part_year' },
      flags: ['partial_period'],
    });
  });
  it('reads "01/04/2022 to 31/03/2023" as the financial year and "April 2023 - 8 March 2024" as a part year', () => {
    expect(parsePeriod('01/04/2022 to 31/03/2023', sent).value?.period).toMatchObject({
      start: '2022-04-01',
      end: '2023-03-31',
      type: 'financial_year',
    });
    expect(parsePeriod('April 2023 - 8 March 2024', sent).value?.period).toMatchObject({
      start: '2023-04-01',
      end: '2024-03-08',
    });
  });
  it('reads "FY23/24 (1 April 2023 to 17 March 2024)" as one part year: the day numbers of its dates are no counts', () => {
    const spans = findPeriods('fy23/24 (1 april 2023 to 17 march 2024): 21');
    expect(spans).toEqual([{ index: 0, text: 'fy23/24 (1 april 2023 to 17 march 2024)' }]);
    expect(parsePeriod(spans[0]!.text, { ...sent, replyDate: '2024-04-04' }).value?.period).toMatchObject({
      start: '2023-04-01',
      end: '2024-03-17',
    });
    // the full date range wins over "2023 to 17 March 2024" (a year and one date) and "April 2023 to ..."
    expect(findPeriods('1 april 2023 to 17 march 2024').map((s) => s.text)).toEqual(['1 april 2023 to 17 march 2024']);
  });
  it('reads "2023-24 to date (to 1 March 2024)" as one part year, and a month after a day number as part of a date', () => {
    expect(findPeriods('2023-24 to date (to 1 march 2024): 14').map((s) => s.text)).toEqual([
      '2023-24 to date (to 1 march 2024)',
    ]);
    expect(findPeriods('received by 17 march 2024').map((s) => s.text)).toEqual([]);
  });
  it('reads "FY23/24 (to 29 February)" as a part year ending on that day of the year\'s own calendar', () => {
    expect(findPeriods('fy21/22 = 11, fy23/24 (to 29 february) = 12').map((s) => s.text)).toEqual([
      'fy21/22',
      'fy23/24 (to 29 february)',
    ]);
    expect(parsePeriod('FY23/24 (to 29 February)', { ...sent, replyDate: '2024-03-27' }).value?.period).toMatchObject({
      start: '2023-04-01',
      end: '2024-02-29',
    });
    expect(parsePeriod('2022/23 up to 10 December', sent).value?.period.end).toBe('2022-12-10');
  });
  it('reads a calendar part year written with one year: "2024 (1 January to 31 March 2024)", "2024 (to 31 March)"', () => {
    for (const text of ['2024 (1 january to 31 march 2024): 4', '2024 (to 31 march): 3']) {
      const spans = findPeriods(text);
      expect(spans).toHaveLength(1);
      expect(parsePeriod(spans[0]!.text, { ...sent, replyDate: '2024-04-05' }).value?.period).toMatchObject({
        start: '2024-01-01',
        end: '2024-03-31',
        type: 'part_year',
      });
    }
  });
  it('reads "FY24 (to date, 01/04/2023 to 29/02/2024)" as one part year, the bracket opened after "to date"', () => {
    expect(findPeriods('fy24 (to date, 01/04/2023 to 29/02/2024): 35').map((s) => s.text)).toEqual([
      'fy24 (to date, 01/04/2023 to 29/02/2024)',
    ]);
  });
  it('codes the count after such a period, never a day of its dates', () => {
    const line = (text: string, n: number) => ({ text, location: { page: 1, line: n } });
    const r = codeLetter(
      [
        '2. How many referrals for children aged under two were received?',
        'FY22/23: 16',
        'FY23/24 (1 April 2023 to 17 March 2024): 21',
        '- 2023-24 to date (to 1 March 2024): 14',
      ].map(line),
      { wave, sentDate: '2024-03-11' },
    );
    const got = r.values.filter((v) => v.interval).map((v) => [v.askedPeriodId, v.interval?.low]);
    expect(got).toContainEqual(['fy2023_24', 21]);
    expect(got).not.toContainEqual(['fy2023_24', 1]);
    expect(got.map(([, n]) => n)).not.toContain(17);
  });
  it('refuses a "to" date outside the financial year it follows', () => {
    expect(findPeriods('2021/22 (to 29 february 2024)').map((s) => s.text)).not.toContain(
      '2021/22 (to 29 february 2024)',
    );
  });
});

describe('record-level extracts in other shapes', () => {
  const rows = (unit: RecordRow['ageUnit'], cells: [string, string][]): RecordRow[] =>
    cells.map(([date, age], i) => ({ referralDate: date, age, ageUnit: unit, location: { row: i + 2 } }));
  it('recognises "Date of referral";"Age (weeks)", referral_date and a date of birth as headers', () => {
    expect(detectRecordHeader(['Date of referral', 'Age (weeks)', 'Service'])).toMatchObject({ ageUnit: 'weeks' });
    expect(detectRecordHeader(['referral_date', 'age_months', 'team'])).toMatchObject({ ageUnit: 'months' });
    expect(detectRecordHeader(['Referral Date', 'Date of Birth', 'Team'])).toMatchObject({
      date: 0,
      age: 1,
      ageUnit: 'dob',
    });
  });
  it('counts ages in weeks under 24 months and leaves out 106 weeks', () => {
    const agg = aggregateRecords(
      rows('weeks', [
        ['01/05/2022', '10'],
        ['01/06/2022', '103'],
        ['01/07/2022', '106'],
      ]),
      wave.periods,
    );
    expect(agg.tallies.map((t) => t.received)).toEqual([0, 2, 0]);
    expect(agg.excluded.age_24_months_or_more).toBe(1);
  });
  it('subtracts a date of birth from the referral date in completed months', () => {
    const agg = aggregateRecords(
      rows('dob', [
        ['10/05/2022', '11/05/2020'], // 23 months and 30 days: under two
        ['10/05/2022', '10/05/2020'], // two years exactly: left out
      ]),
      wave.periods,
    );
    expect(agg.tallies.map((t) => t.received)).toEqual([0, 1, 0]);
    expect(agg.excluded.age_24_months_or_more).toBe(1);
  });
});

describe('table columns decided by their header', () => {
  const cell = (text: string, line: number) => ({ text, location: { line } });
  it('never reads an under-18 total or a wait in days as the under-two count, whatever their position', () => {
    const t = codeTable(
      [
        ['Financial Year', 'All referrals', 'Referrals', 'Shortest', 'Median wait'].map((x) => cell(x, 1)),
        ['<18', '0-23 months', 'wait (days)', '(days)'].map((x) => cell(x, 2)),
        ['2021/22', '13,933', '7', '1', '48'].map((x) => cell(x, 3)),
      ],
      { wave, period: sent, notes: [] },
    );
    expect(t.values.map((v) => [v.askedPeriodId, v.interval])).toEqual([['fy2021_22', { low: 7, high: 7 }]]);
  });
});

describe('a letter that refuses the whole request', () => {
  const line = (text: string, n: number) => ({ text, location: { page: 1, line: n } });
  it('codes every question refused with the section it cites, and restated questions are no answers', () => {
    const r = codeLetter(
      [
        'Your request asked:',
        '4. Does the Trust host or commission a specialist parent-infant relationship team or service? If so,',
        'please give its name.',
        'We are unable to comply with your request: a manual review of all 297 records would be required.',
        'Under section 12(1) of the Act the cost would exceed the appropriate limit of £450.',
      ].map(line),
      { wave, sentDate: '2024-03-11' },
    );
    expect(r.values.map((v) => [v.questionId, v.missingReason, v.exemptions])).toEqual(
      wave.questions.map((q) => [q.id, 'refused', ['s12']]),
    );
    expect(r.values.every((v) => v.interval === null)).toBe(true);
    expect(r.textAnswers).toEqual([]);
  });
});

describe('a "*" inside a sentence, a bare count before "of which", totals that disagree', () => {
  const letter = (texts: string[]) =>
    codeLetter(
      texts.map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-04' },
    );
  const read = (r: ReturnType<typeof codeLetter>) =>
    r.values
      .filter((v) => v.askedPeriodId !== undefined)
      .map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.interval?.high, v.suggestion ?? null]);

  it('reads a "*" standing alone in a sentence as the suppressed number its note describes', () => {
    const r = letter([
      '2. How many referrals for children aged under two did the Trust receive?',
      'Response: In April 2021 - March 2022 the Trust received * referrals for children aged 0-23 months; in',
      'April 2022 - March 2023, 7; and in April 2023 - January 2024, *.',
      '* denotes a figure between 1 and 4, suppressed to protect patient confidentiality.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 1, 4, null],
      ['q2', 'fy2022_23', 7, 7, null],
      ['q2', 'fy2023_24', 1, 4, null],
    ]);
  });

  it('sends a "*" in a sentence to a person when no note says what it stands for', () => {
    const r = letter([
      '2. How many referrals for children aged under two did the Trust receive?',
      'Response: In 2021/22 the Trust received * referrals.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 0, null, 'a "*" stands for a withheld number but no note says which'],
    ]);
    expect(r.issues.map((i) => i.code)).toContain('suppression_mark_without_note');
  });

  it('keeps a number with a footnote mark ("15 *") as the exact number', () => {
    const r = letter([
      '2. How many referrals for children aged under two did the Trust receive?',
      'Response: In 2021/22 the Trust received 15 * referrals.',
      '* a breakdown by team is withheld under s40(2).',
    ]);
    expect(read(r)).toEqual([['q2', 'fy2021_22', 15, 15, null]]);
  });

  it('reads "6, of which <5 were accepted" as 6 received and <5 accepted in a paragraph answering questions 1 to 3', () => {
    const r = letter([
      'In answer to questions 1 to 3: yes, the Trust accepts referrals for children under two. In 2021/22 we',
      'received 9 referrals, of which 4 were accepted; in 2022/23 we received <5 (all accepted), and in 2023/24',
      '(to 29 February 2024) 6, of which <5 were accepted.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 9, 9, null],
      ['q2', 'fy2022_23', 0, 4, null],
      ['q2', 'fy2023_24', 6, 6, null],
      ['q3', 'fy2021_22', 4, 4, null],
      ['q3', 'fy2022_23', 0, 4, null],
      ['q3', 'fy2023_24', 0, 4, null],
    ]);
  });

  it('reads the answer under "Question 2 / Question 3" for each question it names: accepted counts are never received ones (v9 corpus)', () => {
    const r = letter([
      'Question 1',
      'Yes.',
      'Question 2 / Question 3',
      'Referrals received: 2021/22 15; 2022/23 9; 2023/24 (to date) 7.',
      'Referrals accepted: 2021/22 14; 2022/23 8; 2023/24 (to date) 6.',
      'Question 4',
      'No.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 15, 15, null],
      ['q2', 'fy2022_23', 9, 9, null],
      ['q2', 'fy2023_24', 7, 7, null],
      ['q3', 'fy2021_22', 14, 14, null],
      ['q3', 'fy2022_23', 8, 8, null],
      ['q3', 'fy2023_24', 6, 6, null],
    ]);
  });

  it('reads "All were accepted" after a paragraph of received counts as the same accepted counts, never a denominator (v9 corpus)', () => {
    const r = letter([
      'Questions 1 to 3',
      'Response: Yes. In 2021/22 the Trust received 18 referrals for children aged 0-23 months (of 2,431',
      'referrals to CAMHS, 0.7%); in 2022/23, 21 (0.8%); and in 2023/24 up to 31 January 2024, 16 (0.7%). All',
      'were accepted for an initial assessment.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 18, 18, null],
      ['q2', 'fy2022_23', 21, 21, null],
      ['q2', 'fy2023_24', 16, 16, null],
      ['q3', 'fy2021_22', 18, 18, null],
      ['q3', 'fy2022_23', 21, 21, null],
      ['q3', 'fy2023_24', 16, 16, null],
    ]);
  });

  it('reads "All of the referrals listed above were accepted" under its own number as the received counts accepted (v9 corpus)', () => {
    const r = letter([
      '1. Yes.',
      '2. The number of referrals received: 2021/22: 7; 2022/23: 11; 2023/24 (to date): 7.',
      '3. All of the referrals listed above were accepted for assessment.',
      '4. No.',
    ]);
    expect(read(r).filter((v) => v[0] === 'q3')).toEqual([
      ['q3', 'fy2021_22', 7, 7, null],
      ['q3', 'fy2022_23', 11, 11, null],
      ['q3', 'fy2023_24', 7, 7, null],
    ]);
  });

  it('reads one "nil return" after a list of periods, or with none, as nil in each period asked (v10 corpus)', () => {
    const r = letter([
      '1) Does the trust accept referrals for children aged under two? No.',
      '2) Referrals received 2021/22, 2022/23, 2023/24: nil return.',
      '3) Referrals accepted: nil return.',
      '4) No.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 0, 0, null],
      ['q2', 'fy2022_23', 0, 0, null],
      ['q2', 'fy2023_24', 0, 0, null],
      ['q3', 'fy2021_22', 0, 0, null],
      ['q3', 'fy2022_23', 0, 0, null],
      ['q3', 'fy2023_24', 0, 0, null],
    ]);
    // A count that is not nil, after a list of periods, is still a person's to pair.
    const five = letter(['1) Yes.', '2) Referrals received 2021/22, 2022/23, 2023/24: 5.', '3) No.']);
    expect(read(five)).toEqual([]);
  });

  it('reads "7, 9 and 12 referrals in 2021/22, 2022/23 and 2023/24 respectively, of which 5, 6 and 10 were accepted" (v10 corpus)', () => {
    const r = letter([
      'Response to questions 1 to 3: The Trust does accept referrals for children under two. We received 7, 9 and 12',
      'referrals in 2021/22, 2022/23 and 2023/24 respectively, of which 5, 6 and 10 were accepted.',
      'Response to question 4: No.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 7, 7, null],
      ['q2', 'fy2022_23', 9, 9, null],
      ['q2', 'fy2023_24', 12, 12, null],
      ['q3', 'fy2021_22', 5, 5, null],
      ['q3', 'fy2022_23', 6, 6, null],
      ['q3', 'fy2023_24', 10, 10, null],
    ]);
  });

  it('reads a table flattened to a line of years over a line of counts, "*" as its own cell (v10 corpus)', () => {
    const r = letter([
      'Question 1',
      'Yes.',
      'Question 2',
      '2021/22 2022/23 2023/24',
      '13 15 *',
      '* between 1 and 4; figure suppressed.',
      'Question 4',
      'No.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 13, 13, null],
      ['q2', 'fy2022_23', 15, 15, null],
      ['q2', 'fy2023_24', 1, 4, null],
    ]);
    // As many counts as years, or nothing is paired: "13 15" under three years goes to a person.
    const short = letter(['Question 2', '2021/22 2022/23 2023/24', '13 15', 'Question 4', 'No.']);
    expect(read(short).filter((v) => v[4] === null)).toEqual([]);
  });

  it('reads a correction "we said 31; the correct figure is 13" as 13, never 31 (v11 corpus)', () => {
    const r = letter([
      'Correction to our response of 30 March 2024',
      'Referrals received in 2022/23: we said 31; the correct figure is 13.',
      'Referrals accepted in 2022/23: we said 20, but it should have been 9.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2022_23', 13, 13, null],
      ['q3', 'fy2022_23', 9, 9, null],
    ]);
  });

  it('refuses every question of a vexatious-request refusal, the number of earlier requests it cites being no count (v11 corpus)', () => {
    const r = letter([
      'Refusal notice - FOI 26/340',
      'The Trust has considered your request. We have received 14 requests from your organisation on closely',
      'related subjects since January 2023, and we consider that this request imposes a disproportionate burden.',
      'We are therefore refusing it as vexatious under section 14(1) of the Freedom of Information Act 2000.',
      'No part of the request will be answered.',
    ]);
    expect(r.values.every((v) => v.interval === null && v.missingReason === 'refused')).toBe(true);
    expect(r.values.map((v) => v.questionId)).toEqual(wave.questions.map((q) => q.id));
    expect([...new Set(r.values.flatMap((v) => v.exemptions))]).toEqual(['s14']);
  });

  it('codes count questions refused under s21 under one heading as refused, the years and numbers it cites being no counts (v11 corpus)', () => {
    const r = letter([
      'Q1 - Yes.',
      'Q2 and Q3 - This information is reasonably accessible to you by other means: the Trust',
      'published the number of referrals of children aged 0-2 for 2021/22 to 2023/24 (Q3) on its',
      'website in its FOI disclosure log (response FOI 2023-1187, published 12 May 2023) at',
      'www.example.nhs.uk/foi-disclosure-log. Section 21 of the Act therefore applies.',
      'Q4 - No.',
    ]);
    const counts = r.values.filter((v) => v.questionId !== 'q1_accepts_under2');
    expect(counts.map((v) => [v.questionId.slice(0, 2), v.missingReason, v.exemptions])).toEqual([
      ['q2', 'refused', ['s21']],
      ['q3', 'refused', ['s21']],
    ]);
  });

  it('reads "1 April 2023 to date: 7" as the running year to date and "All of the above referrals were accepted" (v11 corpus)', () => {
    const r = letter([
      'Q2 Response:',
      '  1 April 2021 - 31 March 2022: 9',
      '  April 2022 - March 2023: 12',
      '  1 April 2023 to date: 7',
      'Q3 Response: All of the above referrals were accepted.',
      'Q4 Response: No.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 9, 9, null],
      ['q2', 'fy2022_23', 12, 12, null],
      ['q2', 'fy2023_24', 7, 7, null],
      ['q3', 'fy2021_22', 9, 9, null],
      ['q3', 'fy2022_23', 12, 12, null],
      ['q3', 'fy2023_24', 7, 7, null],
    ]);
    // "to date" after a full range stays part of it (v7 corpus): "2023/24 (1 April 2023 to 31 March 2024 to date) - 12".
    const ranged = letter(['2) 2021/22 - 7', '   2023/24 (1 April 2023 to 31 March 2024 to date) - 12', '4) No.']);
    expect(read(ranged)).toEqual([
      ['q2', 'fy2021_22', 7, 7, null],
      ['q2', 'fy2023_24', 12, 12, null],
    ]);
  });

  it('reads counts beside waits and a population on one line, and a list broken after "2022/23:" (v11 corpus)', () => {
    const r = letter([
      'Question 2',
      '2021/22: 26 referrals; median wait 35 days; local population aged 0-2: 61,400',
      '2022/23: 30 referrals; median wait 28 days; service budget £412,000',
      'Question 3',
      'Q3 2021/22: 40, 2022/23:',
      '35, 2023/24: 27.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 26, 26, null],
      ['q2', 'fy2022_23', 30, 30, null],
      ['q3', 'fy2021_22', 40, 40, null],
      ['q3', 'fy2022_23', 35, 35, null],
      ['q3', 'fy2023_24', 27, 27, null],
    ]);
    // The band of the counts is the asked one: "aged 0-2" describes the population.
    expect(r.values.every((v) => !v.flags.includes('band_mismatch'))).toBe(true);
    // A flattened row is still a person's: "2021/22 12 5 3" holds three numbers for one year.
    expect(read(letter(['Question 2', '2021/22 12 5 3', 'Question 4', 'No.'])).filter((v) => v[4] === null)).toEqual(
      [],
    );
  });

  it('reads a PDF line of cells each holding a period and its count as a list, not a table row (v11 corpus)', () => {
    const r = codeLetter(
      [
        { text: 'Question 3', location: { page: 1, line: 1 } },
        {
          text: '2021/22: 19 2022/23: 24 2023/24 to date: 13',
          location: { page: 1, line: 2 },
          cells: ['2021/22: 19', '2022/23: 24', '2023/24 to date: 13'],
        },
        { text: 'Question 4', location: { page: 1, line: 3 } },
        { text: 'No.', location: { page: 1, line: 4 } },
      ],
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-04' },
    );
    expect(read(r)).toEqual([
      ['q3', 'fy2021_22', 19, 19, null],
      ['q3', 'fy2022_23', 24, 24, null],
      ['q3', 'fy2023_24', 13, 13, null],
    ]);
    expect(r.values[0]!.quote).toBe('2021/22: 19 2022/23: 24 2023/24 to date: 13');
  });

  it('reads "21 referrals (17 accepted)" and a "15 *" marked exact in one paragraph for questions 1 to 3 (v11 corpus)', () => {
    const r = letter([
      'Questions 1 to 3',
      'Yes, the Trust accepts referrals for children aged under two. In 2021/22 we received 15 *',
      'referrals, of which 11 were accepted; in 2022/23, 21 referrals (17 accepted); and in 2023/24 to',
      '29 February 2024, 12 referrals (9 accepted).',
      '* A breakdown of this figure by borough is withheld under section 40(2); the total is exact.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 15, 15, null],
      ['q2', 'fy2022_23', 21, 21, null],
      ['q2', 'fy2023_24', 12, 12, null],
      ['q3', 'fy2021_22', 11, 11, null],
      ['q3', 'fy2022_23', 17, 17, null],
      ['q3', 'fy2023_24', 9, 9, null],
    ]);
  });

  it('reads a correction "should read 21, not 19" as 21 (v12 corpus)', () => {
    const r = letter([
      'Further to our response of 5 April 2024 (FOI 2024-0123) we have found an error. The number of referrals',
      'received in 2022/23 should read 21, not 19. All other figures are unchanged.',
    ]);
    expect(read(r)).toEqual([['q2', 'fy2022_23', 21, 21, null]]);
  });

  it('does not code a whole letter not held when it also says yes in a sentence of its own (v12 corpus)', () => {
    const r = letter([
      'Cambridgeshire and Peterborough NHS Foundation Trust, ref CPFT FOI 5012.',
      'We do accept referrals for under twos. Since our infant mental health pathway started we have received 23',
      'referrals of children under two, of whom 19 were seen. We do not hold these by year. Our parent-infant team',
      "is called 'Bump to Two'. Referrals go to CAMHS.",
    ]);
    const notHeld = r.values.filter((v) => v.missingReason === 'not_held').map((v) => v.questionId);
    expect(notHeld).not.toContain('q1_accepts_under2');
    expect(notHeld).not.toContain('q4_parent_infant_service');
  });

  it('codes "can neither confirm nor deny" as ncnd and "vexatious ... will not be responding" as refused under s14 (v12 corpus)', () => {
    const ncnd = letter([
      'FOI 612 (PIP-FOI-2024-012)',
      'The Trust can neither confirm nor deny whether it holds the information you requested, by virtue of section 40(5B) of the Act.',
    ]);
    expect([...new Set(ncnd.values.map((v) => v.missingReason))]).toEqual(['ncnd']);
    const s14 = letter([
      'We consider this request, which repeats requests received from your organisation in 2022 and',
      '2023, to be vexatious under section 14(1) of the Freedom of Information Act 2000 and will not be',
      'responding further.',
    ]);
    expect(s14.values.map((v) => [v.missingReason, v.exemptions])).toEqual(
      wave.questions.map(() => ['refused', ['s14']]),
    );
  });

  it('reads the figures of an appendix after the signature ("given in Appendix A overleaf") (v12 corpus)', () => {
    const at = (line: number) => ({ page: line < 5 ? 1 : 2, line });
    const r = codeLetter(
      [
        { text: 'The figures for questions 2 and 3 are given in Appendix A overleaf.', location: at(1) },
        { text: 'Yours sincerely, Head of Information Governance', location: at(2) },
        { text: 'Page 1 of 2', location: at(3) },
        { text: 'Appendix A', location: at(5) },
        { text: '2021/22 2022/23 2023/24', location: at(6), cells: ['2021/22', '2022/23', '2023/24'] },
        { text: 'Referrals received 22 25 17', location: at(7), cells: ['Referrals received', '22', '25', '17'] },
        { text: 'Referrals accepted 13 20 9', location: at(8), cells: ['Referrals accepted', '13', '20', '9'] },
      ],
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-25' },
    );
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 22, 22, null],
      ['q2', 'fy2022_23', 25, 25, null],
      ['q2', 'fy2023_24', 17, 17, null],
      ['q3', 'fy2021_22', 13, 13, null],
      ['q3', 'fy2022_23', 20, 20, null],
      ['q3', 'fy2023_24', 9, 9, null],
    ]);
  });

  it('codes questions refused on cost under one heading as refused under s12, though the answer first says what is not recorded (v9 corpus)', () => {
    const r = letter([
      '1. Does the trust accept referrals for children aged under two?',
      'Response: Yes.',
      '2. How many referrals ... in each of the financial years 2021/22, 2022/23 and 2023/24 (to date)?',
      '3. How many of those referrals were accepted?',
      'Response to 2 and 3: The Trust does not record age at referral in a reportable field. Locating this',
      'information would require a manual review of approximately 2,950 records, which would exceed the',
      'appropriate limit under section 12(1) of the Act. We are therefore unable to answer questions 2 and 3.',
    ]);
    expect(
      r.values.map((v) => [v.questionId.slice(0, 2), v.missingReason, v.exemptions, v.suggestion ?? null]),
    ).toEqual([
      ['q2', 'refused', ['s12'], null],
      ['q3', 'refused', ['s12'], null],
    ]);
  });

  it('reads "If so, its name." after a restated question as part of the question, never its answer (v9 corpus)', () => {
    const r = letter([
      'Your request:',
      '4. Does the trust host or commission a specialist parent-infant relationship team or service? If so, its name.',
      'Our response:',
      '4. No.',
    ]);
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo, a.text])).toEqual([
      ['q4_parent_infant_service', false, 'No.'],
    ]);
  });

  it('reads a note defining quarters ("Q1 = April-June, ...") as a note, never an answer to question 1 (v9 corpus)', () => {
    const r = letter([
      '1. Does the trust accept referrals for children aged under two? Yes.',
      'Q1 = April-June, Q2 = July-September, Q3 = October-December, Q4 = January-March.',
    ]);
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo])).toEqual([['q1_accepts_under2', true]]);
  });

  it("ends a sentence at a blank line: the next paragraph's numbers are not the last count's (v9 corpus)", () => {
    const r = letter([
      'Question 3 (accepted): 2021/22: 5; 2022/23: 7; 2023/24: 8',
      '',
      'Our answers to questions 1, 4 and 5 are unchanged. We apologise for the error.',
    ]);
    expect(read(r)).toEqual([
      ['q3', 'fy2021_22', 5, 5, null],
      ['q3', 'fy2022_23', 7, 7, null],
      ['q3', 'fy2023_24', 8, 8, null],
    ]);
  });

  it('gives a bare year elsewhere in the letter the end the letter states for it once (v9 corpus)', () => {
    const r = letter([
      '2. Referrals received: FY21/22: 14; FY22/23: 19; FY23/24 (to 29 February 2024): 11.',
      '3. Of these, 9, 12 and 8 respectively were accepted.',
    ]);
    const ends = r.values.map((v) => [v.questionId.slice(0, 2), v.period?.end, v.flags.includes('partial_period')]);
    expect(ends).toContainEqual(['q2', '2024-02-29', true]);
    expect(ends).toContainEqual(['q3', '2024-02-29', true]);
  });

  it('reads "Received" and "Accepted" in a Measure column before the years as each row\'s basis (v7 corpus)', () => {
    const at = { page: 1, line: 1 };
    const r = codeTable(
      [
        ['Team', 'Measure', '2021/22', '2022/23'],
        ['Infant CAMHS', 'Received', '13', '17'],
        ['Infant CAMHS', 'Accepted', '11', '14'],
      ].map((row) => row.map((text) => ({ text, location: at }))),
      { wave, period: sent, notes: [] },
    );
    expect(
      r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.service ?? null]).sort(),
    ).toEqual([
      ['q2', 'fy2021_22', 13, 'Infant CAMHS'],
      ['q2', 'fy2022_23', 17, 'Infant CAMHS'],
      ['q3', 'fy2021_22', 11, 'Infant CAMHS'],
      ['q3', 'fy2022_23', 14, 'Infant CAMHS'],
    ]);
  });

  it('keeps each period\'s own accepted count beside "all of which were accepted" for one period (v6 corpus)', () => {
    const r = letter([
      'Questions 1 to 3: Yes, the Trust accepts referrals for children under two. In 2021/22 the Trust received 6',
      'referrals for children aged under two, of which <5 were accepted. In 2022/23 there were 9 referrals, of which 7',
      'were accepted. In 2023/24 (to 31 March 2024) there were 3 referrals, all of which were accepted.',
    ]);
    expect(read(r)).toEqual([
      ['q2', 'fy2021_22', 6, 6, null],
      ['q2', 'fy2022_23', 9, 9, null],
      ['q2', 'fy2023_24', 3, 3, null],
      ['q3', 'fy2021_22', 0, 4, null],
      ['q3', 'fy2022_23', 7, 7, null],
      ['q3', 'fy2023_24', 3, 3, null],
    ]);
  });

  it('reads the corrected figure of a correction, never the wrong figure it quotes (v10 corpus)', () => {
    const r = letter([
      'Correction to our response to FOI LYPFT FOI 24-209 (PIP-FOI-2024-031) of 8 April 2024.',
      'We wrote 31 referrals for 2023/24 under question 2. This was a typing error: the correct figure is 13.',
      'All other answers are unchanged.',
    ]);
    expect(read(r)).toEqual([['q2', 'fy2023_24', 13, 13, null]]);
  });

  it('sends the sum of months to a person when a month in the row is blank (v10 corpus)', () => {
    const at = { page: 1, line: 1 };
    const r = codeTable(
      [
        ['Financial year', 'Apr', 'May', 'Jun', 'Jul', 'Total'],
        ['2022/23', '3', '2', '2', '4', '11'],
        ['2023/24', '4', '2', '', '2', ''],
      ].map((row) => row.map((text) => ({ text, location: at }))),
      { wave, period: sent, notes: [] },
    );
    const v = r.values.find((x) => x.askedPeriodId === 'fy2023_24')!;
    expect(v.interval).toEqual({ low: 8, high: 8 });
    expect(v.suggestion).toMatch(/no count for Jun, Total|no count for Jun/);
  });

  it('codes a letter that neither confirms nor denies as ncnd for every question, with the section it cites (v10 corpus)', () => {
    const r = letter([
      'In accordance with section 40(5B) of the Act, the Trust neither confirms nor denies whether it holds the',
      'information you requested, because the numbers involved may identify individuals.',
    ]);
    expect(new Set(r.values.map((v) => v.missingReason))).toEqual(new Set(['ncnd']));
    expect(r.values[0]!.exemptions).toEqual(['s40(5b)']);
  });

  it.each([
    ['Q4 No. Q5 CAMHS.'],
    ['Response to question 4: No. Response to question 5: CAMHS.'],
    ['4. No.   5. CAMHS.'],
    ['4. No. 5. CAMHS.'],
  ])('reads two answers written on one line: %s (v10 corpus)', (line) => {
    const r = letter(['1. Yes.', line]);
    expect(r.textAnswers.map((a) => [a.questionId.slice(0, 2), a.text])).toEqual([
      ['q1', 'Yes.'],
      ['q4', 'No.'],
      ['q5', 'CAMHS.'],
    ]);
  });

  it('codes an answer "Withheld under section 43(2) for the same reason." as refused under s43 (v10 corpus)', () => {
    const r = letter(['Q1 Yes.', 'Q5 Withheld under section 43(2) for the same reason.']);
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.missingReason, v.exemptions])).toEqual([
      ['q5', 'refused', ['s43']],
    ]);
  });

  it("reads a reply forwarded under a note of several lines, dated by the forwarded message's own date (v10 corpus)", () => {
    const r = codeLetter(
      [
        'Hi,',
        'Forwarding this as it looks like it was sent to us by mistake - it seems to be for your census.',
        'Best wishes',
        'Jo Bloggs, Parent-Infant Foundation (Midlands network)',
        '---------- Forwarded message ---------',
        'From: Nottinghamshire Healthcare FOI <foi@nottshc.nhs.uk>',
        'Date: Fri, 12 Apr 2024 at 14:02',
        'Q1 Yes',
        'Q2 2021/22: 20, 2022/23: 24, 2023/24: 27',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-16' },
    );
    expect(r.replyDate).toBe('2024-04-12');
    expect(read(r).map((v) => v[2])).toEqual([20, 24, 27]);
  });

  it('sends a total that disagrees with its parts to a person, showing the stated total and the sum of the parts', () => {
    const at = { page: 1, line: 1 };
    const r = codeTable(
      [
        ['Team', '2021/22', '2022/23'],
        ['County A CAMHS', '1', '4'],
        ['County B CAMHS', '2', '5'],
        ['Total', '8', '9'],
      ].map((row) => row.map((text) => ({ text, location: at }))),
      { wave, period: sent, notes: [] },
    );
    const v = r.values.find((x) => x.askedPeriodId === 'fy2021_22')!;
    expect(v.suggestion).toMatch(/stated total 8 .*1 \+ 2 = 3/);
    expect(v.flags).toContain('total_mismatch');
    expect(r.issues.map((i) => i.code)).toContain('total_mismatch');
  });
});

describe('numbers that are references, never counts or years (v7 corpus: two values made up from them)', () => {
  it('reads no count from a reference number, and no range wider than a suppression band', () => {
    expect(codeCount('(FOI OHFT-23-1877)').value?.interval ?? null).toBeNull();
    expect(codeCount('23-1877').value?.interval ?? null).toBeNull();
    expect(codeCount('1-4').value?.interval).toEqual({ low: 1, high: 4 });
  });
  it('reads no year from "FOI 1904" or an Act of 2000', () => {
    expect(findPeriods('request reference: foi 1904').map((s) => s.text)).toEqual([]);
    expect(findPeriods('freedom of information act 2000 - response').map((s) => s.text)).toEqual([]);
    expect(findPeriods('in 2023 we received 4').map((s) => s.text)).toEqual(['2023']);
  });
  it("refuses a whole reply under s21 that cites another request's reference and a month", () => {
    const r = codeLetter(
      [
        'The information you have asked for was published by the Trust in response to an identical request in January 2024 and is available on our FOI disclosure log (FOI OHFT-23-1877).',
        'As this information is reasonably accessible to you by other means, it is exempt from disclosure under section 21 of the Freedom of Information Act 2000.',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, sentDate: '2024-03-11' },
    );
    expect([...new Set(r.values.map((v) => v.missingReason))]).toEqual(['refused']);
    expect([...new Set(r.values.flatMap((v) => v.exemptions))]).toEqual(['s21']);
  });
});

describe('a title above a table that names months', () => {
  it('is no row of the table: the header under it still ties each column to its question (v11 corpus)', () => {
    const at = { sheet: 'FOI', cell: 'A1' };
    const rows = [
      ['Referrals of children aged 0-23 months (calendar year, January to December)'],
      ['Calendar year', 'Referrals received', 'Referrals accepted'],
      ['2022', '13', '10'],
      ['2023', '16', '12'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const r = codeTable(rows, { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-02' }, notes: [] });
    expect(r.values.map((v) => [v.questionId, v.period?.start, v.interval?.low, v.suggestion ?? null])).toEqual([
      ['q2_referrals_under2', '2022-01-01', 13, null],
      ['q3_accepted_under2', '2022-01-01', 10, null],
      ['q2_referrals_under2', '2023-01-01', 16, null],
      ['q3_accepted_under2', '2023-01-01', 12, null],
    ]);
  });
});

describe('rows of a table that answer questions asking no count', () => {
  it('reads "Q4 Parent-infant service | No" beside the count rows as no count of referrals (v11 corpus)', () => {
    const at = { sheet: 'FOI', cell: 'A1' };
    const rows = [
      ['Question', '2021/22', '2022/23', '2023/24 (to date)'],
      ['Q2 Referrals received (aged 0-23 months)', '25', '31', '19'],
      ['Q3 Referrals accepted', '17', '20', '12'],
      ['Q1 Accept under-2 referrals', 'Yes'],
      ['Q4 Parent-infant service', 'No'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const r = codeTable(rows, { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-02' }, notes: [] });
    expect(r.values.map((v) => [v.questionId, v.askedPeriodId, v.interval?.low])).toEqual([
      ['q2_referrals_under2', 'fy2021_22', 25],
      ['q2_referrals_under2', 'fy2022_23', 31],
      ['q2_referrals_under2', 'fy2023_24', 19],
      ['q3_accepted_under2', 'fy2021_22', 17],
      ['q3_accepted_under2', 'fy2022_23', 20],
      ['q3_accepted_under2', 'fy2023_24', 12],
    ]);
  });
});

describe('a note about "*" says nothing about "<5"', () => {
  it('reads "<5" and "fewer than 5" as [0, 4] when the only note explains "*" as 1-4, and "*" as [1, 4] (v11 corpus)', () => {
    const at = { sheet: 'Response', cell: 'A1' };
    const rows = [
      ['Question', '2021/22', '2022/23', '2023/24 (to 29/02/2024)'],
      ['Referrals received, under 2', '8', '11', '*'],
      ['Referrals accepted, under 2', '6', '<5', 'fewer than 5'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const notes = ['* denotes a figure between 1 and 4, suppressed to protect patient identity.'];
    const r = codeTable(rows, { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-02' }, notes });
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.interval?.high])).toEqual(
      [
        ['q2', 'fy2021_22', 8, 8],
        ['q2', 'fy2022_23', 11, 11],
        ['q2', 'fy2023_24', 1, 4],
        ['q3', 'fy2021_22', 6, 6],
        ['q3', 'fy2022_23', 0, 4],
        ['q3', 'fy2023_24', 0, 4],
      ],
    );
    // The reply-wide reading of notes (nonzeroNote) takes a "*" note for "*" alone; a note naming "<5" decides it.
    expect(nonzeroNote(notes)).toBeNull();
    expect(nonzeroNote(['Figures between 1 and 4 are shown as <5 or fewer than 5.'])).toEqual({ low: 1, high: 4 });
  });
});

describe('a calendar year with its days', () => {
  it('reads "2024 (1 January to 29 February)" as those days, not up to the reply', () => {
    expect(parsePeriod('2024 (1 January to 29 February)', { ...sent, replyDate: '2024-03-26' }).value).toMatchObject({
      period: { start: '2024-01-01', end: '2024-02-29', type: 'part_year' },
      flags: ['partial_period'],
    });
  });
});

describe('numbers of teams and a period note after a stop (v14 corpus)', () => {
  it('reads no count in "a child referred to two teams is counted once" or "across 3 sites"', () => {
    expect(codeCount('a child referred to two teams is counted once').value).toBeNull();
    expect(codeCount('12 referrals across 3 sites').value?.interval).toEqual({ low: 12, high: 12 });
  });

  it('ends a sentence at a stop before a year label, so "2023/24 is to 29 February 2024." pairs with no count before it', () => {
    const r = codeLetter(
      [
        '2. In 2022/23 we received 14 referrals. All teams together received 31 referrals in total. 2023/24 is to 29 February 2024.',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, ...sent },
    );
    expect(r.values.map((v) => [v.askedPeriodId, v.interval?.low])).toEqual([['fy2022_23', 14]]);
  });
});

describe('where a part year ends, written other ways (v14 corpus)', () => {
  const ends = (r: ReturnType<typeof codeLetter>) => r.values.map((v) => [v.questionId.slice(0, 2), v.period?.end]);
  it('reads "(to 29/02/24)" and "(to end of Feb)" as the day they name', () => {
    expect(parsePeriod('2023/24 (to 29/02/24)', sent).value?.period.end).toBe('2024-02-29');
    expect(parsePeriod('2023/24 (to end of Feb)', sent).value?.period.end).toBe('2024-02-29');
    expect(parsePeriod('FY24 (to the end of January 2024)', sent).value?.period.end).toBe('2024-01-31');
  });

  it('ends "2023/24 6 (to 29/02/2024)" where its bracket says', () => {
    const r = codeLetter(
      [{ text: '2. Referrals received: 2022/23 4; 2023/24 6 (to 29/02/2024)', location: { line: 1 } }],
      {
        wave,
        ...sent,
      },
    );
    expect(ends(r)).toEqual([
      ['q2', '2023-03-31'],
      ['q2', '2024-02-29'],
    ]);
  });

  it('dates "2023/24 YTD" of a table under a yes/no answer by the note "YTD = year to date, 1 April 2023 to 29 February 2024"', () => {
    const r = codeLetter(
      [
        { text: '1 - Yes', location: { line: 1 } },
        { text: 'Period Referrals received', cells: ['Period', 'Referrals received'], location: { line: 2 } },
        { text: '2022/23 20', cells: ['2022/23', '20'], location: { line: 3 } },
        { text: '2023/24 YTD 22', cells: ['2023/24 YTD', '22'], location: { line: 4 } },
        { text: 'YTD = year to date, 1 April 2023 to 29 February 2024.', location: { line: 5 } },
        { text: '4 - No', location: { line: 6 } },
      ],
      { wave, ...sent },
    );
    expect(ends(r)).toEqual([
      ['q2', '2023-03-31'],
      ['q2', '2024-02-29'],
    ]);
  });
});

describe('a dash for a count (v14 corpus)', () => {
  it('reads "-" as nil where a note says \'"-" = nil\', and never reads that note as a nil of every year', () => {
    expect(codeCount('-', { notes: ['("-" = nil; 2023/24 is to 29 Feb 2024)'] }).value?.interval).toEqual({
      low: 0,
      high: 0,
    });
    expect(codeCount('-').value).toBeNull();
    const r = codeLetter(
      [
        ['Q2/Q3:'],
        ['Year', 'Received', 'Accepted'],
        ['2021/22', '-', '-'],
        ['2022/23', '3', '3'],
        ['("-" = nil; 2023/24 is to 29 Feb 2024)'],
      ].map((cells, i) => ({
        text: cells.join('  '),
        ...(cells.length > 1 ? { cells } : {}),
        location: { line: i + 1 },
      })),
      { wave, ...sent },
    );
    expect(
      r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval?.low, v.suggestion === undefined]),
    ).toEqual([
      ['q2', 'fy2021_22', 0, true],
      ['q3', 'fy2021_22', 0, true],
      ['q2', 'fy2022_23', 3, true],
      ['q3', 'fy2022_23', 3, true],
    ]);
  });
});

describe('whole refusals and not held, in other words (v14 corpus)', () => {
  const reasons = (texts: string[]) => [
    ...new Set(
      codeLetter(
        texts.map((text, i) => ({ text, location: { line: i + 1 } })),
        { wave, ...sent },
      ).values.map((v) => `${v.questionId.slice(0, 2)}:${v.missingReason ?? (v.interval ? 'withheld' : '')}`),
    ),
  ];
  it('refuses the whole request "refusing your request in full under section 12(1)" ("cost of compliance exceeds appropriate limit")', () => {
    expect(
      reasons([
        'Section 12 - cost of compliance exceeds appropriate limit',
        'The age of the child at referral is not held in a structured field; identifying referrals would require a manual review.',
        'We are therefore refusing your request in full under section 12(1).',
      ]),
    ).toEqual(['q1:refused', 'q2:refused', 'q3:refused', 'q4:refused', 'q5:refused']);
  });

  it('withholds the whole request "withholding all of the information requested under section 40(2)"', () => {
    expect(
      reasons([
        'The Trust has considered your request and is withholding all of the information requested under section 40(2) of the Freedom of Information Act 2000 (personal information).',
      ]),
    ).toEqual(['q1:refused', 'q2:withheld', 'q3:withheld', 'q4:refused', 'q5:refused']);
  });

  it('codes "The Trust has searched its records and does not hold information ..." not held whole ("has searched" says no yes)', () => {
    expect(
      reasons([
        'The Trust has searched its records and does not hold information within the scope of your request. The Trust does not provide a service for infants under two.',
      ]),
    ).toEqual(['q1:not_held', 'q2:not_held', 'q3:not_held', 'q4:not_held', 'q5:not_held']);
  });
});

describe('one question refused on cost in other words (v12 corpus)', () => {
  it('refuses q3 "... at an estimated cost above the £450 limit, so we rely on s12(1) for question 3", and "IG Team, GMMH" signs the letter', () => {
    const r = codeLetter(
      [
        '2. 2022/23: 16; 2023/24 (to date): 9.',
        '3. To answer this would require a manual review of all 297 case notes at an estimated cost above the £450 limit, so we rely on s12(1) for question 3.',
        '5. CAMHS.',
        '',
        'IG Team, GMMH',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, ...sent },
    );
    expect(r.values.filter((v) => v.questionId.startsWith('q3')).map((v) => [v.missingReason, v.exemptions])).toEqual([
      ['refused', ['s12']],
    ]);
    expect(r.textAnswers.find((a) => a.questionId.startsWith('q5'))?.text).toBe('CAMHS.');
  });
});
