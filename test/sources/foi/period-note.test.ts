import { describe, expect, it } from 'vitest';
import { periodNotes } from '../../../sources/foi/period-note.ts';

describe('a note that says what dates a year covers', () => {
  it.each([
    ['The 2023/24 figures are for 1 April 2023 to 29 February 2024.', '2023-04-01', '2024-02-29'],
    ['Data for 2023-24 covers 01/04/2023 - 31/01/2024', '2023-04-01', '2024-01-31'],
    [
      'Please note the 2023/24 referrals relate to the period 1st April 2023 to 10th March 2024.',
      '2023-04-01',
      '2024-03-10',
    ],
  ])('%s', (text, start, end) => {
    expect(periodNotes([text])).toEqual([{ yearStart: '2023-04-01', start, end, quote: text }]);
  });
  it.each([
    // v9 corpus: a year written FY23/24; a year running to a day; a covering e-mail naming no year.
    ['FY23/24 covers 1 April 2023 to 31 March 2024.', '2023-04-01', '2024-03-31'],
    ['*2023/24 figures are to 29 February 2024.', '2023-04-01', '2024-02-29'],
    ['Please note the figures are for 1 April 2023 to 31 January 2024.', '2023-04-01', '2024-01-31'],
  ])('%s', (text, start, end) => {
    expect(periodNotes([text])).toEqual([{ yearStart: '2023-04-01', start, end, quote: text }]);
  });
  it('reads a span of several years as notes for the year it starts in and the year it ends in', () => {
    const text = 'The extract lists referrals received between 1 April 2021 and 29 February 2024.';
    expect(periodNotes([text]).map((n) => [n.yearStart, n.start, n.end])).toEqual([
      ['2021-04-01', '2021-04-01', '2022-03-31'],
      ['2023-04-01', '2023-04-01', '2024-02-29'],
    ]);
  });
  it('reads no note from dates outside the year, a request date, or a year alone', () => {
    expect(periodNotes(['The 2023/24 figures are for 1 April 2022 to 29 February 2024.'])).toEqual([]);
    expect(periodNotes(['We received your request of 11 March 2024.'])).toEqual([]);
    expect(periodNotes(['2023/24: 27'])).toEqual([]);
  });
});
