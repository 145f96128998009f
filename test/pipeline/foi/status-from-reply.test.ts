import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../../pipeline/foi/calendar.ts';
import { replyCoding, type ValueOutcomeInput } from '../../../pipeline/foi/outcomes.ts';
import { deriveStatus, type FoiEvent } from '../../../pipeline/foi/status.ts';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import { codeLetter } from '../../../sources/foi/letter.ts';

/** foi.md: a status from what the reply means (refused, not held, partial, answered), read per question. */

const wave = loadFoiWave(2024);
const cal = loadCalendar();
const ids = wave.questions.map((q) => q.id);
const [Q1, Q2, Q3, Q4, Q5] = ids as [string, string, string, string, string];
const applies = { gate: Q1, counts: [Q2, Q3] };
const v = (question_id: string, extra: Partial<ValueOutcomeInput> = {}): ValueOutcomeInput => ({
  question_id,
  low: null,
  high: null,
  yes_no: null,
  text_value: null,
  missing_reason: null,
  exemptions: [],
  ...extra,
});
const answeredText = [v(Q1, { yes_no: true }), v(Q4, { yes_no: false }), v(Q5, { text_value: 'CAMHS' })];
const statusOf = (events: FoiEvent[]) =>
  deriveStatus({ sent: '2024-03-11', questionIds: ids, events }, '2024-06-01', cal);

describe('small numbers withheld without a bound (s40(2)): a suppressed value, not a refusal', () => {
  it('answers a count question withheld as [0, open] under s40(2) beside the other answers, exemption kept', () => {
    const c = replyCoding(
      [...answeredText, v(Q2, { low: 0, high: null, exemptions: ['s40(2)'] }), v(Q3, { low: 2, high: 2 })],
      ids,
      applies,
    );
    expect(c.answered).toEqual(ids);
    expect(c.refused).toEqual([]);
    expect(c.exemptions).toEqual(['s40(2)']);
  });
  it('reads "redacted" stored as missing (withheld) the same way as [0, open]', () => {
    const c = replyCoding(
      [...answeredText, v(Q2, { missing_reason: 'withheld' }), v(Q3, { low: 0, high: 0 })],
      ids,
      applies,
    );
    expect(c.answered).toEqual(ids);
  });
  it('is a refusal of the whole request when the reply withholds every count and answers nothing else', () => {
    const c = replyCoding(
      [
        ...[Q1, Q4, Q5].map((q) => v(q, { missing_reason: 'refused', exemptions: ['s40(2)'] })),
        v(Q2, { low: 0, high: null, exemptions: ['s40(2)'] }),
        v(Q3, { low: 0, high: null, exemptions: ['s40(2)'] }),
      ],
      ids,
      applies,
    );
    expect(c.refused).toEqual(ids);
    expect(statusOf([{ type: 'reply', date: '2024-04-05', ...c }])).toMatchObject({
      status: 'refused',
      exemptions: ['s40(2)'],
    });
  });
  it('refuses a yes/no question that is withheld: only counts are small numbers', () => {
    const c = replyCoding([v(Q1, { missing_reason: 'withheld' }), v(Q2, { low: 3, high: 3 })], ids, applies);
    expect(c.refused).toEqual([Q1]);
    expect(c.answered).toEqual([Q2]);
  });
});

describe('a question the reply restates but leaves without an answer', () => {
  it('makes the reply partial, never answered', () => {
    const c = replyCoding(
      [...answeredText.slice(0, 2), v(Q2, { low: 1, high: 1 }), v(Q3, { low: 1, high: 1 })],
      ids,
      applies,
      [Q5],
    );
    expect(c.unanswered).toEqual([Q5]);
    const r = statusOf([{ type: 'reply', date: '2024-04-05', ...c }]);
    expect(r.status).toBe('partial');
    expect(r.questions[Q5]).toBe('unanswered');
  });
  it('gives way to a value coded for the same question (a whole-letter refusal codes it refused)', () => {
    const c = replyCoding(
      ids.map((q) => v(q, { missing_reason: 'refused', exemptions: ['s12'] })),
      ids,
      applies,
      [Q1, Q2, Q3],
    );
    expect(c.unanswered).toEqual([]);
    expect(statusOf([{ type: 'reply', date: '2024-04-05', ...c }]).status).toBe('refused');
  });
  it('does not undo an answer another file of the same reply gave for it', () => {
    const r = statusOf([
      { type: 'reply', date: '2024-04-05', answered: ids },
      { type: 'reply', date: '2024-04-05', answered: [Q1, Q2, Q3, Q4], unanswered: [Q5] },
    ]);
    expect(r.status).toBe('answered');
  });
});

