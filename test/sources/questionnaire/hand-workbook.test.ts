import ExcelJS from 'exceljs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { readHandWorkbook } from '../../../sources/questionnaire/hand-workbook.ts';
import { validate } from '../../../pipeline/ingest/questionnaire/validate.ts';
import type { StoredFile } from '../../../schemas/stage.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { fillReturn } from '../../../sources/questionnaire/fill-return.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

const list = loadQuestionList(2019);
const HASH = 'b'.repeat(64);
const CREATED = new Date('2019-06-01T00:00:00Z');

/** Label/answer rows as a team typed them: reworded labels, a blank inserted row, ticked option rows, a label of its own. */
const ROWS: [string, string | number | null][] = [
  ['Parent-infant team survey 2019', null],
  ['Q1. Name of the team', 'Riverside Babies'],
  ['Host organisation', 'Riverside NHS Trust'],
  ['', null],
  ['Which nation is your team in?', 'England'],
  ['Year team was established', 2016],
  ['Direct dyadic therapeutic work', 'Yes '],
  ['Do you provide training?', 'Y'],
  ['How is the team funded', 'NHS; Local authority'],
  ['Total WTE', 3.5],
  ['Number of families the team supported directly', '20-49'],
  ['Interventions offered (tick all)', null],
  ['VIG', 'x'],
  ['Circle of Security', 'x'],
  ['Favourite biscuit', 'Custard cream'],
  ['Your name', 'Sam Example'],
  ['Date completed', '14/06/2019'],
];

