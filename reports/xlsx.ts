/**
 * tables.xlsx, laid out by the GSS/ONS guidance on releasing statistics in spreadsheets: a Cover
 * sheet (title, what the workbook holds, data period, release date, source, contact, the symbols
 * used), a Contents sheet, a Notes sheet of numbered notes that tables refer to ("[note 3]"), then one
 * table per sheet with a short meaningful name: title in A1, lines saying what the sheet holds,
 * its source and units, then the table (header row, numbers as numbers with thousands separators,
 * ranges as two columns, low and high). No merged cells, no blank rows inside a table, column widths
 * set. The same inputs give the same bytes: workbook dates are the data's date, and the zip entry
 * times exceljs stamps with the clock are rewritten by zip-stable.ts.
 */
import { headerFields, rowFields, type DataTable, type Field } from './csv.ts';
import { neutraliseFormula } from './disclosure.ts';
import { stabiliseZip } from './zip-stable.ts';

export const CREATOR = 'parent-infant-census';
const COVER_SHEET = 'Cover';
const CONTENTS_SHEET = 'Contents';
const NOTES_SHEET = 'Notes';

export interface WorkbookInput {
  readonly tables: readonly DataTable[];
  /** General notes, first on the Notes sheet. */
  readonly notes: readonly string[];
  /** The data's date: workbook created/modified and every zip entry time. */
  readonly date: Date;
  /** Cover sheet and the workbook's title property. */
  readonly cover?: Cover;
}

interface Cover {
  readonly title: string;
  /** What the workbook holds, in a sentence or two. */
  readonly about: string;
  readonly dataPeriod: string;
  readonly releaseDate: string;
  readonly source: string;
  readonly contact: string;
}

/** Explanations of every marker the writers can emit, so no cell is left unexplained (Cover sheet). */
export const MARKER_NOTES: readonly string[] = [
  '[c] confidential: withheld to protect small numbers or withheld by the source.',
  '[x] not available; in a (high) column it means the range has no upper bound (open above).',
  '[z] not applicable.',
  '[u] low reliability.',
  'A range is written as two columns, (low) and (high); an exact number has low = high.',
];

const SHEET_NAME = /^[A-Za-z0-9 _-]{1,31}$/;

/** "missing_answers" -> "Missing answers": the table's file name, readable as a sheet name. */
export function sheetName(name: string): string {
  const spaced = name.replace(/[_-]+/g, ' ').trim();
  return (spaced.charAt(0).toUpperCase() + spaced.slice(1)).slice(0, 31);
}

function checkNames(tables: readonly DataTable[]): void {
  const seen = new Set<string>([COVER_SHEET, CONTENTS_SHEET, NOTES_SHEET].map((n) => n.toLowerCase()));
  for (const t of tables) {
    if (!SHEET_NAME.test(t.name)) {
      throw new RangeError(`sheet name "${t.name}" must be 1-31 letters, digits, spaces, "-" or "_"`);
    }
    const name = sheetName(t.name).toLowerCase();
    if (seen.has(name)) throw new RangeError(`sheet name "${t.name}" is used twice`);
    seen.add(name);
  }
}

const BOLD = { bold: true } as const;
const TITLE_FONT = { bold: true, size: 14 } as const;
const WRAP = { wrapText: true, vertical: 'top' } as const;

/** Width in characters from the longest text of a column (header or cell), within 10..60. */
function widthOf(texts: readonly string[]): number {
  return Math.min(Math.max(...texts.map((t) => t.length + 2), 10), 60);
}