describe('a letter refusing some questions and answering others (s12 for some, figures for others)', () => {
  const line = (text: string, n: number) => ({ text, location: { page: 1, line: n } });
  const letter = (q5: string) =>
    codeLetter(
      [
        '1. Does the Trust accept referrals for children aged under two (0-23 months) into CAMHS?',
        'Response: Yes.',
        '2. How many referrals for children aged under two did the Trust receive in each of the financial years?',
        'Response:',
        '2021/22: 10',
        '2022/23: 7',
        '3. How many of those referrals were accepted (assessed or treated)?',
        'Response: Section 12(1) - establishing whether each referral was accepted would need a manual review',
        'of 297 case notes, which would exceed the appropriate limit of £450.',
        '4. Does the Trust host or commission a specialist parent-infant relationship team or service?',
        'Response: No.',
        '5. Which services received these referrals?',
        `Response: ${q5}`,
      ].map(line),
      { wave, sentDate: '2024-03-11' },
    );
  it('codes the refused questions refused with their section, and keeps the figures of the others', () => {
    const r = letter('Please see our response to question 3; the same exemption applies.');
    const refused = r.values.filter((x) => x.missingReason !== undefined && x.missingReason !== null);
    expect(refused.map((x) => [x.questionId, x.missingReason, x.exemptions])).toEqual([
      [Q3, 'refused', ['s12']],
      [Q5, 'refused', ['s12']],
    ]);
    // The 297 and the £450 of the refusal are no counts.
    expect(r.values.filter((x) => x.questionId === Q3 && x.interval !== null)).toEqual([]);
    expect(r.values.filter((x) => x.questionId === Q2 && x.interval !== null).map((x) => x.interval)).toEqual([
      { low: 10, high: 10 },
      { low: 7, high: 7 },
    ]);
    expect(r.textAnswers.map((t) => t.questionId)).toEqual([Q1, Q4]);
  });
  it('reads an answer followed by a note that the cost limit was not reached as an answer', () => {
    const r = letter(
      'CAMHS, Perinatal Mental Health Service. There is no charge (the appropriate limit of £450 was not reached).',
    );
    expect(r.values.some((x) => x.questionId === Q5)).toBe(false);
    expect(r.textAnswers.map((t) => t.questionId)).toContain(Q5);
  });
  it('codes one question said not to be held in other words as not held', () => {
    const r = letter('This item is not coded on our system.');
    expect(r.values.filter((x) => x.questionId === Q5).map((x) => x.missingReason)).toEqual(['not_held']);
  });
});

describe('a whole letter that holds nothing, or refuses under s21, in the words trusts use', () => {
  const line = (text: string, n: number) => ({ text, location: { page: 1, line: n } });
  const whole = (body: string[]) =>
    codeLetter(
      ['Northshire NHS Foundation Trust', '5 April 2024', 'Dear Requester,', ...body, 'Yours sincerely'].map(line),
      { wave, sentDate: '2024-03-11' },
    );
  const reasons = (r: ReturnType<typeof whole>) => [...new Set(r.values.map((x) => x.missingReason ?? 'value'))];
  it.each([
    'The Trust does not record the age of children at referral, so this information is not held.',
    'The information you have requested is not held by the Trust.',
    'We do not hold this information.',
    'No information is held on referrals of children in this age group.',
  ])('not held: %s', (sentence) => {
    const r = whole([sentence]);
    expect(reasons(r)).toEqual(['not_held']);
    expect(r.values.map((x) => x.questionId).sort()).toEqual([...ids].sort());
  });
  it('refuses under s21 when the figures are said to be published elsewhere', () => {
    const r = whole([
      'The information you have requested is reasonably accessible to you by other means, as it is published on our website.',
      'We are therefore not obliged to provide it under Section 21 of the Freedom of Information Act 2000.',
    ]);
    expect(reasons(r)).toEqual(['refused']);
    expect([...new Set(r.values.flatMap((x) => x.exemptions))]).toEqual(['s21']);
    const c = replyCoding(
      r.values.map((x) => v(x.questionId, { missing_reason: x.missingReason ?? null, exemptions: x.exemptions })),
      ids,
      applies,
    );
    expect(statusOf([{ type: 'reply', date: '2024-04-05', ...c }]).status).toBe('refused');
  });
});

