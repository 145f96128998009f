import type { GridCell } from './grid.ts';
import { parseDateCell } from './records.ts';

/**
 * The date of a reply sent as a spreadsheet or csv, read only from a labelled cell near the top of a
 * sheet: a row of two cells ("Response date | 05/04/2024", "Date of response: | 12/04/2024") or one cell
 * holding label and date ("FOI 24/0522 - response date 08/04/2024 - requester ref ..."). Never a date
 * inside the table of counts or of referrals (a "Date of referral" column, a month down the rows): the
 * scan stops at the first row of figures, and a bare "Date" or "Sent" counts only at the start of a cell,
 * so "request sent 11/03/2024" inside a sentence is not the reply's date. A date before the request was
 * sent cannot be the reply's: it is left out, and the reply is dated as if it had none (said as an issue).
 * Below the table only a note that names the reply's date counts ("Response date: 12 April 2024.").
 */

/** Rows of a sheet looked at: a reply's heading block, above its table. */
const TOP_ROWS = 10;
const DATE =
  '(\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)?[ -][A-Za-z]{3,9}\\.?,?[ -]\\d{4})(?![\\d/])';
/** A cell that is only a label: its date is in the next cell of the row. */
const LABEL =
  /^(?:date(?:\s+of\s+(?:response|reply|letter))?|(?:response|reply|letter)\s+date|date\s+(?:sent|responded)|sent(?:\s+on)?|dated)\s*:?$/i;
/** Label and date in one cell, the label anywhere after a separator: only labels that name the reply. */
const IN_CELL = new RegExp(
  `(?:^|[\\s,;:|(\\u2013\\u2014-])(?:date\\s+of\\s+(?:response|reply|letter)|(?:response|reply|letter)\\s+date|dated)\\s*:?\\s*${DATE}`,
  'i',
);
/** Below the table: a label that names the reply itself ("Response date: 12 April 2024"), never "dated". */
const BELOW = new RegExp(
  `(?:^|[\\s,;:|(])(?:date\\s+of\\s+(?:response|reply|letter)|(?:response|reply|letter)\\s+date)\\s*:?\\s*${DATE}`,
  'i',
);
/** Label and date in one cell, a bare "Date" or "Sent" at its start: "Date: 05/04/2024". */
const AT_START = new RegExp(`^\\s*(?:date(?:\\s+sent)?|sent(?:\\s+on)?)\\s*:?\\s*${DATE}`, 'i');
const WHOLE = new RegExp(`^\\s*${DATE}\\s*$`, 'i');
/** A row of the table: a cell after the first that is a count. */
const FIGURE = /^[<>~]?\s*\d+(?:[.,]\d+)?$/;

function parsed(text: string): string | null {
  return parseDateCell(
    text
      .replace(/(\d)(?:st|nd|rd|th)\b/i, '$1')
      .replace(/,/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

function cellDate(c: GridCell): string | null {
  if (c.value instanceof Date) return parseDateCell(c.value);
  // An Excel date kept as its serial number (a cell with no date format).
  if (typeof c.value === 'number') return parseDateCell(c.value);
  const m = WHOLE.exec(c.text);
  return m ? parsed(m[1]!) : null;
}

/** The labelled reply date of one sheet's rows (YYYY-MM-DD), or undefined. */
export function labelledSheetDate(rows: readonly (readonly GridCell[])[], sentDate: string): string | undefined {
  for (const row of rows.slice(0, TOP_ROWS)) {
    const filled = row.filter((c) => c.text !== '');
    if (filled.length === 0) continue;
    let found: string | null = null;
    if (filled.length === 2 && LABEL.test(filled[0]!.text.trim())) found = cellDate(filled[1]!);
    if (found === null && filled.length === 1) {
      const m = AT_START.exec(filled[0]!.text) ?? IN_CELL.exec(filled[0]!.text);
      if (m) found = parsed(m[1]!);
    }
    if (found !== null) return found >= sentDate ? found : undefined;
    if (filled.slice(1).some((c) => typeof c.value === 'number' || FIGURE.test(c.text))) break;
  }
  // Below the table, a note that names the reply's date ("Response date: 12 April 2024. Q1 yes; ..."): only
  // a label that says so (response date, date of response), never a bare "Date" or "dated".
  for (const row of rows) {
    const filled = row.filter((c) => c.text !== '');
    if (filled.length !== 1) continue;
    const m = BELOW.exec(filled[0]!.text);
    const found = m ? parsed(m[1]!) : null;
    if (found !== null) return found >= sentDate ? found : undefined;
  }
  return undefined;
}
