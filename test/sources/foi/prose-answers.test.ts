import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import type { Line } from '../../../sources/foi/prose.ts';
import { codeLetter } from '../../../sources/foi/letter.ts';

/**
 * Letters that answer in their own sentences (spec/foi.md "What real replies do"): no question numbers,
 * numbers set apart in bold inside a paragraph, a table under a yes/no answer, both counts in pairs.
 */
const wave = loadFoiWave(2024);
const lines = (texts: (string | string[])[]): Line[] =>
  texts.map((t, i) =>
    typeof t === 'string'
      ? { text: t, location: { fileHash: 'f', line: i + 1 } }
      : { text: t.join(' '), cells: t, location: { fileHash: 'f', line: i + 1 } },
  );
const read = (texts: (string | string[])[]) => codeLetter(lines(texts), { wave, sentDate: '2024-03-11' });
const counts = (r: ReturnType<typeof read>) =>
  r.values.map((v) => [v.questionId.slice(0, 2), v.askedPeriodId, v.interval && [v.interval.low, v.interval.high]]);
const answers = (r: ReturnType<typeof read>) =>
  Object.fromEntries(r.textAnswers.map((a) => [a.questionId.slice(0, 2), [a.yesNo, a.name ?? a.text]]));

describe('a letter in prose with no question numbers', () => {
  it('reads the yes/no and service answers its sentences state, and where referrals go', () => {
    const r = read([
      'Tees, Esk and Wear Valleys NHS Foundation Trust',
      '25 April 2024',
      'Thank you for clarifying your request. The Trust does accept referrals of children',
      'under two. We do not host a specialist parent-infant team; referrals go to CAMHS and perinatal services.',
    ]);
    expect(answers(r)).toEqual({
      q1: [true, 'The Trust does accept referrals of children under two.'],
      q4: [false, 'We do not host a specialist parent-infant team; referrals go to CAMHS and perinatal services.'],
      q5: [null, 'CAMHS and perinatal services'],
    });
    expect(r.accepts).toBe(true);
    // the quote is the lines the sentence spans, located at its first
    expect(r.textAnswers[0]!.location.line).toBe(3);
  });
  it('gives a named team its name, and reads "Neither hosts ..." of a joint reply as no', () => {
    expect(
      answers(read(['We do accept referrals for under twos.', "Our parent-infant team is called 'Bump to Two'."])),
    ).toEqual({
      q1: [true, 'We do accept referrals for under twos.'],
      q4: [true, 'Bump to Two'],
    });
    expect(
      answers(read(['Both Trusts accept referrals under two. Neither hosts a specialist parent-infant team.'])),
    ).toEqual({
      q1: [true, 'Both Trusts accept referrals under two.'],
      q4: [false, 'Neither hosts a specialist parent-infant team.'],
    });
  });
  it("reads answers tagged with their question in brackets, and each sentence's counts under the basis it names", () => {
    const r = read([
      'Hello,',
      'In answer to your questions: yes we accept under-2s (Q1). Referrals received:',
      ' 2021-22 less than ten, 2022-23 12, 2023-24 so far 10. Accepted: 2021-22 less',
      ' than ten, 2022-23 9, 2023-24 so far 7. No PIRT (Q4). Services: CAMHS, perinatal (Q5).',
    ]);
    expect(answers(r)).toEqual({
      q1: [true, 'yes we accept under-2s'],
      q4: [false, 'No PIRT'],
      q5: [null, 'CAMHS, perinatal'],
    });
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [0, 9]],
      ['q2', 'fy2022_23', [12, 12]],
      ['q2', 'fy2023_24', [10, 10]],
      ['q3', 'fy2021_22', [0, 9]],
      ['q3', 'fy2022_23', [9, 9]],
      ['q3', 'fy2023_24', [7, 7]],
    ]);
  });
  it('keeps a letter that holds nothing a whole not-held reply, though a sentence of it says no service is provided', () => {
    const r = read([
      'Having checked with our CAMHS and perinatal services, I can confirm that Oxleas NHS Foundation Trust does not hold the information you have requested. Age at referral is not recorded in a way that allows referrals of children under two to be identified, and the Trust does not provide a parent-infant service.',
      'This letter serves as a notice under section 17 of the Act.',
    ]);
    expect(r.textAnswers).toEqual([]);
    expect(r.values.map((v) => [v.questionId.slice(0, 2), v.missingReason])).toEqual(
      ['q1', 'q2', 'q3', 'q4', 'q5'].map((q) => [q, 'not_held']),
    );
  });
  it('leaves a sentence that only mentions referrals or a service unread (a person codes it)', () => {
    const r = read([
      'Since our infant mental health pathway started we have received 23 referrals of children under two.',
      'We are reviewing our parent-infant offer with commissioners.',
    ]);
    expect(r.textAnswers).toEqual([]);
  });
  it('reads "received 12 referrals and accepted 10; in 2022/23, 14 and 11; ..." as each period\'s pair, never the population', () => {
    const r = read([
      'Q2 and Q3: In 2021/22 we received 12 referrals and accepted 10; in 2022/23, 14 and 11;',
      'and in 2023/24 to date, 9 and 9. The Oxfordshire population aged 0-4 is about 38,000.',
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [12, 12]],
      ['q2', 'fy2022_23', [14, 14]],
      ['q2', 'fy2023_24', [9, 9]],
      ['q3', 'fy2021_22', [10, 10]],
      ['q3', 'fy2022_23', [11, 11]],
      ['q3', 'fy2023_24', [9, 9]],
    ]);
    expect(r.values.every((v) => v.suggestion === undefined)).toBe(true);
    expect(r.issues).toEqual([]);
  });
});

