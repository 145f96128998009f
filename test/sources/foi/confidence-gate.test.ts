import { describe, expect, it } from 'vitest';
import { loadFoiWave } from '../../../schemas/foi/index.ts';
import type { CodedValue } from '../../../schemas/foi.ts';
import { codeCount } from '../../../sources/foi/count.ts';
import { gateValues } from '../../../sources/foi/gate.ts';
import { codeLetter, type Line } from '../../../sources/foi/letter.ts';
import { aggregateRecords, recordWeakness, type RecordRow } from '../../../sources/foi/records.ts';
import { codeTable } from '../../../sources/foi/table.ts';
import { findLetterDate } from '../../../sources/foi/trust-hint.ts';

const wave = loadFoiWave(2024);
const ctx = { wave, sentDate: '2024-03-11', replyDate: '2024-04-02' };
/** Lines as a PDF gives them: cells split on wide gaps. */
const lines = (rows: (string | string[])[]): Line[] =>
  rows.map((r, i) =>
    typeof r === 'string'
      ? { text: r, location: { page: 1, line: i + 1 } }
      : { text: r.join(' '), cells: r, location: { page: 1, line: i + 1 } },
  );
const q2 = (vs: CodedValue[], period: string) =>
  vs.filter((v) => v.questionId === 'q2_referrals_under2' && v.askedPeriodId === period);
const shown = (vs: CodedValue[]) => vs.map((v) => [v.interval?.low, v.interval?.high, v.suggestion !== undefined]);

