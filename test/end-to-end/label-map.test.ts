import ExcelJS from 'exceljs';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingest } from '../../pipeline/ingest/job.ts';
import { labelMapFor, unmatchedLabels } from '../../pipeline/ingest/questionnaire/label-map.ts';
import { mapLabels, waveProcessor } from '../../pipeline/ingest/questionnaire/reread.ts';
import { buildMapWorkbook, readMapWorkbook } from '../../sources/questionnaire/label-map-sheet.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { RUN_LIBREOFFICE, resaveWithLibreOffice } from '../support/libreoffice.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';

const list = loadQuestionList(2019);
const CREATED = new Date('2019-06-01T00:00:00Z');
const withLibreOffice = RUN_LIBREOFFICE ? it : it.skip;

/** A 2019 hand-made workbook: labels in column A, answers in B, with the given extra rows. */
async function handWorkbook(path: string, team: string, extra: [string, string | number][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.created = CREATED;
  wb.modified = CREATED;
  const ws = wb.addWorksheet('Survey');
  const rows: [string, string | number][] = [
    ['Name of the team', team],
    ['Nation (England / Scotland / Wales / NI)', 'England'],
    ['Year the team started seeing families', 2016],
    ['Approx. number of families supported each year', '20-49'],
    ...extra,
    ['Your name', 'Sam Example'],
  ];
  for (const r of rows) ws.addRow(r);
  writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer()));
}

/** Types the person's choices into the "Map to" column, as a person would in Excel. */
async function fillMap(bytes: Buffer, choices: Record<string, string>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Unmatched labels')!;
  ws.eachRow((row, r) => {
    const choice = choices[String(row.getCell(1).value)];
    if (r > 1 && choice !== undefined) row.getCell(2).value = choice;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('label mapping round trip (census questions unmatched / map)', () => {
  let t: TestDb;
  let inbox: string;
  let ws: string;
  const ctx = () => ({ ...testCtx(t, { dir: ws }), actor: 'A. Lee' });
  const answer = async (team: string, q: string) =>
    (
      await t.pool.query(
        `select a.text_value, a.num_value, a.codes from answer a join questionnaire_return r on r.id = a.return_id
         join answer n on n.return_id = r.id and n.question_id = 'team_name'
         where n.text_value = $1 and a.question_id = $2`,
        [team, q],
      )
    ).rows[0];
  const unmatchedIssues = async () =>
    Number((await t.pool.query(`select count(*)::int as n from data_issue where code = 'label_unmatched'`)).rows[0].n);

  beforeEach(async () => {
    t = await freshDatabase();
    inbox = mkdtempSync(join(tmpdir(), 'inbox-labelmap-'));
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    await handWorkbook(join(inbox, 'alder.xlsx'), 'Alder Babies', [
      ['Hosted by', 'Alder NHS Trust'],
      ['Team size (whole time equivalent)', 2.8],
    ]);
    await handWorkbook(join(inbox, 'birch.xlsx'), 'Birch Babies', [
      ['Hosted by', 'Birch Council'],
      ['Favourite biscuit', 'Custard cream'],
    ]);
    await handWorkbook(join(inbox, 'cedar.xlsx'), 'Cedar Babies', [['Total WTE', 4]]);
    await ingest({ paths: [inbox], wave: 2019, processor: await waveProcessor(ctx(), 2019), command: 'test' }, ctx());
  });
  afterEach(async () => {
    await t.drop();
  });

  /** The whole round trip; `resave` stands for the person's spreadsheet program. */
  async function roundTrip(resave: (path: string) => Promise<string>): Promise<void> {
    const labels = await unmatchedLabels(t.db, list);
    expect(labels.map((l) => [l.label, l.files])).toEqual([
      ['Hosted by', ['alder.xlsx', 'birch.xlsx']],
      ['Favourite biscuit', ['birch.xlsx']],
      ['Team size (whole time equivalent)', ['alder.xlsx']],
    ]);
    const hosted = labels.find((l) => l.label === 'Hosted by')!;
    expect(hosted.example).toBe('Alder NHS Trust');
    expect(hosted.candidates[0]!.questionId).toBe('host_organisation');
    expect(hosted.candidates[0]!.score).toBeGreaterThan(0);

    const dir = mkdtempSync(join(tmpdir(), 'map-'));
    const written = join(dir, 'map.xlsx');
    const wb = buildMapWorkbook(list, labels, CREATED);
    const filled = await fillMap(Buffer.from(await wb.xlsx.writeBuffer()), {
      'Hosted by': 'host_organisation',
      'Team size (whole time equivalent)': 'wte_total',
      'Favourite biscuit': 'ignore',
    });
    writeFileSync(written, filled);
    const back = await readMapWorkbook(readFileSync(await resave(written)));
    expect(back.wave).toBe(2019);
    const rows = back.entries.map((e) => ({ label: e.label, questionId: e.mapTo === 'ignore' ? null : e.mapTo }));

    const out = await mapLabels(ctx(), list, rows);
    expect(out.changes).toHaveLength(3);
    // Exactly the two files holding a mapped label are read again; cedar is moved on unread.
    expect(out.runs.flatMap((r) => r.files.map((f) => f.name)).sort()).toEqual(['alder.xlsx', 'birch.xlsx']);
    expect(out.advanced).toBe(1);
    expect((await answer('Alder Babies', 'host_organisation')).text_value).toBe('Alder NHS Trust');
    expect(Number((await answer('Alder Babies', 'wte_total')).num_value)).toBe(2.8);
    expect((await answer('Birch Babies', 'host_organisation')).text_value).toBe('Birch Council');
    expect(await unmatchedIssues()).toBe(0);
    expect(await unmatchedLabels(t.db, list)).toEqual([]);
    const audit = await t.pool.query(`select actor, detail from audit_log where action = 'label_map'`);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0].actor).toBe('A. Lee');

    // Idempotent: the same workbook again stores, logs and reads nothing.
    const again = await mapLabels(ctx(), list, rows);
    expect(again.changes).toEqual([]);
    expect(again.runs).toEqual([]);
    expect((await t.pool.query(`select count(*)::int as n from audit_log where action = 'label_map'`)).rows[0].n).toBe(
      1,
    );
    // A later ingest of the same files reads none of them again: the mapping is part of the rule version.
    const rerun = await ingest(
      { paths: [inbox], wave: 2019, processor: await waveProcessor(ctx(), 2019), command: 'test' },
      ctx(),
    );
    expect(rerun.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(await labelMapFor(t.db, 2019)).toHaveLength(3);
  }

  it('loads the answers of mapped labels, ignores ignored ones, re-reads only the files holding them', async () => {
    await roundTrip(async (p) => p);
  });

  withLibreOffice(
    'survives a re-save of the mapping workbook by LibreOffice',
    async () => {
      await roundTrip(async (p) => {
        const out = join(mkdtempSync(join(tmpdir(), 'map-lo-')), 'lo');
        mkdirSync(out);
        return resaveWithLibreOffice(p, out);
      });
    },
    180_000,
  );

  it('reads every file of the wave again when a mapping changes an earlier one (ignore after a question)', async () => {
    const changed = mapLabels(ctx(), list, [{ label: 'Hosted by', questionId: 'host_organisation' }]);
    await expect(changed).resolves.toMatchObject({ changes: [{ label: 'Hosted by', to: 'host_organisation' }] });
    const remap = await mapLabels(ctx(), list, [{ label: 'Hosted by', questionId: null }]);
    expect(remap.affected).toHaveLength(3);
    expect((await answer('Alder Babies', 'host_organisation'))?.text_value ?? null).toBeNull();
  });
});