/** Thousands separators, and the decimals the column's numbers need (0 or 1 or more, never more than 3). */
function numberFormat(values: readonly Field[]): string | null {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (numbers.length === 0) return null;
  const decimals = Math.min(
    3,
    Math.max(0, ...numbers.map((n) => (Number.isInteger(n) ? 0 : (String(n).split('.')[1]?.length ?? 0)))),
  );
  return decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

const text = (t: string): string => neutraliseFormula(t);

export async function writeWorkbook(input: WorkbookInput): Promise<Buffer> {
  checkNames(input.tables);
  // exceljs costs ~300 ms to load, so it is loaded only when a workbook is written.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  const cover: Cover = input.cover ?? {
    title: 'Report tables',
    about: 'The tables of the report, one per sheet.',
    dataPeriod: '[x]',
    releaseDate: input.date.toISOString().slice(0, 10),
    source: '[x]',
    contact: '[x]',
  };
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = input.date;
  wb.modified = input.date;
  wb.title = cover.title;
  wb.subject = cover.about;

  // Notes: the general notes, then each table's notes once (a note shared by tables has one number).
  const noteNumbers = new Map<string, number>();
  const number = (note: string): number => {
    if (!noteNumbers.has(note)) noteNumbers.set(note, noteNumbers.size + 1);
    return noteNumbers.get(note)!;
  };
  input.notes.forEach(number);
  const tableNotes = input.tables.map((t) => (t.notes ?? []).map(number));
  const refs = (ns: readonly number[]): string => ns.map((n) => ` [note ${n}]`).join('');

  const coverSheet = wb.addWorksheet(COVER_SHEET);
  coverSheet.getColumn(1).width = 110;
  const coverRows: [string, boolean][] = [
    [cover.title, true],
    [cover.about, false],
    ['Data period', true],
    [cover.dataPeriod, false],
    ['Release date', true],
    [cover.releaseDate, false],
    ['Source', true],
    [cover.source, false],
    ['Contact', true],
    [cover.contact, false],
    ['Symbols and conventions used in the tables', true],
    ...MARKER_NOTES.map((m): [string, boolean] => [m, false]),
    ['Contents and notes', true],
    [
      'The Contents sheet lists every table; the Notes sheet explains the notes tables refer to as [note 1], [note 2] and so on.',
      false,
    ],
  ];
  coverRows.forEach(([t, heading], i) => {
    const row = coverSheet.addRow([text(t)]);
    row.alignment = WRAP;
    if (i === 0) row.font = TITLE_FONT;
    else if (heading) row.font = BOLD;
  });

  const contents = wb.addWorksheet(CONTENTS_SHEET);
  contents.addRow(['Contents']).font = TITLE_FONT;
  contents.addRow(['This worksheet contains one table. Select a sheet name to go to the table.']);
  contents.addRow(['Sheet name', 'Table title']).font = BOLD;
  for (const t of input.tables) {
    const name = sheetName(t.name);
    const row = contents.addRow([{ text: name, hyperlink: `#'${name}'!A1` }, text(t.title)]);
    row.getCell(1).font = { color: { argb: 'FF1D4F91' }, underline: true };
  }
  contents.getColumn(1).width = widthOf(['Sheet name', ...input.tables.map((t) => sheetName(t.name))]);
  contents.getColumn(2).width = widthOf(['Table title', ...input.tables.map((t) => t.title)]);

  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.addRow(['Notes']).font = TITLE_FONT;
  notes.addRow(['This worksheet contains one table. Tables refer to these notes by number, as [note 1].']);
  notes.addRow(['Note number', 'Note text']).font = BOLD;
  for (const [note, n] of noteNumbers) notes.addRow([`note ${n}`, text(note)]).getCell(2).alignment = WRAP;
  notes.getColumn(1).width = 14;
  notes.getColumn(2).width = 100;

  input.tables.forEach((table, ti) => {
    const sheet = wb.addWorksheet(sheetName(table.name));
    const headers = headerFields(table.columns);
    const rows = table.rows.map((r) => rowFields(table.columns, r));
    sheet.addRow([text(`${table.title}${refs(tableNotes[ti]!)}`)]).font = TITLE_FONT;
    sheet.addRow([
      rows.length === 0
        ? 'This worksheet contains one table, which has no rows (none).'
        : `This worksheet contains one table of ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}.${tableNotes[ti]!.length > 0 ? ' Notes are on the Notes sheet.' : ''}`,
    ]);
    sheet.addRow([text(`Source: ${cover.source}`)]);
    sheet.addRow([
      'Units: numbers of teams or trusts unless a column header says otherwise (% for percentages, WTE for whole-time equivalents). Symbols are explained on the Cover sheet.',
    ]);
    const header = sheet.addRow(headers.map(text));
    header.font = BOLD;
    header.alignment = WRAP;
    for (const r of rows) sheet.addRow(r.map((f) => (typeof f === 'string' ? text(f) : f)));
    headers.forEach((h, i) => {
      const column = sheet.getColumn(i + 1);
      const values = rows.map((r) => r[i]!);
      column.width = widthOf([h, ...values.map((v) => (typeof v === 'number' ? `${v},,` : v))]);
      const fmt = numberFormat(values);
      if (fmt) column.numFmt = fmt;
    });
  });
  const raw = await wb.xlsx.writeBuffer();
  return stabiliseZip(Buffer.from(raw as ArrayBuffer), input.date);
}