describe('question numbers inside a paragraph', () => {
  it('splits a paragraph whose numbers a PDF set apart in bold ("Q1" | "Yes. Q2 and Q3: ..." | "Q4" | ...)', () => {
    const r = read([
      ['Q1', 'Yes. Q2 and Q3: In 2021/22 we received 12 referrals and accepted 10; in 2022/23, 14 and 11;'],
      ['and in 2023/24 to date, 9 and 9.', 'Q4', 'Yes, the'],
      ['Oxfordshire Parent Infant Project (OXPIP) is commissioned.', 'Q5', 'CAMHS and OXPIP.'],
    ]);
    expect(answers(r)).toMatchObject({ q1: [true, 'Yes.'], q5: [null, 'CAMHS and OXPIP.'] });
    expect(answers(r).q4?.[0]).toBe(true);
    expect(counts(r)).toHaveLength(6);
  });
  it('splits "... the very long delay. 1. Yes. 4. No." and reads the table set out under "4. No." as the counts', () => {
    const r = read([
      'We apologise for the very long delay. 1. Yes. 4. No.',
      ['Year', 'Received', 'Accepted'],
      ['2021/22', '4', '3'],
      ['2022/23', '6', '5'],
      ['2023/24', '5', '5'],
      'Figures are for the former Camden and Islington services. 5. CAMHS.',
    ]);
    expect(answers(r)).toMatchObject({ q1: [true, 'Yes.'], q5: [null, 'CAMHS.'] });
    expect(answers(r).q4?.[0]).toBe(false);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [4, 4]],
      ['q3', 'fy2021_22', [3, 3]],
      ['q2', 'fy2022_23', [6, 6]],
      ['q3', 'fy2022_23', [5, 5]],
      ['q2', 'fy2023_24', [5, 5]],
      ['q3', 'fy2023_24', [5, 5]],
    ]);
  });
});

