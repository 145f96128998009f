import { describe, expect, it } from 'vitest';
import { placeColumns, type PlacedItem, type PlacedLine } from '../../../sources/foi/pdf-table.ts';
import { codeTable } from '../../../sources/foi/table.ts';
import { WAVE_2024 } from '../../support/foi.ts';

/**
 * A PDF table put back into its columns by where its text sits: pdf.js items with x, y and width,
 * as pdf-parse splits them into lines (a blank cell leaves no item; a wrapped cell is two items on
 * two lines; a gap between cells is a whitespace item).
 */

const item = (str: string, x: number, y: number, w = str.length * 5): PlacedItem => ({ str, x, y, w });
const gap = (x: number, y: number): PlacedItem => item(' ', x, y, 10);
let n = 0;
function line(...items: PlacedItem[]): PlacedLine {
  n += 1;
  const text = items.map((i) => i.str).join('');
  // As the PDF reader makes a line: a whitespace item between two runs of text is a gap between cells.
  const cells = items
    .map((i) => (i.str.trim() === '' ? '\u0000' : i.str))
    .join('')
    .split('\u0000')
    .filter((c) => c !== '');
  return { line: { text, location: { page: 1, line: n }, ...(cells.length >= 2 ? { cells } : {}) }, items };
}
// Header: three years over columns at x 395, 442, 489 (each 34 wide); labels start at x 65.
const header = () =>
  line(
    item('2021/22', 395, 581, 34),
    gap(429, 581),
    item('2022/23', 442, 581, 34),
    gap(476, 581),
    item('2023/24', 489, 581, 34),
  );
const label = (t: string, y: number) => item(t, 65, y, 200);

