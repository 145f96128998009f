import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ExtractedAnswer } from '../../../schemas/answer.ts';
import type { Issue } from '../../../schemas/issue.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { validate } from '../../../pipeline/ingest/questionnaire/validate.ts';
import type { ExtractedReturn, StoredFile } from '../../../schemas/stage.ts';
import { fillReturn } from '../../../sources/questionnaire/fill-return.ts';
import { readTemplateReturn } from '../../../sources/questionnaire/template-reader.ts';
import { readHandWorkbook } from '../../../sources/questionnaire/hand-workbook.ts';
import { readSurveyExport } from '../../../sources/questionnaire/survey-export.ts';

/**
 * exceljs reports a merged range's value in every cell of the range, so an answer merged down over
 * the next question's answer cell would be read twice. Every questionnaire reader goes through
 * readCell: the answer counts once, where the merge starts; the covered question is blank (missing
 * after validation) with a merged_cell warning at its own cell that names the merge.
 */
const HASH = 'c'.repeat(64);
const CREATED = new Date('2025-04-01T00:00:00Z');

const answerOf = (answers: ExtractedAnswer[], q: string) =>
  answers.find((a) => a.questionId === q && a.optionCode === undefined);
const merged = (issues: Issue[]) =>
  issues.filter((i) => i.code === 'merged_cell').map((i) => [i.questionId, i.location.cell, i.severity]);

function validated(ret: ExtractedReturn, wave: number) {
  const list = loadQuestionList(wave);
  const v = validate({ file: { hash: HASH, wave } as StoredFile, returns: [ret], issues: [] }, list);
  return Object.fromEntries(v.returns[0]!.answers.map((a) => [a.questionId, a.value]));
}

describe('an answer cell merged over the next question', () => {
  it('2025 template return: reads the answer once, leaves the covered question missing and flags it', async () => {
    const list = loadQuestionList(2025);
    const wb = fillReturn(
      list,
      {
        team_name: 'Merge Team',
        host_organisation: 'Spilling Host',
        nation: 'England',
        region: 'London',
        status: 'Established',
      },
      { created: CREATED, dateCompleted: '2025-05-01' },
    );
    const ws = wb.getWorksheet('Questionnaire')!;
    let r = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === 'host_organisation') r = n;
    });
    expect(ws.getRow(r + 1).getCell(1).value).toBe('host_ods_code');
    ws.mergeCells(r, 3, r + 1, 4); // C:D across the host_organisation and host_ods_code rows
    const { ret, issues } = await readTemplateReturn(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
    expect(answerOf(ret!.answers, 'host_organisation')!.raw).toBe('Spilling Host');
    expect(answerOf(ret!.answers, 'host_ods_code')!.raw).toBeNull();
    expect(merged(ret!.issues)).toEqual([['host_ods_code', `C${r + 1}`, 'warning']]);
    expect(ret!.issues.find((i) => i.code === 'merged_cell')!.message).toContain(`C${r}`);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const values = validated(ret!, 2025);
    expect(values.host_organisation).toEqual({ kind: 'text', text: 'Spilling Host' });
    expect(values.host_ods_code).toMatchObject({ kind: 'missing' });
  });

  it('2019 hand workbook: reads the answer once, leaves the covered question missing and flags it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Survey');
    ws.addRow(['Name of the team', 'Riverside Babies']);
    ws.addRow(['Host organisation', 'Riverside NHS Trust']);
    ws.addRow(['Which nation is your team in?', null]);
    ws.addRow(['Year team was established', 2016]);
    ws.mergeCells('B2:C3');
    const { ret } = await readHandWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), HASH, loadQuestionList(2019));
    expect(answerOf(ret!.answers, 'host_organisation')!.raw).toBe('Riverside NHS Trust');
    expect(answerOf(ret!.answers, 'nation')!.raw).toBeNull();
    expect(merged(ret!.issues)).toEqual([['nation', 'B3', 'warning']]);
    const values = validated(ret!, 2019);
    expect(values.nation).toMatchObject({ kind: 'missing' });
    expect(values.year_established).toEqual({ kind: 'integer', value: 2016 });
  });

  it('2023 survey export (xlsx): a merge down two teams and across two questions counts once', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Responses');
    ws.addRow(['Name of your team', 'Organisation that hosts the team', 'Nation', 'Status of the team']);
    ws.addRow(['Team A', 'Shared Host', 'England', 'Established']);
    ws.addRow(['Team B', null, 'Wales', null]);
    ws.mergeCells('B2:B3'); // team A's host spills into team B's row
    ws.getCell('C3').value = 'Scotland';
    ws.mergeCells('C3:D3'); // team B's nation spills into its status
    const out = await readSurveyExport(Buffer.from(await wb.xlsx.writeBuffer()), HASH, loadQuestionList(2023));
    const [a, b] = out.returns;
    expect(answerOf(a!.answers, 'host_organisation')!.raw).toBe('Shared Host');
    expect(answerOf(b!.answers, 'host_organisation')!.raw).toBeNull();
    expect(answerOf(b!.answers, 'nation')!.raw).toBe('Scotland');
    expect(answerOf(b!.answers, 'status')!.raw).toBeNull();
    expect(merged(a!.issues)).toEqual([]);
    expect(merged(b!.issues)).toEqual([
      ['host_organisation', 'B3', 'warning'],
      ['status', 'D3', 'warning'],
    ]);
    const values = validated(b!, 2023);
    expect(values.host_organisation).toMatchObject({ kind: 'missing' });
    expect(values.status).toMatchObject({ kind: 'missing' });
  });
});