describe('a reply forwarded under a short note', () => {
  it('reads the forwarded reply, dated by its own header, not the note above it', () => {
    const r = codeLetter(
      [
        'Hi all - forwarding the reply that went to my inbox by mistake. A.',
        '',
        '-----Original Message-----',
        'From: FOI Team <foi@trust.example.nhs.uk>',
        'Sent: 23 April 2024 14:02',
        'Subject: RE: Freedom of Information request - PIP-FOI-2024-021',
        'Q1. Yes, our CAMHS accept referrals for children under two.',
        'Q2. Referrals received for children aged 0-23 months:',
        '    2021/22 - 10',
        '    2022/23 - 14',
        'Q4. No.',
        'Kind regards',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, sentDate: '2024-03-11' },
    );
    expect(r.replyDate).toBe('2024-04-23');
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo])).toEqual([
      [Q1, true],
      [Q4, false],
    ]);
    expect(r.values.filter((x) => x.questionId === Q2).map((x) => x.interval)).toEqual([
      { low: 10, high: 10 },
      { low: 14, high: 14 },
    ]);
  });
});

describe('the questions restated as a list, then answered by number', () => {
  it('reads "Response to 1:", "Response to 2 and 3:" (a table) and leaves no question unanswered', () => {
    const lines = [
      'You asked:',
      '1. Does the Trust accept referrals for children aged under two (0-23 months) into CAMHS?',
      '2. How many referrals for children aged under two did the Trust receive in each of the financial years',
      '2021/22, 2022/23 and 2023/24 (to date)?',
      '3. How many of those referrals were accepted (assessed or treated)?',
      '4. Does the Trust host or commission a specialist parent-infant relationship team or service? If so, its',
      'name.',
      '5. Which services received these referrals?',
      'Response to 1: Yes.',
      'Response to 2 and 3: please see the table below (children aged 0-23 months at referral).',
      '2021/22 2022/23 2023/24 (to date)',
      'Referrals received 22 31 27',
      'Referrals accepted 18 25 20',
      'The 2023/24 figures are for 1 April 2023 to 29 February 2024.',
      'Response to 4',
      'No.',
      'Response to 5: Dorset CAMHS and the Perinatal Mental Health Service.',
    ];
    // The table's rows as the PDF reader places them in columns.
    const cells: Record<string, string[]> = {
      '2021/22 2022/23 2023/24 (to date)': ['', '2021/22', '2022/23', '2023/24 (to date)'],
      'Referrals received 22 31 27': ['Referrals received', '22', '31', '27'],
      'Referrals accepted 18 25 20': ['Referrals accepted', '18', '25', '20'],
    };
    const r = codeLetter(
      lines.map((text, i) => ({
        text,
        location: { page: 1, line: i + 1 },
        ...(cells[text] ? { cells: cells[text] } : {}),
      })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-09' },
    );
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo, a.text])).toEqual([
      [Q1, true, 'Yes.'],
      [Q4, false, 'No.'],
      [Q5, null, 'Dorset CAMHS and the Perinatal Mental Health Service.'],
    ]);
    expect(r.values.map((x) => [x.questionId, x.interval?.low])).toEqual([
      [Q2, 22],
      [Q2, 31],
      [Q2, 27],
      [Q3, 18],
      [Q3, 25],
      [Q3, 20],
    ]);
    expect(r.issues.filter((i) => i.code === 'answer_missing')).toEqual([]);
    // The note under the table decides the dates of the year it names.
    const last = r.values.filter((x) => x.period?.start === '2023-04-01');
    expect(last.map((x) => [x.period?.end, x.flags])).toEqual([
      ['2024-02-29', ['partial_period']],
      ['2024-02-29', ['partial_period']],
    ]);
  });
});

