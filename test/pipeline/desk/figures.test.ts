import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFigure } from '../../../pipeline/audit/figure.ts';
import { recordCorrection } from '../../../pipeline/audit/corrections.ts';
import { deskApp } from '../../../pipeline/desk/app.ts';
import { acquireWriteLock } from '../../../pipeline/db/lock.ts';
import { sendRequests } from '../../../pipeline/foi/send.ts';
import { foiProcessorFor } from '../../../pipeline/ingest/foi/processor.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { renderReport, writeReport } from '../../../pipeline/report/build.ts';
import type { Ctx } from '../../../pipeline/runtime/ctx.ts';
import { defaultParams, mergeParams } from '../../../schemas/report-params.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { differingFiles } from '../../support/builds.ts';
import { testCtx } from '../../support/ctx.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { count, fullReply, jsonReaders, reply, writeReplies } from '../../support/foi.ts';
import { teamAnswers, writeReturn } from '../../support/returns.ts';

const list = loadQuestionList(2025);
const CANARIES = ['holly.person', 'Respondent holly', 'CANARY-COMMENT'];

interface Figure {
  id: string;
  records: string[] | null;
}

describe('figure audit trails and report builds in the desk', { timeout: 240_000 }, () => {
  let t: TestDb;
  let ctx: Ctx;
  let app: ReturnType<typeof deskApp>;
  let cookie = '';
  let token = '';
  const text = async (path: string) => {
    const res = await app.request(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const post = (path: string, form: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      body: new URLSearchParams(form),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    });
  const figures = (dir: string): Figure[] =>
    (JSON.parse(readFileSync(join(dir, 'figures.json'), 'utf8')) as { figures: Figure[] }).figures;

  beforeAll(async () => {
    t = await freshDatabase();
    ctx = testCtx(t, { now: '2024-06-30T09:00:00Z' });
    const inbox = mkdtempSync(join(tmpdir(), 'desk-figures-'));
    await writeReturn(
      inbox,
      'holly.xlsx',
      list,
      teamAnswers('Holly Team', 'Holly Trust', 'holly.person@example.org', { comments: 'CANARY-COMMENT' }),
      '2025-05-01',
    );
    await ingest({ paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' }, ctx);
    await sendRequests({ wave: 2024, sent: '2024-03-11' }, ctx);
    const r = fullReply();
    r.values[0] = count('q2_referrals_under2', 'fy2021_22', 25, {
      location: { page: 2, line: 7 },
      quote: 'Referrals 2021/22: 25',
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
    const res = await app.request('/reports');
    token = /desk_csrf=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
    cookie = `desk_csrf=${token}`;
  });
  afterAll(async () => {
    await t.drop();
  });

  it('builds the report from a form as census report does: byte-identical files, under the write lock', async () => {
    const res = await post('/reports/build', { csrf: token, wave: '2025', folder: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/reports\?built=2025&errors=[01]$/);
    const desk = join(ctx.workspace.reportsDir, '2025');
    const cli = mkdtempSync(join(tmpdir(), 'desk-cli-report-'));
    writeReport(
      cli,
      await renderReport({ wave: 2025, publicBuild: false, params: mergeParams({}, defaultParams()) }, ctx),
    );
    const files = readdirSync(cli, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(cli.length + 1))
      .sort();
    expect(files).toContain('figures.json');
    // Byte for byte, but a rendering (report.pdf) by the page it printed, and manifest.json without the
    // renderings' own bytes: Chromium may print one page to other bytes under load (test/support/builds.ts).
    const read = (dir: string) => new Map(files.map((f) => [f, readFileSync(join(dir, f))]));
    expect(differingFiles(read(cli), read(desk))).toEqual([]);
    const page = await text(res.headers.get('location')!);
    expect(page).toContain('The report was built in 2025.');
    expect(page).toContain('href="/reports/figures?build=2025"');
  });

  it('refuses a build form without its token, into a folder outside the reports folder, or while another writer runs', async () => {
    expect((await post('/reports/build', { wave: '2025' })).status).toBe(403);
    const bad = await post('/reports/build', { csrf: token, wave: '2025', folder: '../elsewhere' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not a folder name for a build');
    const lock = await acquireWriteLock(t.pool, { wait: false, log: ctx.log, what: 'a test' });
    try {
      expect((await post('/reports/build', { csrf: token, wave: '2025', folder: 'busy' })).status).toBe(409);
    } finally {
      await lock.release();
    }
  });

  it("lists a build's figures and shows a figure's FOI values with their quotes, sources and corrections with reasons and names", async () => {
    const dir = join(ctx.workspace.reportsDir, '2025');
    // A figure fed by counts, and one count behind it.
    let foi: Figure | undefined;
    let v: Awaited<ReturnType<typeof auditFigure>>['values'][number] | undefined;
    for (const f of figures(dir).filter((x) => x.records?.some((r) => r.startsWith('foi_value:')))) {
      const a = await auditFigure({ wanted: f.id, wave: 2025, report: dir, params: defaultParams() }, ctx);
      v = a.values.find((x) => x.interval !== null && x.answer === null);
      if (v) {
        foi = f;
        break;
      }
    }
    expect(v).toBeDefined();
    if (!foi || !v) return;
    const list = await text('/reports/figures?build=2025');
    expect(list).toContain(`/reports/figure?build=2025&amp;id=${encodeURIComponent(foi.id)}`);
    await recordCorrection(
      {
        wave: 2024,
        valueId: v.valueId,
        low: 24,
        high: 24,
        by: 'Rowan Reviewer',
        reason: 'the letter says 24 on page 3',
      },
      ctx,
    );
    const html = await text(`/reports/figure?build=2025&id=${encodeURIComponent(foi.id)}`);
    const again = await auditFigure({ wanted: foi.id, wave: 2025, report: dir, params: defaultParams() }, ctx);
    for (const x of again.values) {
      expect(html).toContain(`href="/waves/${x.wave}/foi/values/${x.valueId}"`);
    }
    expect(html).toContain('by <strong>Rowan Reviewer</strong>');
    expect(html).toContain('the letter says 24 on page 3');
    const value = await text(`/waves/2024/foi/values/${v.valueId}`);
    expect(value).toContain(v.quote);
    expect(value).toContain('the letter says 24 on page 3');
    expect(value).toContain('the lines quoted there');
    // Corrected again: both kept in the trail, the earlier one marked replaced (the value takes the latest).
    const later = await recordCorrection(
      { wave: 2024, valueId: v.valueId, low: 26, high: 26, by: 'Ash Coder', reason: 'page 4 gives 26' },
      ctx,
    );
    const trail = await text(`/waves/2024/foi/values/${v.valueId}`);
    expect(trail).toContain('the letter says 24 on page 3');
    expect(trail).toContain('page 4 gives 26');
    expect(trail.match(/replaced by correction \d+/g)).toEqual([`replaced by correction ${later.id}`]);
  });

  it("shows a questionnaire figure's answers, each linked to the region of its cell, with no personal data", async () => {
    const dir = join(ctx.workspace.reportsDir, '2025');
    const q = figures(dir).find((f) => f.records?.some((r) => r.startsWith('answer:')))!;
    const html = await text(`/reports/figure?build=2025&id=${encodeURIComponent(q.id)}`);
    expect(html).toContain('Holly Team');
    const link = /href="(\/waves\/2025\/answer\?return=[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const answer = await text(link);
    expect(answer).toContain('the cells around it');
    expect(answer).toContain('(the cell pointed at)');
    for (const c of CANARIES) expect(answer + html).not.toContain(c);
  });

  it('says when a wave has no build, and sends a wave to its latest build otherwise', async () => {
    expect((await app.request('/waves/2019/figures')).status).toBe(404);
    const res = await app.request('/waves/2025/figures');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/reports/figures?build=2025');
    expect((await app.request('/waves/2024/foi/values/999999')).status).toBe(400);
  });
});
