import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotatedWorkbook } from '../../../pipeline/feedback/annotate.ts';
import { sheetsFittedToPage } from '../../../pipeline/feedback/page-fit.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { buildTemplate } from '../../../sources/questionnaire/template.ts';
import { RUN_LIBREOFFICE, resaveWithLibreOffice } from '../../support/libreoffice.ts';

const run = RUN_LIBREOFFICE ? it : it.skip;
const CREATED = new Date('2025-01-15T00:00:00Z');
const ISSUE = {
  severity: 'error',
  sheet: 'Questionnaire',
  cell: 'C40',
  question: 'Families supported directly',
  where: 'Questionnaire!C40',
  message: 'We could not read "lots" as an answer to "Families supported directly".',
};
const head = { title: 'Feedback on your 2025 questionnaire return', lines: ['Team: Elm Team'] };

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

describe('feedback copies keep the fit to page of the team file', () => {
  it('reads the sheets set to fit their page from the file itself (exceljs writes "1")', async () => {
    const bytes = new Uint8Array(await buildTemplate(loadQuestionList(2025), { created: CREATED }).xlsx.writeBuffer());
    expect([...sheetsFittedToPage(bytes)].sort()).toEqual(['Instructions', 'Questionnaire', 'Staffing']);
    expect(sheetsFittedToPage(new Uint8Array(Buffer.from('not a zip')))).toEqual(new Set());
  });

  run(
    'a return saved by LibreOffice ("true", which exceljs alone reads as false) still prints fitted to the page width',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'census-fit-'));
      try {
        const template = join(dir, 'return.xlsx');
        writeFileSync(
          template,
          Buffer.from(await buildTemplate(loadQuestionList(2025), { created: CREATED }).xlsx.writeBuffer()),
        );
        const saved = new Uint8Array(
          readFileSync(await resaveWithLibreOffice(template, mkdtempSync(join(dir, 'lo-')))),
        );
        // What went wrong: exceljs drops LibreOffice's fitToPage="true".
        expect((await load(saved)).getWorksheet('Instructions')!.pageSetup.fitToPage).toBeFalsy();
        expect([...sheetsFittedToPage(saved)].sort()).toEqual(['Instructions', 'Questionnaire', 'Staffing']);
        const feedback = await load((await annotatedWorkbook(saved, head, [ISSUE]))!);
        for (const name of ['Instructions', 'Questionnaire', 'Staffing'])
          expect(feedback.getWorksheet(name)!.pageSetup, name).toMatchObject({ fitToPage: true, fitToWidth: 1 });
        expect(String(feedback.getWorksheet('Questionnaire')!.getCell('C40').note)).toMatch(/^Please correct: /);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