describe('the confidence gate in the readers', () => {
  it('rejoins a table header wrapped over several lines, so waits and under-18 totals are never counts', () => {
    const r = codeLetter(
      lines([
        '2. How many referrals for children aged under two did the Trust receive in each of the financial years?',
        'Response: the table gives all referrals for under 18s, then those aged 0-23 months.',
        ['Financial Year', 'All referrals'],
        '<18',
        'Referrals',
        '0-23 months',
        'Accepted',
        '0-23 months',
        'Shortest',
        'wait (days)',
        ['01/04/2021 to 31/03/2022', '13,933', '7', '5', '12'],
        ['01/04/2022 to 31/03/2023', '8,049', 'fewer than 5', 'fewer than 5', '2'],
        'Please note: where the number is between 1 and 4 it is shown as "fewer than 5".',
      ]),
      ctx,
    );
    const values = gateValues(r.values);
    expect(shown(q2(values, 'fy2021_22'))).toEqual([[7, 7, false]]);
    expect(q2(values, 'fy2021_22')[0]).toMatchObject({
      rule: 'table_header',
      evidence: expect.stringContaining('0-23'),
    });
    // The note decides what "fewer than 5" means.
    expect(shown(q2(values, 'fy2022_23'))).toEqual([[1, 4, false]]);
  });

  it('makes a value from a column no header ties among several only a suggestion', () => {
    const r = codeLetter(
      lines([
        '2. How many referrals for children aged under two did the Trust receive?',
        'Response:',
        ['FY22', '4,092', '25', '22'],
        ['FY23', '11,626', '16', '9'],
      ]),
      ctx,
    );
    const values = gateValues(r.values);
    expect(q2(values, 'fy2021_22').length).toBeGreaterThan(0);
    expect(q2(values, 'fy2021_22').every((v) => v.suggestion !== undefined)).toBe(true);
  });

  it('makes a count on a line holding more numbers than periods only a suggestion', () => {
    const r = codeLetter(
      lines(['2. How many referrals for children aged under two did the Trust receive?', 'Response: FY22 4,092 25']),
      ctx,
    );
    for (const v of q2(r.values, 'fy2021_22')) expect(v.suggestion).toMatch(/holds 2 numbers for 1 period/);
  });

  it('keeps a line with one count per period confirmed, suppression forms and ranges counted once', () => {
    const r = codeLetter(
      lines([
        '2. How many referrals for children aged under two did the Trust receive?',
        'Response: 2021/22: 1-4',
        '2022/23: fewer than 5',
        '2023/24 (to 29 February 2024): 12',
      ]),
      ctx,
    );
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[1, 4, false]]);
    expect(shown(q2(r.values, 'fy2022_23'))).toEqual([[0, 4, false]]);
    expect(q2(r.values, 'fy2023_24')[0]).toMatchObject({ rule: 'prose', interval: { low: 12, high: 12 } });
  });

  it('never reads the age of the youngest child as a count', () => {
    expect(codeCount('withheld The youngest child referred in this period was 6 weeks old').value).toMatchObject({
      interval: { low: 0, high: null },
      flags: ['suppressed'],
    });
    expect(codeCount('the youngest was 6 months').value).toBeNull();
  });

  it('reads a header with no cell over the row labels one column to the right', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const r = codeTable(
      [cells('2021/22', '2022/23', '2023/24'), cells('Number of referrals received', '6', '3', '2')],
      {
        wave,
        period: { sentDate: '2024-03-11' },
        notes: [],
      },
    );
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[6, 6, false]]);
    expect(shown(q2(r.values, 'fy2022_23'))).toEqual([[3, 3, false]]);
  });

  it('makes a row with a count split across cells ("6 | Less", "than 5") only a suggestion', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const r = codeTable([cells('2021/22', '2022/23', '2023/24'), cells('Number of referrals received', '6', 'Less')], {
      wave,
      period: { sentDate: '2024-03-11' },
      notes: [],
    });
    expect(q2(r.values, 'fy2021_22')[0]!.suggestion).toMatch(/\("Less"\) reads as no count/);
  });

  it('adds the bands 0-11 and 12-23 months as the under-two count; a share beside them ("0.05%") shifts nothing', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const r = codeTable(
      [
        cells(
          'Year',
          'Referrals aged 0-11 months',
          '% of all CAMHS referrals',
          'Referrals aged 12-23 months',
          '% of all CAMHS referrals',
        ),
        cells('2021/22', '2', '0.05%', '4', '0.10%'),
        cells('2022/23', '3', '0.07%', '5', '0.12%'),
      ],
      { wave, period: { sentDate: '2024-03-11' }, notes: [] },
    );
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[6, 6, false]]);
    expect(shown(q2(r.values, 'fy2022_23'))).toEqual([[8, 8, false]]);
    expect(q2(r.values, 'fy2021_22')[0]!.ageBand).toMatchObject({ months: [0, 23], exact: true });
  });

  it('adds quarters under years across ("Q1 (Apr-Jun)" ... "Q4"), each year its own sum; a blank quarter makes it a suggestion', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const opts = { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-09' }, notes: [] };
    const r = codeTable(
      [
        cells('Quarter', '2021/22', '2022/23', '2023/24'),
        cells('Q1 (Apr-Jun)', '2', '3', '4'),
        cells('Q2 (Jul-Sep)', '3', '', '1'),
        cells('Q3 (Oct-Dec)', '1', '2', '2'),
        cells('Q4 (Jan-Mar)', '4', '2', '1 (Jan-Feb)'),
      ],
      opts,
    );
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[10, 10, false]]);
    expect(shown(q2(r.values, 'fy2022_23'))).toEqual([[7, 7, true]]);
    expect(shown(q2(r.values, 'fy2023_24'))).toEqual([[8, 8, false]]);
    // Bare "Q1" ... under a "Quarter" header are quarters too; "Q2 | 12" under "Question" is question 2, never summed.
    const bare = codeTable(
      [
        cells('Quarter', '2021/22', '2022/23'),
        cells('Q1', '2', '3'),
        cells('Q2', '3', '4'),
        cells('Q3', '1', '2'),
        cells('Q4', '4', '2'),
      ],
      opts,
    );
    expect(shown(q2(bare.values, 'fy2021_22'))).toEqual([[10, 10, false]]);
    const questions = codeTable(
      [cells('Question', '2021/22', '2022/23'), cells('Q2', '12', '14'), cells('Q3', '10', '11')],
      opts,
    );
    expect(questions.values.some((v) => v.interval?.low === 22 || v.interval?.low === 25)).toBe(false);
  });

  it('adds quarters in a column of their own beside the years ("2021/22 | Q1 | 2 | 1"), a quarter "Not yet available" making the sum a suggestion (v9 corpus)', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const opts = { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-09' }, notes: [] };
    const rows = [cells('Financial year', 'Quarter', 'Referrals received (under 2)', 'Referrals accepted')];
    const data: [string, string, string, string][] = [
      ['2021/22', 'Q1', '2', '1'],
      ['2021/22', 'Q2', '3', '2'],
      ['2021/22', 'Q3', '1', '1'],
      ['2021/22', 'Q4', '4', '3'],
      ['2023/24', 'Q1', '4', '3'],
      ['2023/24', 'Q2', '6', '5'],
      ['2023/24', 'Q3', '2', '2'],
      ['2023/24', 'Q4', 'Not yet available', 'Not yet available'],
    ];
    const r = codeTable([...rows, ...data.map((d) => cells(...d))], opts);
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[10, 10, false]]);
    expect(shown(q2(r.values, 'fy2023_24'))).toEqual([[12, 12, true]]);
    const q3 = r.values.filter((v) => v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2021_22');
    expect(shown(q3)).toEqual([[7, 7, false]]);
    // The quarter column itself holds no counts.
    expect(r.issues.filter((i) => i.code === 'count_unreadable' && /^Q\d$/.test(String(i.raw ?? '')))).toEqual([]);
  });

  it('adds quarters named with their year ("Q1 2023/24" ... "Q4 2023/24"), and an empty column beside the table is no blank part (v11 corpus)', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const opts = { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-09' }, notes: [] };
    const data: [string, string, string][] = [
      ['Q1 2021/22', '2', '1'],
      ['Q2 2021/22', '3', '2'],
      ['Q3 2021/22', '1', '1'],
      ['Q4 2021/22', '4', '3'],
      ['Q1 2022/23', '3', '3'],
      ['Q2 2022/23', '2', '1'],
    ];
    const r = codeTable([cells('Quarter', 'Received', 'Accepted', ''), ...data.map((d) => cells(...d, ''))], opts);
    expect(shown(q2(r.values, 'fy2021_22'))).toEqual([[10, 10, false]]);
    const q3 = r.values.filter((v) => v.questionId === 'q3_accepted_under2' && v.askedPeriodId === 'fy2021_22');
    expect(shown(q3)).toEqual([[7, 7, false]]);
    expect(shown(q2(r.values, 'fy2022_23'))).toEqual([[5, 5, false]]);
  });

  it('takes the band of a spreadsheet table from the cell over its row labels ("Age 0-4 | 2021/22 | 2022/23") (v14 corpus)', () => {
    const at = { page: 1, line: 1 };
    const cells = (...t: string[]) => t.map((text) => ({ text, location: at }));
    const opts = { wave, period: { sentDate: '2024-03-11', replyDate: '2024-04-09' }, notes: [] };
    const r = codeTable(
      [
        cells('Age 0-4', '2021/22', '2022/23'),
        cells('Referrals received', '44', '52'),
        cells('Referrals accepted', '35', '41'),
      ],
      opts,
    );
    expect(r.values.map((v) => [v.interval?.low, v.flags.includes('band_mismatch')])).toEqual([
      [44, true],
      [52, true],
      [35, true],
      [41, true],
    ]);
  });

  it('does not count "Advice only" as accepted, and makes a count with unreadable outcomes only a suggestion', () => {
    const row = (outcome: string, n: number): RecordRow => ({
      referralDate: '2021-06-01',
      age: '5',
      ageUnit: 'months',
      outcome,
      location: { row: n },
    });
    const read = aggregateRecords([row('Accepted', 2), row('Advice only', 3), row('Signposted', 4)], wave.periods);
    expect(read.tallies[0]!.accepted).toEqual({ low: 1, high: 1 });
    expect(recordWeakness(read, read.tallies[0]!.accepted!)).toBeUndefined();
    const unclear = aggregateRecords([row('Accepted', 2), row('Pending review', 3)], wave.periods);
    expect(unclear.tallies[0]!.accepted).toEqual({ low: 1, high: 2 });
    expect(recordWeakness(unclear, unclear.tallies[0]!.accepted!)).toMatch(
      /1 rows have an outcome that could not be read/,
    );
  });

  it('makes every reading of a slot a suggestion when two readings of one reply disagree, and leaves agreeing ones', () => {
    const r = codeLetter(
      lines([
        '2. How many referrals for children aged under two did the Trust receive?',
        'Response: In 2021/22 we received 12 referrals.',
        'The total for 2021/22 was 14.',
        'In 2022/23 we received 5 referrals; in 2022/23 there were 5.',
      ]),
      ctx,
    );
    const values = gateValues(r.values);
    expect(shown(q2(values, 'fy2021_22'))).toEqual([
      [12, 12, true],
      [14, 14, true],
    ]);
    expect(q2(values, 'fy2022_23').every((v) => v.suggestion === undefined)).toBe(true);
  });
});

