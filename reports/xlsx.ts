/**
 * tables.xlsx: a "Notes" sheet, then one sheet per table; numbers as numbers, ranges as two columns
 * (low, high). The same inputs give the same bytes: workbook dates are the data's date, and the zip
 * entry times exceljs stamps with the clock are rewritten by zip-stable.ts.
 */
import { headerFields, rowFields, type DataTable } from './csv.ts';
import { neutraliseFormula } from './disclosure.ts';
import { stabiliseZip } from './zip-stable.ts';

export const CREATOR = 'parent-infant-census';
const NOTES_SHEET = 'Notes';

export interface WorkbookInput {
  readonly tables: readonly DataTable[];
  /** General notes, printed first on the Notes sheet. */
  readonly notes: readonly string[];
  /** The data's date: workbook created/modified and every zip entry time. */
  readonly date: Date;
}

/** Explanations of every marker the writers can emit, so no cell is left unexplained. */
export const MARKER_NOTES: readonly string[] = [
  '[c] confidential: withheld to protect small numbers or withheld by the source.',
  '[x] not available; in a (high) column it means the range has no upper bound (open above).',
  '[z] not applicable.',
  '[u] low reliability.',
  'A range is written as two columns, (low) and (high); an exact number has low = high.',
];

const SHEET_NAME = /^[A-Za-z0-9 _-]{1,31}$/;

function checkNames(tables: readonly DataTable[]): void {
  const seen = new Set<string>([NOTES_SHEET.toLowerCase()]);
  for (const t of tables) {
    if (!SHEET_NAME.test(t.name)) {
      throw new RangeError(`sheet name "${t.name}" must be 1-31 letters, digits, spaces, "-" or "_"`);
    }
    if (seen.has(t.name.toLowerCase())) throw new RangeError(`sheet name "${t.name}" is used twice`);
    seen.add(t.name.toLowerCase());
  }
}

// Widths from the header text alone, so they do not depend on data or on a font measurement.
function width(header: string): number {
  return Math.min(Math.max(header.length + 2, 10), 60);
}

export async function writeWorkbook(input: WorkbookInput): Promise<Buffer> {
  checkNames(input.tables);
  // exceljs costs ~300 ms to load, so it is loaded only when a workbook is written.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = CREATOR;
  wb.lastModifiedBy = CREATOR;
  wb.created = input.date;
  wb.modified = input.date;

  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ header: 'Note', width: 120 }];
  notes.getRow(1).font = { bold: true };
  const noteLines = [
    ...input.notes,
    ...MARKER_NOTES,
    ...input.tables.flatMap((t) => (t.notes ?? []).map((n) => `${t.title}: ${n}`)),
  ];
  for (const line of noteLines) notes.addRow([neutraliseFormula(line)]);

  for (const table of input.tables) {
    const sheet = wb.addWorksheet(table.name);
    const headers = headerFields(table.columns);
    sheet.addRow([neutraliseFormula(table.title)]).font = { bold: true };
    sheet.addRow(headers.map(neutraliseFormula)).font = { bold: true };
    headers.forEach((h, i) => {
      sheet.getColumn(i + 1).width = width(h);
    });
    for (const row of table.rows) sheet.addRow(rowFields(table.columns, row));
  }
  const raw = await wb.xlsx.writeBuffer();
  return stabiliseZip(Buffer.from(raw as ArrayBuffer), input.date);
}
