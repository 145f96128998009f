import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { previewsOf } from '../../../pipeline/desk/evidence.ts';
import { listIssues } from '../../../pipeline/db/issue-rows.ts';
import { readWithReader } from '../../../pipeline/ingest/questionnaire/extract.ts';
import { readStored } from '../../../pipeline/runtime/store.ts';
import { XLSX } from '../../../schemas/media-type.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

/** Personal data in the fixtures: never in a preview. */
const CANARIES = ['holly.person', 'Respondent holly', 'CANARY-COMMENT', 'elm.person', 'Respondent elm'];

const list = loadQuestionList(2025);

describe('evidence previews on the issues page', { timeout: 120_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let app: ReturnType<typeof deskApp>;
  const text = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-06-30T09:00:00Z' });
    const inbox = mkdtempSync(join(tmpdir(), 'desk-evidence-'));
    await writeReturn(
      inbox,
      'holly.xlsx',
      list,
      teamAnswers('Holly Team', 'Holly Trust', 'holly.person@example.org', {
        families_supported: 'lots',
        comments: 'CANARY-COMMENT one',
      }),
      '2025-05-01',
    );
    await writeReturn(
      inbox,
      'elm.xlsx',
      list,
      teamAnswers('Elm Team', 'Elm Trust', 'elm.person@example.org', { families_supported: '<img src=x onerror=1>' }),
      '2025-05-02',
    );
    await ingest({ paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' }, ctx);
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const r = fullReply();
    r.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      location: { page: 2, line: 7 },
      quote: 'Referrals 2021/22: 25 <under two>',
    });
    await ingest(
      {
        paths: [writeReplies({ oak: reply({ ...r, trustHint: { ods: 'RPG' } }) })],
        wave: 2024,
        processor: foiProcessorFor(2024, { readers: jsonReaders }),
        command: 'test',
      },
      ctx,
    );
    app = deskApp({ ctx: () => ({ ...ctx }) });
  });
  afterAll(async () => {
    await t.drop();
  });

  it("shows the sheet region around an issue's cell, the cell marked, read again from the raw store", async () => {
    const issues = await listIssues(ctx.db, 2025);
    const lots = issues.find((i) => i.file === 'holly.xlsx' && i.questionId === 'families_supported')!;
    expect(lots.where.cell).toBeDefined();
    const [p] = await previewsOf(ctx, { sha256: lots.sha256, wave: 2025, places: [lots.where] });
    expect(p?.kind).toBe('region');
    if (p?.kind !== 'region') return;
    expect(p.region.sheet).toBe(lots.where.sheet);
    const target = p.region.rows.flatMap((r) => r.cells).filter((c) => c.target);
    expect(target).toEqual([{ text: 'lots', withheld: false, target: true }]);
    const row = Number(/\d+$/.exec(lots.where.cell!)![0]);
    expect(p.region.rows.map((r) => r.n)).toContain(row - 1);
    expect(p.region.rows.map((r) => r.n)).toContain(row + 1);
    const html = await text(`/waves/2025/issues?file=${lots.sha256!.slice(0, 16)}`);
    expect(html).toContain('<strong>lots</strong><span class="govuk-visually-hidden"> (the cell pointed at)</span>');
    expect(html).toContain(`sheet ${lots.where.sheet}, the cells around it`);
  });

  it("withholds the respondent's name, e-mail and comments when they fall in a region", async () => {
    const file = await t.pool.query(
      "select f.sha256, r.size_bytes from file_receipt f join raw_file r using (sha256) where f.original_name = 'holly.xlsx'",
    );
    const sha256 = file.rows[0]!.sha256 as string;
    // Where the template reader finds the personal answers (the page must not show them).
    const read = await readWithReader(
      'team_workbook',
      readStored(ctx.workspace.storeDir, sha256),
      {
        hash: sha256,
        originalName: 'holly.xlsx',
        size: Number(file.rows[0]!.size_bytes),
        mediaType: XLSX,
        wave: 2025,
        sourceKind: 'team_workbook',
        alreadyReceived: true,
      },
      list,
    );
    const personal = read.returns[0]!.answers.filter((a) =>
      ['respondent_name', 'respondent_email', 'comments'].includes(a.questionId),
    );
    expect(personal).toHaveLength(3);
    const regions = await previewsOf(ctx, { sha256, wave: 2025, places: personal.map((a) => a.location) });
    const cells = regions.flatMap((p) => (p.kind === 'region' ? p.region.rows.flatMap((r) => r.cells) : []));
    expect(cells.filter((c) => c.target)).toEqual(personal.map(() => ({ text: '', withheld: true, target: true })));
    expect(cells.some((c) => c.text !== '' && !c.withheld)).toBe(true);
    const shown = JSON.stringify(regions);
    for (const c of CANARIES) expect(shown).not.toContain(c);
    const html = await text('/waves/2025/issues');
    for (const c of CANARIES) expect(html).not.toContain(c);
  });

  it("withholds a survey export's respondent columns (IP and e-mail address, respondent id) but shows the cell asked", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-export-'));
    writeFileSync(
      join(dir, 'export.csv'),
      [
        'Respondent ID,IP Address,Email Address,End Date,Name of your team,Organisation that hosts the team,Nation',
        '1149,181.131.44.174,CANARY-NOT-AN-ADDRESS,05/17/2023 12:06:14 AM,Rowan Team,Rowan Trust,England',
        '1150,80.16.152.202,,05/18/2023,Aspen Team,Aspen Trust,England',
      ].join('\n'),
    );
    const list2023 = loadQuestionList(2023);
    await ingest({ paths: [dir], wave: 2023, processor: questionnaireProcessor(list2023), command: 'test' }, ctx);
    const file = await t.pool.query("select sha256 from file_receipt where original_name = 'export.csv'");
    const [p] = await previewsOf(ctx, {
      sha256: file.rows[0]!.sha256 as string,
      wave: 2023,
      places: [{ row: 2, column: 'End Date' }],
    });
    expect(p?.kind).toBe('region');
    const shown = JSON.stringify(p);
    for (const c of ['181.131.44.174', '80.16.152.202', 'CANARY-NOT-AN-ADDRESS', '1149'])
      expect(shown).not.toContain(c);
    expect(shown).toContain('IP Address');
    expect(shown).toContain('Rowan Team');
    if (p?.kind !== 'region') return;
    expect(p.region.rows.flatMap((r) => r.cells).filter((c) => c.target)).toEqual([
      { text: '05/17/2023 12:06:14 AM', withheld: false, target: true },
    ]);
  });

  it('escapes what a cell holds', async () => {
    const elm = (await listIssues(ctx.db, 2025)).find(
      (i) => i.file === 'elm.xlsx' && i.questionId === 'families_supported',
    )!;
    const html = await text(`/waves/2025/issues?file=${elm.sha256!.slice(0, 16)}`);
    expect(html).toContain('&lt;img src=x onerror=1&gt;');
    expect(html).not.toContain('<img src=x');
  });

  it('shows issues by team', async () => {
    const teams = await t.pool.query(
      "select id, name from team where name in ('Holly Team', 'Elm Team') order by name",
    );
    const elm = teams.rows.find((r) => r.name === 'Elm Team')!;
    const html = await text(`/waves/2025/issues?team=${elm.id}`);
    expect(html).toContain('elm.xlsx');
    expect(html).not.toContain('holly.xlsx');
    expect(html).toContain('of Elm Team');
  });

  it('shows the quoted lines of a PDF or e-mail place from the values read there', async () => {
    const file = await t.pool.query("select sha256 from file_receipt where original_name = 'oak.txt'");
    const sha256 = file.rows[0]!.sha256 as string;
    const [near, far] = await previewsOf(ctx, {
      sha256,
      wave: 2024,
      places: [
        { page: 2, line: 8 },
        { page: 9, line: 1 },
      ],
    });
    expect(near).toEqual({
      kind: 'quotes',
      lines: [{ at: 'p2:7', quote: 'Referrals 2021/22: 25 <under two>', target: false }],
    });
    expect(far!.kind).toBe('none');
    const [exact] = await previewsOf(ctx, { sha256, wave: 2024, places: [{ page: 2, line: 7 }] });
    expect(exact).toMatchObject({ kind: 'quotes', lines: [{ target: true }] });
  });

  it('says why there is no preview for a file not received in the wave', async () => {
    const [p] = await previewsOf(ctx, { sha256: 'f'.repeat(64), wave: 2025, places: [{ sheet: 'X', cell: 'A1' }] });
    expect(p).toEqual({ kind: 'none', why: 'The file is not among the files received for this wave.' });
  });
});
