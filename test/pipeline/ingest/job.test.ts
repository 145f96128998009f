import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../schemas/db.ts';
import { ingest } from '../../../pipeline/ingest/job.ts';
import { questionnaireProcessor } from '../../../pipeline/ingest/questionnaire/processor.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { writeSample2025, SAMPLE_2025 } from '../../../pipeline/demo/sample-2025.ts';
import { fillReturn } from '../../../sources/questionnaire/fill-return.ts';
import { listIssues } from '../../../pipeline/db/issue-rows.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { testCtx } from '../../support/ctx.ts';

const list = loadQuestionList(2025);
const processor = questionnaireProcessor(list);

async function tableCounts(t: TestDb): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of [
    'raw_file',
    'file_receipt',
    'questionnaire_return',
    'answer',
    'respondent',
    'data_issue',
    'team',
  ]) {
    out[table] = Number((await t.pool.query(`select count(*)::int as n from ${table}`)).rows[0].n);
  }
  return out;
}

describe('ingest of 2025 template returns', () => {
  let t: TestDb;
  let inbox: string;
  beforeAll(async () => {
    t = await freshDatabase();
    inbox = mkdtempSync(join(tmpdir(), 'inbox-'));
    await writeSample2025(list, inbox);
  });
  afterAll(async () => {
    await t.drop();
  });

  it('loads every return, the one with a bad answer too (that answer unreadable), and locates the bad answer by sheet!cell', async () => {
    const ctx = testCtx(t);
    const s = await ingest({ paths: [inbox], wave: 2025, processor, command: 'test' }, ctx);
    expect(s.files.map((f) => f.name)).toEqual([...SAMPLE_2025.map((x) => x.file)].sort());
    expect(s.returnsLoaded).toBe(6);
    expect(s.returnsRejected).toBe(0);
    const bad = s.files.find((f) => f.name === 'lough-families.xlsx')!;
    expect(bad.status).toBe('loaded');
    const issues = await listIssues(t.db, 2025, 'error');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'lough-families.xlsx', questionId: 'families_supported', raw: 'lots' });
    expect(issues[0]!.location).toMatch(/^Questionnaire!C\d+$/);
  });

  it('reads counts as intervals with their flags', async () => {
    const rows = (
      await t.pool.query(`select t.name, a.low, a.high, a.approximate, a.open_high, a.missing_reason
      from answer a join questionnaire_return r on r.id = a.return_id join team t on t.id = r.team_id
      where a.question_id = 'referrals_received' order by t.name`)
    ).rows;
    expect(rows).toEqual([
      {
        name: 'Cwtch Team',
        low: null,
        high: null,
        approximate: false,
        open_high: false,
        missing_reason: 'not_applicable',
      },
      {
        name: 'Glen Parent Infant Service',
        low: '0',
        high: '24',
        approximate: false,
        open_high: false,
        missing_reason: null,
      },
      { name: 'Lough Families', low: '301', high: null, approximate: false, open_high: true, missing_reason: null },
      {
        name: 'Meadow Parent Infant Partnership',
        low: '2150',
        high: '2150',
        approximate: false,
        open_high: false,
        missing_reason: null,
      },
      {
        name: 'North Star Parent-Infant Team',
        low: '140',
        high: '140',
        approximate: true,
        open_high: false,
        missing_reason: null,
      },
      { name: 'Riverside Babies', low: '60', high: '80', approximate: false, open_high: false, missing_reason: null },
    ]);
  });

  it('keeps respondent names and e-mails out of the answer table', async () => {
    const leaked = await t.pool.query(
      "select count(*)::int as n from answer where raw_text like '%example.org%' or text_value like '%Sample Respondent%'",
    );
    expect(leaked.rows[0].n).toBe(0);
    expect((await t.pool.query('select count(*)::int as n from respondent')).rows[0].n).toBe(6);
  });

  it('skips unchanged files on a rerun and receives the same bytes as a no-op', async () => {
    const before = await tableCounts(t);
    const s = await ingest({ paths: [inbox], wave: 2025, processor, command: 'test' }, testCtx(t));
    expect(s.files.every((f) => f.status === 'unchanged')).toBe(true);
    expect(await tableCounts(t)).toEqual(before);
    // Each unchanged file reports the issues found when it was processed, the bad answer included.
    const bad = s.files.find((f) => f.name === 'lough-families.xlsx')!;
    expect(bad.issues.filter((i) => i.severity === 'error').map((i) => [i.questionId, i.raw])).toEqual([
      ['families_supported', 'lots'],
    ]);
    expect(bad.issues.every((i) => i.location.fileHash === bad.hash)).toBe(true);
    expect(s.issuesBySeverity.error).toBe(1);
  });

  it('keeps one bad file from stopping the batch: a corrupt workbook gets an issue, the others load', async () => {
    const t2 = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inbox-bad-'));
      writeFileSync(join(dir, 'a-truncated.xlsx'), Buffer.from('PK\u0003\u0004 this is not really a zip'));
      const wb = fillReturn(
        list,
        {
          team_name: 'Solo Team',
          host_organisation: 'Solo Host',
          nation: 'England',
          region: 'London',
          status: 'Established',
        },
        { created: new Date('2025-01-01T00:00:00Z') },
      );
      writeFileSync(join(dir, 'b-good.xlsx'), Buffer.from(await wb.xlsx.writeBuffer()));
      const s = await ingest({ paths: [dir], wave: 2025, processor, command: 'test' }, testCtx(t2));
      expect(s.files.map((f) => [f.name, f.status])).toEqual([
        ['a-truncated.xlsx', 'rejected'],
        ['b-good.xlsx', 'loaded'],
      ]);
      expect(s.files[0]!.issues.map((i) => i.code)).toEqual(['file_unreadable']);
      expect(readdirSync(dir)).toHaveLength(2);
    } finally {
      await t2.drop();
    }
  });
});