describe('placeColumns (PDF table cells by position)', () => {
  it('puts a number after a blank cell under its own column, not shifted left', () => {
    n = 0;
    const out = placeColumns([
      header(),
      line(label('Number accepted', 530), gap(265, 530), item('4', 442, 530, 5), gap(447, 530), item('9', 489, 530, 5)),
      line(item('Yours faithfully,', 65, 480, 80)),
    ]);
    expect(out[1]!.cells).toEqual(['Number accepted', '', '4', '9']);
    expect(out[1]!.weak).toBeUndefined();
    expect(out[2]!.text).toBe('Yours faithfully,');
  });

  it('reads a row with no label under a header of years as the counts of the question it answers ("Less than 5 | 20 | 18")', () => {
    n = 0;
    const out = placeColumns([
      header(),
      line(
        item('Less than 5', 396, 560, 40),
        gap(436, 560),
        item('20', 444, 560, 10),
        gap(454, 560),
        item('18', 490, 560, 10),
      ),
      line(item('Question 3: How many of those referrals were accepted?', 65, 540, 300)),
    ]);
    expect(out.map((l) => l.cells ?? l.text)).toEqual([
      ['2021/22', '2022/23', '2023/24'],
      ['', 'Less than 5', '20', '18'],
      'Question 3: How many of those referrals were accepted?',
    ]);
    expect(out[1]!.weak).toBeUndefined();
    // A line of years under a header is no row of counts.
    n = 0;
    const years = placeColumns([header(), line(item('2022/23', 396, 560, 34), gap(430, 560), item('7', 444, 560, 5))]);
    expect(years.map((l) => l.cells ?? l.text)).toEqual([
      ['2021/22', '2022/23', '2023/24'],
      ['2022/23', '7'],
    ]);
  });

  it('joins a multi-word cell wrapped over two lines and takes a cell pdf.js put on a later line back into its row', () => {
    n = 0;
    const out = placeColumns([
      header(),
      line(
        label('Referrals received', 530),
        gap(265, 530),
        item('6', 395, 530, 5),
        gap(400, 530),
        item('Less', 442, 530, 20),
      ),
      line(item('than 5', 442, 519, 26)),
      line(item('7', 489, 530, 5)),
      line(item('* 2023/24 to 10 March 2024, the date of the request.', 62, 471, 300)),
    ]);
    expect(out.map((l) => l.cells ?? l.text)).toEqual([
      ['2021/22', '2022/23', '2023/24'],
      ['Referrals received', '6', 'Less than 5', '7'],
      '* 2023/24 to 10 March 2024, the date of the request.',
    ]);
    // The row keeps the location of the line its label is on.
    expect(out[1]!.location).toEqual({ page: 1, line: 2 });
  });

  it('marks the row weak when a cell sits under no column, so a person places it', () => {
    n = 0;
    const out = placeColumns([
      header(),
      line(
        label('Referrals received', 530),
        gap(265, 530),
        item('6', 395, 530, 5),
        gap(400, 530),
        item('12', 530, 530, 10),
      ),
    ]);
    expect(out[1]!.weak).toMatch(/"12" sits under no column/);
  });

  it('leaves a table whose rows already have a cell in every column, and the lines around it, as they were', () => {
    n = 0;
    const lines = [
      line(item('Dear Sir,', 65, 600, 40)),
      header(),
      line(
        label('Referrals received', 530),
        gap(265, 530),
        item('6', 395, 530, 5),
        gap(400, 530),
        item('3', 442, 530, 5),
        gap(447, 530),
        item('2', 489, 530, 5),
      ),
      line(item('Note: figures are for the whole Trust and all of its services in each year.', 65, 500, 330)),
    ];
    expect(placeColumns(lines)).toEqual(lines.map((l) => l.line));
  });

  it('does not make a table of header-like text with no counts under it', () => {
    n = 0;
    const lines = [
      line(item('Our ref', 65, 700, 30), gap(95, 700), item('Your ref', 395, 700, 30)),
      line(item('Yes.', 65, 680, 20)),
    ];
    expect(placeColumns(lines)).toEqual(lines.map((l) => l.line));
  });

  it('reads a table under its own header, not under a "label: value" line above it (a letter\'s reference line)', () => {
    n = 0;
    // "FOI reference: X   Your reference: Y", the greeting and a heading, then a table whose columns
    // "Referrals" and "Accepted" would both sit under "Your reference:" if that line were a header.
    const out = placeColumns([
      line(
        item('FOI reference: SWYPFT FOI 4120', 56, 707, 160),
        gap(216, 707),
        item('Your reference: PIP-FOI-2024-015', 224, 707, 159),
      ),
      line(item('Dear Parent-Infant Research,', 56, 687, 130)),
      line(item('Question 2 / Question 3', 56, 650, 120)),
      line(
        item('Year', 59, 630, 20),
        gap(79, 630),
        item('Referrals', 179, 630, 45),
        gap(224, 630),
        item('Accepted', 299, 630, 43),
      ),
      line(
        item('21/22', 59, 612, 25),
        gap(84, 612),
        item('15 *', 179, 612, 20),
        gap(199, 612),
        item('15 *', 299, 612, 20),
      ),
      line(item('22/23', 59, 594, 25), gap(84, 594), item('9', 179, 594, 5), gap(184, 594), item('8', 299, 594, 5)),
    ]);
    expect(out.map((l) => l.text)).toEqual([
      'FOI reference: SWYPFT FOI 4120 Your reference: PIP-FOI-2024-015',
      'Dear Parent-Infant Research,',
      'Question 2 / Question 3',
      'Year Referrals Accepted',
      '21/22 15 * 15 *',
      '22/23 9 8',
    ]);
    expect(out.every((l) => l.weak === undefined)).toBe(true);
    expect(out[4]!.cells).toEqual(['21/22', '15 *', '15 *']);
  });

  it('codes the placed row: a blank cell is no value and the counts after it keep their years', () => {
    n = 0;
    const out = placeColumns([
      header(),
      line(
        label('Number accepted (assessed or treated)', 530),
        gap(265, 530),
        item('Less', 442, 530, 20),
        gap(462, 530),
        item('5', 489, 530, 5),
      ),
      line(item('than 5', 442, 519, 26)),
    ]);
    const rows = out.map((l) => (l.cells ?? [l.text]).map((text) => ({ text, location: l.location })));
    const r = codeTable(rows, { wave: WAVE_2024, period: { sentDate: WAVE_2024.sentDate }, notes: [] });
    expect(
      r.values.map((v) => [v.questionId, v.askedPeriodId, v.interval?.low, v.interval?.high, v.suggestion ?? null]),
    ).toEqual([
      ['q3_accepted_under2', 'fy2022_23', 0, 4, null],
      ['q3_accepted_under2', 'fy2023_24', 5, 5, null],
    ]);
  });
});

describe('a period label with a footnote marker', () => {
  it('takes the dates of its note ("2023/24*" with "* 2023/24 to 10 March 2024") and flags a part year', () => {
    const at = { page: 1, line: 1 };
    const rows = [
      ['', '2022/23', '2023/24*'],
      ['Referrals received', '8', '7'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const r = codeTable(rows, {
      wave: WAVE_2024,
      period: { sentDate: WAVE_2024.sentDate, replyDate: '2024-04-20' },
      notes: ['* 2023/24 to 10 March 2024. Figures for 2021/22 are not available.'],
    });
    const v = r.values.find((x) => x.askedPeriodId === 'fy2023_24')!;
    expect([v.period?.start, v.period?.end, v.flags, v.interval]).toEqual([
      '2023-04-01',
      '2024-03-10',
      ['partial_period'],
      { low: 7, high: 7 },
    ]);
  });

  it("keeps the label's own period when the note is about another marker or another year", () => {
    const at = { page: 1, line: 1 };
    const rows = [
      ['', '2022/23', '2023/24*'],
      ['Referrals received', '8', '7'],
    ].map((r) => r.map((text) => ({ text, location: at })));
    const r = codeTable(rows, {
      wave: WAVE_2024,
      period: { sentDate: WAVE_2024.sentDate, replyDate: '2024-04-20' },
      notes: ['** 2022/23 to 10 March 2023.', '* 2022/23 to 10 March 2023.'],
    });
    expect(r.values.find((x) => x.askedPeriodId === 'fy2023_24')!.period?.end).toBe('2024-03-31');
  });
});