async function workbook(opts: {
  sheet: string;
  prefix?: (string | null)[];
  header?: [string, string];
  gap?: number;
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = CREATED;
  wb.modified = CREATED;
  wb.addWorksheet('Instructions').addRow(['Please fill in the Survey sheet and e-mail it back.']);
  const ws = wb.addWorksheet(opts.sheet);
  const pad = (label: string, answer: string | number | null) => [
    ...(opts.prefix ?? []),
    label,
    ...new Array<null>(opts.gap ?? 0).fill(null),
    answer,
  ];
  if (opts.header) ws.addRow(pad(...opts.header));
  ROWS.forEach(([label, answer], i) =>
    ws.addRow(pad(label, answer).map((v, j) => (j === 0 && opts.prefix ? (label ? String(i + 1) : null) : v))),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function read(bytes: Buffer) {
  const out = await readHandWorkbook(bytes, HASH, list);
  const v = validate(
    { file: { hash: HASH, wave: 2019 } as StoredFile, returns: out.ret ? [out.ret] : [], issues: out.issues },
    list,
  );
  const byQ = new Map(out.ret!.answers.map((a) => [`${a.questionId}${a.optionCode ? `:${a.optionCode}` : ''}`, a]));
  return {
    out,
    v: v.returns[0]!,
    byQ,
    values: Object.fromEntries(v.returns[0]!.answers.map((a) => [a.questionId, a.value])),
  };
}

const EXPECTED = {
  team_name: { kind: 'text', text: 'Riverside Babies' },
  host_organisation: { kind: 'text', text: 'Riverside NHS Trust' },
  nation: { kind: 'code', code: 'england' },
  year_established: { kind: 'integer', value: 2016 },
  def_dyadic: { kind: 'code', code: 'yes' },
  def_system_work: { kind: 'code', code: 'yes' },
  funding_sources: { kind: 'codes', codes: ['nhs', 'local_authority'] },
  wte_total: { kind: 'number', value: 3.5 },
  families_supported: { kind: 'interval', low: 20, high: 49, bandCode: '20_49' },
  interventions: { kind: 'codes', codes: ['video_feedback', 'circle_of_security'] },
};

describe('hand workbook reader (2019)', () => {
  it('reads a renamed "Survey" sheet with rows inserted, locating each answer in its own cell', async () => {
    const { values, byQ, v } = await read(await workbook({ sheet: 'Survey 2019 (Riverside)' }));
    expect(values).toMatchObject(EXPECTED);
    expect(byQ.get('nation')!.location).toEqual({ fileHash: HASH, sheet: 'Survey 2019 (Riverside)', cell: 'B5' });
    expect(v.dateCompleted).toBe('2019-06-14');
    expect(v.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('records an exact label as method label, score 1, and a reworded one as fuzzy with its score below 1', async () => {
    const { byQ } = await read(await workbook({ sheet: 'Survey' }));
    expect(byQ.get('host_organisation')!.match).toEqual({ method: 'label', score: 1 });
    const reworded = byQ.get('team_name')!.match;
    expect(reworded.method).toBe('fuzzy');
    expect(reworded.score).toBeGreaterThanOrEqual(0.75);
    expect(reworded.score).toBeLessThan(1);
    expect(byQ.get('interventions:video_feedback')!.match).toEqual({ method: 'label', score: 1 });
  });

  it('raises label_unmatched with the label cell, the whole label and the answer when a label matches no question', async () => {
    const { out } = await read(await workbook({ sheet: 'Survey' }));
    expect(out.issues).toEqual([
      expect.objectContaining({
        code: 'label_unmatched',
        severity: 'warning',
        location: { fileHash: HASH, sheet: 'Survey', cell: 'A15', column: 'Favourite biscuit' },
        raw: 'Custard cream',
      }),
    ]);
    expect(out.issues[0]!.message).toContain('B15');
  });

  it('finds labels and answers by content when a numbering column and an empty column are inserted', async () => {
    const { values, byQ } = await read(await workbook({ sheet: 'Sheet1', prefix: [null], gap: 1 }));
    expect(values).toMatchObject(EXPECTED);
    expect(byQ.get('team_name')!.location.cell).toBe('D2');
  });

  it('takes the answer column from an "Answer" header, even with a notes column between', async () => {
    const { values, byQ } = await read(
      await workbook({ sheet: 'Survey', header: ['Question', 'Your answer'], gap: 2 }),
    );
    expect(values).toMatchObject(EXPECTED);
    expect(byQ.get('team_name')!.location.cell).toBe('D3');
  });

  it('holds a spreadsheet error in an answer cell as an error on the return, at its cell', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Survey');
    for (const r of ROWS.slice(1, 5)) ws.addRow(r);
    ws.getCell('B4').value = { error: '#REF!' } as ExcelJS.CellErrorValue;
    const { v, out } = await read(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(out.ret!.issues).toEqual([
      expect.objectContaining({
        code: 'cell_error',
        severity: 'error',
        questionId: 'nation',
        location: { fileHash: HASH, sheet: 'Survey', cell: 'B4' },
      }),
    ]);
    expect(v.issues.some((i) => i.code === 'cell_error')).toBe(true);
  });

  it('reads labels across one row with the answers in the row below, at their own cells (v9 corpus)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow([
      'Name of team',
      'Hosting organisation',
      'Nation (England / Scotland / Wales / NI)',
      'Year the team started seeing families',
      'Favourite biscuit',
    ]);
    ws.addRow(['Riverside Babies', 'Riverside NHS Trust', 'England', 2016, 'Custard cream']);
    const out = await readHandWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
    expect(out.ret?.answers.map((a) => [a.questionId, a.raw, a.location.cell])).toEqual([
      ['team_name', 'Riverside Babies', 'A2'],
      ['host_organisation', 'Riverside NHS Trust', 'B2'],
      ['nation', 'England', 'C2'],
      ['year_established', 2016, 'D2'],
    ]);
    // A label of its own is named by its column and its cell, for the label-mapping round trip.
    expect(out.issues.map((i) => [i.code, i.location.cell])).toEqual([['label_unmatched', 'E1']]);
    expect(out.issues[0]!.message).toMatch(/^Column E \("Favourite biscuit"\)/);
  });

  it("uses a row whose label a person mapped over another row only near the same question (audit corpus: 'First saw families in')", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Our answers');
    for (const r of [
      ['Team (full name)', 'Wren Baby Team'],
      ['Which nation', 'England'],
      ['First saw families in', 2017],
      ['Families we worked with directly', 41],
    ])
      ws.addRow(r);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const families = (out: Awaited<ReturnType<typeof readHandWorkbook>>) =>
      out.ret!.answers.filter((a) => a.questionId === 'families_supported').map((a) => [a.raw, a.location.cell]);
    // Unmapped, the near label is all there is (the other waits to be mapped).
    const before = await readHandWorkbook(bytes, HASH, list);
    expect(families(before)).toEqual([[2017, 'B3']]);
    // Mapped by a person: that row's answer, and the near row named as set aside.
    const after = await readHandWorkbook(bytes, HASH, list, [
      { label: 'Families we worked with directly', questionId: 'families_supported' },
    ]);
    expect(families(after)).toEqual([[41, 'B4']]);
    const dup = [...after.issues, ...after.ret!.issues].filter((i) => i.code === 'duplicate_question_row');
    expect(dup.map((i) => [i.location.cell, i.raw])).toEqual([['B3', '2017']]);
    expect(dup[0]!.message).toContain('the answer in B4, whose label names it surely, was used');
  });

  it('rejects a workbook with no column of question labels', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Survey').addRow(['Something else', 'entirely']);
    const out = await readHandWorkbook(Buffer.from(await wb.xlsx.writeBuffer()), HASH, list);
    expect(out.ret).toBeNull();
    expect(out.issues.map((i) => [i.code, i.severity])).toEqual([['hand_workbook_not_recognised', 'error']]);
  });
});

describe('ingest --wave 2019 and harmonised funding across waves', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDatabase();
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads 2019 "NHS" and "Local authority" as their 2019 codes, and meets 2025 options in the same harmonised categories', async () => {
    const d2019 = mkdtempSync(join(tmpdir(), 'inbox-2019-'));
    writeFileSync(join(d2019, 'riverside-2019.xlsx'), await workbook({ sheet: 'Survey (2)' }));
    const s = await ingest(
      { paths: [d2019], wave: 2019, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t),
    );
    expect(s.files.map((f) => [f.kind, f.status])).toEqual([['hand_workbook', 'loaded']]);

    const list2025 = loadQuestionList(2025);
    const d2025 = mkdtempSync(join(tmpdir(), 'inbox-2025-'));
    const wb = fillReturn(
      list2025,
      {
        team_name: 'Riverside Babies',
        host_organisation: 'Riverside NHS Trust',
        nation: 'England',
        region: 'London',
        status: 'Established',
        funding_sources: { options: ['camhs', 'public_health', 'start_for_life'] },
      },
      { created: new Date('2025-01-01T00:00:00Z'), templateVersion: list2025.templateVersion },
    );
    writeFileSync(join(d2025, 'riverside-2025.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
    await ingest(
      { paths: [d2025], wave: 2025, processor: questionnaireProcessor(list2025), command: 'test' },
      testCtx(t),
    );

    const codes = (
      await t.pool.query(
        "select r.wave, a.codes, a.match_method from answer a join questionnaire_return r on r.id = a.return_id where a.question_id = 'funding_sources' order by r.wave",
      )
    ).rows;
    expect(codes).toEqual([
      { wave: 2019, codes: ['nhs', 'local_authority'], match_method: 'label' },
      { wave: 2025, codes: ['camhs', 'public_health', 'start_for_life'], match_method: 'id' },
    ]);
    const harmonised = (
      await t.pool.query(
        "select wave, harmonised from answer_harmonised where question_id = 'funding_sources' order by wave, harmonised",
      )
    ).rows;
    expect(harmonised).toEqual([
      { wave: 2019, harmonised: 'local_authority' },
      { wave: 2019, harmonised: 'nhs' },
      { wave: 2025, harmonised: 'local_authority' },
      { wave: 2025, harmonised: 'nhs' },
    ]);
  });
});
