import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSample2025 } from '../../../pipeline/demo/sample-2025.ts';
import { loadQuestionList } from '../../../schemas/waves/index.ts';
import { runCensus } from '../../support/cli.ts';
import { freshDatabase, type TestDb } from '../../support/db.ts';

// Each step spawns bin/census (about 2 s alone, far more on a loaded machine), hence the long timeouts.
describe('census report and census verify, run as a user would', { timeout: 300_000 }, () => {
  let t: TestDb;
  let home: string;
  let env: Record<string, string>;
  const out = () => join(home, 'report');
  beforeAll(async () => {
    t = await freshDatabase({ migrate: false });
    home = mkdtempSync(join(tmpdir(), 'census-report-'));
    await writeSample2025(loadQuestionList(2025), join(home, 'inbox'));
    env = { DATABASE_URL: t.url, CENSUS_WORKSPACE: join(home, 'ws') };
    expect((await runCensus(['init'], { cwd: home, env })).code).toBe(0);
    expect((await runCensus(['ingest', join(home, 'inbox'), '--wave', '2025'], { cwd: home, env })).code).toBe(1);
  }, 300_000);
  afterAll(async () => {
    await t.drop();
  });

  it('writes report.html, tables.xlsx, tables/*.csv, figures.json and manifest.json; exits 1 as the wave has data errors', async () => {
    const r = await runCensus(['report', '--wave', '2025', '--out', out()], { cwd: home, env });
    // The sample has error-severity issues (ingest exited 1): the report is written, and the exit says so.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/data issues of severity "error"/);
    for (const f of ['report.html', 'tables.xlsx', 'figures.json', 'manifest.json', 'tables/families_by_band.csv'])
      expect(r.stderr).toContain(`  ${f}\n`);
    const manifest = JSON.parse(readFileSync(join(out(), 'manifest.json'), 'utf8')) as {
      outputs: Record<string, string>;
      sources: unknown[];
      migrationLevel: number;
    };
    expect(Object.keys(manifest.outputs)).toContain('report.html');
    expect(manifest.sources).toHaveLength(6);
    expect(manifest.migrationLevel).toBeGreaterThanOrEqual(7);
  });

  it('refuses a non-empty folder that is not a build (exit 2) and writes nothing there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'census-not-a-build-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const r = await runCensus(['report', '--wave', '2025', '--out', dir], { cwd: home, env });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--force/);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('verify says every file is identical and exits 0', async () => {
    const r = await runCensus(['verify', out()], { cwd: home, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^identical {2}report\.html$/m);
    expect(r.stdout).not.toMatch(/^different/m);
  });

  it('verify names the file whose byte changed and exits 1', async () => {
    const file = join(out(), 'tables', 'host_type.csv');
    const bytes = readFileSync(file);
    writeFileSync(
      file,
      Buffer.concat([bytes.subarray(0, 5), Buffer.from([bytes.readUInt8(5) ^ 0x20]), bytes.subarray(6)]),
    );
    const r = await runCensus(['verify', out()], { cwd: home, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^different {2}tables\/host_type\.csv$/m);
    expect(r.stdout.match(/^different/gm)).toHaveLength(1);
  });

  it('verify names the outputs a changed input touches, and the input', async () => {
    await t.pool
      .query(`update answer set text_value = 'local_authority' where question_id = 'host_type' and text_value = 'health_board'
      and return_id = (select min(return_id) from answer where question_id = 'host_type' and text_value = 'health_board')`);
    const r = await runCensus(['verify', out()], { cwd: home, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^different {2}tables\/host_type\.csv$/m);
    expect(r.stdout).toMatch(/^different {2}figures\.json$/m);
  });

  it('a public build withholds small cells; the back test against itself passes and needs the same wave', async () => {
    const pub = join(home, 'public');
    // Exit 1: the sample wave has data errors (the report is written all the same).
    expect((await runCensus(['report', '--wave', '2025', '--out', pub, '--public'], { cwd: home, env })).code).toBe(1);
    expect(readFileSync(join(pub, 'tables', 'teams_by_nation_status.csv'), 'utf8')).toContain('[c]');
    const again = await runCensus(
      ['report', '--wave', '2025', '--out', join(home, 'again'), '--public', '--previous', pub],
      { cwd: home, env },
    );
    expect(again.code, again.stderr).toBe(1);
    expect(again.stderr).toContain('Back test passed');
    const other = await runCensus(
      ['report', '--wave', '2023', '--out', join(home, 'w2023'), '--public', '--previous', pub],
      { cwd: home, env },
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/is the build of wave 2025, not 2023/);
  });

  it('refuses parameters that do not fit the schema, naming the field (exit 2)', async () => {
    const file = join(home, 'params.json');
    writeFileSync(file, JSON.stringify({ disclosure: { threshold: -1 } }));
    const r = await runCensus(['report', '--wave', '2025', '--out', join(home, 'bad'), '--params', file], {
      cwd: home,
      env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/disclosure\.threshold/);
    // A parameters file that is not there is said before any workspace or database is opened.
    const missing = await runCensus(
      ['report', '--wave', '2025', '--out', join(home, 'bad'), '--params', join(home, 'nope.json')],
      { cwd: home, env: { ...env, CENSUS_WORKSPACE: join(home, 'no-such-workspace') } },
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: Cannot read the report parameters \S+nope\.json/);
  });
});