describe('an answer that says the figures are in an attachment', () => {
  it('is no "not held" statement, and a bare "Regards" ends the letter', () => {
    const r = codeLetter(
      [
        '1. Yes.',
        '2-3. The Trust does not hold an aggregate report; please find attached a record-level extract, one row per referral.',
        '4. No.',
        '5. Ealing CAMHS and the Perinatal service.',
        '',
        'Regards',
        'Freedom of Information Office',
        'West London NHS Trust, 1 Armstrong Way, Southall UB2 4SD',
      ].map((text, i) => ({ text, location: { line: i + 1 } })),
      { wave, sentDate: '2024-03-11' },
    );
    expect(r.values.filter((x) => x.missingReason === 'not_held')).toEqual([]);
    expect(r.textAnswers.find((a) => a.questionId === Q5)?.text).toBe('Ealing CAMHS and the Perinatal service.');
  });
});

describe('accepted counts listed "respectively"', () => {
  it('gives each period its count, in the order the periods were named', () => {
    const r = codeLetter(
      [
        'Response to questions 1 to 3: the Trust does accept referrals of children aged under two. Our CAMHS',
        'teams received 19 such referrals in 2021/22, 25 in 2022/23 and 21 in 2023/24; of these, 12, 17 and 15',
        'respectively were accepted for assessment or treatment.',
      ].map((text, i) => ({ text, location: { page: 1, line: i + 1 } })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-09' },
    );
    const of = (q: string) =>
      r.values.filter((x) => x.questionId === q).map((x) => [x.period?.label, x.interval?.low, x.suggestion]);
    expect(of(Q2)).toEqual([
      ['2021/22', 19, undefined],
      ['2022/23', 25, undefined],
      ['2023/24', 21, undefined],
    ]);
    expect(of(Q3).map(([p, n]) => [p, n])).toEqual([
      ['2021/22', 12],
      ['2022/23', 17],
      ['2023/24', 15],
    ]);
    // The quote stays the reply's own words.
    expect(r.values.every((x) => x.quote.includes('respectively'))).toBe(true);
  });
});

describe('counts withheld under s40(2) with no figure and no period', () => {
  it('codes each asked period [0, open], suppressed, and dates the letter by a labelled date in a line of references', () => {
    const r = codeLetter(
      [
        'Tees, Esk and Wear Valleys NHS Foundation Trust',
        'Our reference: 2024-0321 Your reference: PIP-FOI-2024-014 Date: 3 April 2024',
        '1. Does the Trust accept referrals for children aged under two?',
        'Yes.',
        '2. and 3. Numbers received and accepted in 2021/22, 2022/23 and 2023/24.',
        'The numbers in each year are very small. This information is therefore withheld under section 40(2) of the',
        'Freedom of Information Act (personal information).',
        '4. Does the Trust host a specialist parent-infant relationship team?',
        'No.',
      ].map((text, i) => ({ text, location: { page: 1, line: i + 1 } })),
      { wave, sentDate: '2024-03-11' },
    );
    expect(r.replyDate).toBe('2024-04-03');
    const counts = r.values.filter((x) => x.questionId === Q2 || x.questionId === Q3);
    expect(counts).toHaveLength(6);
    expect(
      counts.every((x) => x.interval?.low === 0 && x.interval.high === null && x.exemptions.includes('s40(2)')),
    ).toBe(true);
    expect(r.uncoded).toBe(0);
  });
});

describe('counts given "respectively" or all accepted, in the words of the seventh corpus', () => {
  const read = (texts: string[]) =>
    codeLetter(
      texts.map((text, i) => ({ text, location: { page: 1, line: i + 1 } })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-04-08' },
    );
  const counts = (r: ReturnType<typeof read>, q: string) =>
    r.values.filter((x) => x.questionId === q && x.interval !== null).map((x) => x.interval!.low);
  it.each([
    [
      'accepted listed respectively under their own question',
      [
        '2. Referrals received: 2021/22: 4; 2022/23: 5; 2023/24: 3.',
        '3. Of these, 3, 4 and 3 were accepted respectively.',
      ],
      [4, 5, 3],
      [3, 4, 3],
    ],
    [
      'all accepted, with the counts in brackets',
      [
        '2. Received: 2021/22: 7; 2022/23: 10; 2023/24: 12.',
        '3) All referrals received were accepted (7, 10 and 12 respectively).',
      ],
      [7, 10, 12],
      [7, 10, 12],
    ],
    [
      'all of these accepted, no count of its own',
      ['2. Received: 2021/22: 15; 2022/23: 18; 2023/24: 20.', '3. All of these referrals were accepted.'],
      [15, 18, 20],
      [15, 18, 20],
    ],
    [
      'counts and periods listed respectively in one sentence, all of which accepted',
      [
        'In answer to questions 1 to 3: yes; we received 17, 21 and 25 such referrals in 2021/22, 2022/23 and 2023/24 respectively, all of which were accepted.',
      ],
      [17, 21, 25],
      [17, 21, 25],
    ],
    [
      'a wrapped sentence, then the accepted counts respectively in a sentence of their own',
      [
        'Referrals received were 21 in 2021/22, 18 in 2022/23 and 25 in',
        '2023/24. The number accepted was 17, 15 and 20 respectively.',
      ],
      [21, 18, 25],
      [17, 15, 20],
    ],
  ])('%s', (_, texts, received, accepted) => {
    const r = read(texts);
    expect(counts(r, Q2)).toEqual(received);
    expect(counts(r, Q3)).toEqual(accepted);
  });
  it('never copies the received counts when the reply says not all were accepted', () => {
    const r = read(['2. Received: 2021/22: 15; 2022/23: 18.', '3. Not all of these referrals were accepted.']);
    expect(counts(r, Q3)).toEqual([]);
  });
});

describe('several answers on one line, and the office signing with no sign-off', () => {
  it('reads "Q4 - No. Q5 - CAMHS ..." as two answers and leaves the signature out of the last', () => {
    const r = codeLetter(
      [
        'Q1 - Yes.',
        'Q2 - 2021/22: 5; 2022/23: 8.',
        'Q4 - No. Q5 - CAMHS in Barnsley, Calderdale, Kirklees and Wakefield.',
        'Information Governance Team',
      ].map((text, i) => ({ text, location: { page: 1, line: i + 1 } })),
      { wave, sentDate: '2024-03-11' },
    );
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo, a.text])).toEqual([
      [Q1, true, 'Yes.'],
      [Q4, false, 'No.'],
      [Q5, null, 'CAMHS in Barnsley, Calderdale, Kirklees and Wakefield.'],
    ]);
  });
});

