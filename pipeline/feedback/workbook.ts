import ExcelJS from 'exceljs';
import { teamNeed, type FeedbackIssue } from './team-issue.ts';
import { printNotesBeside, type CellNote } from './printed-notes.ts';

const FILL: Record<string, string> = { error: 'FFFFC7CE', warning: 'FFFFEB9C', info: 'FFDDEBF7' };
const SUMMARY_NAME = 'Feedback';

/**
 * Marks each issue on its cell of the team's own workbook: a note with the message and a fill by
 * severity, and the note's text in a printed column beside the answers (./printed-notes.ts). The fill
 * also keeps an empty cell (a missing answer) in the file, so its note survives.
 * Returns the issues whose sheet or cell could not be found, which the summary still lists.
 */
export function markCells(wb: ExcelJS.Workbook, issues: FeedbackIssue[]): FeedbackIssue[] {
  const unplaced: FeedbackIssue[] = [];
  const notes = new Map<string, { ws: ExcelJS.Worksheet; cell: string; lines: string[]; severity: string }>();
  const rank = (s: string): number => ['info', 'warning', 'error'].indexOf(s);
  for (const i of issues) {
    const ws = i.sheet ? wb.getWorksheet(i.sheet) : undefined;
    if (!ws || !i.cell || !/^[A-Z]{1,3}[1-9]\d{0,6}$/.test(i.cell)) {
      unplaced.push(i);
      continue;
    }
    const key = `${ws.name}!${i.cell}`;
    const n = notes.get(key) ?? { ws, cell: i.cell, lines: [], severity: 'info' };
    n.lines.push(`${teamNeed(i.severity)}: ${i.message}`);
    if (rank(i.severity) > rank(n.severity)) n.severity = i.severity;
    notes.set(key, n);
  }
  const printed = new Map<ExcelJS.Worksheet, CellNote[]>();
  for (const n of notes.values()) {
    const cell = n.ws.getCell(n.cell);
    const fill = FILL[n.severity] ?? FILL.info!;
    cell.note = n.lines.join('\n\n');
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    printed.set(n.ws, [...(printed.get(n.ws) ?? []), { cell: n.cell, text: n.lines.join('\n'), fill }]);
  }
  // The note's text also in a printed column beside the answers: LibreOffice prints no notes.
  for (const [ws, list] of printed) printNotesBeside(ws, list);
  return unplaced;
}

/**
 * Replaces every formula in the team's workbook by the value it last showed (its cached result), so
 * the feedback copy computes nothing when opened: no live formulas (WEBSERVICE, HYPERLINK, links to
 * other files) travel back from census, and what the team sees is what census read. A formula with
 * no cached result becomes an empty cell. Returns how many formulas were replaced.
 */
export function keepValuesOnly(wb: ExcelJS.Workbook): number {
  let replaced = 0;
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const v = cell.value as unknown;
        if (v === null || typeof v !== 'object' || v instanceof Date) return;
        if (!('formula' in v || 'sharedFormula' in v)) return;
        const result = (v as { result?: unknown }).result;
        cell.value =
          result === undefined ||
          (typeof result === 'object' && result !== null && !(result instanceof Date) && !('error' in result))
            ? null
            : (result as ExcelJS.CellValue);
        replaced += 1;
      });
    });
  }
  return replaced;
}

/** Adds the summary sheet and puts it first, so it is what the team sees on opening the file. */
export function addSummarySheet(
  wb: ExcelJS.Workbook,
  head: { title: string; lines: string[] },
  issues: FeedbackIssue[],
): ExcelJS.Worksheet {
  let name = SUMMARY_NAME;
  for (let n = 2; wb.getWorksheet(name); n++) name = `${SUMMARY_NAME} ${n}`;
  const ws = wb.addWorksheet(name);
  // exceljs orders sheets by orderNo (not in its typings); below every existing one = first.
  const lowest = Math.min(
    0,
    ...wb.worksheets.filter((w) => w !== ws).map((w) => (w as unknown as { orderNo: number }).orderNo),
  );
  (ws as unknown as { orderNo: number }).orderNo = lowest - 1;
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];
  // The Where column as wide as its longest reference (Questionnaire!C40 whole on one line), within reason.
  const whereWidth = Math.min(30, Math.max(16, ...issues.map((i) => i.where.length + 2)));
  ws.columns = [{ width: 16 }, { width: 34 }, { width: whereWidth }, { width: 72 }];
  ws.addRow([head.title]).font = { bold: true, size: 14 };
  for (const l of head.lines) {
    const r = ws.addRow([l]);
    ws.mergeCells(r.number, 1, r.number, 4);
    r.alignment = { wrapText: true, vertical: 'top' };
    r.height = 15 * Math.max(1, Math.ceil(l.length / 130)) + 2;
  }
  ws.addRow([]);
  const header = ws.addRow(['', 'Question', 'Where', 'What we found']);
  header.font = { bold: true };
  const headerRow = header.number;
  for (const i of issues) {
    const row = ws.addRow([teamNeed(i.severity), i.question || '(the file as a whole)', i.where, i.message]);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.height = 15 * Math.max(1, Math.ceil(i.message.length / 78), Math.ceil((i.question || '').length / 36)) + 2;
    row.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[i.severity] ?? FILL.info! } };
  }
  // One page: the summary is what a team prints and reads first.
  ws.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 1,
    printTitlesRow: `${headerRow}:${headerRow}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow }];
  if (issues.length === 0) ws.addRow(['No issues.']);
  return ws;
}

/** A workbook with the summary sheet only: for a survey export (one file, many teams) or an unreadable copy. */
export function summaryWorkbook(
  head: { title: string; lines: string[] },
  issues: FeedbackIssue[],
  created: Date,
): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.created = created;
  wb.modified = created;
  wb.creator = 'census';
  addSummarySheet(wb, head, issues);
  return wb;
}
