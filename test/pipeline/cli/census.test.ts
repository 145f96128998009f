import { mkdtempSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';
import { runCensus } from '../../support/cli.ts';

describe('bin/census from another folder', () => {
  let t: TestDb;
  let home: string;
  let inbox: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-user-'));
    inbox = join(home, 'inbox');
    await writeSample2025(loadQuestionList(2025), inbox);
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
  });
  afterAll(async () => {
    await t.drop();
  });

  it('prints help with examples and exit codes on every command', async () => {
    for (const args of [
      ['--help'],
      ['init', '--help'],
      ['ingest', '--help'],
      ['issues', '--help'],
      ['report', '--help'],
      ['template', '--help'],
    ]) {
      const r = await runCensus(args, { cwd: home });
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/Examples?:/);
      expect(r.stdout).toMatch(/Exit codes:\n\s+0\s+done/);
    }
  });

  it('init creates the workspace named by CENSUS_WORKSPACE and migrates the database', async () => {
    const r = await runCensus(['init'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(home, 'ws', 'census.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(home, 'ws', 'census.json'), 'utf8')).database.kind).toBe('url');
    const m = await t.pool.query('select count(*)::int as n from schema_migrations');
    expect(m.rows[0].n).toBeGreaterThan(0);
  });

  it('ingest exits 1 when a return has errors, prints the summary, and --json is machine-readable', async () => {
    const r = await runCensus(['ingest', inbox, '--wave', '2025', '--json'], { cwd: home, env });
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(r.stdout) as {
      returnsLoaded: number;
      returnsRejected: number;
      issuesByCode: Record<string, number>;
    };
    expect(s.returnsLoaded).toBe(6);
    expect(s.returnsRejected).toBe(0);
    expect(s.issuesByCode).toEqual({ band_unknown: 1 });
  });

  it('ingest without --json prints one plain progress line per file when not on a terminal, then the summary table', async () => {
    const r = await runCensus(['ingest', inbox, '--wave', '2025'], { cwd: home, env });
    expect(r.code, 'unchanged files still report their errors').toBe(1);
    expect(r.stderr).toMatch(/\[6\/6\] riverside-babies\.xlsx/);
    expect(r.stdout).toMatch(/file\s+kind\s+status/);
    expect(r.stdout).toMatch(/lough-families\.xlsx\s+team_workbook\s+unchanged/);
  });

  it('issues lists the bad answer with its file and sheet!cell', async () => {
    const r = await runCensus(['issues', '--wave', '2025'], { cwd: home, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error\s+band_unknown\s+lough-families\.xlsx\s+Questionnaire!C\d+/);
  });

  it('report writes the teams by nation and status table as HTML and CSV, and exits 1 while the wave has errors', async () => {
    const out = join(home, 'report');
    const r = await runCensus(['report', '--wave', '2025', '--out', out], { cwd: home, env });
    // The sample holds one unreadable answer ("lots"): the report is written, and says the wave still has errors.
    expect(r.code, r.stderr).toBe(1);
    expect(readFileSync(join(out, 'tables', 'teams_by_nation_status.csv'), 'utf8')).toContain('England,3,0,3');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<caption>Teams by nation and status, wave 2025</caption>');
    // The internal edition's annex (its own file, linked from the report) names the command that audits each figure.
    expect(html).toContain('annex.html');
    expect(readFileSync(join(out, 'annex.html'), 'utf8'), 'each figure names the command that audits it').toContain(
      '<td>census audit figure families.total --wave 2025</td>',
    );
  });

  it('exits 2 on usage errors with a message saying what to do', async () => {
    const bad = await runCensus(['ingest', inbox, '--wave', 'twenty'], { cwd: home, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--wave <year>.*Give a year such as 2025/);
    const unknown = await runCensus(['frobnicate'], { cwd: home, env });
    expect(unknown.code).toBe(2);
    const noWs = await runCensus(['issues', '--wave', '2025', '--workspace', join(home, 'nowhere')], {
      cwd: home,
      env,
    });
    expect(noWs.code).toBe(2);
    expect(noWs.stderr).toMatch(/not a census workspace[\s\S]*census init/);
    // A folder named with --workspace is not looked for "here or in a parent folder": the advice says what to give.
    expect(noWs.stderr).toMatch(/Give --workspace \(or CENSUS_WORKSPACE\) the folder that holds your census\.json/);
    expect(noWs.stderr).not.toMatch(/parent folder/);
    // The advice is a line of its own, not a second error.
    expect(noWs.stderr).toMatch(/^what to do: /m);
    expect(noWs.stderr).not.toContain('error: what to do');
  });

  it('exits 3 when the database is unreachable, naming the server and what to check', async () => {
    const r = await runCensus(['issues', '--wave', '2025'], {
      cwd: home,
      env: { ...env, DATABASE_URL: 'postgres://census:secret@127.0.0.1:1/none' },
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/Cannot connect to PostgreSQL at postgres:\/\/census:\*\*\*@127\.0\.0\.1:1\/none/);
    expect(r.stderr).not.toContain('secret');
    expect(r.stderr).toMatch(/^what to do: /m);
    expect(r.stderr).not.toContain('error: what to do');
  });
});
