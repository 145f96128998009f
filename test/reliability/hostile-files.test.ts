import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest, type IngestSummary } from '../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../pipeline/ingest/questionnaire/processor.ts';
import { receiveBytes } from '../../pipeline/ingest/receive.ts';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { issueSchema } from '../../schemas/issue.ts';
import { preflight } from '../../sources/shared/preflight.ts';
import { readCell } from '../../sources/shared/cell.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { testCtx } from '../support/ctx.ts';
import {
  HOSTILE_LIMITS,
  HUGE,
  answers,
  slowWorkbook,
  writeHostileFolder,
  xlsx,
  type Expectation,
} from './hostile-files.ts';

const list = loadQuestionList(2025);
const processor = questionnaireProcessor(list);

describe('a batch of hostile and malformed files', () => {
  let t: TestDb;
  let expected: Map<string, Expectation>;
  let summary: IngestSummary;
  beforeAll(async () => {
    t = await freshDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    expected = await writeHostileFolder(list, dir);
    const ctx = testCtx(t);
    ctx.workspace.config.limits = { ...ctx.workspace.config.limits, ...HOSTILE_LIMITS };
    summary = await ingest({ paths: [dir], wave: 2025, processor, command: 'test' }, ctx);
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('gives every hostile file its own issue code and still loads the good returns', () => {
    const got = new Map(summary.files.map((f) => [f.name, f]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, e] of expected) {
      const f = got.get(name)!;
      const codes = f.issues.map((i) => i.code);
      if (e.status !== 'any') expect(f.status, `${name}: ${codes.join(', ')}`).toBe(e.status);
      for (const c of e.codes) expect(codes, name).toContain(c);
      if (e.codes.length === 0)
        expect(
          f.issues.filter((i) => i.severity === 'error'),
          name,
        ).toEqual([]);
      expect(codes, name).not.toContain('internal_error');
    }
  });

  it('says in every issue what was found and what to do, as a valid Issue', () => {
    for (const f of summary.files)
      for (const i of f.issues) {
        expect(issueSchema.safeParse(i).success).toBe(true);
        expect(i.message.length).toBeGreaterThan(20);
      }
  });

  it('loads each good or recoverable return under its team, file names kept as data', async () => {
    const rows = (
      await t.pool.query(`select t.name, f.original_name from questionnaire_return r join team t on t.id = r.team_id
      join file_receipt f on f.sha256 = r.sha256 and f.wave = r.wave where r.state = 'loaded' order by t.name`)
    ).rows as { name: string; original_name: string }[];
    const either = new Set([...expected.values()].filter((e) => e.status === 'any').map((e) => e.team));
    const want = [...expected.entries()].filter(([, e]) => e.status === 'loaded').map(([n, e]) => `${e.team} | ${n}`);
    expect(
      rows
        .filter((r) => !either.has(r.name))
        .map((r) => `${r.name} | ${r.original_name}`)
        .sort(),
    ).toEqual(want.sort());
  });

  it('reads cached formula results, 1900 and 1904 dates, merged answer cells and megabyte cells', async () => {
    const answer = async (team: string, q: string): Promise<Record<string, unknown>> =>
      (
        await t.pool.query(
          `select a.* from answer a
      join questionnaire_return r on r.id = a.return_id join team t on t.id = r.team_id where t.name = $1 and a.question_id = $2`,
          [team, q],
        )
      ).rows[0];
    expect(await answer('Formula Team', 'babies_under_2')).toMatchObject({ low: '12', high: '12' });
    expect(await answer('Formula Team', 'referrals_received')).toMatchObject({ value_kind: 'missing' });
    expect(await answer('Date 1900 Team', 'funding_secure_until')).toMatchObject({ date_value: '2026-03-31' });
    expect(await answer('Date 1904 Team', 'funding_secure_until')).toMatchObject({ date_value: '2026-03-31' });
    expect(await answer('Merged Team', 'host_organisation')).toMatchObject({ text_value: 'Merged Host' });
    expect((await answer('Huge Cell Team', 'host_ods_code'))!.text_value).toBe(HUGE);
    const comments = await t.pool
      .query(`select length(p.comments) as n from respondent p join questionnaire_return r on r.id = p.return_id
      join team t on t.id = r.team_id where t.name = 'Huge Cell Team'`);
    expect(comments.rows[0].n).toBe(HUGE.length);
  });

  it('decodes UTF-16 (with or without a byte-order mark) and Windows-1252 text exactly', async () => {
    const names = (
      await t.pool.query(`select name from team where name like '%quipe%' or name like 'Caf%' order by name`)
    ).rows.map((r: { name: string }) => r.name);
    expect(names).toEqual(['Café “Ñandú” Team €', 'Équipe Sans Marque', 'Équipe Ünïcode 名前']);
  });
});

describe('a merge spanning two answer cells', () => {
  it('reads the covered cell as blank with a warning, never as a copy of the answer above', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Q');
    ws.getCell('C4').value = 'Host';
    ws.mergeCells('C4:C5');
    expect(readCell(ws.getCell('C4'), {}).raw).toBe('Host');
    expect(ws.getCell('C5').value).toBe('Host'); // what exceljs reports for the covered cell
    const covered = readCell(ws.getCell('C5'), { sheet: 'Q', cell: 'C5' });
    expect(covered.raw).toBeNull();
    expect(covered.issues.map((i) => i.code)).toEqual(['merged_cell']);
  });
});

describe('names from e-mail attachments', () => {
  it('stores bytes under their hash whatever the name says, path separators included', async () => {
    const t = await freshDatabase();
    try {
      const ctx = testCtx(t);
      const run = await ctx.db
        .insertInto('ingest_run')
        .values({ wave: 2025, command: 'test', code_version: 'test', started_at: ctx.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      const bytes = await xlsx(list, answers('Path Team'));
      const name = '../../../etc/passwd\u0000.xlsx';
      const f = await receiveBytes(
        bytes,
        name,
        { wave: 2025, runId: String(run.id), kinds: { questionnaire: list, foi: false } },
        ctx,
      );
      // NUL cannot be stored as PostgreSQL text, so it is shown as U+FFFD; everything else is kept.
      expect(f.originalName).toBe('../../../etc/passwd\uFFFD.xlsx');
      expect((await t.pool.query('select first_name from raw_file')).rows[0].first_name).toBe(f.originalName);
      expect(readdirSync(ctx.workspace.storeDir, { recursive: true }).map(String).sort()).toEqual([
        f.hash.slice(0, 2),
        `${f.hash.slice(0, 2)}/${f.hash}`,
      ]);
      expect(readdirSync(ctx.workspace.dir).sort()).toEqual(['census.json', 'reports', 'store', 'waves']);
    } finally {
      await t.drop();
    }
  });
});

describe('limits a reader cannot see coming', () => {
  it('stops a parse that runs past parseTimeoutMs, and the next file still loads', async () => {
    const t = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'slow-'));
      // 200,000 rows: about 6-7 s to read at load 2 (60,000 took 1.7 s, too near the limit on an idle machine).
      writeFileSync(join(dir, 'a-slow.xlsx'), await slowWorkbook(list, 200_000));
      writeFileSync(join(dir, 'b-good.xlsx'), await xlsx(list, answers('Quick Team')));
      const ctx = testCtx(t);
      // Reading the slow file takes several seconds; a return well under one.
      ctx.workspace.config.limits = { ...ctx.workspace.config.limits, parseTimeoutMs: 1_500 };
      const s = await ingest({ paths: [dir], wave: 2025, processor, command: 'test' }, ctx);
      const cpuBefore = process.cpuUsage();
      await new Promise((r) => setTimeout(r, 1_000));
      const cpu = process.cpuUsage(cpuBefore);
      expect(s.files.map((f) => [f.name, f.status, f.issues.map((i) => i.code)])).toEqual([
        ['a-slow.xlsx', 'rejected', ['parse_timeout']],
        ['b-good.xlsx', 'loaded', []],
      ]);
      // The stopped parse burns no more CPU: it was a worker thread, terminated, not a promise left running.
      expect(cpu.user / 1000).toBeLessThan(500);
    } finally {
      await t.drop();
    }
  }, 120_000);

  it('refuses a PDF with more pages than maxPages before any parser opens it', async () => {
    const doc = new PDFDocument({ autoFirstPage: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on('end', r));
    for (let i = 0; i < 12; i++) doc.addPage().text(`page ${i + 1}`);
    doc.end();
    await done;
    const limits = { maxFileBytes: 1e9, maxRows: 1e6, maxPages: 10, maxUnzippedBytes: 1e9, maxZipEntries: 1e4 };
    const issues = preflight(
      Buffer.concat(chunks),
      { mediaType: 'application/pdf', name: 'reply.pdf', fileHash: 'h' },
      limits,
    );
    expect(issues.map((i) => i.code)).toEqual(['too_many_pages']);
    expect(
      preflight(
        Buffer.concat(chunks),
        { mediaType: 'application/pdf', name: 'reply.pdf', fileHash: 'h' },
        { ...limits, maxPages: 12 },
      ),
    ).toEqual([]);
  });
});