describe('answers opened by "In response to question N:" (v9 corpus)', () => {
  it('reads each answer under its question, also the joint "In response to questions 1 to 3:"', () => {
    const r = read([
      'Leeds and York Partnership NHS Foundation Trust',
      '27 March 2024',
      'In response to questions 1 to 3: the Trust does accept referrals for children under two. It received 18 such referrals in 2021/22.',
      'In response to question 4: yes, the Leeds Infant Mental Health Service is a specialist service hosted by the Trust.',
      'In response to question 5: the Leeds Infant Mental Health Service and CAMHS.',
    ]);
    expect(answers(r).q4?.[0]).toBe(true);
    expect(answers(r).q5?.[1]).toMatch(/Leeds Infant Mental Health Service and CAMHS/);
    expect(counts(r)).toContainEqual(['q2', 'fy2021_22', [18, 18]]);
  });

  it('reads no answer from our request quoted back after the answers ("Your original request:"), and keeps the period cells of a table under "Q2/Q3." (v11 corpus)', () => {
    const r = read([
      'Q1. Does the Trust accept referrals for children aged under two? Yes.',
      ['Q2/Q3. Referrals for children aged 0-23 months received and accepted', '2021/22', '2022/23', '2023/24*'],
      ['Referrals received', '23', '12', '17'],
      ['Referrals accepted', '15', '10', '9'],
      '* 2023/24 is 1 April 2023 to 29 February 2024.',
      'Q4. Yes - the Parent Infant Mental Health Service (PIMHS), hosted by the Trust.',
      'Your original request:',
      '4. Does the trust host or commission a specialist parent-infant relationship team or service?',
      'If so, its name.',
      '5. Which services received these referrals?',
      'Information Governance, NELFT',
    ]);
    expect(r.textAnswers.filter((a) => a.questionId.startsWith('q4')).map((a) => a.yesNo)).toEqual([true]);
    expect(r.textAnswers.filter((a) => a.questionId.startsWith('q5'))).toEqual([]);
    expect(counts(r)).toEqual(
      expect.arrayContaining([
        ['q2', 'fy2021_22', [23, 23]],
        ['q3', 'fy2022_23', [10, 10]],
      ]),
    );
  });

  it('reads "In response to question 1, Oxford Health accepts ..." as yes, and each "received N ..., of which M were accepted" over wrapped lines (v14 corpus)', () => {
    const r = read([
      'In response to question 1, Oxford Health accepts referrals for children under two into its Perinatal and',
      'CAMHS services.',
      'In response to questions 2 and 3: in 2021/22 we received 14 referrals for children aged under two, of which',
      '12 were accepted; in 2022/23 we received 19, of which 17 were accepted; and in 2023/24 (to 29 February',
      '2024) we received 22, of which 18 were accepted.',
      'In response to question 4: the Trust hosts the Oxfordshire Parent Infant Project (OXPIP).',
    ]);
    expect(answers(r).q1?.[0]).toBe(true);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [14, 14]],
      ['q2', 'fy2022_23', [19, 19]],
      ['q2', 'fy2023_24', [22, 22]],
      ['q3', 'fy2021_22', [12, 12]],
      ['q3', 'fy2022_23', [17, 17]],
      ['q3', 'fy2023_24', [18, 18]],
    ]);
  });

  it('reads "seven of the eleven in 2023/24 were accepted" as 7 accepted, never an unpaired pair', () => {
    const r = read([
      '2) In 2021/22 we received three referrals, in 2022/23 none, and in 2023/24 to date eleven.',
      '3) All three referrals in 2021/22 were accepted; nil in 2022/23 (as none were received); seven of the eleven in 2023/24 were accepted.',
    ]);
    expect(counts(r).filter((c) => c[0] === 'q3')).toEqual([
      ['q3', 'fy2021_22', [3, 3]],
      ['q3', 'fy2022_23', [0, 0]],
      ['q3', 'fy2023_24', [7, 7]],
    ]);
    expect(r.issues.map((i) => i.code)).not.toContain('count_unpaired');
  });
});

describe('counts for another age band (v14 corpus)', () => {
  const bands = (r: ReturnType<typeof read>) =>
    r.values.map((v) => [v.questionId.slice(0, 2), v.interval?.low, v.flags.includes('band_mismatch')]);
  it('takes the band of "the figures below are for children aged 0-4", never the under-twos it says it cannot give', () => {
    const r = read([
      '1. Yes.',
      '2. and 3. We are not able to report on under-twos separately; the figures below are for children aged 0-4',
      'years at referral.',
      ['', '2021/22', '2022/23'],
      ['Referrals received', '44', '52'],
      ['Referrals accepted', '35', '41'],
      '4. No.',
    ]);
    expect(bands(r)).toEqual([
      ['q2', 44, true],
      ['q2', 52, true],
      ['q3', 35, true],
      ['q3', 41, true],
    ]);
  });

  it('takes the band of a table from the cell over its row labels ("Age 0-4 | 2021/22 | 2022/23")', () => {
    const r = read([
      '1. Yes.',
      '2. and 3. Please see the table below.',
      ['Age 0-4', '2021/22', '2022/23'],
      ['Referrals received', '44', '52'],
      ['Referrals accepted', '35', '41'],
      '4. No.',
    ]);
    expect(bands(r).every(([, , mismatch]) => mismatch === true)).toBe(true);
    expect(bands(r)).toHaveLength(4);
  });
});