describe('the ingest ledger', () => {
  it('records each stage of each file per run', async () => {
    const t = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inbox-ledger-'));
      await writeSample2025(list, dir);
      await ingest({ paths: [dir], wave: 2025, processor, command: 'test' }, testCtx(t));
      const rows = (
        await t.pool.query(`select f.original_name, s.stage, s.status, s.issue_count from stage_outcome s
        join file_receipt f on f.sha256 = s.sha256 where f.original_name in ('lough-families.xlsx', 'riverside-babies.xlsx')
        order by f.original_name, array_position(array['receive','extract','validate','normalise','load'], s.stage)`)
      ).rows;
      expect(rows).toEqual([
        { original_name: 'lough-families.xlsx', stage: 'receive', status: 'ok', issue_count: 0 },
        { original_name: 'lough-families.xlsx', stage: 'extract', status: 'ok', issue_count: 0 },
        { original_name: 'lough-families.xlsx', stage: 'validate', status: 'issues', issue_count: 1 },
        { original_name: 'lough-families.xlsx', stage: 'normalise', status: 'ok', issue_count: 0 },
        { original_name: 'lough-families.xlsx', stage: 'load', status: 'ok', issue_count: 0 },
        { original_name: 'riverside-babies.xlsx', stage: 'receive', status: 'ok', issue_count: 0 },
        { original_name: 'riverside-babies.xlsx', stage: 'extract', status: 'ok', issue_count: 0 },
        { original_name: 'riverside-babies.xlsx', stage: 'validate', status: 'ok', issue_count: 0 },
        { original_name: 'riverside-babies.xlsx', stage: 'normalise', status: 'ok', issue_count: 0 },
        { original_name: 'riverside-babies.xlsx', stage: 'load', status: 'ok', issue_count: 0 },
      ]);
      const run = (
        await t.pool.query('select status, code_version, finished_at is not null as finished, counts from ingest_run')
      ).rows;
      expect(run).toEqual([
        {
          status: 'done_with_errors',
          code_version: 'test',
          finished: true,
          counts: { files: 6, returnsLoaded: 6, returnsRejected: 0, issues: { error: 1, warning: 0, info: 0 } },
        },
      ]);
    } finally {
      await t.drop();
    }
  });
});

describe('round trips of an ingest (#18)', () => {
  it('loads each return file in a bounded number of statements, and a rerun in one a file', async () => {
    const t = await freshDatabase();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'inbox-trips-'));
      await writeSample2025(list, dir);
      // Every statement the job sends, counted by Kysely's log on the test database's own pool.
      const sent: string[] = [];
      const db = new Kysely<Database>({
        dialect: new PostgresDialect({ pool: t.pool }),
        log: (e) => {
          sent.push(e.query.sql);
        },
      });
      const ctx = { ...testCtx(t), db };
      const s = await ingest(
        { paths: [dir], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
        ctx,
      );
      const files = s.files.length;
      expect(files).toBe(6);
      // Per file of new teams: the receipt (1), the group's begin and commit (at most 2), the earlier
      // rows (1), the team (3: its name's aliases, the new team, its alias), the team's lock (1), the
      // return with its answers (1), the team's returns (1), year on year (1), the issues with the
      // receipt's rule version (1), and the stage ledger (at most 1); and a dozen for the batch. How
      // the files fall into commit groups depends on timing (a group commits when no file waits), so
      // the bound is the worst case, every file a group of its own: 13 a file. 82 statements for these
      // 6 files at #18's work on a quiet machine, 123 before it.
      expect(sent.length).toBeLessThanOrEqual(files * 13 + 12);
      expect(sent.filter((q) => /^select "processed_rule_version"/.test(q))).toEqual([]);
      expect(sent.filter((q) => /^release savepoint/.test(q))).toEqual([]);
      expect(sent.filter((q) => /insert into "stage_outcome"/.test(q)).length).toBeLessThanOrEqual(files);
      // A rerun with nothing changed: the receipt of each file and a few statements for the batch.
      sent.length = 0;
      const again = await ingest(
        { paths: [dir], wave: 2025, processor: questionnaireProcessor(list), command: 'test' },
        ctx,
      );
      expect(again.files.every((f) => f.status === 'unchanged')).toBe(true);
      expect(sent.length).toBeLessThanOrEqual(files + 8);
    } finally {
      await t.drop();
    }
  });
});
