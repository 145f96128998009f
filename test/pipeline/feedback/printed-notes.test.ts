import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { annotatedWorkbook } from '../../../pipeline/feedback/annotate.ts';
import { PRINTED_NOTES_HEADER, printNotesBeside } from '../../../pipeline/feedback/printed-notes.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { FULL_2025 } from '../../support/returns-fixture.ts';
import { writeReturn } from '../../support/returns.ts';
import { RUN_LIBREOFFICE, resaveWithLibreOffice } from '../../support/libreoffice.ts';

const run = RUN_LIBREOFFICE ? it : it.skip;
const list = loadQuestionList(2025);
const head = { title: 'Feedback on your 2025 questionnaire return', lines: ['Team: Elm Team'] };
const LOTS = 'We could not read "lots" as an answer to "Families supported directly". Please give a number.';
const ISSUES = [
  {
    severity: 'error',
    sheet: 'Questionnaire',
    cell: 'C40',
    question: 'Families supported directly',
    where: 'Questionnaire!C40',
    message: LOTS,
  },
  {
    severity: 'warning',
    sheet: 'Staffing',
    cell: 'C3',
    question: 'Total staff (whole-time equivalent)',
    where: 'Staffing!C3',
    message: 'The staffing rows do not add up to your total staff (whole-time equivalent). Please check them.',
  },
];

async function feedbackFor(dir: string): Promise<string> {
  const path = await writeReturn(dir, 'elm.xlsx', list, { ...FULL_2025, families_supported: 'lots' });
  const bytes = await annotatedWorkbook(new Uint8Array(readFileSync(path)), head, ISSUES);
  const out = join(dir, 'elm-2025-feedback.xlsx');
  writeFileSync(out, bytes!);
  return out;
}

describe('the notes of a feedback workbook print', () => {
  it("writes each note's text in a column after the sheet's last, on its cell's row, headed Our feedback", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'census-notes-'));
    try {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync(await feedbackFor(dir)) as unknown as ArrayBuffer);
      const q = wb.getWorksheet('Questionnaire')!;
      // The template's Questionnaire sheet ends at column D (Notes): the feedback is column E.
      expect(q.getCell('D1').value).toBe('Notes');
      expect(q.getCell('E1').value).toBe(PRINTED_NOTES_HEADER);
      expect(q.getCell('E40').value).toBe(`Please correct: ${LOTS}`);
      expect(q.getCell('E40').alignment).toMatchObject({ wrapText: true });
      expect(q.getRow(40).height).toBeGreaterThanOrEqual(36);
      expect(String(q.getCell('C40').note)).toBe(`Please correct: ${LOTS}`);
      const s = wb.getWorksheet('Staffing')!;
      expect(String(s.getCell(3, s.columnCount).value)).toMatch(/^Please check: The staffing rows do not add up/);
      // Printed notes once, in the column: not again at the end of the sheet.
      expect(q.pageSetup.cellComments ?? 'None').toBe('None');
      // Sheets without issues are left as they were.
      expect(wb.getWorksheet('Instructions')!.getCell(1, 3).value ?? null).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("leaves a sheet that already reaches Excel's last column as it was (its notes stay notes)", () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Wide');
    ws.getCell('A1').value = 'x';
    ws.getCell(1, 16_384).value = 'last';
    printNotesBeside(ws, [{ cell: 'A1', text: 'Please check: x', fill: 'FFFFEB9C' }]);
    expect(ws.columnCount).toBe(16_384);
  });

  it('widens a print area set on the sheet, so the column prints', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Survey');
    ws.getCell('A1').value = 'Question';
    ws.getCell('B1').value = 'Answer';
    ws.getCell('B7').value = 'lots';
    ws.pageSetup.printArea = 'A1:B40';
    printNotesBeside(ws, [{ cell: 'B7', text: 'Please correct: x', fill: 'FFFFC7CE' }]);
    expect(ws.getCell('C7').value).toBe('Please correct: x');
    expect(ws.pageSetup.printArea).toBe('A1:C40');
    // As the file says it (the defined name Excel and LibreOffice print).
    const again = new ExcelJS.Workbook();
    await again.xlsx.load((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(again.getWorksheet('Survey')!.pageSetup.printArea).toMatch(/^\$?A\$?1:\$?C\$?40$/);
  });

  run('prints them from LibreOffice: the PDF shows the sentence beside the answer, on its sheet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'census-notes-pdf-'));
    try {
      const pdf = await resaveWithLibreOffice(await feedbackFor(dir), dir, 'pdf');
      const text = (page: number): Promise<string> =>
        promisify(execFile)('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdf, '-']).then(
          (r) => r.stdout,
        );
      const { stdout: info } = await promisify(execFile)('pdfinfo', [pdf]);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
      const all = await Promise.all(Array.from({ length: pages }, (_, i) => text(i + 1)));
      // Page 1 is the summary sheet; the sentence also prints on the Questionnaire's own page, on the
      // line of its question and answer.
      const own = all.slice(1).find((p) => /Families supported directly\s+lots/.test(p)) ?? '';
      expect(own).toMatch(/Families supported directly\s+lots\s+Please correct: We could not read "lots"/);
      expect(all.slice(1).join('\n')).toMatch(/Please check: The staffing rows do not add up/);
      expect(all.slice(1).join('\n')).toContain(PRINTED_NOTES_HEADER);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