describe('status and date from what the reply says', () => {
  it('codes every question not held when the whole reply says so in other words', () => {
    const r = codeLetter(
      lines([
        'Dear Requester,',
        'Age at referral is not a field we record: this item is not coded on our system.',
        'Kind regards',
      ]),
      ctx,
    );
    expect(r.values.map((v) => [v.questionId, v.missingReason])).toEqual(wave.questions.map((q) => [q.id, 'not_held']));
  });

  it('finds the letter date however it is labelled, never a date inside a sentence', () => {
    expect(findLetterDate(['Date of response: 25/03/2024'])).toBe('2024-03-25');
    expect(findLetterDate(['Sent: Thursday, 9 May 2024 14:42'])).toBe('2024-05-09');
    expect(findLetterDate(['02/04/2024'])).toBe('2024-04-02');
    // As e-mail programs write the header of a saved message.
    expect(findLetterDate(['Sent: Fri 12/04/2024 10:15'])).toBe('2024-04-12');
    expect(findLetterDate(['Sent: Friday, April 12, 2024 2:15 PM'])).toBe('2024-04-12');
    expect(findLetterDate(['Sent: 12 Apr 2024 at 09.30'])).toBe('2024-04-12');
    expect(findLetterDate(['Date: Tue, 26 Mar 2024 10:12:00 +0000'])).toBe('2024-03-26');
    expect(findLetterDate(['25th March, 2024'])).toBe('2024-03-25');
    // A labelled date inside a line of references.
    expect(findLetterDate(['Our reference: 2024-0321   Your reference: PIP-FOI-2024-014   Date: 3 April 2024'])).toBe(
      '2024-04-03',
    );
    expect(findLetterDate(['We received your request dated 11 March 2024 and reply below.'])).toBeUndefined();
    expect(findLetterDate(['Cheshire and Wirral Partnership', 'Freedom of Information response, 16 April 2024'])).toBe(
      '2024-04-16',
    );
    expect(findLetterDate(['Response to your request received on 11 March 2024'])).toBeUndefined();
    // A date that opens a line of references (v11 corpus: six letters were dated the day of ingest).
    expect(findLetterDate(['1 April 2026         Ref: NSCHT FOI 1771          Your ref: PIP-FOI-2026-009'])).toBe(
      '2026-04-01',
    );
    expect(findLetterDate(['8 April 2026 | CNWL FOI 2026-1904'])).toBe('2026-04-08');
    expect(findLetterDate(['10 April 2026 - Reference FOI-OH-2026-133 - Your reference PIP-FOI-2026-016'])).toBe(
      '2026-04-10',
    );
    expect(findLetterDate(['14 April 2026 OX-FOI-2026-0284'])).toBe('2026-04-14');
    expect(findLetterDate(['31 March 2026     FOI 26-101'])).toBe('2026-03-31');
    expect(findLetterDate(['9 March 2026 we received your request for information.'])).toBeUndefined();
    // Our request quoted below a reply that has no date of its own: not the reply's date.
    expect(
      findLetterDate([
        'Dear Requester,',
        'Q1. Yes.',
        'Q2. 2021/22: 4',
        'Kind regards',
        '-----Original Message-----',
        'Sent: 11 March 2024 09:00',
      ]),
    ).toBeUndefined();
    // A reply forwarded under a short note: its own header dates it.
    expect(
      findLetterDate([
        'Forwarding the reply below. A.',
        '',
        '-----Original Message-----',
        'From: FOI',
        'Sent: 23 April 2024 14:02',
      ]),
    ).toBe('2024-04-23');
    expect(findLetterDate(['Thank you for your request received on 11 March 2024.'])).toBeUndefined();
  });
});
