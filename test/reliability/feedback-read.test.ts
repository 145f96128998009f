import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../pipeline/ingest/questionnaire/processor.ts';
import { writeFeedback } from '../../pipeline/feedback/index.ts';
import { writeBackup } from '../../pipeline/backup/backup.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';
import { teamAnswers, writeReturn } from '../support/returns.ts';

/**
 * Issue 17: `census feedback` reopens a team's workbook as ingest reads one (the preflight's
 * limits, then exceljs in the parse pool under parseTimeoutMs), never on the command's thread; a
 * workbook past a limit gets a summary workbook instead. Feedback and backups are written 0600.
 */
const list = loadQuestionList(2025);

describe('feedback reads workbooks through the parse pool and its limits', () => {
  let t: TestDb;
  let ws: string;
  beforeAll(async () => {
    t = await freshDatabase();
    ws = mkdtempSync(join(tmpdir(), 'census-ws-'));
    const inbox = mkdtempSync(join(tmpdir(), 'inbox-fbread-'));
    await writeReturn(inbox, 'rowan.xlsx', list, {
      ...teamAnswers('Rowan Team', 'Rowan Trust', 'ro@rowan.example'),
      referrals_received: 'lots',
    });
    await ingest(
      { paths: [inbox], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
      testCtx(t, { dir: ws }),
    );
  });
  afterAll(async () => {
    await t.drop();
  });

  function ctxWith(limits: Partial<ReturnType<typeof testCtx>['workspace']['config']['limits']>) {
    const ctx = testCtx(t, { dir: ws });
    ctx.workspace = {
      ...ctx.workspace,
      config: { ...ctx.workspace.config, limits: { ...ctx.workspace.config.limits, ...limits } },
    };
    return ctx;
  }

  it('annotates the workbook within the limits, written 0600', async () => {
    const out = mkdtempSync(join(tmpdir(), 'feedback-'));
    const files = await writeFeedback({ wave: 2025, outDir: out }, ctxWith({}));
    expect(files.map((f) => f.kind)).toEqual(['annotated']);
    expect(statSync(join(out, files[0]!.file)).mode & 0o777).toBe(0o600 & ~process.umask());
  });

  it('gives a summary workbook, and says why, when the workbook is past the unzipped-size limit (never opened)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'feedback-'));
    const ctx = ctxWith({ maxUnzippedBytes: 1_000 });
    const files = await writeFeedback({ wave: 2025, outDir: out }, ctx);
    expect(files.map((f) => f.kind)).toEqual(['summary']);
    expect(ctx.log.lines.join('\n')).toMatch(/rowan\.xlsx: not reopened for feedback/);
  });

  it('gives a summary workbook when reading it takes longer than parseTimeoutMs (the worker is stopped)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'feedback-'));
    const ctx = ctxWith({ parseTimeoutMs: 1 });
    const files = await writeFeedback({ wave: 2025, outDir: out }, ctx);
    expect(files.map((f) => f.kind)).toEqual(['summary']);
    expect(ctx.log.lines.join('\n')).toMatch(/rowan\.xlsx: could not be reopened for feedback \(timeout\)/);
  });

  it('writes a backup archive 0600', async () => {
    const ctx = testCtx(t, { dir: ws });
    const archive = join(mkdtempSync(join(tmpdir(), 'census-backup-out-')), 'b.tar.gz');
    await writeBackup(archive, ctx, t.pool);
    expect(statSync(archive).mode & 0o777).toBe(0o600 & ~process.umask());
  });
});
