import type ExcelJS from 'exceljs';

/** One cell's note: the cell ("C40"), its lines ("Please correct: ...") and the fill of its severity. */
export interface CellNote {
  cell: string;
  text: string;
  fill: string;
}

export const PRINTED_NOTES_HEADER = 'Our feedback';
const WIDTH = 42;
const MAX_COLUMNS = 16_384;

/**
 * Cell notes do not print from LibreOffice (its xlsx import drops pageSetup cellComments, and its PDF
 * export leaves notes out; checked with LibreOffice 7.4, 2026-12-08), so each note's text is also
 * written in a column of its own after the sheet's last column, on the row of its cell: it prints
 * with the sheet in Excel and LibreOffice alike, beside the answer it is about, and the sheet's fit to
 * the page width keeps it on the page. The column is headed "Our feedback" when the sheet's first row
 * is a header row. Rows grow to show the whole text (a template row has a fixed height).
 */
export function printNotesBeside(ws: ExcelJS.Worksheet, notes: readonly CellNote[]): void {
  if (notes.length === 0) return;
  const col = ws.columnCount + 1;
  // A sheet already styled out to Excel's last column (XFD) has no column after it: the notes stay notes.
  if (col > MAX_COLUMNS) return;
  const byRow = new Map<number, CellNote[]>();
  for (const n of notes) {
    const row = Number(/\d+$/.exec(n.cell)?.[0]);
    byRow.set(row, [...(byRow.get(row) ?? []), n]);
  }
  ws.getColumn(col).width = WIDTH;
  widenPrintArea(ws, ws.getColumn(col).letter);
  const first = ws.getRow(1);
  if (!byRow.has(1) && first.cellCount > 0 && first.actualCellCount > 0) {
    const head = ws.getCell(1, col);
    head.value = PRINTED_NOTES_HEADER;
    head.font = { ...(ws.getCell(1, col - 1).font ?? {}), bold: true };
    head.alignment = { wrapText: true, vertical: 'top' };
  }
  for (const [rowNo, here] of [...byRow].sort((a, b) => a[0] - b[0])) {
    const text = here.map((n) => (here.length > 1 ? `${n.cell}: ${n.text}` : n.text)).join('\n\n');
    const cell = ws.getCell(rowNo, col);
    cell.value = text;
    cell.alignment = { wrapText: true, vertical: 'top' };
    // In the typeface of the answer it is about (a cell with no font of its own prints in a default serif).
    cell.font = { ...(ws.getCell(here[0]!.cell).font ?? {}), bold: false, italic: false };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: here[0]!.fill } };
    const row = ws.getRow(rowNo);
    const lines = text.split('\n').reduce((sum, l) => sum + Math.max(1, Math.ceil(l.length / (WIDTH + 4))), 0);
    row.height = Math.max(row.height ?? 15, 12 * lines + 4);
  }
}

/** A sheet printed as a set range (`A1:D79`) prints the new column too: the range is widened to it. */
function widenPrintArea(ws: ExcelJS.Worksheet, letter: string): void {
  const area = ws.pageSetup.printArea;
  const m = area ? /^(\$?[A-Z]{1,3}\$?\d+):\$?([A-Z]{1,3})(\$?\d+)$/.exec(area) : null;
  if (!m) return;
  const wider = (a: string, b: string): boolean => a.length > b.length || (a.length === b.length && a > b);
  if (wider(letter, m[2]!)) ws.pageSetup.printArea = `${m[1]}:${letter}${m[3]}`;
}
