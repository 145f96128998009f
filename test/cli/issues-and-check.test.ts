import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../schemas/waves/index.ts';
import { writeSample2025 } from '../../pipeline/demo/sample-2025.ts';
import { compareIssues } from '../../pipeline/cli/format.ts';
import { freshDatabase, type TestDb } from '../support/db.ts';
import { runCensus } from '../support/cli.ts';

interface IssueJson {
  severity: string;
  code: string;
  file: string;
  location: { sheet?: string; cell?: string };
  at: string;
}

describe('issues, check and ingest --dry-run through bin/census', () => {
  let t: TestDb;
  let home: string;
  let inbox: string;
  let ws: string;
  let env: Record<string, string | undefined>;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-issues-'));
    inbox = join(home, 'inbox');
    ws = join(home, 'ws');
    await writeSample2025(loadQuestionList(2025), inbox);
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: undefined, COLUMNS: undefined, PAGER: 'cat' };
  });
  afterAll(async () => {
    await t.drop();
  });

  it('check validates the returns without a workspace or database and exits 1 on an error', async () => {
    const r = await runCensus(['check', inbox, '--wave', '2025', '--json'], {
      cwd: home,
      env: { ...env, DATABASE_URL: 'postgres://127.0.0.1:1/none' },
    });
    expect(r.code, r.stderr).toBe(1);
    const files = JSON.parse(r.stdout) as { file: string; issues: IssueJson[]; returnsRejected: number }[];
    const errors = files.flatMap((f) => f.issues.filter((i) => i.severity === 'error'));
    expect(errors.map((e) => e.code)).toEqual(['band_unknown']);
    expect(errors[0]!.location.cell).toMatch(/^C\d+$/);
  });

  it('ingest --dry-run prints what would load and stores nothing', async () => {
    const r = await runCensus(['ingest', inbox, '--wave', '2025', '--dry-run'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^Dry run: nothing was stored or loaded/);
    expect(r.stdout).toMatch(/6 file\(s\): 6 return\(s\) would load, 0 would be kept out; issues: 1 error/);
  });

  it('from a subfolder of the workspace, issues lists JSON with the location as an object, errors first', async () => {
    expect((await runCensus(['init', '--workspace', ws], { cwd: home, env })).code).toBe(0);
    const sub = join(ws, 'returns');
    mkdirSync(sub, { recursive: true });
    expect((await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: sub, env })).code).toBe(1);
    const r = await runCensus(['issues', '--wave', '2025', '--json'], { cwd: sub, env });
    expect(r.code, r.stderr).toBe(1);
    const issues = JSON.parse(r.stdout) as IssueJson[];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.severity).toBe('error');
    expect(issues[0]!.location).toEqual(expect.objectContaining({ sheet: 'Questionnaire' }));
    expect(issues[0]!.at).toBe(`Questionnaire!${issues[0]!.location.cell}`);
    // ingest --json gives each issue the same location object and printed form.
    const again = await runCensus(['ingest', inbox, '--wave', '2025', '--json'], { cwd: sub, env });
    const ingested = (JSON.parse(again.stdout) as { files: { issues: IssueJson[] }[] }).files.flatMap((f) => f.issues);
    const same = ingested.find((i) => i.code === issues[0]!.code)!;
    expect(same.location).toEqual(
      expect.objectContaining({ sheet: issues[0]!.location.sheet, cell: issues[0]!.location.cell }),
    );
    expect(same.at).toBe(issues[0]!.at);
    const csv = await runCensus(['issues', '--wave', '2025', '--format', 'csv'], { cwd: sub, env });
    expect(csv.stdout.split('\n')[0]).toBe('severity,code,file,location,message');
    expect(csv.stdout.trimEnd().split('\n')).toHaveLength(issues.length + 1);
  });

  it('issues in a narrow terminal stays within its width', async () => {
    const r = await runCensus(['issues', '--wave', '2025'], { cwd: ws, env: { ...env, COLUMNS: '70' } });
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(70);
    expect(r.stdout).toMatch(/band_unknown/);
  });
});

describe('the order of issues', () => {
  const at = (severity: string, file: string, cell: string) => ({
    severity,
    file,
    code: 'x',
    where: { sheet: 'Questionnaire', cell },
  });
  it('is severity, then file, then sheet and row in numeric order (C7 before C29 before C40)', () => {
    const sorted = [
      at('warning', 'a.xlsx', 'C7'),
      at('error', 'b.xlsx', 'C40'),
      at('error', 'b.xlsx', 'C29'),
      at('error', 'b.xlsx', 'C7'),
      at('info', 'a.xlsx', 'C1'),
      at('error', 'a.xlsx', 'D41'),
    ].sort(compareIssues);
    expect(sorted.map((i) => `${i.severity} ${i.file} ${i.where.cell}`)).toEqual([
      'error a.xlsx D41',
      'error b.xlsx C7',
      'error b.xlsx C29',
      'error b.xlsx C40',
      'warning a.xlsx C7',
      'info a.xlsx C1',
    ]);
  });
});
