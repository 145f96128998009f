import type ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../../pipeline/ingest/questionnaire/processor.ts';
import { fillReturn, type TypedAnswer } from '../../../../sources/questionnaire/fill-return.ts';
import { loadQuestionList } from '../../../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../../../support/db.ts';
import { testCtx } from '../../../support/ctx.ts';
import { answersByFile, FULL_2025 } from '../../../support/returns-fixture.ts';

const list = loadQuestionList(2025);
const CREATED = new Date('2025-04-01T00:00:00Z');

type Edit = (wb: ExcelJS.Workbook) => void;
// By position, not name: one of the edits renames the answers sheet. The Instructions sheet comes first.
const sheet = (wb: ExcelJS.Workbook, name: 'Questionnaire' | 'Staffing') =>
  wb.worksheets[name === 'Questionnaire' ? 1 : 2]!;

/** Deleting a column in a spreadsheet program shifts the column formats too; exceljs leaves them, so do it here. */
function deleteIdColumn(ws: ExcelJS.Worksheet): void {
  ws.spliceColumns(1, 1);
  for (let c = 1; c <= 4; c++) ws.getColumn(c).hidden = false;
}

const EDITS: Record<string, Edit> = {
  'blank rows inserted': (wb) => {
    sheet(wb, 'Questionnaire').spliceRows(3, 0, [], []);
    sheet(wb, 'Questionnaire').spliceRows(20, 0, []);
    sheet(wb, 'Staffing').spliceRows(2, 0, []);
    // A row inserted and left with empty text in every cell, as some programs save it.
    sheet(wb, 'Questionnaire').spliceRows(6, 0, ['', '', '', '']);
  },
  'a column inserted before the answers': (wb) => {
    const ws = sheet(wb, 'Questionnaire');
    ws.spliceColumns(3, 0, ['Our notes', 'checked by Sam', null, 'see e-mail']);
  },
  'the answers sheet renamed': (wb) => {
    sheet(wb, 'Questionnaire').name = 'Our return 2025';
  },
  'the hidden id column deleted': (wb) => {
    deleteIdColumn(sheet(wb, 'Questionnaire'));
    deleteIdColumn(sheet(wb, 'Staffing'));
  },
};

async function writeReturn(
  dir: string,
  file: string,
  answers: Record<string, TypedAnswer>,
  edits: Edit[],
  templateVersion = list.templateVersion,
): Promise<void> {
  const wb = fillReturn(list, answers, { created: CREATED, dateCompleted: '2025-05-02', templateVersion });
  for (const e of edits) e(wb);
  writeFileSync(join(dir, file), Buffer.from(await wb.xlsx.writeBuffer()));
}

describe('2025 returns edited by teams', () => {
  let t: TestDb;
  let summary: IngestSummary;
  beforeAll(async () => {
    t = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'inbox-edited-'));
    // Each return names its own team so no two claim the same team in the wave.
    const named = (name: string) => ({ ...FULL_2025, team_name: `Team ${name}` });
    await writeReturn(dir, '00-original.xlsx', named('original'), []);
    for (const [i, [name, edit]] of Object.entries(EDITS).entries())
      await writeReturn(dir, `0${i + 1}-${name.replace(/ /g, '-')}.xlsx`, named(name), [edit]);
    await writeReturn(dir, '10-all-edits.xlsx', named('all edits'), Object.values(EDITS));
    await writeReturn(dir, '11-version-stamp-changed.xlsx', named('stamp'), [], '2024.3');
    await writeReturn(
      dir,
      '12-typed-as-text.xlsx',
      {
        ...named('typed'),
        referrals_received: 'approx 40',
        def_dyadic: 'Yes ',
        wte_total: '4.5',
        year_established: ' 2016',
        babies_under_2: '30',
      },
      [],
    );
    summary = await ingest(
      { paths: [dir], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads every edited return', () => {
    expect(summary.files.map((f) => [f.name, f.status, f.returnsLoaded])).toEqual(
      summary.files.map((f) => [f.name, 'loaded', 1]),
    );
    expect(summary.files).toHaveLength(8);
  });

  it.each([...Object.keys(EDITS), 'all edits'])('reads the same answers as the original when %s', async (name) => {
    const byFile = await answersByFile(t);
    const file =
      name === 'all edits'
        ? '10-all-edits.xlsx'
        : `0${Object.keys(EDITS).indexOf(name) + 1}-${name.replace(/ /g, '-')}.xlsx`;
    expect(byFile.get(file)).toEqual(byFile.get('00-original.xlsx'));
    expect(summary.files.find((f) => f.name === file)!.issues.filter((i) => i.severity !== 'info')).toEqual([]);
  });

  it('ties rows by label, score 1, once the id column is deleted', async () => {
    const rows = (
      await t.pool
        .query(`select distinct a.match_method, a.match_score::float as score from answer a join questionnaire_return r on r.id = a.return_id
      join file_receipt f on f.sha256 = r.sha256 where f.original_name = '04-the-hidden-id-column-deleted.xlsx' and a.match_method is not null`)
    ).rows;
    expect(rows).toEqual([{ match_method: 'label', score: 1 }]);
  });

  it('loads a return whose version stamp differs, with a warning at the stamp cell', async () => {
    const f = summary.files.find((x) => x.name === '11-version-stamp-changed.xlsx')!;
    expect(f.status).toBe('loaded');
    expect(f.issues.map((i) => [i.code, i.severity, i.location.sheet, i.raw])).toEqual([
      ['template_version_mismatch', 'warning', 'Instructions', '2024.3'],
    ]);
    const byFile = await answersByFile(t);
    expect(byFile.get('11-version-stamp-changed.xlsx')).toEqual(byFile.get('00-original.xlsx'));
  });

  it('reads answers typed as text: "approx 40" as [40, 40] approximate, "Yes " as yes', async () => {
    const typed = (await answersByFile(t)).get('12-typed-as-text.xlsx')!;
    expect(typed.referrals_received).toMatchObject({ low: '40', high: '40', approximate: true });
    expect(typed.def_dyadic).toMatchObject({ value_kind: 'code', text_value: 'yes' });
    expect(typed.wte_total).toMatchObject({ value_kind: 'number', num_value: '4.5' });
    expect(typed.year_established).toMatchObject({ value_kind: 'integer', num_value: '2016' });
    expect(typed.babies_under_2).toMatchObject({ low: '30', high: '30', approximate: false });
  });
});