describe('a table of teams with its header stacked and continued over a page (v14 corpus)', () => {
  it('splits the stacked header, takes each column\'s basis from it, reads both pages as one table, and "two teams" is no count', () => {
    const head = ['Team', 'Received 2021/22\tReceived 2022/23\tAccepted 2021/22\tAccepted 2022/23'];
    const r = read([
      'Q1 Yes.',
      'Q2 and Q3: by team',
      head,
      ['Bexley CAMHS', '3', '4', '3', '3'],
      ['Bromley CAMHS', '4', '5', '4', '4'],
      'Oxleas NHS Foundation Trust',
      'Pinewood House, Pinewood Place, Dartford DA2 7WG',
      ['Oxleas NHS Foundation Trust | FOI 4410/24', 'Page 2'],
      'Table continued',
      head,
      ['Perinatal (Bexley)', '1', '3', '1', '2'],
      'The teams do not overlap; a child referred to two teams is counted once, under the team that received the',
      'referral first. 2022/23 is to 29 February 2024.',
      'Q4 No.',
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [8, 8]],
      ['q2', 'fy2022_23', [12, 12]],
      ['q3', 'fy2021_22', [8, 8]],
      ['q3', 'fy2022_23', [9, 9]],
    ]);
  });
});

describe('a table header that comes out one word group per line (v14 corpus)', () => {
  it('puts "Financial" / "year" / "Number of" / "referrals" / "received" / ... back into the columns over the data rows', () => {
    const header = ['Financial', 'year', 'Number of', 'referrals', 'received', 'Number of', 'referrals', 'accepted'];
    const rows = [
      ['2021/22', '22', '19'],
      ['2022/23', '27', '24'],
    ];
    for (const head of ['2 and 3. Please see the table below.', '2. Please see the table below.']) {
      const r = read(['1. Yes.', head, ...header, '(assessed or', 'treated)', ...rows, '4. No.']);
      expect(counts(r)).toEqual(
        expect.arrayContaining([
          ['q2', 'fy2021_22', [22, 22]],
          ['q2', 'fy2022_23', [27, 27]],
          ['q3', 'fy2021_22', [19, 19]],
          ['q3', 'fy2022_23', [24, 24]],
        ]),
      );
      expect(counts(r)).toHaveLength(4);
      expect(r.values.every((v) => v.suggestion === undefined)).toBe(true);
    }
  });
});

describe('counts that wrap inside their cells (v14 corpus)', () => {
  it('completes "Less than" with the "5" on the line below, cell by cell', () => {
    const r = read([
      '1. Yes.',
      '2./3. Referrals for children aged 0-23 months:',
      ['2021/22', '2022/23', '2023/24'],
      ['Received', 'Less than', '6', '8'],
      '5',
      ['Accepted', 'Less than', 'Less than', '7'],
      ['5', '5'],
      'Numbers less than 5 have been suppressed; figures from 1 to 4 are shown as "Less than 5".',
      '4. No.',
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [1, 4]],
      ['q2', 'fy2022_23', [6, 6]],
      ['q2', 'fy2023_24', [8, 8]],
      ['q3', 'fy2021_22', [1, 4]],
      ['q3', 'fy2022_23', [1, 4]],
      ['q3', 'fy2023_24', [7, 7]],
    ]);
    expect(r.values.every((v) => v.suggestion === undefined)).toBe(true);
  });
});

describe('a question number alone on its line (v14 corpus)', () => {
  it('opens the next question with "2." and "3." alone, their tables below them', () => {
    const r = read([
      '1. Yes.',
      '2.',
      '2021/22     2022/23',
      '12          14',
      '3.',
      '2021/22     2022/23',
      '11          13',
      '4. No.',
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [12, 12]],
      ['q2', 'fy2022_23', [14, 14]],
      ['q3', 'fy2021_22', [11, 11]],
      ['q3', 'fy2022_23', [13, 13]],
    ]);
    expect(answers(r).q1).toEqual([true, 'Yes.']);
  });
});

