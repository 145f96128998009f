import ExcelJS from 'exceljs';
import { addSummarySheet, keepValuesOnly, markCells } from './workbook.ts';
import type { FeedbackIssue } from './team-issue.ts';
import { sheetsFittedToPage } from './page-fit.ts';

/**
 * Runs in a parse worker (pipeline/runtime/isolate.ts), never on the command's own thread: the
 * team's workbook opened, its formulas replaced by their values, the issues marked on their cells
 * and the summary sheet added, returned as the bytes of the feedback workbook; null when exceljs
 * cannot open it (the caller then writes a summary workbook instead). Arguments and result are
 * structured-clonable.
 */
export async function annotatedWorkbook(
  bytes: Uint8Array,
  head: { title: string; lines: string[] },
  issues: FeedbackIssue[],
): Promise<Uint8Array | null> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return null;
  }
  // Fit to page as the team's file says, also when LibreOffice wrote it ("true", which exceljs drops).
  for (const name of sheetsFittedToPage(bytes)) {
    const ws = wb.getWorksheet(name);
    if (ws) ws.pageSetup.fitToPage = true;
  }
  keepValuesOnly(wb);
  const unplaced = markCells(wb, issues);
  const lines = [...head.lines, 'Each issue is also marked on its cell in your workbook, with a note and a colour.'];
  if (unplaced.length)
    lines.push(
      `${unplaced.length} issue(s) concern the file as a whole or a cell that could not be found; they are listed here only.`,
    );
  addSummarySheet(wb, { title: head.title, lines }, issues);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