describe('headings and counts in the words of the eighth corpus', () => {
  const read = (texts: string[]) =>
    codeLetter(
      texts.map((text, i) => ({ text, location: { page: 1, line: i + 1 } })),
      { wave, sentDate: '2024-03-11', replyDate: '2024-05-20' },
    );
  const counts = (r: ReturnType<typeof read>, q: string) =>
    r.values.filter((x) => x.questionId === q && x.interval !== null).map((x) => [x.interval!.low, x.interval!.high]);
  it('reads "1 - Yes." headings and "in each of the years asked ... 2, 3 and 5 ... accepted all of them"', () => {
    const r = read([
      '1 - Yes.',
      '2 and 3 - In each of the years asked the Trust received 2, 3 and 5 referrals of children under',
      'two, and accepted all of them.',
      '4 - No.',
      '5 - CAMHS.',
    ]);
    expect(r.textAnswers.map((a) => [a.questionId, a.yesNo])).toEqual([
      [Q1, true],
      [Q4, false],
      [Q5, null],
    ]);
    expect(counts(r, Q2)).toEqual([
      [2, 2],
      [3, 3],
      [5, 5],
    ]);
    expect(counts(r, Q3)).toEqual(counts(r, Q2));
  });
  it('reads "2/3." over lines "2021–22: 6, of which <5 were accepted"', () => {
    const r = read([
      '1. Yes.',
      '2/3. Referrals for under-twos and how many were accepted:',
      '2021–22: 6, of which <5 were accepted',
      '2022–23: 8, of which 7 were accepted',
    ]);
    expect(counts(r, Q2)).toEqual([
      [6, 6],
      [8, 8],
    ]);
    expect(counts(r, Q3)).toEqual([
      [0, 4],
      [7, 7],
    ]);
  });
});