describe('counts in words, corrections and notes over several lines', () => {
  it('reads "received seven referrals; five were accepted" and "twelve ..., of which nine" (never the "two" of "under two")', () => {
    const r = read([
      'In 2021–22 the Trust received twelve referrals of children aged under two, of which nine were accepted.',
      'In 2022–23 we received 4 such referrals, and none of them were accepted.',
      'In 2023–24 (to date) we received seven referrals; five were accepted.',
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [12, 12]],
      ['q2', 'fy2022_23', [4, 4]],
      ['q2', 'fy2023_24', [7, 7]],
      ['q3', 'fy2021_22', [9, 9]],
      ['q3', 'fy2022_23', [0, 0]],
      ['q3', 'fy2023_24', [5, 5]],
    ]);
  });
  it('reads a correction written over three lines as the corrected figure, once', () => {
    const r = read([
      'In our response of 8 April 2024 we stated that the Trust received 31 referrals',
      'of children aged 0-23 months in 2022-23. This was a transcription error: the',
      'correct figure is 13. This email supersedes our spreadsheet in that respect.',
    ]);
    expect(counts(r)).toEqual([['q2', 'fy2022_23', [13, 13]]]);
    expect(r.values[0]!.quote).toContain('we stated that the Trust received 31 referrals');
  });
  it('keeps the band of counts paired by "respectively": 0-4 years is no under-two count', () => {
    const r = read([
      '2 and 3. We do not record age at referral in months. For children aged 0-4 years we received 21, 25 and 19',
      'referrals in 2021/22, 2022/23 and 2023/24 (to date) respectively, of which 15, 18 and 14 were accepted.',
    ]);
    expect(r.values).toHaveLength(6);
    expect(r.values.every((v) => v.flags.includes('band_mismatch'))).toBe(true);
  });
  it('reads a table under "Q2 and Q3" set apart in bold, and a s40(2) note about a breakdown withholds no count', () => {
    const r = read([
      ['Q2 and Q3', 'Referrals of children aged 0-23 months, 2021/22 to 2023/24:'],
      ['2021/22', '2022/23', '2023/24 *'],
      ['Referrals received', '23', '19', '15 *'],
      ['Referrals accepted', '18', '16', '12'],
      '* 2023/24 covers 1 April 2023 to 29 February 2024. The total of 15 is disclosed in full; a breakdown',
      'of this figure by borough has been withheld under section 40(2) (personal information) as it could',
      'identify individuals.',
      ['SLaM FOI 2024-0455', 'Page 1 of 2'],
    ]);
    expect(counts(r)).toEqual([
      ['q2', 'fy2021_22', [23, 23]],
      ['q2', 'fy2022_23', [19, 19]],
      ['q2', 'fy2023_24', [15, 15]],
      ['q3', 'fy2021_22', [18, 18]],
      ['q3', 'fy2022_23', [16, 16]],
      ['q3', 'fy2023_24', [12, 12]],
    ]);
    expect(r.values.every((v) => v.suggestion === undefined && !v.flags.includes('suppressed'))).toBe(true);
  });
  it('keeps the words before a page number ("Accepted 2022/23 not available. Page 2 of 2"), drops a footer\'s reference', () => {
    const r = read([
      ['', '01/04/2021 to 31/03/2022', '01/04/2022 to 31/03/2023', '01/04/2023 to 29/02/2024'],
      ['Referrals received', '22', '25', '17'],
      ['Referrals accepted', 'Less than 5', '', '13'],
      'Accepted 2022/23 not available. Page 2 of 2',
      ['TEWV FOI 2024-0455', 'Page 2 of 2'],
    ]);
    expect(
      r.values.find((v) => v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2022_23'),
    ).toMatchObject({
      interval: null,
      missingReason: 'not_held',
    });
    expect(r.values.filter((v) => v.suggestion !== undefined)).toEqual([]);
  });
  it('reads "not available" after a table under a yes/no answer as not held for that period', () => {
    const r = read([
      '1. Yes, we accept referrals for children aged under two. Referrals of children aged 0-23 months:',
      ['', '2021/22', '2022/23', '2023/24'],
      ['Total received', '10', '11', '14'],
      ['Total accepted', '8', '', '10'],
      'The 2022/23 accepted figure is not available: outcomes were not recorded during the move to our',
      'new records system.',
      '4. No. 5. CAMHS.',
    ]);
    expect(
      r.values.find((v) => v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2022_23'),
    ).toMatchObject({
      interval: null,
      missingReason: 'not_held',
    });
    expect(answers(r)).toMatchObject({ q1: [true, expect.stringContaining('Yes, we accept')] });
  });
});
