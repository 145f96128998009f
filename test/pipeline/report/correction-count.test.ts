import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCorrection } from '../../../pipeline/audit/corrections.ts';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { correctFromForm } from '../../../pipeline/desk/pages/corrections.ts';
import { codingRows } from '../../../pipeline/foi/coding-rows.ts';
import { loadCodingSheet } from '../../../pipeline/foi/coding-sheet.ts';
import { foiWave } from '../../../pipeline/foi/wave.ts';
import { renderReport } from '../../../pipeline/report/build.ts';
import { defaultParams } from '../../../schemas/report-params.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { loadFlagFixture, valueId } from '../audit/fixture.ts';

/**
 * A correction replaced by a later one (issue 20): the value takes the latest, and the report's table
 * "Corrections made by people after loading" counts each corrected cell once, whether the later one came
 * from the desk or census correct, or a coding sheet loaded again with another answer.
 */
describe('a correction replaced by a later one counts once', { timeout: 180_000 }, () => {
  let t: TestDb;
  const ctx = (now = '2024-05-01T09:00:00Z') => testCtx(t, { now });
  const counts = async () =>
    Object.fromEntries(
      (
        await t.pool.query<{ kind: string; corrections: number }>(
          'select kind, corrections from report_correction where wave = 2024 order by kind',
        )
      ).rows.map((r) => [r.kind, r.corrections]),
    );
  /** The desk dashboard's two counts of corrected values, as shown. */
  const dashboard = async () => {
    const html = await (await deskApp({ ctx: () => ctx() }).request('/waves/2024?as-of=2024-05-01')).text();
    const value = (key: string) =>
      new RegExp(`${key}</dt><dd class="govuk-summary-list__value">(\\d+)`).exec(html)?.[1] ?? null;
    return [
      value('Values corrected \\(census correct\\), each once'),
      value('Coded values recoded by a later coding, each once'),
    ];
  };
  const table = async () => {
    const report = await renderReport({ wave: 2025, publicBuild: false, params: defaultParams() }, ctx());
    const csv = [...report.outputs].find(([name]) => /corrections\.csv$/.test(name));
    return csv ? String(csv[1]) : String(report.outputs.get('report.html'));
  };

  beforeAll(async () => {
    t = await freshDatabase();
    await loadFlagFixture(t);
  }, 180_000);
  afterAll(async () => {
    await t.drop();
  });

  it('counts the latest correction of a value, not each one made', async () => {
    const rwx = await valueId(t, 'RWX', 'fy2022_23');
    // On the desk, then replaced through census correct; another value corrected once.
    const first = await correctFromForm(
      { wave: 2024, body: { value: rwx, low: '60', high: '', reason: 'letter of 2 May' }, by: 'Rowan Reviewer' },
      ctx(),
    );
    expect(first).toEqual({ valueId: rwx });
    await recordCorrection(
      { wave: 2024, valueId: rwx, low: 70, high: 70, by: 'Ash Coder', reason: 'the letter of 9 May: 70' },
      ctx('2024-05-09T09:00:00Z'),
    );
    await recordCorrection(
      { wave: 2024, valueId: await valueId(t, 'RV5', 'fy2021_22'), low: 11, high: 11, by: 'Ash Coder', reason: 'typo' },
      ctx(),
    );
    const applied = await t.pool.query(
      "select low::int from report_foi_value where trust_ods = 'RWX' and question_id = 'q2_referrals_under2' and period_id = 'fy2022_23' and age_band_exact",
    );
    expect(applied.rows).toEqual([{ low: 70 }]);
    expect((await t.pool.query('select count(*)::int as n from correction')).rows[0].n).toBe(3);
    expect(await counts()).toEqual({ foi_correction: 2 });
    expect(await dashboard()).toEqual(['2', '0']);
    const out = await table();
    expect(out).toMatch(/2024,foi correction,2\b|foi correction<\/td><td[^>]*>2</);
  });

  it('counts a coded value corrected twice by coding sheets as one corrected cell', async () => {
    const row = (await codingRows(2024, foiWave(2024, ctx().workspace.wavesDir), ctx())).find(
      (r) => r.reason === 'band_mismatch',
    )!;
    expect(row).toBeDefined();
    for (const [n, cells] of [
      [1, { 'Accept band mismatch': 'yes' }],
      [2, { 'Accept band mismatch': 'yes', Low: '25', 'Note / reason': 'the table total' }],
      [3, { 'Accept band mismatch': 'yes', Low: '26', 'Note / reason': 'the letter of 2 May' }],
    ] as const) {
      const loaded = await loadCodingSheet({ path: await sheet(row.key, cells), wave: 2024, by: 'Ash Coder' }, ctx());
      expect(loaded, `sheet ${n}`).toMatchObject(n === 1 ? { recorded: 1 } : { corrected: 1 });
    }
    expect(
      (
        await t.pool.query(
          "select count(*)::int as n from foi_value where method = 'coded' and correction_of is not null",
        )
      ).rows[0].n,
    ).toBe(2);
    expect(await counts()).toEqual({ foi_correction: 2, foi_value_correction: 1 });
    expect(await dashboard()).toEqual(['2', '1']);
  });
});

/** A coding sheet with only the key and the answer columns, one row (a sheet keeps working so). */
async function sheet(key: string, cells: Record<string, string>): Promise<string> {
  const headers = [
    'key',
    'Low',
    'High (blank = low, "open")',
    'Yes/No',
    'Text answer',
    'Missing reason',
    'Flags',
    'Exemptions',
    'Age band as given',
    'Page',
    'Quote as read',
    'Accept band mismatch',
    'Note / reason',
  ];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Coding');
  ws.addRow(headers);
  ws.addRow(headers.map((h) => (h === 'key' ? key : (cells[h] ?? null))));
  const path = join(mkdtempSync(join(tmpdir(), 'correction-count-')), 'sheet.xlsx');
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
  return path;
}
